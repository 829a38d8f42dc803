import type { Bitset } from './bitset';
import { type CompiledPolicy, exitNodes, type NetUnit } from './compile';
import type { SshUnit } from './compile-ssh';
import type { Device } from './inventory';
import {
  canonicalIp,
  type Family,
  formatIp,
  type IpAddress,
  type IpRange,
  isExitRoute,
  isTailnetAddress,
  parseIp,
  parsePrefix,
  rangeContains,
  rangeSize,
  rangesOverlap,
} from './ip';
import type { PostureAttributes, RuleRef } from './model';
import { type PostureCondition, postureHolds } from './posture';
import {
  classifySelector,
  DEFAULT_PROTOCOLS,
  PORTED_PROTOCOLS,
  PROTO_ICMP,
  PROTO_ICMPV6,
  PROTOCOLS,
  tagKey,
} from './selectors';

/**
 * Queries against a compiled policy (§5, §14). A packet `src → dst proto/port` is decided by the node that owns
 * dst, or the subnet router(s) with the most specific approved route covering it, or an exit node.
 */
export type Endpoint = string | Device;

export interface ReachQuery {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** tcp, udp, icmp, sctp, gre, … or an IANA number. */
  readonly proto: string | number;
  readonly port: number;
  /** Overrides the source device's posture attributes (tests' srcPostureAttrs, §11). */
  readonly srcPostureAttrs?: PostureAttributes;
}

export interface ReachResult {
  readonly allowed: boolean;
  /** Rules that allow the packet at the deciding node (empty when denied or under implicit allow-all). */
  readonly matchedRules: RuleRef[];
  /** Name of the device whose filter decides: the owner, a subnet router or an exit node. */
  readonly enforcedBy?: string;
}

interface ResolvedEndpoint {
  readonly device?: number;
  readonly v4?: IpAddress;
  readonly v6?: IpAddress;
}

export function resolveEndpoint(compiled: CompiledPolicy, endpoint: Endpoint): ResolvedEndpoint | undefined {
  if (typeof endpoint !== 'string') return resolveEndpoint(compiled, endpoint.name);
  const byName = compiled.deviceByName.get(endpoint);
  const ip = parseIp(endpoint);
  const index = byName ?? (ip ? compiled.deviceByAddress.get(canonicalIp(endpoint)!) : undefined);
  if (index !== undefined) {
    const d = compiled.devices[index];
    // A literal address of a device is exactly that address (§3.3), not the device's other family.
    if (ip) return { device: index, [ip.family === 4 ? 'v4' : 'v6']: ip };
    return { device: index, v4: d.ipv4 ? parseIp(d.ipv4) : undefined, v6: d.ipv6 ? parseIp(d.ipv6) : undefined };
  }
  if (!ip) return undefined;
  return ip.family === 4 ? { v4: ip } : { v6: ip };
}

export function protocolNumber(proto: string | number): number | undefined {
  if (typeof proto === 'number') return proto;
  const p = proto.trim().toLowerCase();
  if (p === 'ipv6-icmp' || p === 'icmpv6') return PROTO_ICMPV6;
  return PROTOCOLS[p] ?? (/^\d+$/.test(p) ? Number(p) : undefined);
}

export function canReach(compiled: CompiledPolicy, query: ReachQuery): ReachResult {
  const src = resolveEndpoint(compiled, query.src);
  const dst = resolveEndpoint(compiled, query.dst);
  const proto = protocolNumber(query.proto);
  if (!src || !dst || proto === undefined) return { allowed: false, matchedRules: [] };
  let first: ReachResult | undefined;
  for (const family of [4, 6] as const) {
    const s = family === 4 ? src.v4 : src.v6;
    const d = family === 4 ? dst.v4 : dst.v6;
    if (!s || !d) continue;
    const result = evaluatePacket(compiled, {
      family,
      src,
      srcIp: s,
      dstIp: d,
      proto,
      port: query.port,
      attrs: query.srcPostureAttrs,
    });
    if (result.allowed) return result;
    first ??= result;
  }
  return first ?? { allowed: false, matchedRules: [] };
}

interface Packet {
  readonly family: Family;
  readonly src: ResolvedEndpoint;
  readonly srcIp: IpAddress;
  readonly dstIp: IpAddress;
  readonly proto: number;
  readonly port: number;
  readonly attrs?: PostureAttributes;
}

type Mode = 'device' | 'router' | 'exit' | 'service';

export interface Enforcer {
  readonly device: number;
  readonly mode: Mode;
}

/** §14.2: who decides a packet to this address. */
export function enforcersFor(compiled: CompiledPolicy, ip: IpAddress): Enforcer[] {
  const owner = compiled.deviceByAddress.get(formatIp(ip));
  if (owner !== undefined) return [{ device: owner, mode: 'device' }];
  const hosts = compiled.serviceHosts.get(formatIp(ip));
  if (hosts) return hosts.map((device) => ({ device, mode: 'service' }));
  let best: bigint | undefined;
  let routers: number[] = [];
  for (const r of compiled.subnetRoutes) {
    if (!rangeContains(r.range, ip.family, ip.value)) continue;
    const size = rangeSize(r.range);
    if (best === undefined || size < best) {
      best = size;
      routers = [r.device];
    } else if (size === best && !routers.includes(r.device)) routers.push(r.device);
  }
  if (routers.length > 0) return routers.map((device) => ({ device, mode: 'router' }));
  // Tailnet addresses nobody owns are unroutable; everything else may leave through an exit node (§14.6).
  if (isTailnetAddress(ip)) return [];
  return exitNodes(compiled, ip.family).map((device) => ({ device, mode: 'exit' }));
}

function evaluatePacket(compiled: CompiledPolicy, packet: Packet): ReachResult {
  const enforcers = enforcersFor(compiled, packet.dstIp);
  let denial: ReachResult = { allowed: false, matchedRules: [] };
  for (const [i, enforcer] of enforcers.entries()) {
    const candidates = candidateUnits(compiled, enforcer);
    const matched: NetUnit[] = [];
    let exitAllowed = enforcer.mode !== 'exit';
    for (const c of candidates) {
      const u = compiled.units[c];
      if (unitMatches(compiled, u, packet, enforcer)) matched.push(u);
      if (!exitAllowed && u.usesExit && sourceMatches(compiled, u, packet)) exitAllowed = true;
    }
    const enforcedBy = compiled.devices[enforcer.device].name;
    if (matched.length > 0 && exitAllowed) {
      return { allowed: true, matchedRules: uniqueRefs(matched), enforcedBy };
    }
    if (i === 0) denial = { allowed: false, matchedRules: [], enforcedBy };
  }
  return denial;
}

function uniqueRefs(units: readonly NetUnit[]): RuleRef[] {
  const seen = new Set<string>();
  const out: RuleRef[] = [];
  for (const u of units) {
    const key = `${u.ref.section}:${u.ref.index}`;
    if (u.ref.index < 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(u.ref);
  }
  return out;
}

/**
 * Units that can possibly apply at one enforcer, computed once per (enforcer, mode) and cached. This keeps the
 * hot path at O(rules touching that destination) instead of O(all rules).
 */
export function candidateUnits(compiled: CompiledPolicy, enforcer: Enforcer): Int32Array {
  if (enforcer.mode === 'device') return compiled.unitsByDestination[enforcer.device];
  const key = `${enforcer.mode}:${enforcer.device}`;
  let cached = compiled.candidateCache.get(key);
  if (!cached) {
    const routes = routedRanges(compiled, enforcer);
    const indices: number[] = [];
    compiled.units.forEach((u, i) => {
      if (couldApply(compiled, u, enforcer, routes)) indices.push(i);
    });
    cached = Int32Array.from(indices);
    compiled.candidateCache.set(key, cached);
  }
  return cached;
}

/** The approved routes a router (subnet routes) or exit node (exit routes) carries, parsed once per enforcer. */
function routedRanges(compiled: CompiledPolicy, enforcer: Enforcer): IpRange[] {
  return compiled.devices[enforcer.device].approvedRoutes
    .map((r) => parsePrefix(r))
    .filter((r): r is IpRange => r !== undefined && isExitRoute(r) === (enforcer.mode === 'exit'));
}

function couldApply(compiled: CompiledPolicy, u: NetUnit, enforcer: Enforcer, routes: readonly IpRange[]): boolean {
  const d = enforcer.device;
  const device = compiled.devices[d];
  if (enforcer.mode === 'device') {
    // via restricts routers only; direct traffic to a device is never "via" anything (§6).
    return !u.via && (u.dstV4.has(d) || u.dstV6.has(d) || (u.dstSelf && device.user !== undefined));
  }
  // a Service host accepts what is granted to the Service's address; via restricts routers only
  if (enforcer.mode === 'service') return !u.via && u.dstAddresses.ranges.length > 0;
  if (u.via && !device.tags.some((t) => u.via!.has(tagKey(t, compiled.dialect)))) return false;
  return u.dstAddresses.ranges.some((a) => routes.some((r) => rangesOverlap(a, r)));
}

function unitMatches(compiled: CompiledPolicy, u: NetUnit, p: Packet, enforcer: Enforcer): boolean {
  if (!sourceMatches(compiled, u, p)) return false;
  if (!destinationMatches(compiled, u, p, enforcer)) return false;
  return protocolMatches(u, p.proto, p.port);
}

function sourceMatches(compiled: CompiledPolicy, u: NetUnit, p: Packet): boolean {
  const s = p.src.device;
  if (s === undefined) return u.srcAddresses.hasIp(p.srcIp); // §8.5: no posture for non-device sources
  if (!(p.family === 4 ? u.srcV4 : u.srcV6).has(s)) return false;
  return postureOk(u.postures, p.attrs ?? compiled.devices[s].postureAttrs);
}

export function postureOk(
  postures: readonly (readonly PostureCondition[])[] | undefined,
  attrs: PostureAttributes | undefined,
): boolean {
  return !postures || postures.some((conditions) => postureHolds(conditions, attrs));
}

function destinationMatches(compiled: CompiledPolicy, u: NetUnit, p: Packet, enforcer: Enforcer): boolean {
  if (enforcer.mode !== 'device') return u.dstAddresses.hasIp(p.dstIp);
  const d = enforcer.device;
  if ((p.family === 4 ? u.dstV4 : u.dstV6).has(d)) return true;
  return u.dstSelf && sameOwner(compiled, p.src.device, d);
}

/** §14.4: autogroup:self = an untagged device of the same user as an untagged source device. */
export function sameOwner(compiled: CompiledPolicy, src: number | undefined, dst: number): boolean {
  if (src === undefined) return false;
  const a = compiled.devices[src].user;
  return a !== undefined && a === compiled.devices[dst].user;
}

/**
 * §5: TCP/UDP/SCTP need proto and port; ICMP rides along with any rule for the IP pair (§18.5); other protocols
 * need the protocol listed and the full port range. An omitted proto means TCP, UDP, ICMP, ICMPv6 only.
 */
export function protocolMatches(u: NetUnit, proto: number, port: number): boolean {
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) return true;
  return u.protoPorts.some((pp) => {
    const protocols = pp.protocols ?? DEFAULT_PROTOCOLS;
    if (!protocols.includes(proto)) return false;
    if (PORTED_PROTOCOLS.has(proto)) return pp.ports.some((r) => r.first <= port && port <= r.last);
    return pp.ports.some((r) => r.first === 0 && r.last === 65535);
  });
}

// -------------------------------------------------------------------------------------------------------------
// SSH (§7): separate rule set; check beats accept; the network layer is not consulted here.

export interface SshQuery {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly login: string;
  readonly srcPostureAttrs?: PostureAttributes;
}

export interface SshResult {
  readonly action: 'accept' | 'check' | 'deny';
  readonly matchedRules: RuleRef[];
}

export function sshAccess(compiled: CompiledPolicy, query: SshQuery): SshResult {
  const s = resolveEndpoint(compiled, query.src)?.device;
  const d = resolveEndpoint(compiled, query.dst)?.device;
  if (s === undefined || d === undefined || query.login === '') return { action: 'deny', matchedRules: [] };
  const attrs = query.srcPostureAttrs ?? compiled.devices[s].postureAttrs;
  const matched = compiled.sshUnits.filter((u) => sshUnitMatches(compiled, u, s, d, query.login, attrs));
  const check = matched.filter((u) => u.action === 'check');
  const winners = check.length > 0 ? check : matched;
  return {
    action: winners.length === 0 ? 'deny' : check.length > 0 ? 'check' : 'accept',
    matchedRules: winners.map((u) => u.ref),
  };
}

function sshUnitMatches(
  compiled: CompiledPolicy,
  u: SshUnit,
  s: number,
  d: number,
  login: string,
  attrs: PostureAttributes | undefined,
): boolean {
  if (!u.src.has(s) || !postureOk(u.postures, attrs)) return false;
  const srcUser = compiled.devices[s].user;
  if (!loginAllowed(u, login, srcUser)) return false;
  if (u.dst.has(d) || (u.dstSelf && sameOwner(compiled, s, d))) return true;
  // §7 SaaS quirk: with localpart users, a source device that is not a destination also accepts its own user's
  // devices.
  return u.logins.localpartDomains.length > 0 && u.src.has(d) && sameOwner(compiled, s, d);
}

export function loginAllowed(u: SshUnit, login: string, srcUser: string | undefined): boolean {
  const l = u.logins;
  if (login === 'root') return l.root || localpartMatches(l.localpartDomains, login, srcUser);
  if (l.nonroot || l.literals.has(login)) return true;
  return localpartMatches(l.localpartDomains, login, srcUser);
}

function localpartMatches(domains: readonly string[], login: string, srcUser: string | undefined): boolean {
  return srcUser !== undefined && domains.some((domain) => srcUser === `${login}@${domain}`);
}

// -------------------------------------------------------------------------------------------------------------
// autoApprovers (§9)

/** Would `route`, advertised by `device`, be approved automatically? Exit routes only via `exitNode` (§18.11). */
export function autoApproves(compiled: CompiledPolicy, device: Endpoint, route: string): boolean {
  const index = resolveEndpoint(compiled, device)?.device;
  const range = parsePrefix(route);
  if (index === undefined || !range) return false;
  const approvers = compiled.policy.autoApprovers ?? {};
  const matches = (list: readonly string[]) => list.some((a) => approverMatches(compiled, a, index));
  if (isExitRoute(range)) return matches(approvers.exitNode ?? []);
  return Object.entries(approvers.routes ?? {}).some(([prefix, list]) => {
    const p = parsePrefix(prefix);
    return (
      p !== undefined && p.family === range.family && p.first <= range.first && range.last <= p.last && matches(list)
    );
  });
}

function approverMatches(compiled: CompiledPolicy, approver: string, device: number): boolean {
  const bits: Bitset = compiled.resolver.identityOf(classifySelector(approver));
  return bits.has(device);
}
