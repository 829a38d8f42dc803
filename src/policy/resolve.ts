import { Bitset } from './bitset';
import type { Device } from './inventory';
import {
  ALL_ADDRESSES,
  type Family,
  INTERNET,
  type IpRange,
  isExitRoute,
  parseIp,
  parsePrefix,
  RangeSet,
  WILDCARD_SRC_TAILNET,
} from './ip';
import { evaluateIpsets } from './ipsets';
import type { PolicyFile } from './model';
import { AUTOGROUPS, classifySelector, type Dialect, type Selector, tagKey } from './selectors';

/**
 * Resolves selectors against a policy and an inventory, once, into device bitsets and address sets (§3.3):
 * identity selectors (users, groups, tags, autogroups) cover *all* addresses of matching devices; address selectors
 * (IPs, CIDRs, hosts, ipsets, `*`) cover exactly their literal addresses.
 */
export interface ResolveOptions {
  readonly dialect: Dialect;
  /** Role autogroups (autogroup:admin, …): role → logins holding it. The device list does not carry roles. */
  readonly roles?: Readonly<Record<string, readonly string[]>>;
  /** Tailscale Services: `svc:name` → its TailVIP addresses. */
  readonly services?: Readonly<Record<string, readonly string[]>>;
}

export interface SelectorTarget {
  /** Devices matched by identity. */
  readonly devices: Bitset;
  /** Addresses matched literally. */
  readonly addresses: RangeSet;
  readonly self: boolean;
  /** `*` or autogroup:internet as dst: lets the source use exit nodes (§14.6). */
  readonly usesExit: boolean;
}

/** Devices sorted by address per family, so "devices inside a range" is a binary search, not a scan. */
class AddressIndex {
  private readonly values: bigint[] = [];
  private readonly devices: number[] = [];

  constructor(devices: readonly Device[], family: Family) {
    const pairs: [bigint, number][] = [];
    devices.forEach((d, i) => {
      const text = family === 4 ? d.ipv4 : d.ipv6;
      const ip = text === undefined ? undefined : parseIp(text);
      if (ip) pairs.push([ip.value, i]);
    });
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [v, i] of pairs) {
      this.values.push(v);
      this.devices.push(i);
    }
  }

  addDevicesIn(range: IpRange, into: Bitset): void {
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid] < range.first) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.values.length && this.values[k] <= range.last; k++) into.add(this.devices[k]);
  }
}

export class Resolver {
  readonly size: number;
  private readonly byV4: AddressIndex;
  private readonly byV6: AddressIndex;
  private readonly identityCache = new Map<string, Bitset>();
  /** Untagged devices by owner login, and devices by normalised tag: user, group and tag lookups avoid scans. */
  private readonly byUser = new Map<string, number[]>();
  private readonly byTag = new Map<string, number[]>();
  private readonly groups: Map<string, readonly string[]>;
  private readonly hosts: Map<string, string>;
  private readonly ipsets: Map<string, RangeSet>;
  /** §3.3: approved non-exit subnet routes, added to `*` as a source. */
  readonly approvedSubnets: RangeSet;

  constructor(
    readonly policy: PolicyFile,
    readonly devices: readonly Device[],
    readonly options: ResolveOptions,
  ) {
    this.size = devices.length;
    devices.forEach((d, i) => {
      if (d.user !== undefined) pushTo(this.byUser, d.user, i);
      for (const t of d.tags) pushTo(this.byTag, tagKey(t, options.dialect), i);
    });
    this.byV4 = new AddressIndex(devices, 4);
    this.byV6 = new AddressIndex(devices, 6);
    this.groups = new Map(Object.entries(policy.groups ?? {}).map(([k, v]) => [k.trim(), v.map((m) => m.trim())]));
    this.hosts = new Map(Object.entries(policy.hosts ?? {}).map(([k, v]) => [k.trim(), v]));
    this.ipsets = evaluateIpsets(policy.ipsets ?? {}, policy.hosts ?? {}).sets;
    this.approvedSubnets = new RangeSet(
      devices.flatMap((d) => d.approvedRoutes.map((r) => parsePrefix(r)!).filter((r) => r && !isExitRoute(r))),
    );
  }

  target(raw: string, side: 'src' | 'dst'): SelectorTarget {
    const sel = classifySelector(raw);
    const addresses = this.addressesOf(sel, side);
    const devices = this.identityOf(sel);
    const self = sel.kind === 'autogroup' && sel.name === 'autogroup:self';
    const usesExit = sel.kind === 'wildcard' || (sel.kind === 'autogroup' && sel.name === 'autogroup:internet');
    return { devices, addresses, self, usesExit };
  }

  /** Devices whose address of `family` lies in `set`. */
  devicesIn(set: RangeSet, family: Family): Bitset {
    const out = new Bitset(this.size);
    const index = family === 4 ? this.byV4 : this.byV6;
    for (const r of set.ranges) if (r.family === family) index.addDevicesIn(r, out);
    return out;
  }

  addressesOf(sel: Selector, side: 'src' | 'dst'): RangeSet {
    switch (sel.kind) {
      case 'wildcard':
        // §18.1: `*` is asymmetric.
        return side === 'src' ? WILDCARD_SRC_TAILNET.union(this.approvedSubnets) : ALL_ADDRESSES;
      case 'ip':
      case 'cidr':
        return new RangeSet([sel.range]);
      case 'host': {
        const value = this.hosts.get(sel.name);
        const range = value === undefined ? undefined : parsePrefix(value);
        return range ? new RangeSet([range]) : RangeSet.EMPTY;
      }
      case 'ipset':
        return this.ipsets.get(sel.name) ?? RangeSet.EMPTY;
      case 'service':
        return new RangeSet((this.options.services?.[sel.name] ?? []).map((a) => parsePrefix(a)!).filter(Boolean));
      case 'autogroup':
        if (sel.name === 'autogroup:internet') return INTERNET;
        if (sel.name === 'autogroup:danger-all') return ALL_ADDRESSES;
        return RangeSet.EMPTY;
      default:
        return RangeSet.EMPTY;
    }
  }

  /** Devices matched by an identity selector (cached per selector text). */
  identityOf(sel: Selector): Bitset {
    const key = sel.kind === 'tag' ? `tag:${tagKey(sel.name, this.options.dialect)}` : `${sel.kind}:${sel.text}`;
    let bits = this.identityCache.get(key);
    if (!bits) {
      const indexed = this.indexedIdentity(sel);
      bits = Bitset.of(this.size, indexed ?? matchingIndices(this.devices, this.identityMatcher(sel)));
      this.identityCache.set(key, bits);
    }
    return bits;
  }

  /** Users, groups and tags straight from the indexes; undefined for selectors that need a scan. */
  private indexedIdentity(sel: Selector): number[] | undefined {
    switch (sel.kind) {
      case 'user':
        return this.devicesOfUser(sel.login);
      case 'group':
        return (this.groups.get(sel.name) ?? []).flatMap((m) => this.devicesOfUser(m));
      case 'tag':
        return this.byTag.get(tagKey(sel.name, this.options.dialect)) ?? [];
      default:
        return undefined;
    }
  }

  private devicesOfUser(policyUser: string): number[] {
    const exact = this.byUser.get(policyUser) ?? [];
    // headscale writes users without e-mail as `name@` (§3.1).
    if (this.options.dialect !== 'headscale' || !policyUser.endsWith('@')) return exact;
    return [...exact, ...(this.byUser.get(policyUser.slice(0, -1)) ?? [])];
  }

  private identityMatcher(sel: Selector): (d: Device) => boolean {
    switch (sel.kind) {
      case 'domainUsers':
        return (d) => d.user?.endsWith(`@${sel.domain}`) === true;
      case 'autogroup':
        return this.autogroupMatcher(sel.name);
      default:
        return () => false;
    }
  }

  private autogroupMatcher(name: string): (d: Device) => boolean {
    switch (name) {
      case 'autogroup:member':
      case 'autogroup:members':
        return (d) => d.user !== undefined && !d.isExternal;
      case 'autogroup:tagged':
        return (d) => d.tags.length > 0;
      case 'autogroup:shared':
        return (d) => d.user !== undefined && d.isExternal;
      case 'autogroup:danger-all':
        return () => true;
      default: {
        const role = AUTOGROUPS[name]?.role;
        const holders = role ? (this.options.roles?.[role] ?? []) : [];
        return (d) => d.user !== undefined && holders.includes(d.user);
      }
    }
  }
}

function pushTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function* matchingIndices(devices: readonly Device[], matches: (d: Device) => boolean): Iterable<number> {
  for (let i = 0; i < devices.length; i++) if (matches(devices[i])) yield i;
}
