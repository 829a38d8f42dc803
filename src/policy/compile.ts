import { Bitset } from './bitset';
import { compileSshRule, type SshUnit } from './compile-ssh';
import type { Device, Inventory } from './inventory';
import { type Family, formatIp, type IpRange, isExitRoute, parseIp, parsePrefix, RangeSet } from './ip';
import type { AclRule, Grant, PolicyFile, RuleRef, SshRule } from './model';
import { type PostureCondition, parsePostureCondition } from './posture';
import { type ResolveOptions, Resolver } from './resolve';
import {
  ALL_PORTS,
  aclProtoPorts,
  classifySelector,
  type Dialect,
  type ProtoPorts,
  parseGrantIp,
  parsePortRange,
  splitAclDestination,
  tagKey,
} from './selectors';

/**
 * Compiles a (valid) policy and an inventory into set-based rule units (§14). Each network unit is one
 * (src set, dst set, proto/ports) triple: a grant is one unit (its dst × ip cross product, §6), an ACL is one unit
 * per dst element (each element has its own ports, §4). Selectors are resolved to device bitsets and address
 * sets here, once; evaluation never expands a selector.
 */
export interface CompileOptions extends Partial<ResolveOptions> {
  /**
   * Another policy compiled over the same inventory (`plan` compiles two versions): its resolver, with its cache of
   * resolved identities, is reused when the groups, hosts and IP sets are the same.
   */
  readonly reuse?: CompiledPolicy;
}

export interface NetUnit {
  readonly ref: RuleRef;
  /**
   * Source devices per family: identity matches plus devices whose address of that family is listed literally.
   * The two may be one Bitset (no address listed), as may dstV4/dstV6: clone before changing any of them.
   */
  readonly srcV4: Bitset;
  readonly srcV6: Bitset;
  /** Source addresses for non-device sources (hosts behind subnet routers, the internet). */
  readonly srcAddresses: RangeSet;
  /** Any-of postures (each a list of conditions that must all hold); undefined = no posture requirement. */
  readonly postures: readonly (readonly PostureCondition[])[] | undefined;
  readonly dstV4: Bitset;
  readonly dstV6: Bitset;
  /** Literal destination addresses: the only way a rule reaches subnet routes and the internet. */
  readonly dstAddresses: RangeSet;
  readonly dstSelf: boolean;
  /** `*` or autogroup:internet among the destinations (§14.6). */
  readonly usesExit: boolean;
  readonly protoPorts: readonly ProtoPorts[];
  /** Normalised via tags, or undefined when any router may carry the traffic (§6). */
  readonly via: ReadonlySet<string> | undefined;
}

export interface Route {
  readonly range: IpRange;
  readonly device: number;
}

export interface CompiledPolicy {
  readonly policy: PolicyFile;
  readonly devices: readonly Device[];
  readonly dialect: Dialect;
  readonly resolver: Resolver;
  /** §2/§18.2: no `acls` and no `grants` key at all means allow-all (compiled as one implicit unit, index -1). */
  readonly allowAll: boolean;
  readonly units: readonly NetUnit[];
  readonly sshUnits: readonly SshUnit[];
  /** Approved non-exit routes, for longest-prefix router selection (§14.2). */
  readonly subnetRoutes: readonly Route[];
  readonly exitNodesV4: readonly number[];
  readonly exitNodesV6: readonly number[];
  /** Devices that have an address of each family (a packet needs one on both ends). */
  readonly hasV4: Bitset;
  readonly hasV6: Bitset;
  readonly deviceByName: ReadonlyMap<string, number>;
  readonly deviceByAddress: ReadonlyMap<string, number>;
  /**
   * Tailscale Service addresses (`options.services`) → the devices `autoApprovers.services` approves as its hosts:
   * a packet to a Service's TailVIP is delivered to, and filtered by, one of them.
   */
  readonly serviceHosts: ReadonlyMap<string, readonly number[]>;
  /** Per device: indices of the units that can deliver to it directly (its dst sets, or autogroup:self). */
  readonly unitsByDestination: readonly Int32Array[];
  /** Per device: indices of the units that list it as a source. */
  readonly unitsBySource: readonly Int32Array[];
  /**
   * The same two indexes with the address family folded in, for the batch evaluator: each entry is
   * `unitIndex << 2 | FAMILY_V4? | FAMILY_V6?`, set when the device has an address of that family that the unit
   * lists. No bitset is touched in the hot loop.
   */
  readonly destinationEntries: readonly Int32Array[];
  readonly sourceEntries: readonly Int32Array[];
  /**
   * Devices that every rule treats alike as sources (same source entries, same owner, same posture attributes)
   * share a class: the batch evaluator answers once per class, not once per device.
   */
  readonly sourceClass: Int32Array;
  /** Lazily built candidate unit lists for routers and exit nodes (see evaluate.ts). */
  readonly candidateCache: Map<string, Int32Array>;
}

export function compilePolicy(policy: PolicyFile, inventory: Inventory, options: CompileOptions = {}): CompiledPolicy {
  const dialect = options.dialect ?? 'tailscale';
  const devices = inventory.devices;
  const resolver =
    reusableResolver(policy, devices, options, dialect) ?? new Resolver(policy, devices, { ...options, dialect });
  const postures = compilePostures(policy);
  const defaultPosture = postureList(policy.defaultSrcPosture, postures);
  const allowAll = policy.acls === undefined && policy.grants === undefined;
  const units: NetUnit[] = [];
  const unitFor = makeUnitBuilder(resolver);
  if (allowAll)
    units.push(unitFor({ section: 'grants', index: -1 }, ['*'], ['*'], [{ ports: [ALL_PORTS] }], undefined, undefined));
  for (const [index, rule] of (policy.acls ?? []).entries()) {
    units.push(...compileAcl(rule, index, unitFor, postures, defaultPosture, dialect));
  }
  (policy.grants ?? []).forEach((grant, index) => {
    const unit = compileGrant(grant, index, unitFor, postures, defaultPosture, dialect);
    if (unit) units.push(unit);
  });
  const sshUnits = (policy.ssh ?? []).map((rule: SshRule, index) =>
    compileSshRule(rule, index, resolver, postureList(rule.srcPosture ?? undefined, postures) ?? defaultPosture),
  );
  return {
    policy,
    devices,
    dialect,
    resolver,
    allowAll,
    units,
    sshUnits,
    ...routeTables(devices),
    ...deviceIndexes(devices),
    serviceHosts: serviceHosts(policy, resolver),
    ...withSourceClasses(unitIndexes(units, devices), devices),
    hasV4: Bitset.of(
      devices.length,
      indicesWhere(devices, (d) => d.ipv4 !== undefined),
    ),
    hasV6: Bitset.of(
      devices.length,
      indicesWhere(devices, (d) => d.ipv6 !== undefined),
    ),
    candidateCache: new Map(),
  };
}

/** The resolver of `options.reuse`, when everything it was built from is the same for this policy. */
function reusableResolver(
  policy: PolicyFile,
  devices: readonly Device[],
  options: CompileOptions,
  dialect: Dialect,
): Resolver | undefined {
  const previous = options.reuse;
  if (!previous || previous.devices !== devices || previous.dialect !== dialect) return undefined;
  const { roles, services } = previous.resolver.options;
  if (roles !== options.roles || services !== options.services) return undefined;
  const definitions = (p: PolicyFile) => JSON.stringify([p.groups ?? {}, p.hosts ?? {}, p.ipsets ?? {}]);
  return definitions(previous.policy) === definitions(policy) ? previous.resolver : undefined;
}

type Postures = PostureCondition[][] | undefined;
type UnitBuilder = (
  ref: RuleRef,
  src: readonly string[],
  dst: readonly string[],
  protoPorts: ProtoPorts[],
  postures: Postures,
  via: ReadonlySet<string> | undefined,
) => NetUnit;

function makeUnitBuilder(resolver: Resolver): UnitBuilder {
  // Every unit is built here with the same fields in the same order: one object shape keeps the hot path fast.
  return (ref, src, dst, protoPorts, postures, via) => {
    const srcTargets = src.map((s) => resolver.target(s, 'src'));
    const dstTargets = dst.map((d) => resolver.target(d, 'dst'));
    const srcAddresses = new RangeSet(srcTargets.flatMap((t) => t.addresses.ranges));
    const dstAddresses = new RangeSet(dstTargets.flatMap((t) => t.addresses.ranges));
    const srcIdentity = unionBits(
      resolver.size,
      srcTargets.map((t) => t.devices),
    );
    const dstIdentity = unionBits(
      resolver.size,
      dstTargets.map((t) => t.devices),
    );
    const withListed = (identity: Bitset, addresses: RangeSet, family: Family) =>
      addresses.ranges.some((r) => r.family === family)
        ? identity.clone().orWith(resolver.devicesIn(addresses, family))
        : identity; // most rules list no address: both families share the identity set (units are never mutated)
    return {
      ref,
      srcV4: withListed(srcIdentity, srcAddresses, 4),
      srcV6: withListed(srcIdentity, srcAddresses, 6),
      srcAddresses,
      dstV4: withListed(dstIdentity, dstAddresses, 4),
      dstV6: withListed(dstIdentity, dstAddresses, 6),
      dstAddresses,
      dstSelf: dstTargets.some((t) => t.self),
      usesExit: dstTargets.some((t) => t.usesExit),
      protoPorts,
      postures,
      via,
    };
  };
}

function unionBits(size: number, sets: readonly Bitset[]): Bitset {
  const out = new Bitset(size);
  for (const s of sets) out.orWith(s);
  return out;
}

type PostureTable = ReadonlyMap<string, readonly PostureCondition[]>;

function compilePostures(policy: PolicyFile): PostureTable {
  const table = new Map<string, PostureCondition[]>();
  for (const [name, conditions] of Object.entries(policy.postures ?? {})) {
    table.set(
      name.trim(),
      conditions.map((c) => parsePostureCondition(c)).flatMap((r) => (r.ok ? [r.value] : [])),
    );
  }
  return table;
}

/** §8.5: a rule's own srcPosture replaces defaultSrcPosture; an empty or missing list means "none given". */
function postureList(names: readonly string[] | undefined, table: PostureTable): PostureCondition[][] | undefined {
  if (!names || names.length === 0) return undefined;
  return names.map((n) => [...(table.get(n.trim()) ?? [])]);
}

function compileAcl(
  rule: AclRule,
  index: number,
  unitFor: UnitBuilder,
  postures: PostureTable,
  defaultPosture: PostureCondition[][] | undefined,
  dialect: Dialect,
): NetUnit[] {
  const posture = postureList(rule.srcPosture, postures) ?? defaultPosture;
  const units: NetUnit[] = [];
  for (const element of rule.dst) {
    const split = splitAclDestination(element);
    if (!split.ok) continue;
    const ports = parsePortRange(split.value.ports);
    if (!ports.ok) continue;
    const pp = aclProtoPorts(rule.proto, ports.value, dialect);
    if (!pp.ok) continue;
    units.push(unitFor({ section: 'acls', index }, rule.src, [split.value.host], [pp.value], posture, undefined));
  }
  return units;
}

function compileGrant(
  grant: Grant,
  index: number,
  unitFor: UnitBuilder,
  postures: PostureTable,
  defaultPosture: PostureCondition[][] | undefined,
  dialect: Dialect,
): NetUnit | undefined {
  // App-only grants give no connectivity by themselves (§6).
  const protoPorts = (grant.ip ?? []).map((ip) => parseGrantIp(ip, dialect)).flatMap((r) => (r.ok ? [r.value] : []));
  if (protoPorts.length === 0) return undefined;
  const posture = postureList(grant.srcPosture ?? undefined, postures) ?? defaultPosture;
  const viaTags = grant.via ?? [];
  const via = viaTags.length === 0 ? undefined : new Set(viaTags.map((t) => tagKey(classifySelector(t).text, dialect)));
  return unitFor({ section: 'grants', index }, grant.src, grant.dst, protoPorts, posture, via);
}

function routeTables(devices: readonly Device[]): Pick<CompiledPolicy, 'subnetRoutes' | 'exitNodesV4' | 'exitNodesV6'> {
  const subnetRoutes: Route[] = [];
  const exitNodesV4: number[] = [];
  const exitNodesV6: number[] = [];
  devices.forEach((d, i) => {
    for (const text of d.approvedRoutes) {
      const range = parsePrefix(text);
      if (!range) continue;
      if (!isExitRoute(range)) subnetRoutes.push({ range, device: i });
      else (range.family === 4 ? exitNodesV4 : exitNodesV6).push(i);
    }
  });
  return { subnetRoutes, exitNodesV4, exitNodesV6 };
}

function serviceHosts(policy: PolicyFile, resolver: Resolver): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const approvers = policy.autoApprovers?.services ?? {};
  for (const [name, addresses] of Object.entries(resolver.options.services ?? {})) {
    const hosts = [...new Set((approvers[name] ?? []).flatMap((a) => [...resolver.target(a, 'src').devices]))];
    for (const a of addresses) {
      const ip = parseIp(a);
      if (ip && hosts.length > 0)
        out.set(
          formatIp(ip),
          hosts.sort((x, y) => x - y),
        );
    }
  }
  return out;
}

function deviceIndexes(devices: readonly Device[]): Pick<CompiledPolicy, 'deviceByName' | 'deviceByAddress'> {
  const deviceByName = new Map<string, number>();
  const deviceByAddress = new Map<string, number>();
  devices.forEach((d, i) => {
    deviceByName.set(d.name, i);
    if (!deviceByName.has(d.shortName)) deviceByName.set(d.shortName, i);
    // makeDevice already canonicalised the addresses: no second parse per address per compile.
    for (const a of d.addresses) deviceByAddress.set(a, i);
  });
  return { deviceByName, deviceByAddress };
}

export const ENTRY_V4 = 1;
export const ENTRY_V6 = 2;

/**
 * Inverted indexes device → units, built by walking each unit's device sets once (Σ set sizes), so evaluation
 * never scans all rules. via units are left out: via restricts routers, not direct device traffic (§6).
 */
function unitIndexes(
  units: readonly NetUnit[],
  devices: readonly Device[],
): Pick<CompiledPolicy, 'unitsByDestination' | 'unitsBySource' | 'destinationEntries' | 'sourceEntries'> {
  const byDst: number[][] = devices.map(() => []);
  const bySrc: number[][] = devices.map(() => []);
  const dstEntries: number[][] = devices.map(() => []);
  const srcEntries: number[][] = devices.map(() => []);
  const hasV4 = Bitset.of(
    devices.length,
    indicesWhere(devices, (d) => d.ipv4 !== undefined),
  );
  const hasV6 = Bitset.of(
    devices.length,
    indicesWhere(devices, (d) => d.ipv6 !== undefined),
  );
  const untagged = Bitset.of(
    devices.length,
    indicesWhere(devices, (d) => d.user !== undefined),
  );
  units.forEach((u, i) => {
    if (u.via) return;
    indexUnit(i, u.dstV4, u.dstV6, u.dstSelf ? untagged : undefined, hasV4, hasV6, byDst, dstEntries);
    indexUnit(i, u.srcV4, u.srcV6, undefined, hasV4, hasV6, bySrc, srcEntries);
  });
  const typed = (lists: number[][]) => lists.map((l) => Int32Array.from(l));
  return {
    unitsByDestination: typed(byDst),
    unitsBySource: typed(bySrc),
    destinationEntries: typed(dstEntries),
    sourceEntries: typed(srcEntries),
  };
}

/**
 * Adds unit i to the lists of every device in v4 ∪ v6 ∪ extra, with the family mask of each device (the families
 * the device has an address of and the unit lists). Walks the bitset words directly: no clones, no iterators, as
 * this loop runs Σ set sizes times on large tailnets.
 */
function indexUnit(
  i: number,
  v4: Bitset,
  v6: Bitset,
  extra: Bitset | undefined,
  hasV4: Bitset,
  hasV6: Bitset,
  byDevice: number[][],
  entries: number[][],
): void {
  const a = v4.words;
  const b = v6.words;
  const x = extra?.words;
  const h4 = hasV4.words;
  const h6 = hasV6.words;
  for (let w = 0; w < a.length; w++) {
    let word = a[w] | b[w] | (x ? x[w] : 0);
    while (word !== 0) {
      const low = word & -word;
      const d = (w << 5) + (31 - Math.clz32(low));
      const mask = ((a[w] & h4[w] & low) !== 0 ? ENTRY_V4 : 0) | ((b[w] & h6[w] & low) !== 0 ? ENTRY_V6 : 0);
      byDevice[d].push(i);
      entries[d].push((i << 2) | mask);
      word ^= low;
    }
  }
}

function withSourceClasses<T extends Pick<CompiledPolicy, 'sourceEntries'>>(
  indexes: T,
  devices: readonly Device[],
): T & Pick<CompiledPolicy, 'sourceClass'> {
  const classes = new Map<string, number>();
  const sourceClass = Int32Array.from(devices, (d, i) => {
    const key = `${d.user ?? ''}|${d.postureAttrs ? JSON.stringify(d.postureAttrs) : ''}|${indexes.sourceEntries[i].join(',')}`;
    const id = classes.get(key) ?? classes.size;
    classes.set(key, id);
    return id;
  });
  return { ...indexes, sourceClass };
}

function indicesWhere(devices: readonly Device[], test: (d: Device) => boolean): number[] {
  return devices.flatMap((d, i) => (test(d) ? [i] : []));
}

export function exitNodes(compiled: CompiledPolicy, family: Family): readonly number[] {
  return family === 4 ? compiled.exitNodesV4 : compiled.exitNodesV6;
}
