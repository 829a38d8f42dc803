import type { CompiledPolicy } from './compile';
import { enforcersFor } from './evaluate';
import { formatIp, INTERNET, type IpRange, parsePrefix, RangeSet, TAILNET_V4, TAILNET_V6 } from './ip';
import type { Atom, DeviceClasses } from './plan-classes';
import { type Dialect, tagKey } from './selectors';

/**
 * Names for the endpoint sets of a `plan` line: the most specific identity (tag, group, user, autogroup) that covers
 * exactly the devices — preferring the selectors of the rule that caused the change — else a few identities that
 * together cover them, else "n of <identity>'s m devices", else device names; address atoms as CIDRs with the
 * router or exit node that carries them.
 */
export interface EndpointSet {
  /** `tag:client, tag:laptop (2 devices)` or `192.168.15.0/24 via kernelcore`. */
  readonly label: string;
  /** Identities that together cover exactly the devices; empty when no such short list exists. */
  readonly identities: readonly string[];
  readonly deviceCount: number;
  /** Device names (MagicDNS FQDNs), at most MAX_NAMES. */
  readonly devices: readonly string[];
  /** Addresses outside the inventory, as CIDRs. */
  readonly addresses: readonly string[];
}

const MAX_NAMES = 100;
const RANK: Record<string, number> = { tag: 0, group: 1, user: 2, autogroup: 3, '*': 4 };

function kindOf(identity: string): string {
  if (identity === '*') return '*';
  const colon = identity.indexOf(':');
  return identity.includes('@') && !identity.startsWith('group:') ? 'user' : identity.slice(0, colon);
}

export class EndpointNamer {
  /** Identities of each device (its user, its user's groups, its tags, autogroup:member/tagged). */
  private readonly identitiesOf: string[][];
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly compiled: CompiledPolicy,
    groups: Readonly<Record<string, readonly string[]>>,
    private readonly classes: DeviceClasses,
    private readonly srcAtoms: readonly Atom[],
    private readonly dstAtoms: readonly Atom[],
    dialect: Dialect,
  ) {
    const groupsOfUser = new Map<string, string[]>();
    for (const [group, members] of Object.entries(groups)) {
      for (const m of members) groupsOfUser.set(m.trim(), [...(groupsOfUser.get(m.trim()) ?? []), group.trim()]);
    }
    const tagNames = new Map<string, string>();
    this.identitiesOf = compiled.devices.map((d) => {
      if (d.user) return [d.user, ...(groupsOfUser.get(d.user) ?? []), ...(d.isExternal ? [] : ['autogroup:member'])];
      const tags = d.tags.map((t) => {
        const key = tagKey(t, dialect);
        if (!tagNames.has(key)) tagNames.set(key, t);
        return tagNames.get(key)!;
      });
      return [...new Set(tags), 'autogroup:tagged'];
    });
    for (const ids of this.identitiesOf) for (const id of ids) this.sizes.set(id, (this.sizes.get(id) ?? 0) + 1);
  }

  private readonly memo = new Map<string, EndpointSet>();

  /** Endpoint ids are device classes below `classes.members.length`, atoms above. */
  describe(side: 'src' | 'dst', ids: readonly number[], preferred: ReadonlySet<string>): EndpointSet {
    // The same endpoint set recurs across lines (one source, several destinations): name it once.
    const key = `${side}|${ids.join(',')}|${[...preferred].join(',')}`;
    let named = this.memo.get(key);
    if (!named) {
      named = this.name(side, ids, preferred);
      this.memo.set(key, named);
    }
    return named;
  }

  private name(side: 'src' | 'dst', ids: readonly number[], preferred: ReadonlySet<string>): EndpointSet {
    const classCount = this.classes.members.length;
    const classIds = ids.filter((i) => i < classCount);
    const devices = classIds.flatMap((i) => this.classes.members[i]);
    const atoms = ids
      .filter((i) => i >= classCount)
      .map((i) => (side === 'src' ? this.srcAtoms : this.dstAtoms)[i - classCount]);
    devices.sort((a, b) => a - b);
    const named = devices.length > 0 ? this.nameDevices(devices, this.countIdentities(classIds), preferred) : undefined;
    const places = atoms.length > 0 ? this.nameAtoms(side, atoms) : undefined;
    return {
      label: [named?.label, places?.label].filter(Boolean).join('; '),
      identities: named?.identities ?? [],
      deviceCount: devices.length,
      devices: devices.slice(0, MAX_NAMES).map((d) => this.compiled.devices[d].name),
      addresses: places?.cidrs ?? [],
    };
  }

  private count(n: number): string {
    return `${n} device${n === 1 ? '' : 's'}`;
  }

  private readonly classIdentities = new Map<number, Map<string, number>>();

  /** How many devices of these classes carry each identity, summed from per-class counts made once. */
  private countIdentities(classIds: readonly number[]): Map<string, number> {
    const within = new Map<string, number>();
    for (const c of classIds) {
      let counts = this.classIdentities.get(c);
      if (!counts) {
        counts = new Map();
        for (const d of this.classes.members[c]) {
          for (const id of this.identitiesOf[d]) counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        this.classIdentities.set(c, counts);
      }
      for (const [id, k] of counts) within.set(id, (within.get(id) ?? 0) + k);
    }
    return within;
  }

  private nameDevices(
    devices: readonly number[],
    within: ReadonlyMap<string, number>,
    preferred: ReadonlySet<string>,
  ): { label: string; identities: string[] } {
    const n = devices.length;
    if (n === this.compiled.devices.length && n > 1) return { label: `* (all ${n} devices)`, identities: ['*'] };
    const order = (a: string, b: string) =>
      Number(preferred.has(b)) - Number(preferred.has(a)) ||
      RANK[kindOf(a)] - RANK[kindOf(b)] ||
      (this.sizes.get(b) ?? 0) - (this.sizes.get(a) ?? 0) ||
      (a < b ? -1 : a > b ? 1 : 0);
    // Identities entirely inside the set, best first; those of exactly the set's size cover it alone.
    const inside = [...within].filter(([id, k]) => this.sizes.get(id) === k).map(([id]) => id);
    const exact = inside.filter((id) => within.get(id) === n).sort(order);
    if (exact.length > 0) return { label: `${exact[0]} (${this.count(n)})`, identities: [exact[0]] };
    const cover = this.cover(devices, inside.sort(order));
    if (cover) return { label: `${cover.join(', ')} (${this.count(n)})`, identities: cover };
    const shown = devices
      .slice(0, 3)
      .map((d) => this.compiled.devices[d].shortName)
      .join(', ');
    const names = devices.length > 3 ? `${shown} and ${devices.length - 3} more` : shown;
    const around = [...within].filter(([, k]) => k === n).map(([id]) => id);
    around.sort((a, b) => (this.sizes.get(a) ?? 0) - (this.sizes.get(b) ?? 0) || order(a, b));
    if (around.length > 0) {
      const id = around[0];
      return { label: `${n} of ${id}'s ${this.count(this.sizes.get(id)!)}: ${names}`, identities: [] };
    }
    return { label: `${names} (${this.count(n)})`, identities: [] };
  }

  /** Up to four identities inside the set that together cover it (greedy, largest first). */
  private cover(devices: readonly number[], inside: readonly string[]): string[] | undefined {
    const remaining = new Set(devices);
    const picked: string[] = [];
    const bySize = [...inside].sort((a, b) => (this.sizes.get(b) ?? 0) - (this.sizes.get(a) ?? 0));
    for (const id of bySize) {
      if (remaining.size === 0 || picked.length === 4) break;
      const members = devices.filter((d) => remaining.has(d) && this.identitiesOf[d].includes(id));
      if (members.length === 0) continue;
      picked.push(id);
      for (const d of members) remaining.delete(d);
    }
    if (remaining.size > 0) return undefined;
    return inside.filter((id) => picked.includes(id));
  }

  private nameAtoms(side: 'src' | 'dst', atoms: readonly Atom[]): { label: string; cidrs: string[] } {
    const byWay = new Map<string, IpRange[]>();
    for (const a of atoms) {
      const way = side === 'src' ? 'behind subnet routers' : this.wayTo(a);
      byWay.set(way, [...(byWay.get(way) ?? []), a]);
    }
    const cidrs: string[] = [];
    const parts = [...byWay].map(([way, ranges]) => {
      const set = new RangeSet(ranges);
      const list = set.ranges.flatMap(toCidrs);
      cidrs.push(...list);
      if (way.startsWith('through') && this.exitSpace().subtract(set).isEmpty)
        return `any address outside the tailnet ${way}`;
      const internet = INTERNET.subtract(set).isEmpty;
      const rest = internet ? set.subtract(INTERNET).ranges.flatMap(toCidrs) : list;
      const head = internet ? ['autogroup:internet', ...rest] : rest;
      return `${listSome(head, 4)} ${way}`;
    });
    return { label: parts.join('; '), cidrs };
  }

  /** Everything exit nodes carry: addresses outside the tailnet and outside approved subnet routes. */
  private exitSpace(): RangeSet {
    const families = [
      ...(this.compiled.exitNodesV4.length > 0 ? [parsePrefix('0.0.0.0/0')!] : []),
      ...(this.compiled.exitNodesV6.length > 0 ? [parsePrefix('::/0')!] : []),
    ];
    const routes = this.compiled.subnetRoutes.map((r) => r.range);
    return new RangeSet(families).subtract(new RangeSet([TAILNET_V4, TAILNET_V6, ...routes]));
  }

  private wayTo(atom: Atom): string {
    const enforcers = enforcersFor(this.compiled, { family: atom.family, value: atom.first });
    const names = enforcers.map((e) => this.compiled.devices[e.device].shortName).join(', ');
    const mode = enforcers[0]?.mode;
    return mode === 'router'
      ? `via ${names}`
      : mode === 'service'
        ? `to Service host ${names}`
        : `through exit node ${names}`;
  }
}

function listSome(items: readonly string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The smallest list of CIDR prefixes exactly covering a range. */
export function toCidrs(r: IpRange): string[] {
  const bits = r.family === 4 ? 32n : 128n;
  const out: string[] = [];
  let first = r.first;
  while (first <= r.last) {
    let size = 0n;
    while (size < bits && (first & ((1n << (size + 1n)) - 1n)) === 0n && first + (1n << (size + 1n)) - 1n <= r.last)
      size++;
    out.push(`${formatIp({ family: r.family, value: first })}/${bits - size}`);
    first += 1n << size;
  }
  return out;
}
