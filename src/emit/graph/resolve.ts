import {
  type CompiledPolicy,
  classifySelector,
  type Dialect,
  INTERNET,
  type PolicyFile,
  type Selector,
} from '../../policy';
import { rangesOverlap } from '../../policy/ip';
import { splitAclDestination, tagKey } from '../../policy/selectors';
import { aclAccess, grantAccess, normalizeAccess } from './labels';

/**
 * Rules → edges between selectors, one per (src, dst) pair of a rule, before parallel edges are merged. Each kind of
 * rule keeps its own meaning: grants and ACLs give network access (grants may also carry app capabilities), SSH
 * rules give logins, and a policy with neither `acls` nor `grants` allows everything (§2).
 */
export type EdgeKind = 'network' | 'ssh' | 'app';

export interface RuleEdge {
  readonly src: string;
  readonly dst: string;
  readonly kind: EdgeKind;
  readonly access: readonly string[];
  /** `grants[2]`, `acls[0]`, `ssh[1]`, or `(no acls or grants: allow all)`. */
  readonly rule: string;
  readonly via: readonly string[];
  readonly check: boolean;
}

export const ALLOW_ALL_RULE = '(no acls or grants: allow all)';

/** Selectors as the engine compares them: trimmed, tags case-folded where the dialect ignores tag case (§3.3). */
export function selectorKey(raw: string, dialect: Dialect): string {
  const sel = classifySelector(raw);
  return sel.kind === 'tag' ? tagKey(sel.text, dialect) : sel.text;
}

export function ruleEdges(policy: PolicyFile, dialect: Dialect): RuleEdge[] {
  const allowAll = policy.acls === undefined && policy.grants === undefined;
  return [
    ...(allowAll ? [edge('*', '*', 'network', ['*'], ALLOW_ALL_RULE)] : []),
    ...grantEdges(policy, dialect),
    ...aclEdges(policy, dialect),
    ...sshEdges(policy, dialect),
  ];
}

function edge(
  src: string,
  dst: string,
  kind: EdgeKind,
  access: readonly string[],
  rule: string,
  extra: { via?: readonly string[]; check?: boolean } = {},
): RuleEdge {
  return { src, dst, kind, access, rule, via: extra.via ?? [], check: extra.check ?? false };
}

function pairs(src: readonly string[], dst: readonly string[], dialect: Dialect): [string, string][] {
  const s = [...new Set(src.map((x) => selectorKey(x, dialect)))];
  const d = [...new Set(dst.map((x) => selectorKey(x, dialect)))];
  return s.flatMap((a) => d.map((b): [string, string] => [a, b]));
}

function grantEdges(policy: PolicyFile, dialect: Dialect): RuleEdge[] {
  return (policy.grants ?? []).flatMap((g, i) => {
    const rule = `grants[${i}]`;
    const access = normalizeAccess((g.ip ?? []).flatMap((ip) => grantAccess(ip, dialect)));
    const caps = Object.keys(g.app ?? {}).sort();
    const via = (g.via ?? []).map((v) => selectorKey(v, dialect)).sort();
    return pairs(g.src, g.dst, dialect).flatMap(([s, d]) => [
      ...(access.length > 0 ? [edge(s, d, 'network', access, rule, { via })] : []),
      ...(caps.length > 0 ? [edge(s, d, 'app', caps, rule, { via })] : []),
    ]);
  });
}

/** An ACL's dst elements each carry their own ports (§4): `tag:db:5432` and `tag:web:80,443` in one rule. */
function aclEdges(policy: PolicyFile, dialect: Dialect): RuleEdge[] {
  return (policy.acls ?? []).flatMap((a, i) => {
    const rule = `acls[${i}]`;
    return a.dst.flatMap((element) => {
      const split = splitAclDestination(element);
      if (!split.ok) return [];
      const access = normalizeAccess(aclAccess(split.value.ports, a.proto, dialect));
      return pairs(a.src, [split.value.host], dialect).map(([s, d]) => edge(s, d, 'network', access, rule));
    });
  });
}

function sshEdges(policy: PolicyFile, dialect: Dialect): RuleEdge[] {
  return (policy.ssh ?? []).flatMap((r, i) => {
    const logins = [...new Set((r.users ?? []).map((u) => u.trim()))].sort();
    const check = r.action?.trim() === 'check';
    return pairs(r.src, r.dst, dialect).map(([s, d]) => edge(s, d, 'ssh', logins, `ssh[${i}]`, { check }));
  });
}

/**
 * What a selector stands for in this tailnet, asked of the engine: the devices it resolves to (identity matches plus
 * devices whose address it lists), and for address destinations the subnet routers or exit nodes that carry the
 * traffic. This is what turns a rule's `tag:server` into "2 devices" and `192.168.15.0/24` into "via kernelcore".
 */
export type NodeKind =
  | 'wildcard'
  | 'autogroup'
  | 'group'
  | 'users'
  | 'user'
  | 'tag'
  | 'host'
  | 'address'
  | 'subnet'
  | 'ipset'
  | 'service'
  | 'internet'
  | 'self';

export type Side = 'src' | 'dst';

export const KIND_ORDER: readonly NodeKind[] = [
  'wildcard',
  'autogroup',
  'group',
  'users',
  'user',
  'tag',
  'self',
  'host',
  'address',
  'subnet',
  'ipset',
  'service',
  'internet',
];

export interface NodeFacts {
  readonly kind: NodeKind;
  readonly broad: boolean;
  /** Indices into `compiled.devices`, ascending. */
  readonly devices: readonly number[];
  readonly detail: string;
}

export function nodeKind(sel: Selector): NodeKind {
  switch (sel.kind) {
    case 'wildcard':
    case 'group':
    case 'user':
    case 'tag':
    case 'host':
    case 'ipset':
    case 'service':
      return sel.kind;
    case 'domainUsers':
      return 'users';
    case 'autogroup':
      return sel.name === 'autogroup:internet' ? 'internet' : sel.name === 'autogroup:self' ? 'self' : 'autogroup';
    case 'cidr':
      return 'subnet';
    default:
      return 'address';
  }
}

/** Broad: reaches or comes from beyond any named set (`*`, the internet, every address, a /0 prefix). */
export function isBroad(sel: Selector): boolean {
  if (sel.kind === 'wildcard') return true;
  if (sel.kind === 'autogroup') return sel.name === 'autogroup:internet' || sel.name === 'autogroup:danger-all';
  return sel.kind === 'cidr' && sel.text.endsWith('/0');
}

/**
 * `realDevices`: only the first n devices of `compiled` are the tailnet's; the rest are representative devices
 * added so policy tests run (src/policy/representatives.ts), which the map must not count.
 */
export function describeNode(
  compiled: CompiledPolicy,
  selector: string,
  side: Side,
  realDevices = compiled.devices.length,
): NodeFacts {
  const sel = classifySelector(selector);
  const kind = nodeKind(sel);
  const devices = resolveDevices(compiled, sel, side).filter((i) => i < realDevices);
  return { kind, broad: isBroad(sel), devices, detail: detailOf(compiled, sel, kind, side, devices) };
}

function resolveDevices(compiled: CompiledPolicy, sel: Selector, side: Side): number[] {
  // autogroup:self is "the source's own devices": every user-owned device is one, for some source.
  if (sel.kind === 'autogroup' && sel.name === 'autogroup:self') {
    return compiled.devices.flatMap((d, i) => (d.user !== undefined ? [i] : []));
  }
  const resolver = compiled.resolver;
  const target = resolver.target(sel.text, side);
  const bits = target.devices
    .clone()
    .orWith(resolver.devicesIn(target.addresses, 4))
    .orWith(resolver.devicesIn(target.addresses, 6));
  return [...bits].sort((a, b) => a - b);
}

function count(n: number): string {
  return n === 0 ? 'no devices' : n === 1 ? '1 device' : `${n} devices`;
}

function names(compiled: CompiledPolicy, indices: readonly number[], max = 3): string {
  const shown = indices.slice(0, max).map((i) => compiled.devices[i].shortName);
  return shown.join(', ') + (indices.length > max ? ` +${indices.length - max}` : '');
}

function detailOf(compiled: CompiledPolicy, sel: Selector, kind: NodeKind, side: Side, devices: number[]): string {
  switch (kind) {
    case 'self':
      return "each user's own devices";
    case 'internet':
      return exitDetail(compiled);
    case 'host':
    case 'address':
    case 'subnet':
    case 'ipset':
    case 'service':
      return addressDetail(compiled, sel, side, devices);
    case 'wildcard':
      return side === 'src'
        ? `${count(devices.length)}, approved subnets`
        : `${count(devices.length)}, subnets, internet`;
    default:
      return count(devices.length);
  }
}

function exitDetail(compiled: CompiledPolicy): string {
  const exits = [...new Set([...compiled.exitNodesV4, ...compiled.exitNodesV6])].sort((a, b) => a - b);
  return exits.length === 0 ? 'no exit node' : `via exit node ${names(compiled, exits)}`;
}

/** Address selectors: the device they name, or for destinations the router that carries them. */
function addressDetail(compiled: CompiledPolicy, sel: Selector, side: Side, devices: number[]): string {
  const prefix = sel.kind === 'host' ? `${compiled.policy.hosts?.[sel.name] ?? '?'} · ` : '';
  if (devices.length > 0) return prefix + names(compiled, devices);
  if (side === 'src') return `${prefix}addresses`;
  const addresses = compiled.resolver.addressesOf(sel, 'dst').ranges;
  const routers = compiled.subnetRoutes
    .filter((r) => addresses.some((a) => rangesOverlap(a, r.range)))
    .map((r) => r.device);
  const unique = [...new Set(routers)].sort((a, b) => a - b);
  if (unique.length > 0) return `${prefix}via ${names(compiled, unique)}`;
  // Public addresses leave through an exit node, for sources that may also use the internet (§14.6).
  const hasExit = compiled.exitNodesV4.length + compiled.exitNodesV6.length > 0;
  return prefix + (hasExit && addresses.some((a) => INTERNET.overlaps(a)) ? exitDetail(compiled) : 'no route');
}
