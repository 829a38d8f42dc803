import type { CompiledPolicy, NetUnit } from './compile';
import {
  candidateUnits,
  canReach,
  type Enforcer,
  enforcersFor,
  postureOk,
  protocolNumber,
  resolveEndpoint,
  sameOwner,
} from './evaluate';
import {
  deviceMissReason,
  type EndpointSummary,
  type Explained,
  portReason,
  postureReason,
  type RuleVerdict,
  routeNotes,
  ruleSelectors,
  selectNearest,
  summarizeEndpoint,
} from './explain-reasons';
import type { Device, Inventory, RawDevice } from './inventory';
import type { Family, IpAddress } from './ip';
import { canonicalIp, formatIp } from './ip';
import type { RuleRef } from './model';

/**
 * `tailnet-cdk explain`: why one packet is accepted or denied (§14). The decision itself comes from canReach, so an
 * explanation can never disagree with `test` or `plan`; this module only adds, per rule, the conditions that hold
 * and those that do not, so the rules that almost match can be shown with the reason they miss.
 */
export type { EndpointSummary, Explained, RuleVerdict } from './explain-reasons';

export interface ExplainQuery {
  /** Device name (short or FQDN) or IP address. */
  readonly src: string;
  readonly dst: string;
  /** Protocol name or number; tcp when omitted. */
  readonly proto?: string;
  readonly port: number;
}

export interface NetworkExplanation {
  readonly src: EndpointSummary;
  readonly dst: EndpointSummary;
  readonly proto: string;
  readonly port: number;
  readonly allowed: boolean;
  /** The device whose packet filter decides: the destination itself, a subnet router or an exit node. */
  readonly enforcedBy?: string;
  /** Rules that accept the packet. */
  readonly grantedBy: readonly RuleRef[];
  /** No acls and no grants section at all: everything is allowed (§2). */
  readonly allowAll: boolean;
  /** Rules that miss on one or two conditions, each with why. */
  readonly nearest: readonly RuleVerdict[];
  /** Facts about routing that decide before any rule does (unapproved routes, no exit node …). */
  readonly notes: readonly string[];
}

interface PacketContext {
  readonly compiled: CompiledPolicy;
  readonly src: ReturnType<typeof resolveEndpoint> & object;
  readonly dstDevice: number | undefined;
  readonly family: Family;
  readonly srcIp: IpAddress;
  readonly dstIp: IpAddress;
  readonly proto: number;
  readonly protoText: string;
  readonly port: number;
}

/**
 * The devices an explanation of traffic between `endpoints` can depend on: the endpoints themselves (resolved over
 * the whole inventory exactly as compile resolves them: full name, then the first device with that short name,
 * then address) and every device that advertises a route (subnet routers and exit nodes enforce for addresses
 * outside the tailnet, `via` names them, and route notes list them). Selectors resolve per device, so compiling
 * over these alone gives the same verdicts and reasons, in a fraction of the time on a tailnet of 10,000 devices.
 */
export function explainInventory(
  inventory: Inventory,
  endpoints: readonly string[],
  services: Readonly<Record<string, readonly string[]>> = {},
): Inventory {
  if (namesService(endpoints, services)) return inventory;
  const wanted = new Set<Device>();
  for (const endpoint of endpoints) {
    const address = canonicalIp(endpoint);
    const device =
      inventory.devices.find((d) => d.name === endpoint) ??
      inventory.devices.find((d) => d.shortName === endpoint) ??
      (address !== undefined ? inventory.devices.find((d) => d.addresses.includes(address)) : undefined);
    if (device) wanted.add(device);
  }
  return { devices: inventory.devices.filter((d) => wanted.has(d) || d.advertisedRoutes.length > 0) };
}

/** A Tailscale Service address is served by every device its auto-approvers allow: then every device matters. */
function namesService(endpoints: readonly string[], services: Readonly<Record<string, readonly string[]>>): boolean {
  const addresses = new Set(Object.values(services).flatMap((a) => a.map((x) => canonicalIp(x) ?? x)));
  return endpoints.some((e) => addresses.has(canonicalIp(e) ?? e));
}

/**
 * Which devices of a raw device list `explainInventory` can keep (a superset: it then picks among them), so
 * `parseInventorySelected` builds only those.
 */
export function explainKeeps(
  endpoints: readonly string[],
  services: Readonly<Record<string, readonly string[]>> = {},
): (device: RawDevice) => boolean {
  if (namesService(endpoints, services)) return () => true;
  const names = new Set(endpoints);
  const ips = new Set(endpoints.flatMap((e) => canonicalIp(e) ?? []));
  return (d) =>
    (d.advertisedRoutes ?? []).length > 0 ||
    names.has(d.name) ||
    names.has(d.name.split('.')[0]) ||
    (ips.size > 0 && d.addresses.some((a) => ips.has(a) || ips.has(canonicalIp(a) ?? a)));
}

export function explainAccess(
  compiled: CompiledPolicy,
  query: ExplainQuery,
  limit = 5,
  /** Give every rule its reasons, even where they cannot change the answer (tests compare the two). */
  exhaustive = false,
): Explained<NetworkExplanation> {
  const src = resolveEndpoint(compiled, query.src);
  const dst = resolveEndpoint(compiled, query.dst);
  if (!src) return { ok: false, error: `source "${query.src}" is neither a device of the inventory nor an IP address` };
  if (!dst)
    return { ok: false, error: `destination "${query.dst}" is neither a device of the inventory nor an IP address` };
  const protoText = (query.proto ?? 'tcp').trim().toLowerCase();
  const proto = protocolNumber(protoText);
  if (proto === undefined) return { ok: false, error: `unknown protocol "${protoText}"` };
  const reach = canReach(compiled, { src: query.src, dst: query.dst, proto, port: query.port });
  const verdicts = new Map<string, RuleVerdict>();
  const notes: string[] = [];
  let sharedFamily = false;
  const collect = (maxFarness: number) => {
    verdicts.clear();
    notes.length = 0;
    for (const family of [4, 6] as const) {
      const srcIp = family === 4 ? src.v4 : src.v6;
      const dstIp = family === 4 ? dst.v4 : dst.v6;
      if (!srcIp || !dstIp) continue;
      const ctx: PacketContext = {
        compiled,
        src,
        dstDevice: dst.device,
        family,
        srcIp,
        dstIp,
        proto,
        protoText,
        port: query.port,
      };
      sharedFamily = true;
      familyVerdicts(ctx, verdicts, notes, maxFarness);
    }
  };
  // Accepted traffic needs no near misses. Otherwise rules that name neither endpoint weigh at least 4 and rank
  // after every candidate that names one (weight 3 at most): they are only evaluated when the nearer rules leave
  // fewer than `limit` candidates, which gives the same answer without the reasons of most of 2,000 rules.
  collect(exhaustive ? 2 : reach.allowed ? -1 : 1);
  if (!exhaustive && !reach.allowed && selectNearest([...verdicts.values()], reach.matchedRules, limit).length < limit)
    collect(2);
  if (!sharedFamily) notes.push('source and destination have no address family in common');
  const granted = reach.matchedRules;
  return {
    ok: true,
    value: {
      src: summarizeEndpoint(compiled, query.src, src),
      dst: summarizeEndpoint(compiled, query.dst, dst),
      proto: protoText,
      port: query.port,
      allowed: reach.allowed,
      ...(reach.enforcedBy ? { enforcedBy: reach.enforcedBy } : {}),
      grantedBy: granted,
      allowAll: compiled.allowAll,
      nearest: reach.allowed ? [] : selectNearest([...verdicts.values()], granted, limit),
      notes: [...new Set(notes)],
    },
  };
}

/** Verdicts of every rule for one address family, keeping per rule the verdict with the fewest reasons. */
function familyVerdicts(ctx: PacketContext, verdicts: Map<string, RuleVerdict>, notes: string[], maxFarness = 2): void {
  const enforcers =
    ctx.dstDevice !== undefined
      ? [{ device: ctx.dstDevice, mode: 'device' as const }]
      : enforcersFor(ctx.compiled, ctx.dstIp);
  notes.push(...routeNotes(ctx.compiled, ctx.dstIp, enforcers, ctx.dstDevice));
  if (enforcers.length > 0 && enforcers.every((e) => e.mode === 'exit' && !exitAllowed(ctx, e))) {
    notes.push(`${sourceName(ctx)} may not use exit nodes: no rule with "*" or autogroup:internet as dst includes it`);
  }
  const selectors = ruleSelectors(ctx.compiled);
  ctx.compiled.units.forEach((u, i) => {
    if (u.ref.index < 0) return;
    const far = farness(ctx, u, enforcers);
    if (far > maxFarness) return;
    const reasons = unitReasons(ctx, i, enforcers, selectors(i));
    const weight = reasons.length + far;
    const key = `${u.ref.section}:${u.ref.index}`;
    const best = verdicts.get(key);
    if (!best || weight < (best.weight ?? 0)) verdicts.set(key, { ref: u.ref, reasons, weight });
  });
}

function unitReasons(
  ctx: PacketContext,
  unitIndex: number,
  enforcers: readonly Enforcer[],
  selectors: { src: readonly string[]; dst: readonly string[] },
): string[] {
  const u = ctx.compiled.units[unitIndex];
  const reasons: string[] = [];
  const srcReason = sourceReason(ctx, u, selectors.src);
  if (srcReason) reasons.push(srcReason);
  const dstReasons = enforcers.map((e) => destinationReasons(ctx, unitIndex, e, selectors.dst));
  dstReasons.sort((a, b) => a.length - b.length);
  reasons.push(...(dstReasons[0] ?? [`nothing delivers traffic to ${formatIp(ctx.dstIp)}`]));
  const port = portReason(u, ctx.proto, ctx.port, ctx.protoText);
  if (port) reasons.push(port);
  return reasons;
}

/**
 * How far a rule is from matching, beyond its number of reasons: a rule that names neither the source nor the
 * destination is further away than one that misses on a port, a posture or a via tag, so those rank first.
 */
function farness(ctx: PacketContext, u: NetUnit, enforcers: readonly Enforcer[]): number {
  const s = ctx.src.device;
  const srcNamed = s === undefined ? u.srcAddresses.hasIp(ctx.srcIp) : u.srcV4.has(s) || u.srcV6.has(s);
  const d = ctx.dstDevice;
  const dstNamed =
    d === undefined
      ? u.dstAddresses.hasIp(ctx.dstIp)
      : u.dstV4.has(d) ||
        u.dstV6.has(d) ||
        (u.dstSelf && ctx.compiled.devices[d].user !== undefined) ||
        (u.via !== undefined && enforcers.length > 0);
  return (srcNamed ? 0 : 1) + (dstNamed ? 0 : 1);
}

function sourceName(ctx: PacketContext): string {
  return ctx.src.device !== undefined ? ctx.compiled.devices[ctx.src.device].shortName : formatIp(ctx.srcIp);
}

function sourceReason(ctx: PacketContext, u: NetUnit, srcSelectors: readonly string[]): string | undefined {
  const s = ctx.src.device;
  if (s === undefined) {
    return u.srcAddresses.hasIp(ctx.srcIp)
      ? undefined
      : `src ${srcSelectors.join(', ')} does not cover ${formatIp(ctx.srcIp)}`;
  }
  const device = ctx.compiled.devices[s];
  const here = ctx.family === 4 ? u.srcV4 : u.srcV6;
  const other = ctx.family === 4 ? u.srcV6 : u.srcV4;
  if (here.has(s)) return postureReason(u.postures, device);
  if (other.has(s)) {
    return `src lists only the IPv${ctx.family === 4 ? 6 : 4} address of ${device.shortName}; address selectors do not cover the other family (§3.3)`;
  }
  return deviceMissReason('src', srcSelectors, device);
}

function destinationReasons(
  ctx: PacketContext,
  unitIndex: number,
  e: Enforcer,
  dstSelectors: readonly string[],
): string[] {
  const { compiled } = ctx;
  const u = compiled.units[unitIndex];
  if (e.mode === 'device') {
    const device = compiled.devices[e.device];
    if (u.via)
      return [
        `via ${[...u.via].join(', ')} applies only to traffic through subnet routers and exit nodes, not to ${device.shortName} itself`,
      ];
    const here = ctx.family === 4 ? u.dstV4 : u.dstV6;
    if (here.has(e.device)) return [];
    if (u.dstSelf) {
      const self = selfReason(ctx, e.device);
      if (!self) return [];
      if (dstSelectors.length === 1) return [self];
    }
    if ((ctx.family === 4 ? u.dstV6 : u.dstV4).has(e.device)) {
      return [
        `dst lists only the IPv${ctx.family === 4 ? 6 : 4} address of ${device.shortName}; address selectors do not cover the other family (§3.3)`,
      ];
    }
    return [deviceMissReason('dst', dstSelectors, device)];
  }
  const reasons: string[] = [];
  const router = compiled.devices[e.device];
  if (!u.dstAddresses.hasIp(ctx.dstIp))
    reasons.push(`dst ${dstSelectors.join(', ')} does not cover ${formatIp(ctx.dstIp)}`);
  if (u.via && !candidateUnits(compiled, e).includes(unitIndex)) {
    const tags = router.tags.length > 0 ? router.tags.join(', ') : 'no tags';
    reasons.push(
      `via ${[...u.via].join(', ')}: ${formatIp(ctx.dstIp)} is routed by ${router.shortName} (${tags}), which carries none of them`,
    );
  }
  if (e.mode === 'exit' && reasons.length === 0 && !exitAllowed(ctx, e)) {
    reasons.push(
      `${sourceName(ctx)} may not use exit nodes (no rule with "*" or autogroup:internet as dst includes it)`,
    );
  }
  return reasons;
}

/** §14.4: autogroup:self = an untagged device of the same user as an untagged source. */
function selfReason(ctx: PacketContext, dst: number): string | undefined {
  const { compiled } = ctx;
  const s = ctx.src.device;
  if (s !== undefined && sameOwner(compiled, s, dst)) return undefined;
  const d = compiled.devices[dst];
  if (s === undefined) return 'autogroup:self needs a device of the tailnet as source';
  const src = compiled.devices[s];
  if (!src.user) return `autogroup:self: ${src.shortName} is tagged, so it has no user whose devices "self" could mean`;
  if (!d.user) return `autogroup:self covers only user-owned devices; ${d.shortName} is tagged (${d.tags.join(', ')})`;
  return `autogroup:self: ${d.shortName} belongs to ${d.user}, not to ${src.user} (the source's user)`;
}

/** evaluatePacket's exit rule: some candidate at that exit node with `*`/autogroup:internet as dst matches the source. */
function exitAllowed(ctx: PacketContext, e: Enforcer): boolean {
  const s = ctx.src.device;
  return [...candidateUnits(ctx.compiled, e)].some((c) => {
    const u = ctx.compiled.units[c];
    if (!u.usesExit) return false;
    if (s === undefined) return u.srcAddresses.hasIp(ctx.srcIp);
    return (ctx.family === 4 ? u.srcV4 : u.srcV6).has(s) && postureOk(u.postures, ctx.compiled.devices[s].postureAttrs);
  });
}
