/**
 * Typed selectors. Every selector knows where Tailscale allows it (facts/tailscale-policy.md §3.2), both in the
 * type system (a `Selector<'dst'>` cannot be passed as a grant source) and at run time (checked when a rule is
 * made, for JavaScript callers and casts).
 */
export type Position =
  | 'src'
  | 'dst'
  | 'sshSrc'
  | 'sshDst'
  | 'owner'
  | 'approver'
  | 'nodeAttr'
  | 'via'
  | 'testSrc'
  | 'testDst'
  | 'ipset'
  | 'groupMember';

export const POSITION_NAMES: Record<Position, string> = {
  src: 'the source of a grant or ACL',
  dst: 'the destination of a grant or ACL',
  sshSrc: 'the source of an SSH rule',
  sshDst: 'the destination of an SSH rule',
  owner: 'a tag owner list',
  approver: 'an auto-approver list',
  nodeAttr: 'a node attribute target',
  via: 'a grant via list',
  testSrc: 'the source of a policy test',
  testDst: 'the destination of a policy test',
  ipset: 'an IP set',
  groupMember: 'a group member list',
};

export type SelectorKind =
  | 'any'
  | 'user'
  | 'domainUsers'
  | 'group'
  | 'tag'
  | 'autogroup'
  | 'host'
  | 'address'
  | 'ipset'
  | 'service';

export interface Selector<P extends Position = Position> {
  /** The selector as the policy file writes it: `tag:server`, `group:eng`, `alice@example.com`, `*` … */
  readonly selector: string;
  readonly kind: SelectorKind;
  /** The positions this selector may take; a type-level brand and the run-time check in one. */
  readonly allowedIn: { readonly [K in P]: true };
}

/** Any selector, whatever positions it allows (for code that only reads it). */
export interface AnySelector {
  readonly selector: string;
  readonly kind: SelectorKind;
  readonly allowedIn: { readonly [K in Position]?: true };
}

export function positionsOf(s: AnySelector): Position[] {
  return (Object.keys(s.allowedIn) as Position[]).filter((p) => s.allowedIn[p] === true);
}

export function isAllowedIn(s: AnySelector, position: Position): boolean {
  return s.allowedIn[position] === true;
}

export function makeSelector<P extends Position>(
  selector: string,
  kind: SelectorKind,
  positions: readonly P[],
): Selector<P> {
  const allowedIn = Object.fromEntries(positions.map((p) => [p, true])) as { [K in P]: true };
  return Object.freeze({ selector, kind, allowedIn });
}

/** Where identity selectors (users, groups) are allowed. */
export const IDENTITY_POSITIONS = [
  'src',
  'dst',
  'sshSrc',
  'owner',
  'approver',
  'nodeAttr',
  'testSrc',
  'testDst',
] as const satisfies readonly Position[];
/** Where tags are allowed: everywhere a device identity goes, plus SSH destinations and via. */
export const TAG_POSITIONS = [...IDENTITY_POSITIONS, 'sshDst', 'via'] as const satisfies readonly Position[];
/** Where addresses (IP, CIDR, host alias, ipset) are allowed. */
export const ADDRESS_POSITIONS = [
  'src',
  'dst',
  'nodeAttr',
  'testSrc',
  'testDst',
] as const satisfies readonly Position[];

export type IdentityPosition = (typeof IDENTITY_POSITIONS)[number];
export type TagPosition = (typeof TAG_POSITIONS)[number];
export type AddressPosition = (typeof ADDRESS_POSITIONS)[number];

/** Autogroups as constants that carry the location table of §3.2. */
export const Autogroup = {
  /** untagged devices of direct tailnet members */
  MEMBER: makeSelector('autogroup:member', 'autogroup', ['src', 'dst', 'sshSrc', 'owner', 'approver', 'nodeAttr']),
  /** every device with at least one tag */
  TAGGED: makeSelector('autogroup:tagged', 'autogroup', [
    'src',
    'dst',
    'sshSrc',
    'sshDst',
    'owner',
    'approver',
    'nodeAttr',
  ]),
  ADMIN: roleAutogroup('admin'),
  OWNER: roleAutogroup('owner'),
  IT_ADMIN: roleAutogroup('it-admin'),
  NETWORK_ADMIN: roleAutogroup('network-admin'),
  BILLING_ADMIN: roleAutogroup('billing-admin'),
  AUDITOR: roleAutogroup('auditor'),
  /** devices of the same user as the source; destination only, and only with user/group/role sources */
  SELF: makeSelector('autogroup:self', 'autogroup', ['dst', 'sshDst', 'testDst']),
  /** public internet through exit nodes; destination only */
  INTERNET: makeSelector('autogroup:internet', 'autogroup', ['dst', 'ipset']),
  /** users who accepted a sharing invite; source only */
  SHARED: makeSelector('autogroup:shared', 'autogroup', ['src']),
  /** every IP, even outside the tailnet; source only */
  DANGER_ALL: makeSelector('autogroup:danger-all', 'autogroup', ['src']),
} as const;

function roleAutogroup(role: string) {
  return makeSelector(`autogroup:${role}`, 'autogroup', ['src', 'dst', 'sshSrc', 'owner', 'approver', 'nodeAttr']);
}

/** `*`: as a source, all tailnet devices and approved subnets; as a destination, any address (incl. exit nodes). */
export const ANY = makeSelector('*', 'any', ['src', 'dst', 'nodeAttr']);
