import type { Bitset } from './bitset';
import { type CompiledPolicy, compilePolicy } from './compile';
import type { Inventory } from './inventory';
import type { RangeSet } from './ip';
import type { PolicyFile } from './model';
import {
  type Atom,
  type ChangedUnits,
  type DeviceClasses,
  destinationAtoms,
  deviceClasses,
  matchUnits,
  sourceAtoms,
  type Versions,
} from './plan-classes';
import { EndpointNamer, type EndpointSet } from './plan-describe';
import { type Group, PairGrouper, type Rectangle } from './plan-group';
import { formatPorts, type PortSet, portsIntersect, samePorts, subtractPorts } from './plan-ports';
import { AccessOracle, type PairAccess, unitPorts } from './plan-relation';
import { type SshLoginChange, sshDiffs } from './plan-ssh';
import { classifySelector, type Dialect, splitAclDestination } from './selectors';

/**
 * `tailnet-cdk plan`: who gains and who loses access between two versions of a policy, evaluated against one
 * inventory. Only the rules that differ between the versions decide which (source, destination) pairs can have
 * changed; for those pairs the whole access (every rule) is computed in both versions on device classes
 * (plan-classes.ts), diffed per protocol and port, and grouped into one line per change (plan-group.ts), named
 * by the most specific identities (plan-describe.ts). Cost grows with the size of the change, not of the tailnet.
 */
export type ChangeDirection = 'gained' | 'lost' | 'changed';

export interface PlanRuleRef {
  readonly version: 'before' | 'after';
  readonly section: 'acls' | 'grants' | 'ssh';
  readonly index: number;
}

export interface AccessChange {
  readonly kind: 'network' | 'ssh';
  readonly direction: ChangeDirection;
  readonly src: EndpointSet;
  readonly dst: EndpointSet;
  /** Set only when the change differs between IPv4 and IPv6 for endpoints that have both. */
  readonly family?: 'IPv4' | 'IPv6';
  /** Network: the ports gained or lost, policy style (`tcp:443`, `udp:53`, `*`). */
  readonly access?: readonly string[];
  /** SSH: each login whose action changed. */
  readonly logins?: readonly SshLoginChange[];
  /** The changed rules responsible (removed ones in `before`, added or edited ones in `after`). */
  readonly rules: readonly PlanRuleRef[];
}

export interface AccessPlan {
  readonly devices: number;
  /** Device classes the inventory was reduced to (a measure of the work, for --json consumers). */
  readonly classes: number;
  readonly changes: readonly AccessChange[];
  readonly gained: number;
  readonly lost: number;
  readonly changed: number;
}

export interface PlanOptions {
  readonly dialect?: Dialect;
}

export function planAccess(
  before: PolicyFile,
  after: PolicyFile,
  inventory: Inventory,
  options: PlanOptions = {},
): AccessPlan {
  const dialect = options.dialect ?? 'tailscale';
  const first = compilePolicy(before, inventory, { dialect });
  return planCompiled({ before: first, after: compilePolicy(after, inventory, { dialect, reuse: first }) }, dialect);
}

interface NetMeta {
  readonly kind: 'network';
  readonly direction: ChangeDirection;
  readonly family?: 'IPv4' | 'IPv6';
  readonly access: string[];
  readonly rules: string[];
}

interface SshMeta {
  readonly kind: 'ssh';
  readonly direction: ChangeDirection;
  readonly logins: readonly SshLoginChange[];
  readonly rules: string[];
}

export function planCompiled(v: Versions, dialect: Dialect): AccessPlan {
  const changed = matchUnits(v);
  const devices = v.after.devices.length;
  if (![changed.net.before, changed.net.after, changed.ssh.before, changed.ssh.after].some((f) => f.includes(1))) {
    return { devices, classes: 0, changes: [], gained: 0, lost: 0, changed: 0 };
  }
  const classes = deviceClasses(v);
  const srcAtoms = sourceAtoms(v);
  const dstAtoms = destinationAtoms(v);
  const grouper = new PairGrouper<NetMeta | SshMeta>();
  networkDiffs(v, classes, changed, srcAtoms, dstAtoms, grouper);
  sshDiffs(v, classes, changed, (s, d, diff) => {
    const direction = sshDirection(diff.changes);
    const text = diff.changes.map((c) => `${c.login}:${c.before}>${c.after}`).join(',');
    const rules = [...diff.rules].sort();
    const meta = (): SshMeta => ({ kind: 'ssh', direction, logins: diff.changes, rules });
    grouper.add(`${DIRECTION_ORDER[direction]}|ssh|${text}|${rules.join(',')}`, meta, s, d);
  });
  const groups = { ...v.before.policy.groups, ...v.after.policy.groups };
  const namer = new EndpointNamer(v.after, groups, classes, srcAtoms, dstAtoms, dialect);
  const changes = grouper.result().flatMap((g) => g.rectangles.map((r) => toChange(v, g, r, namer)));
  const count = (d: ChangeDirection) => changes.filter((c) => c.direction === d).length;
  return {
    devices,
    classes: classes.members.length,
    changes,
    gained: count('gained'),
    lost: count('lost'),
    changed: count('changed'),
  };
}

const DIRECTION_ORDER: Record<ChangeDirection, number> = { gained: 0, lost: 1, changed: 2 };

/** Gains add logins, losses remove them; accept ↔ check (or a mix) is a change of how, not whether. */
function sshDirection(changes: readonly SshLoginChange[]): ChangeDirection {
  if (changes.every((c) => c.before === 'deny')) return 'gained';
  if (changes.every((c) => c.after === 'deny')) return 'lost';
  return 'changed';
}

function networkDiffs(
  v: Versions,
  classes: DeviceClasses,
  changed: ChangedUnits,
  srcAtoms: readonly Atom[],
  dstAtoms: readonly Atom[],
  grouper: PairGrouper<NetMeta | SshMeta>,
): void {
  const C = classes.members.length;
  const oracles = [new AccessOracle(v.before, classes), new AccessOracle(v.after, classes)] as const;
  const record = pairRecorder(v, changed, grouper);
  const families = (id: number, atoms: readonly Atom[]) => {
    if (id >= C) return atoms[id - C].family === 4 ? 1 : 2;
    const d = v.after.devices[classes.members[id][0]];
    return (d.ipv4 ? 1 : 0) | (d.ipv6 ? 2 : 0);
  };
  const pairs = networkPairs(v, classes, changed, srcAtoms, dstAtoms);
  for (const s of [...pairs.keys()].sort((a, b) => a - b)) {
    for (const o of oracles) {
      if (s < C) o.enterClass(s);
      else o.enterAtom(srcAtoms[s - C]);
    }
    for (const d of [...pairs.get(s)!].sort((a, b) => a - b)) {
      const access = oracles.map((o) => (d < C ? o.toClass(d) : o.toAtom(dstAtoms[d - C])));
      record(s, d, access[0], access[1], families(s, srcAtoms) & families(d, dstAtoms));
    }
  }
}

/** Files the gains and losses of one pair under their group (direction, ports, family, responsible rules). */
function pairRecorder(v: Versions, changed: ChangedUnits, grouper: PairGrouper<NetMeta | SshMeta>) {
  const ports = [unitPorts(v.before), unitPorts(v.after)] as const;
  const flags = [changed.net.before, changed.net.after] as const;
  const versions = ['before', 'after'] as const;
  return (s: number, d: number, before: PairAccess, after: PairAccess, available: number): void => {
    const access = [before, after] as const;
    for (const [direction, from, to] of [['gained', 0, 1] as const, ['lost', 1, 0] as const]) {
      for (const entry of deltas(access[to], access[from], available)) {
        const rules = attribute(v, access[to], entry, flags[to], ports[to], versions[to]);
        const meta = (): NetMeta => ({
          kind: 'network',
          direction,
          ...(entry.family ? { family: entry.family } : {}),
          access: formatPorts(entry.ports),
          rules,
        });
        const key = `${DIRECTION_ORDER[direction]}|net|${entry.ports.join(',')}|${entry.family ?? ''}|${rules.join(',')}`;
        grouper.add(key, meta, s, d);
      }
    }
  };
}

interface Delta {
  readonly ports: PortSet;
  /** Family mask the delta holds for. */
  readonly mask: number;
  readonly family?: 'IPv4' | 'IPv6';
}

/** `more − less` per family; one entry when both families changed alike (the usual case). */
function deltas(more: PairAccess, less: PairAccess, available: number): Delta[] {
  const d = [0, 1].map((f) => ((available >> f) & 1 ? subtractPorts(more.ports[f], less.ports[f]) : []));
  if (d[0].length === 0 && d[1].length === 0) return [];
  if (available === 3 && samePorts(d[0], d[1])) return [{ ports: d[0], mask: 3 }];
  return [0, 1]
    .filter((f) => d[f].length > 0)
    .map(
      (f) =>
        ({ ports: d[f], mask: 1 << f, ...(available === 3 ? { family: f === 0 ? 'IPv4' : 'IPv6' } : {}) }) as Delta,
    );
}

/** The changed units of that version that matched the pair and grant part of the delta. */
function attribute(
  v: Versions,
  access: PairAccess,
  delta: Delta,
  changed: Uint8Array,
  portsOf: (i: number) => PortSet,
  version: 'before' | 'after',
): string[] {
  const keys = new Set<string>();
  for (const e of access.units) {
    const i = e >> 2;
    if ((e & delta.mask) === 0 || !changed[i] || !portsIntersect(portsOf(i), delta.ports)) continue;
    const ref = v[version].units[i].ref;
    if (ref.index >= 0) keys.add(`${version}:${ref.section}:${ref.index}`);
  }
  return [...keys].sort();
}

/** Every (source, destination) pair a changed unit of either version can touch. */
function networkPairs(
  v: Versions,
  classes: DeviceClasses,
  changed: ChangedUnits,
  srcAtoms: readonly Atom[],
  dstAtoms: readonly Atom[],
): Map<number, Set<number>> {
  const C = classes.members.length;
  const pairs = new Map<number, Set<number>>();
  const classesIn = (a: Bitset, b: Bitset) => new Set([...a.clone().orWith(b)].map((d) => classes.classOf[d]));
  const exitAtoms = dstAtoms.flatMap((a, k) => (isExitRouted(v.after, a) ? [C + k] : []));
  const byOwner = new Map<string, number[]>();
  classes.members.forEach((m, c) => {
    const user = v.after.devices[m[0]].user;
    if (user) byOwner.set(user, [...(byOwner.get(user) ?? []), c]);
  });
  for (const version of ['before', 'after'] as const) {
    v[version].units.forEach((u, i) => {
      if (!changed.net[version][i]) return;
      const srcs = [...classesIn(u.srcV4, u.srcV6), ...atomsIn(srcAtoms, u.srcAddresses).map((k) => C + k)];
      const atomDsts = [...atomsIn(dstAtoms, u.dstAddresses).map((k) => C + k), ...(u.usesExit ? exitAtoms : [])];
      const classDsts = u.via ? [] : [...classesIn(u.dstV4, u.dstV6)];
      for (const s of srcs) {
        const set = pairs.get(s) ?? new Set<number>();
        pairs.set(s, set);
        for (const d of classDsts) set.add(d);
        if (s >= C) continue; // address to address is not planned
        for (const d of atomDsts) set.add(d);
        const user = v.after.devices[classes.members[s][0]].user;
        if (u.dstSelf && user) for (const d of byOwner.get(user) ?? []) set.add(d);
      }
    });
  }
  return pairs;
}

function atomsIn(atoms: readonly Atom[], set: RangeSet): number[] {
  if (set.isEmpty) return [];
  return atoms.flatMap((a, k) => (set.has(a.family, a.first) ? [k] : []));
}

function isExitRouted(c: CompiledPolicy, a: Atom): boolean {
  const routed = c.subnetRoutes.some(
    (r) => r.range.family === a.family && r.range.first <= a.first && a.last <= r.range.last,
  );
  return !routed;
}

function toChange(v: Versions, g: Group<NetMeta | SshMeta>, r: Rectangle, namer: EndpointNamer): AccessChange {
  const { meta } = g;
  const rules = meta.rules.map((key): PlanRuleRef => {
    const [version, section, index] = key.split(':');
    return {
      version: version as PlanRuleRef['version'],
      section: section as PlanRuleRef['section'],
      index: Number(index),
    };
  });
  const preferred = ruleSelectors(v, rules);
  return {
    kind: meta.kind,
    direction: meta.direction,
    src: namer.describe('src', r.srcs, preferred.src),
    dst: namer.describe('dst', r.dsts, preferred.dst),
    ...(meta.kind === 'network'
      ? { ...(meta.family ? { family: meta.family } : {}), access: meta.access }
      : { logins: meta.logins }),
    rules,
  };
}

/** Selector texts of the responsible rules: a change is named after the rule that made it, where possible. */
function ruleSelectors(v: Versions, rules: readonly PlanRuleRef[]): { src: Set<string>; dst: Set<string> } {
  const src = new Set<string>();
  const dst = new Set<string>();
  for (const r of rules) {
    const rule = v[r.version].policy[r.section]?.[r.index];
    if (!rule) continue;
    for (const s of rule.src) src.add(classifySelector(s).text);
    for (const d of rule.dst) {
      const split = r.section === 'acls' ? splitAclDestination(d) : undefined;
      dst.add(classifySelector(split?.ok ? split.value.host : d).text);
    }
  }
  return { src, dst };
}
