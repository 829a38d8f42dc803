import type { Bitset } from './bitset';
import type { CompiledPolicy, NetUnit } from './compile';
import type { SshUnit } from './compile-ssh';
import { type Family, type IpRange, RangeSet, TAILNET_V4, TAILNET_V6 } from './ip';

/**
 * The compact form `plan` works on (plan.ts). Both policy versions are compiled against one inventory; then
 *  - rule units present in both versions with the same effect are matched, so only the others (the change) decide
 *    which part of the access relation must be recomputed;
 *  - devices are grouped into classes: devices that every rule of both versions treats alike (same source and
 *    destination entries, SSH memberships, posture attributes and, where autogroup:self needs it, owner) have the
 *    same access, so access is computed once per class pair, never per device pair;
 *  - addresses that are not devices (subnets behind routers, the internet behind exit nodes) are cut into atoms at
 *    every boundary any rule or route draws, so each atom is inside or outside every rule.
 */
export interface Versions {
  readonly before: CompiledPolicy;
  readonly after: CompiledPolicy;
}

/** Per version, per unit index: 1 when the unit has no twin in the other version. */
export interface ChangedUnits {
  readonly net: { readonly before: Uint8Array; readonly after: Uint8Array };
  readonly ssh: { readonly before: Uint8Array; readonly after: Uint8Array };
}

export function matchUnits(v: Versions): ChangedUnits {
  return {
    net: matchLists(v.before.units, v.after.units, netKey, netEqual),
    ssh: matchLists(v.before.sshUnits, v.after.sshUnits, sshKey, sshEqual),
  };
}

/**
 * Multiset matching by a key (rule content plus hashes of the resolved device sets), confirmed by comparing the
 * device sets exactly: a hash collision can never hide a change.
 */
function matchLists<T>(
  before: readonly T[],
  after: readonly T[],
  key: (u: T) => string,
  sameSets: (a: T, b: T) => boolean,
): { before: Uint8Array; after: Uint8Array } {
  const changedBefore = new Uint8Array(before.length).fill(1);
  const changedAfter = new Uint8Array(after.length).fill(1);
  const open = new Map<string, number[]>();
  before.forEach((u, i) => {
    const k = key(u);
    const list = open.get(k);
    if (list) list.push(i);
    else open.set(k, [i]);
  });
  after.forEach((u, j) => {
    const list = open.get(key(u)) ?? [];
    const at = list.findIndex((i) => sameSets(before[i], u));
    if (at < 0) return;
    changedBefore[list[at]] = 0;
    changedAfter[j] = 0;
    list.splice(at, 1);
  });
  return { before: changedBefore, after: changedAfter };
}

function hashBits(b: Bitset): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b1;
  for (let w = 0; w < b.words.length; w++) {
    h1 = Math.imul(h1 ^ b.words[w], 16777619);
    h2 = Math.imul(h2 + b.words[w], 2246822519) ^ (h2 >>> 13);
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

function rangesKey(set: RangeSet): string {
  return set.ranges.map((r) => `${r.family}:${r.first.toString(36)}-${r.last.toString(36)}`).join(',');
}

function netKey(u: NetUnit): string {
  return [
    hashBits(u.srcV4),
    hashBits(u.srcV6),
    hashBits(u.dstV4),
    hashBits(u.dstV6),
    rangesKey(u.srcAddresses),
    rangesKey(u.dstAddresses),
    u.dstSelf,
    u.usesExit,
    JSON.stringify(u.protoPorts),
    JSON.stringify(u.postures ?? null),
    [...(u.via ?? [])].sort().join(','),
  ].join('|');
}

function sameBits(a: Bitset, b: Bitset): boolean {
  const x = a.words;
  const y = b.words;
  if (x.length !== y.length) return false;
  for (let w = 0; w < x.length; w++) if (x[w] !== y[w]) return false;
  return true;
}

/** Called only for units with equal keys: the rest of the unit is already known to be equal. */
function netEqual(a: NetUnit, b: NetUnit): boolean {
  return (
    sameBits(a.srcV4, b.srcV4) && sameBits(a.srcV6, b.srcV6) && sameBits(a.dstV4, b.dstV4) && sameBits(a.dstV6, b.dstV6)
  );
}

function sshKey(u: SshUnit): string {
  const l = u.logins;
  const logins = [l.root, l.nonroot, [...l.literals].sort().join(','), [...l.localpartDomains].sort().join(',')];
  return [hashBits(u.src), hashBits(u.dst), u.dstSelf, u.action, ...logins, JSON.stringify(u.postures ?? null)].join(
    '|',
  );
}

function sshEqual(a: SshUnit, b: SshUnit): boolean {
  return sameBits(a.src, b.src) && sameBits(a.dst, b.dst);
}

export interface DeviceClasses {
  /** Class of each device. */
  readonly classOf: Int32Array;
  /** Devices of each class, ascending. */
  readonly members: readonly number[][];
}

/** Groups devices by everything any rule of either version can tell apart (see the file comment). */
export function deviceClasses(v: Versions): DeviceClasses {
  const devices = v.after.devices;
  const needOwner = usesOwner(v.before) || usesOwner(v.after);
  const ssh = [sshMemberships(v.before), sshMemberships(v.after)];
  const ids = new Map<string, number>();
  const members: number[][] = [];
  const classOf = Int32Array.from(devices, (d, i) => {
    const key = [
      v.before.sourceEntries[i].join(','),
      v.before.destinationEntries[i].join(','),
      v.after.sourceEntries[i].join(','),
      v.after.destinationEntries[i].join(','),
      ssh[0][i],
      ssh[1][i],
      d.postureAttrs ? JSON.stringify(d.postureAttrs) : '',
      needOwner ? (d.user ?? '') : d.user === undefined,
      d.ipv4 !== undefined,
      d.ipv6 !== undefined,
    ].join('|');
    let id = ids.get(key);
    if (id === undefined) {
      id = members.length;
      ids.set(key, id);
      members.push([]);
    }
    members[id].push(i);
    return id;
  });
  return { classOf, members };
}

/** autogroup:self and SSH `localpart:` depend on who owns a device, not only on the rules it is in. */
function usesOwner(c: CompiledPolicy): boolean {
  return c.units.some((u) => u.dstSelf) || c.sshUnits.some((u) => u.dstSelf || u.logins.localpartDomains.length > 0);
}

function sshMemberships(c: CompiledPolicy): string[] {
  const lists: string[][] = c.devices.map(() => []);
  c.sshUnits.forEach((u, i) => {
    for (const d of u.src) lists[d].push(`s${i}`);
    for (const d of u.dst) lists[d].push(`d${i}`);
  });
  return lists.map((l) => l.join(','));
}

export interface Atom {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

const TAILNET = new RangeSet([TAILNET_V4, TAILNET_V6]);
const ALL: IpRange[] = [
  { family: 4, first: 0n, last: (1n << 32n) - 1n },
  { family: 6, first: 0n, last: (1n << 128n) - 1n },
];

/**
 * Destination atoms: addresses outside the tailnet that some rule names and that traffic can reach — inside an
 * approved subnet route, or anywhere else when an exit node of that family exists (§14.2).
 */
export function destinationAtoms(v: Versions): Atom[] {
  const c = v.after;
  const routes = c.subnetRoutes.map((r) => r.range);
  const reach = new RangeSet([
    ...routes,
    ...ALL.filter((r) => (r.family === 4 ? c.exitNodesV4 : c.exitNodesV6).length > 0),
  ]).subtract(TAILNET);
  const sets = [...v.before.units, ...v.after.units].map((u) => u.dstAddresses).filter((s) => !s.isEmpty);
  return atomsOf(sets, reach, routes);
}

/** Source atoms: non-tailnet addresses some rule accepts traffic from (hosts behind subnet routers, §3.3). */
export function sourceAtoms(v: Versions): Atom[] {
  const sets = [...v.before.units, ...v.after.units].map((u) => u.srcAddresses).filter((s) => !s.isEmpty);
  return atomsOf(
    sets,
    new RangeSet(ALL).subtract(TAILNET),
    v.after.subnetRoutes.map((r) => r.range),
  );
}

/** Elementary intervals of `space` cut at every boundary of `sets` and `cuts`, kept when some set covers them. */
function atomsOf(sets: readonly RangeSet[], space: RangeSet, cuts: readonly IpRange[]): Atom[] {
  const distinct = new Map<string, RangeSet>();
  for (const s of sets) distinct.set(rangesKey(s), s);
  const atoms: Atom[] = [];
  for (const family of [4, 6] as const) {
    const points = new Set<bigint>();
    const add = (r: IpRange) => {
      if (r.family !== family) return;
      points.add(r.first);
      points.add(r.last + 1n);
    };
    for (const s of distinct.values()) s.ranges.forEach(add);
    space.ranges.forEach(add);
    cuts.forEach(add);
    const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let k = 0; k + 1 < sorted.length; k++) {
      const atom = { family, first: sorted[k], last: sorted[k + 1] - 1n };
      if (!space.has(family, atom.first)) continue;
      if ([...distinct.values()].some((s) => s.has(family, atom.first))) atoms.push(atom);
    }
  }
  return atoms;
}
