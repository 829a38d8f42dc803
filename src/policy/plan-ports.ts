import {
  DEFAULT_PROTOCOLS,
  PORTED_PROTOCOLS,
  PROTO_ICMP,
  PROTO_ICMPV6,
  PROTO_TCP,
  PROTO_UDP,
  PROTOCOLS,
  type ProtoPorts,
} from './selectors';

/**
 * Access between two endpoints as one set of integers: `protocol * 65536 + port`, kept as sorted, merged,
 * inclusive intervals in a flat array `[lo0, hi0, lo1, hi1, …]`. Union, difference and equality of "tcp:80,443 and
 * udp:53" are then plain interval merges, with no per-protocol maps, which keeps `plan` fast.
 *
 * §5/§18.5: ICMP rides along with any rule for the IP pair, so every matching rule adds ICMP; ICMPv6 is folded into
 * ICMP (one "ping" for both families). Protocols without ports (GRE, ESP …) match only rules with every port, so
 * they are stored with the full port range.
 */
export type PortSet = readonly number[];

const SPAN = 65536;
const ICMP_LO = PROTO_ICMP * SPAN;
const ICMP_HI = ICMP_LO + SPAN - 1;

export const EMPTY_PORTS: PortSet = [];

/** Appends what one rule element grants, unnormalised (call `normalizePorts` once at the end). */
export function appendProtoPorts(acc: number[], pp: ProtoPorts): void {
  acc.push(ICMP_LO, ICMP_HI);
  for (const proto of pp.protocols ?? DEFAULT_PROTOCOLS) {
    if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) continue;
    const base = proto * SPAN;
    if (!PORTED_PROTOCOLS.has(proto)) {
      if (pp.ports.some((r) => r.first === 0 && r.last === 65535)) acc.push(base, base + SPAN - 1);
      continue;
    }
    for (const r of pp.ports) acc.push(base + r.first, base + r.last);
  }
}

export function normalizePorts(flat: readonly number[]): PortSet {
  if (flat.length <= 2) return flat.slice();
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    // Adjacent intervals merge only inside one protocol's block, so no interval ever spans two protocols.
    if (last > 0 && (lo <= out[last] || (lo === out[last] + 1 && lo % SPAN !== 0))) out[last] = Math.max(out[last], hi);
    else out.push(lo, hi);
  }
  return out;
}

/** a − b. */
export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i];
    const hi = a[i + 1];
    while (j < b.length && b[j + 1] < lo) j += 2;
    let k = j;
    while (k < b.length && b[k] <= hi && lo <= hi) {
      if (b[k] > lo) out.push(lo, b[k] - 1);
      lo = Math.max(lo, b[k + 1] + 1);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

export function portsIntersect(a: PortSet, b: PortSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1] < b[j]) i += 2;
    else if (b[j + 1] < a[i]) j += 2;
    else return true;
  }
  return false;
}

export function samePorts(a: PortSet, b: PortSet): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** True when the set holds nothing but the ICMP that rides along with every rule. */
export function onlyPing(set: PortSet): boolean {
  return set.length === 2 && set[0] === ICMP_LO && set[1] === ICMP_HI;
}

const NAMES = new Map<number, string>(
  Object.entries(PROTOCOLS)
    .filter(([name]) => name !== 'ip-in-ip')
    .map(([name, n]) => [n, name]),
);

function protoName(proto: number): string {
  return NAMES.get(proto) ?? String(proto);
}

function rangeText(lo: number, hi: number): string {
  if (lo === 0 && hi === SPAN - 1) return '*';
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

export interface ProtoRange {
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP; ICMPv6 is folded into ICMP) */
  readonly proto: number;
  readonly first: number;
  readonly last: number;
}

/** The set as protocol/port intervals, in order (an interval never spans protocols). */
export function portSetRanges(set: PortSet): ProtoRange[] {
  const out: ProtoRange[] = [];
  for (let i = 0; i < set.length; i += 2) {
    const proto = Math.floor(set[i] / SPAN);
    out.push({ proto, first: set[i] - proto * SPAN, last: set[i + 1] - proto * SPAN });
  }
  return out;
}

/** Per protocol, the port list in policy syntax (`80,443,8000-8100` or `*`). */
function byProtocol(set: PortSet): Map<number, string> {
  const lists = new Map<number, string[]>();
  for (let i = 0; i < set.length; i += 2) {
    // An interval never spans protocols: every append stays inside one protocol's 65536 block.
    const proto = Math.floor(set[i] / SPAN);
    const list = lists.get(proto) ?? [];
    list.push(rangeText(set[i] - proto * SPAN, set[i + 1] - proto * SPAN));
    lists.set(proto, list);
  }
  return new Map([...lists].map(([p, l]) => [p, l.join(',')]));
}

/**
 * Policy-style text: `*` for every port of TCP and UDP (what `ip: ["*"]` grants), `tcp+udp:53` where both carry
 * the same ports, else `tcp:80,443`; ICMP is named only when nothing else is in the set (it rides along).
 */
export function formatPorts(set: PortSet): string[] {
  const lists = byProtocol(set);
  const tcp = lists.get(PROTO_TCP);
  const udp = lists.get(PROTO_UDP);
  const out: string[] = [];
  if (tcp !== undefined && tcp === udp) {
    out.push(tcp === '*' ? '*' : `tcp+udp:${tcp}`);
    lists.delete(PROTO_TCP);
    lists.delete(PROTO_UDP);
  }
  const ping = lists.delete(PROTO_ICMP);
  for (const [proto, ports] of [...lists].sort((a, b) => a[0] - b[0])) out.push(`${protoName(proto)}:${ports}`);
  if (out.length === 0 && ping) out.push('icmp (ping)');
  return out;
}

/** What a rule element allows, in the same text (for explanations). */
export function formatProtoPorts(pps: readonly ProtoPorts[]): string {
  const acc: number[] = [];
  for (const pp of pps) appendProtoPorts(acc, pp);
  return formatPorts(normalizePorts(acc)).join(', ');
}
