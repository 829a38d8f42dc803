import { type IpRange, parseIp, parsePrefix } from './ip';

/**
 * Selector ("target") grammar of facts §3 and §16, shared by the validator, the compiler and the constructs.
 * Everything here is pure string work: no policy or inventory needed.
 */
export type Dialect = 'tailscale' | 'headscale';

export type Selector =
  | { readonly kind: 'wildcard'; readonly text: string }
  | { readonly kind: 'user'; readonly text: string; readonly login: string }
  | { readonly kind: 'domainUsers'; readonly text: string; readonly domain: string }
  | { readonly kind: 'group'; readonly text: string; readonly name: string }
  | { readonly kind: 'tag'; readonly text: string; readonly name: string }
  | { readonly kind: 'autogroup'; readonly text: string; readonly name: string }
  | { readonly kind: 'ip'; readonly text: string; readonly range: IpRange }
  | { readonly kind: 'cidr'; readonly text: string; readonly range: IpRange }
  | { readonly kind: 'host'; readonly text: string; readonly name: string }
  | { readonly kind: 'ipset'; readonly text: string; readonly name: string }
  | { readonly kind: 'service'; readonly text: string; readonly name: string }
  | { readonly kind: 'invalid'; readonly text: string; readonly reason: string };

export type SelectorKind = Selector['kind'];

/**
 * Classifies one selector. Surrounding whitespace is trimmed, as SaaS does (§3.1 "Whitespace").
 * A bare word without `@` is a host alias; anything with `@` is a user login.
 */
export function classifySelector(raw: string): Selector {
  const text = raw.trim();
  if (text === '*') return { kind: 'wildcard', text };
  if (text.startsWith('user:*@')) return { kind: 'domainUsers', text, domain: text.slice('user:*@'.length) };
  if (text.startsWith('group:')) return { kind: 'group', text, name: text };
  if (text.startsWith('tag:')) return { kind: 'tag', text, name: text };
  if (text.startsWith('autogroup:')) return { kind: 'autogroup', text, name: text };
  if (text.startsWith('ipset:')) return { kind: 'ipset', text, name: text };
  if (text.startsWith('svc:')) return { kind: 'service', text, name: text };
  if (text.includes('/')) {
    const range = parsePrefix(text);
    return range ? { kind: 'cidr', text, range } : { kind: 'invalid', text, reason: 'invalid address' };
  }
  const ip = parseIp(text);
  if (ip) return { kind: 'ip', text, range: { family: ip.family, first: ip.value, last: ip.value } };
  if (text.includes('@')) return { kind: 'user', text, login: text };
  // Host aliases are DNS-like names; anything else (`%bogus%`) is not a selector at all (§10, §12).
  if (!/^[A-Za-z0-9_][\w.-]*$/.test(text)) return { kind: 'invalid', text, reason: 'invalid address' };
  return { kind: 'host', text, name: text };
}

/** §3.3: "Tailscale ignores tag name case"; headscale compares case-sensitively (§15). */
export function tagKey(tag: string, dialect: Dialect): string {
  const t = tag.trim();
  return dialect === 'tailscale' ? t.toLowerCase() : t;
}

// ---------------------------------------------------------------------------------------------------------------
// Tags (§8.2, tailcfg.CheckTag)

/** After `tag:`: an ASCII letter, then ASCII letters, digits and dashes. */
export const TAG_NAME_RE = /^tag:[A-Za-z][A-Za-z0-9-]*$/;

export function isValidTagName(tag: string): boolean {
  return TAG_NAME_RE.test(tag);
}

/** tailcfg.CheckTag's exact messages, or undefined when the tag is well-formed. */
export function checkTag(tag: string): string | undefined {
  if (!tag.startsWith('tag:')) return "tags must start with 'tag:'";
  const name = tag.slice(4);
  if (name === '') return 'tag names must not be empty';
  if (!/^[A-Za-z]/.test(name)) return "tag names must start with a letter, after 'tag:'";
  if (!/^[A-Za-z0-9-]+$/.test(name)) return 'tag names can only contain numbers, letters, or dashes';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Autogroups and where each may appear (§3.2), as data.

export type SelectorPosition =
  | 'src'
  | 'dst'
  | 'sshSrc'
  | 'sshDst'
  | 'tagOwner'
  | 'autoApprover'
  | 'nodeAttrs'
  | 'ipset'
  | 'via';

/** `yes`, `no`, or `restricted` (allowed, with extra conditions checked elsewhere). */
export type Allowance = 'yes' | 'no' | 'restricted';

export interface AutogroupInfo {
  readonly name: string;
  readonly meaning: string;
  readonly positions: Readonly<Record<SelectorPosition, Allowance>>;
  /** headscale implements only a subset (§3.2, §15). */
  readonly headscale: boolean;
  /** Role autogroups resolve to the untagged devices of users holding that role. */
  readonly role?: string;
}

function positions(
  src: Allowance,
  dst: Allowance,
  sshSrc: Allowance,
  sshDst: Allowance,
  tagOwner: Allowance,
  autoApprover: Allowance,
  nodeAttrs: Allowance,
  ipset: Allowance,
): Record<SelectorPosition, Allowance> {
  return { src, dst, sshSrc, sshDst, tagOwner, autoApprover, nodeAttrs, ipset, via: 'no' };
}

const ROLE_POSITIONS = positions('yes', 'yes', 'yes', 'no', 'yes', 'yes', 'yes', 'no');

function role(name: string): AutogroupInfo {
  return {
    name: `autogroup:${name}`,
    meaning: `untagged devices of users with the ${name} role`,
    positions: ROLE_POSITIONS,
    headscale: false,
    role: name,
  };
}

export const AUTOGROUPS: Readonly<Record<string, AutogroupInfo>> = Object.fromEntries(
  [
    {
      name: 'autogroup:member',
      meaning: 'untagged devices of direct tailnet members',
      // SSH dst: docs say no, headscale accepts it (§3.2 footnote); we follow headscale and flag tag sources.
      positions: positions('yes', 'yes', 'restricted', 'restricted', 'yes', 'yes', 'yes', 'no'),
      headscale: true,
    },
    {
      name: 'autogroup:members',
      meaning: 'legacy spelling of autogroup:member',
      positions: positions('yes', 'yes', 'restricted', 'restricted', 'yes', 'yes', 'yes', 'no'),
      headscale: false,
    },
    {
      name: 'autogroup:tagged',
      meaning: 'every device with at least one tag',
      positions: positions('yes', 'yes', 'restricted', 'yes', 'yes', 'yes', 'yes', 'no'),
      headscale: true,
    },
    {
      name: 'autogroup:self',
      meaning: 'devices owned by the same user as the source',
      positions: positions('no', 'restricted', 'no', 'restricted', 'no', 'no', 'no', 'no'),
      headscale: true,
    },
    {
      name: 'autogroup:internet',
      meaning: 'public IP addresses, reached through exit nodes',
      positions: positions('no', 'yes', 'no', 'no', 'no', 'no', 'no', 'yes'),
      headscale: true,
    },
    {
      name: 'autogroup:shared',
      meaning: 'devices of users who accepted a sharing invite',
      positions: positions('yes', 'no', 'no', 'no', 'no', 'no', 'no', 'no'),
      headscale: false,
    },
    {
      name: 'autogroup:danger-all',
      meaning: 'every IP address, even outside the tailnet',
      positions: positions('yes', 'no', 'no', 'no', 'no', 'no', 'no', 'no'),
      headscale: true,
    },
    role('admin'),
    role('owner'),
    role('it-admin'),
    role('network-admin'),
    role('billing-admin'),
    role('auditor'),
  ].map((a) => [a.name, a]),
);

/** Only valid in `ssh[].users`, never as a device selector. */
export const SSH_USER_AUTOGROUPS = ['autogroup:nonroot'] as const;

export function autogroupNames(dialect: Dialect): string[] {
  const names = Object.values(AUTOGROUPS)
    .filter((a) => dialect === 'tailscale' || a.headscale)
    .map((a) => a.name);
  return dialect === 'headscale' ? [...names, 'autogroup:nonroot'].sort() : names;
}

// ---------------------------------------------------------------------------------------------------------------
// Protocols and ports (§4, §6, §16)

/** IANA protocol names Tailscale accepts (table of §4). */
export const PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipv4: 4,
  'ip-in-ip': 4,
  tcp: 6,
  egp: 8,
  igp: 9,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  sctp: 132,
};

/** headscale's extra names (§4). */
const HEADSCALE_PROTOCOLS: Readonly<Record<string, number>> = { 'ipv6-icmp': 58, fc: 133 };

export const PROTO_ICMP = 1;
export const PROTO_ICMPV6 = 58;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_SCTP = 132;

/** §4: an omitted proto compiles to an empty IPProto, which the client expands to TCP, UDP, ICMPv4, ICMPv6. */
export const DEFAULT_PROTOCOLS: readonly number[] = [PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_ICMPV6];

/** §4: only these protocols may carry specific ports. */
export const PORTED_PROTOCOLS: ReadonlySet<number> = new Set([PROTO_TCP, PROTO_UDP, PROTO_SCTP]);

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A protocol name or an IANA number 1–255 given as a string. */
export function parseProtocol(text: string, dialect: Dialect = 'tailscale'): ParseResult<number> {
  const t = text.trim();
  const named = PROTOCOLS[t] ?? (dialect === 'headscale' ? HEADSCALE_PROTOCOLS[t] : undefined);
  if (named !== undefined) return { ok: true, value: named };
  if (/^[1-9]\d{0,2}$/.test(t) && Number(t) <= 255) return { ok: true, value: Number(t) };
  return { ok: false, error: `proto name "${t}" not known; use a protocol name or a number from 1 to 255` };
}

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

export const ALL_PORTS: PortRange = { first: 0, last: 65535 };

/**
 * `*` | N | N-M | comma list (§4 "Ports syntax"). Messages for the captured cases are SaaS's own;
 * the others (out of range, inverted) follow headscale.
 */
export function parsePortRange(text: string): ParseResult<PortRange[]> {
  if (text === '*') return { ok: true, value: [ALL_PORTS] };
  const ranges: PortRange[] = [];
  for (const part of text.split(',')) {
    const r = parsePortSpec(part);
    if (!r.ok) return { ok: false, error: `port range "${text}": ${r.error}` };
    ranges.push(r.value);
  }
  return { ok: true, value: ranges };
}

function parsePortSpec(part: string): ParseResult<PortRange> {
  if (part === '*') return { ok: true, value: ALL_PORTS };
  const [firstText, lastText, extra] = part.split('-');
  if (!/^\d+$/.test(firstText)) return { ok: false, error: 'invalid first integer' };
  if (extra !== undefined) return { ok: false, error: 'too many dashes' };
  if (lastText !== undefined && !/^\d+$/.test(lastText)) return { ok: false, error: 'invalid last integer' };
  const first = Number(firstText);
  const last = lastText === undefined ? first : Number(lastText);
  // §4: a single port 0 is rejected, but `0` may start a range only via `*` (1-65535 excludes 0).
  if (first === 0) return { ok: false, error: "first port must be >0, or use '*' for wildcard" };
  if (first > 65535) return { ok: false, error: `first port ${first} is out of range (1-65535)` };
  if (last > 65535) return { ok: false, error: `last port ${last} is out of range (1-65535)` };
  if (last < first) return { ok: false, error: `last port ${last} is less than first port ${first}` };
  return { ok: true, value: { first, last } };
}

export function isAllPorts(ranges: readonly PortRange[]): boolean {
  return ranges.some((r) => r.first === 0 && r.last === 65535);
}

/** One protocol/port element of a rule: `protocols` undefined means the default set (§4). */
export interface ProtoPorts {
  readonly protocols?: readonly number[];
  readonly ports: readonly PortRange[];
}

/** Checks §4 "Only TCP, UDP and SCTP may have specific ports". */
function checkPortsForProtocol(protoText: string, proto: number, ports: PortRange[]): string | undefined {
  if (PORTED_PROTOCOLS.has(proto) || isAllPorts(ports)) return undefined;
  return `protocol does not support specific ports: "${protoText}", only "*" is allowed`;
}

/**
 * A grant `ip` element (§6): `*`, ports (bare numbers are ports: `"47"` is port 47, not GRE), `proto:*`, `proto:ports`.
 * A bare protocol name is a port error: `port range "icmp": invalid first integer`.
 */
export function parseGrantIp(text: string, dialect: Dialect = 'tailscale'): ParseResult<ProtoPorts> {
  const t = text.trim();
  const colon = t.indexOf(':');
  if (colon < 0) {
    const ports = parsePortRange(t);
    return ports.ok ? { ok: true, value: { ports: ports.value } } : ports;
  }
  if (t.indexOf(':', colon + 1) >= 0)
    return { ok: false, error: 'expected only one colon in Internet protocol and port type' };
  const protoText = t.slice(0, colon);
  const proto = parseProtocol(protoText, dialect);
  if (!proto.ok) return proto;
  const ports = parsePortRange(t.slice(colon + 1));
  if (!ports.ok) return ports;
  const error = checkPortsForProtocol(protoText, proto.value, ports.value);
  return error ? { ok: false, error } : { ok: true, value: { protocols: [proto.value], ports: ports.value } };
}

/** ACL `proto` + the ports of one dst element, checked together. */
export function aclProtoPorts(
  protoText: string | undefined,
  ports: PortRange[],
  dialect: Dialect,
): ParseResult<ProtoPorts> {
  if (protoText === undefined || protoText.trim() === '') return { ok: true, value: { ports } };
  const proto = parseProtocol(protoText, dialect);
  if (!proto.ok) return proto;
  const error = checkPortsForProtocol(protoText.trim(), proto.value, ports);
  return error ? { ok: false, error } : { ok: true, value: { protocols: [proto.value], ports } };
}

export interface AclDestination {
  readonly host: string;
  readonly ports: string;
}

/**
 * Splits an ACL dst `host:ports` at the last colon (§4). IPv6 hosts must be bracketed (`[1:2::3]:80`);
 * headscale also accepts `[addr]/len:ports`.
 */
export function splitAclDestination(text: string): ParseResult<AclDestination> {
  const t = text.trim();
  const colon = t.lastIndexOf(':');
  if (colon < 0) return { ok: false, error: `dst="${t}": missing port (use "${t}:*" for every port)` };
  let host = t.slice(0, colon);
  const ports = t.slice(colon + 1);
  const bracketed = /^\[([^\]]+)\](\/\d+)?$/.exec(host);
  if (bracketed) host = bracketed[1] + (bracketed[2] ?? '');
  else if (host.includes(':') && parseIp(host.split('/')[0])) {
    return { ok: false, error: `dst="${t}": IPv6 addresses must be in brackets, e.g. "[${host}]:${ports}"` };
  }
  return { ok: true, value: { host, ports } };
}

/** `host:port` of a `tests` entry: exactly one numeric port (§11). */
export function splitTestDestination(text: string): ParseResult<{ host: string; port: number }> {
  const t = text.trim();
  const colon = t.lastIndexOf(':');
  if (colon < 0) return { ok: false, error: `"${t}": missing port` };
  let host = t.slice(0, colon);
  const portText = t.slice(colon + 1);
  const bracketed = /^\[([^\]]+)\]$/.exec(host);
  if (bracketed) host = bracketed[1];
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    return { ok: false, error: `"${t}": tests need exactly one port number, got "${portText}"` };
  }
  return { ok: true, value: { host, port: Number(portText) } };
}
