import type { CompiledPolicy, NetUnit } from './compile';
import { type Enforcer, protocolMatches } from './evaluate';
import type { Device } from './inventory';
import { formatIp, type IpAddress, isTailnetAddress, parsePrefix, rangeContains } from './ip';
import type { RuleRef } from './model';
import { formatProtoPorts } from './plan-ports';
import { conditionHolds, type PostureCondition } from './posture';
import {
  AUTOGROUPS,
  classifySelector,
  DEFAULT_PROTOCOLS,
  PORTED_PROTOCOLS,
  type Selector,
  splitAclDestination,
} from './selectors';

/**
 * The sentences `explain` (and `test`, for failed assertions) uses to say why a rule does not match: phrased for the
 * corners of facts §18 where people get it wrong (tagged devices have no user, address selectors cover one family,
 * `*` and bare ports carry only TCP/UDP/ICMP, routes must be approved).
 */
export type Explained<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface RuleVerdict {
  readonly ref: RuleRef;
  /** Why the rule does not apply; empty when it does. */
  readonly reasons: readonly string[];
  /** Ranking of near misses (lower is nearer); the number of reasons when absent. */
  readonly weight?: number;
}

export interface EndpointSummary {
  /** As the user wrote it. */
  readonly text: string;
  /** MagicDNS name of the device, when the endpoint is one. */
  readonly device?: string;
  /** The address used, when the endpoint is an address. */
  readonly address?: string;
  /** `owned by alice@example.com`, `tagged tag:web`, or `address outside the inventory`. */
  readonly identity: string;
}

export function describeDevice(d: Device): string {
  return d.user ? `owned by ${d.user}` : `tagged ${d.tags.join(', ')}`;
}

export function summarizeEndpoint(
  compiled: CompiledPolicy,
  text: string,
  resolved: { readonly device?: number; readonly v4?: IpAddress; readonly v6?: IpAddress },
): EndpointSummary {
  if (resolved.device !== undefined) {
    const d = compiled.devices[resolved.device];
    return { text, device: d.name, identity: describeDevice(d) };
  }
  const ip = resolved.v4 ?? resolved.v6;
  return { text, ...(ip ? { address: formatIp(ip) } : {}), identity: 'address outside the inventory' };
}

/** Selectors that name users (and so never a tagged device, §13). */
function isUserSelector(sel: Selector): boolean {
  if (sel.kind === 'user' || sel.kind === 'group' || sel.kind === 'domainUsers') return true;
  if (sel.kind !== 'autogroup') return false;
  return (
    ['autogroup:member', 'autogroup:members', 'autogroup:self', 'autogroup:shared'].includes(sel.name) ||
    AUTOGROUPS[sel.name]?.role !== undefined
  );
}

function isTagSelector(sel: Selector): boolean {
  return sel.kind === 'tag' || (sel.kind === 'autogroup' && sel.name === 'autogroup:tagged');
}

/** Why a device is not among a rule's src or dst selectors, phrased for the identity corner it falls into. */
export function deviceMissReason(side: 'src' | 'dst', selectors: readonly string[], device: Device): string {
  const sels = selectors.map(classifySelector);
  const userish = sels.filter(isUserSelector).map((s) => s.text);
  if (device.tags.length > 0 && userish.length > 0) {
    const verb = userish.length === 1 ? 'never matches' : 'never match';
    return `${device.shortName} is tagged (${device.tags.join(', ')}), so it has no user identity: ${userish.join(', ')} ${verb} it`;
  }
  if (device.user && sels.length > 0 && sels.every(isTagSelector)) {
    return `${device.shortName} belongs to ${device.user} and carries no tag; ${side} names only ${selectors.join(', ')}`;
  }
  if (sels.length === 0) return `${side} is empty`;
  return `${side} ${selectors.join(', ')} does not include ${device.shortName} (${describeDevice(device)})`;
}

/** §5: why the protocol or port is not covered by the rule's ip (grants) or ports (ACLs). */
export function portReason(u: NetUnit, proto: number, port: number, protoText: string): string | undefined {
  if (protocolMatches(u, proto, port)) return undefined;
  const allowed = formatProtoPorts(u.protoPorts);
  const listed = u.protoPorts.some((pp) => (pp.protocols ?? DEFAULT_PROTOCOLS).includes(proto));
  if (!listed) {
    const defaults = u.protoPorts.some((pp) => pp.protocols === undefined) && !DEFAULT_PROTOCOLS.includes(proto);
    return `${protoText} is not allowed by the rule (${allowed})${defaults ? '; "*" and bare ports cover only tcp, udp and icmp (§18.5)' : ''}`;
  }
  if (PORTED_PROTOCOLS.has(proto)) return `port ${port} is outside the rule's ${protoText} ports (${allowed})`;
  return `${protoText} has no ports, so the rule must allow all of them (${protoText}:*); it allows ${allowed}`;
}

function formatCondition(c: PostureCondition): string {
  const values = c.values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)));
  const rhs = c.operator === 'IN' || c.operator === 'NOT IN' ? `[${values.join(', ')}]` : (values[0] ?? '');
  return `${c.attribute} ${c.operator}${rhs ? ` ${rhs}` : ''}`;
}

/** §8.5: which condition of each acceptable posture the device fails. */
export function postureReason(
  postures: readonly (readonly PostureCondition[])[] | undefined,
  device: Device,
): string | undefined {
  if (!postures) return undefined;
  const attrs = device.postureAttrs;
  const failing = postures.map((conditions) => conditions.find((c) => !conditionHolds(c, attrs)));
  if (failing.some((c) => c === undefined)) return undefined;
  const parts = failing.map((c) => `${formatCondition(c!)} (${c!.attribute} is ${attrs?.[c!.attribute] ?? 'not set'})`);
  return `${device.shortName} fails the rule's srcPosture: ${parts.join('; or ')}`;
}

/** Routing facts that decide before any rule does: unapproved routes, unowned tailnet addresses, no exit node. */
export function routeNotes(
  compiled: CompiledPolicy,
  ip: IpAddress,
  enforcers: readonly Enforcer[],
  dstDevice: number | undefined,
): string[] {
  if (dstDevice !== undefined) return [];
  const address = formatIp(ip);
  const notes: string[] = [];
  for (const d of compiled.devices) {
    for (const route of d.advertisedRoutes) {
      const r = parsePrefix(route);
      if (!r || !rangeContains(r, ip.family, ip.value) || d.approvedRoutes.includes(route)) continue;
      notes.push(`${address} is in ${route}, advertised by ${d.shortName} but not approved (not in its enabledRoutes)`);
    }
  }
  if (enforcers.length === 0) {
    notes.push(
      isTailnetAddress(ip)
        ? `no device of the inventory has the address ${address}`
        : `no approved subnet route covers ${address} and no device is an approved exit node`,
    );
  } else {
    const names = enforcers.map((e) => compiled.devices[e.device].shortName).join(', ');
    const role = { router: 'subnet router', service: 'Tailscale Service host', exit: 'exit node', device: 'device' };
    notes.push(`${address} is routed by ${names} (${role[enforcers[0].mode]})`);
  }
  return notes;
}

export interface RuleSelectors {
  readonly src: readonly string[];
  readonly dst: readonly string[];
}

/** A unit's rule selectors; an ACL unit stands for one dst element (units are built in element order). */
export function ruleSelectors(compiled: CompiledPolicy): (unitIndex: number) => RuleSelectors {
  const element = new Map<number, number>();
  const seen = new Map<number, number>();
  compiled.units.forEach((u, i) => {
    if (u.ref.section !== 'acls') return;
    const k = seen.get(u.ref.index) ?? 0;
    element.set(i, k);
    seen.set(u.ref.index, k + 1);
  });
  return (i) => {
    const u = compiled.units[i];
    if (u.ref.index < 0) return { src: ['*'], dst: ['*'] };
    if (u.ref.section === 'acls') {
      const rule = compiled.policy.acls![u.ref.index];
      const text = rule.dst[element.get(i) ?? 0];
      const split = splitAclDestination(text);
      return { src: rule.src, dst: [split.ok ? split.value.host : text] };
    }
    const grant = compiled.policy.grants![u.ref.index];
    return { src: grant.src, dst: grant.dst };
  };
}

const SECTION_ORDER: Record<string, number> = { acls: 0, grants: 1, ssh: 2 };

/** Rules that miss on at most two conditions, closest first, without the rules that granted access. */
export function selectNearest(
  verdicts: readonly RuleVerdict[],
  granted: readonly RuleRef[],
  limit: number,
): RuleVerdict[] {
  const grantedKeys = new Set(granted.map((r) => `${r.section}:${r.index}`));
  return verdicts
    .filter((v) => v.reasons.length > 0 && v.reasons.length <= 2 && !grantedKeys.has(`${v.ref.section}:${v.ref.index}`))
    .sort(
      (a, b) =>
        (a.weight ?? a.reasons.length) - (b.weight ?? b.reasons.length) ||
        SECTION_ORDER[a.ref.section] - SECTION_ORDER[b.ref.section] ||
        a.ref.index - b.ref.index,
    )
    .slice(0, limit);
}
