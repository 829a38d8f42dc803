/**
 * IP addresses as bigints (IPv4 and IPv6 alike), so prefixes, ranges and ipsets are plain integer intervals.
 * Strict parsing: IPv4 must be four decimal parts (`10.0` is not an address, facts §8.3 headscale example).
 */
export type Family = 4 | 6;

export interface IpAddress {
  readonly family: Family;
  readonly value: bigint;
}

/** An inclusive interval of addresses of one family. */
export interface IpRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

const V4_BITS = 32n;
const V6_BITS = 128n;

function bitsOf(family: Family): bigint {
  return family === 4 ? V4_BITS : V6_BITS;
}

const V4_RE = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

export function parseIp(text: string): IpAddress | undefined {
  const s = text.trim();
  const v4 = V4_RE.exec(s);
  if (v4) {
    const octets = [Number(v4[1]), Number(v4[2]), Number(v4[3]), Number(v4[4])];
    // Like Go's netip: four decimal octets, no leading zeros (inet_aton's `010` = 8 is a trap).
    if (!octets.every((o) => o <= 255)) return undefined;
    return { family: 4, value: BigInt(octets[0] * 0x1000000 + octets[1] * 0x10000 + octets[2] * 0x100 + octets[3]) };
  }
  if (!s.includes(':') || s.includes('%')) return undefined;
  const groups = parseIpv6Groups(s);
  return groups && { family: 6, value: groupsToBigint(groups) };
}

/**
 * IPv6 text → eight 16-bit groups (RFC 4291 §2.2 forms: full, `::` compression, trailing dotted IPv4).
 * Hand-written because ipaddr.js's parser dominated compiling a 10,000-device inventory (issue 9); a property
 * test checks it against ipaddr.js.
 */
export function parseIpv6Groups(s: string): number[] | undefined {
  if (!s.includes('.')) return scanIpv6(s);
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const all = [...head, ...tail];
  const last = all[all.length - 1];
  const tailGroups: number[] = [];
  if (last?.includes('.')) {
    const v4 = V4_RE.exec(last);
    if (!v4 || [v4[1], v4[2], v4[3], v4[4]].some((o) => Number(o) > 255)) return undefined;
    tailGroups.push(Number(v4[1]) * 256 + Number(v4[2]), Number(v4[3]) * 256 + Number(v4[4]));
    (tail.length > 0 ? tail : head).pop();
  }
  const parse = (xs: string[]) => xs.map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const h = parse(head);
  const t = [...parse(tail), ...tailGroups];
  if ([...h, ...t].some(Number.isNaN)) return undefined;
  const missing = 8 - h.length - t.length;
  if (halves.length === 1) return missing === 0 ? [...h, ...t] : undefined;
  if (missing < 1) return undefined;
  return [...h, ...new Array<number>(missing).fill(0), ...t];
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The same grammar without a dotted quad, read in one pass over the character codes: no split, no regex, no
 * intermediate strings (inventories hold one IPv6 address per device, parsed on every read).
 */
function scanIpv6(s: string): number[] | undefined {
  const head: number[] = [];
  const tail: number[] = [];
  let groups = head;
  let gap = false;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return undefined;
    [gap, groups, i] = [true, tail, 2];
  }
  while (i < s.length) {
    const start = i;
    let value = 0;
    for (let h = hexDigit(s.charCodeAt(i)); h >= 0 && i - start < 5; h = hexDigit(s.charCodeAt(++i))) {
      value = value * 16 + h;
    }
    if (i === start || i - start > 4) return undefined;
    groups.push(value);
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 58) return undefined; // after a group: ':' or the end
    i++;
    if (s.charCodeAt(i) === 58) {
      if (gap) return undefined; // a second '::'
      [gap, groups] = [true, tail];
      i++;
    } else if (i === s.length) {
      return undefined; // a single trailing ':'
    }
  }
  const missing = 8 - head.length - tail.length;
  if (!gap) return missing === 0 ? head : undefined;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function groupsToBigint(groups: readonly number[]): bigint {
  // 32 bits at a time: a double holds integers exactly only up to 2^53.
  let v = 0n;
  for (let i = 0; i < 8; i += 2) v = (v << 32n) | BigInt(groups[i] * 0x10000 + groups[i + 1]);
  return v;
}

/** `a.b.c.d/n`, `v6/n`, or a bare address (a /32 or /128). Host bits are masked off, like Go's Prefix.Masked. */
export function parsePrefix(text: string): IpRange | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  if (slash < 0) {
    const ip = parseIp(s);
    return ip && { family: ip.family, first: ip.value, last: ip.value };
  }
  const ip = parseIp(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lenText)) return undefined;
  const len = BigInt(Number(lenText));
  const bits = bitsOf(ip.family);
  if (len > bits) return undefined;
  const hostBits = bits - len;
  const first = (ip.value >> hostBits) << hostBits;
  return { family: ip.family, first, last: first + (1n << hostBits) - 1n };
}

/** `192.0.2.4-192.0.2.12` (ipsets only, facts §3.1). */
export function parseIpRange(text: string): IpRange | undefined {
  const [a, b, extra] = text.split('-');
  if (extra !== undefined || b === undefined) return undefined;
  const first = parseIp(a);
  const last = parseIp(b);
  if (!first || !last || first.family !== last.family || first.value > last.value) return undefined;
  return { family: first.family, first: first.value, last: last.value };
}

export function isCidrText(text: string): boolean {
  return text.includes('/') && parsePrefix(text) !== undefined;
}

export function rangeContains(r: IpRange, family: Family, value: bigint): boolean {
  return r.family === family && r.first <= value && value <= r.last;
}

export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function rangeCovers(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Number of host bits a prefix-shaped range spans (for longest-prefix match: smaller = more specific). */
export function rangeSize(r: IpRange): bigint {
  return r.last - r.first + 1n;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    const v = Number(ip.value);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  return formatIpv6Groups(parts);
}

/** RFC 5952 text: lower-case hex, no leading zeros, the first longest run of two or more zero groups as `::`. */
function formatIpv6Groups(parts: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (parts[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && parts[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = parts.map((p) => p.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Canonical text of an address, used as a map key (`fd7a:115c:a1e0::1` however it was written). */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip && formatIp(ip);
}

/**
 * A set of addresses: sorted, merged intervals per family, with O(log n) membership.
 * Used for rule address selectors, `*`, autogroup:internet, ipsets and approved routes.
 */
export class RangeSet {
  static readonly EMPTY = new RangeSet([]);
  private readonly v4: IpRange[];
  private readonly v6: IpRange[];

  constructor(ranges: Iterable<IpRange>) {
    const all = [...ranges];
    this.v4 = mergeRanges(all.filter((r) => r.family === 4));
    this.v6 = mergeRanges(all.filter((r) => r.family === 6));
  }

  get ranges(): IpRange[] {
    return [...this.v4, ...this.v6];
  }

  get isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  has(family: Family, value: bigint): boolean {
    const list = family === 4 ? this.v4 : this.v6;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid];
      if (value < r.first) hi = mid - 1;
      else if (value > r.last) lo = mid + 1;
      else return true;
    }
    return false;
  }

  hasIp(ip: IpAddress): boolean {
    return this.has(ip.family, ip.value);
  }

  overlaps(range: IpRange): boolean {
    const list = range.family === 4 ? this.v4 : this.v6;
    return list.some((r) => rangesOverlap(r, range));
  }

  union(other: RangeSet): RangeSet {
    return new RangeSet([...this.ranges, ...other.ranges]);
  }

  subtract(other: RangeSet): RangeSet {
    let result = this.ranges;
    for (const cut of other.ranges) result = result.flatMap((r) => subtractRange(r, cut));
    return new RangeSet(result);
  }
}

function mergeRanges(ranges: IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: IpRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1n) {
      if (r.last > last.last) out[out.length - 1] = { family: r.family, first: last.first, last: r.last };
    } else {
      out.push(r);
    }
  }
  return out;
}

function subtractRange(r: IpRange, cut: IpRange): IpRange[] {
  if (!rangesOverlap(r, cut)) return [r];
  const out: IpRange[] = [];
  if (r.first < cut.first) out.push({ family: r.family, first: r.first, last: cut.first - 1n });
  if (r.last > cut.last) out.push({ family: r.family, first: cut.last + 1n, last: r.last });
  return out;
}

function prefixes(...texts: string[]): IpRange[] {
  return texts.map((t) => parsePrefix(t)!);
}

/** §3.3: the tailnet's own address space, which `*` as src covers (minus the ChromeOS VM range). */
export const TAILNET_V4 = parsePrefix('100.64.0.0/10')!;
export const TAILNET_V6 = parsePrefix('fd7a:115c:a1e0::/48')!;
const CHROMEOS_VM_RANGE = parsePrefix('100.115.92.0/23')!;

export const WILDCARD_SRC_TAILNET = new RangeSet([TAILNET_V4, TAILNET_V6]).subtract(new RangeSet([CHROMEOS_VM_RANGE]));

/** Every address of both families (`*` as dst, autogroup:danger-all as src). */
export const ALL_ADDRESSES = new RangeSet(prefixes('0.0.0.0/0', '::/0'));

/** §3.2 technical definition of autogroup:internet. Loopback and multicast are deliberately *not* excluded. */
export const INTERNET = new RangeSet(prefixes('0.0.0.0/0', '2000::/3')).subtract(
  new RangeSet(prefixes('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16')),
);

/** Tailscale's reserved service range: an ipPool may not overlap it (facts §10). */
export const RESERVED_SERVICE_RANGE = parsePrefix('100.100.100.0/24')!;

export function isExitRoute(r: IpRange): boolean {
  return r.first === 0n && r.last === (1n << bitsOf(r.family)) - 1n;
}

export function isTailnetAddress(ip: IpAddress): boolean {
  return rangeContains(ip.family === 4 ? TAILNET_V4 : TAILNET_V6, ip.family, ip.value);
}
