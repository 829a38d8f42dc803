import {
  AUTOGROUPS,
  autogroupNames,
  classifySelector,
  type Selector,
  type SelectorKind,
  type SelectorPosition,
} from './selectors';
import type { JsonPath } from './source';
import type { ValidationContext } from './validate-context';

/**
 * One place where a selector appears. `frame` wraps inner messages the way SaaS does at that place:
 * `src=tag not found: "tag:x"`, `dst="tag:x:22": tag not found: "tag:x"` (§8.2, §12).
 */
export interface SelectorSite {
  readonly position: SelectorPosition;
  readonly path: JsonPath;
  readonly frame: (inner: string) => string;
}

const plain = (inner: string) => inner;
export const srcFrame = (inner: string) => `src=${inner}`;
export const elementFrame = (element: string) => (inner: string) => `dst="${element.trim()}": ${inner}`;

export function site(
  position: SelectorPosition,
  path: JsonPath,
  frame: (inner: string) => string = plain,
): SelectorSite {
  return { position, path, frame };
}

/** Selector kinds (other than autogroups) each position accepts (§3.1, §3.2, §7, §8.2, §9, §10). */
const KINDS_BY_POSITION: Readonly<Record<SelectorPosition, ReadonlySet<SelectorKind>>> = {
  src: new Set(['wildcard', 'user', 'domainUsers', 'group', 'tag', 'ip', 'cidr', 'host', 'ipset']),
  dst: new Set(['wildcard', 'user', 'domainUsers', 'group', 'tag', 'ip', 'cidr', 'host', 'ipset', 'service']),
  sshSrc: new Set(['user', 'domainUsers', 'group', 'tag']),
  sshDst: new Set(['user', 'tag']),
  tagOwner: new Set(['user', 'group', 'tag']),
  autoApprover: new Set(['user', 'group', 'tag']),
  nodeAttrs: new Set(['wildcard', 'user', 'domainUsers', 'group', 'tag', 'ip', 'cidr', 'host']),
  ipset: new Set(['ip', 'cidr', 'ipset']),
  via: new Set(['tag']),
};

function notAllowedMessage(position: SelectorPosition, text: string): string {
  switch (position) {
    case 'src':
      return `"${text}" not valid on the src side of a rule`;
    case 'dst':
      return `"${text}" not valid on the dst side of a rule`;
    case 'sshSrc':
      return `invalid src "${text}"`;
    case 'sshDst':
      return `invalid dst "${text}"`;
    case 'tagOwner':
      return `invalid owner "${text}"`;
    case 'autoApprover':
      return `invalid auto approver "${text}"`;
    case 'nodeAttrs':
      return `"${text}": invalid address`;
    case 'via':
      return 'via can only be a tag';
    case 'ipset':
      return `"${text}" cannot be used in an ipset`;
  }
}

const USER_ONLY_POSITIONS: ReadonlySet<SelectorPosition> = new Set(['sshSrc', 'tagOwner', 'autoApprover']);

/** Validates one selector at one site; returns the classification so callers can apply rule-level checks. */
export function checkSelector(ctx: ValidationContext, raw: string, where: SelectorSite): Selector {
  const sel = classifySelector(raw);
  const err = (code: Parameters<ValidationContext['error']>[0], message: string, hint?: string) =>
    ctx.error(code, where.path, where.frame(message), hint);
  const C = ctx.codes;
  if (sel.kind === 'autogroup') {
    checkAutogroup(ctx, sel.name, where);
    return sel;
  }
  if (sel.kind === 'invalid') {
    err(
      C.invalidAddress,
      `"${sel.text}": invalid address`,
      'use a user, group:, tag:, autogroup:, host alias, IP or CIDR',
    );
    return sel;
  }
  if (!KINDS_BY_POSITION[where.position].has(sel.kind)) {
    if (sel.kind === 'host' && USER_ONLY_POSITIONS.has(where.position) && ctx.dialect === 'headscale') {
      err(
        C.invalidUser,
        `username must contain @, got: "${sel.text}"`,
        `write "${sel.text}@" for a user without e-mail`,
      );
    } else {
      err(C.invalidSelector, notAllowedMessage(where.position, sel.text), allowedHint(where.position));
    }
    return sel;
  }
  checkReference(ctx, sel, where);
  return sel;
}

function allowedHint(position: SelectorPosition): string {
  const kinds = [...KINDS_BY_POSITION[position]].join(', ');
  const groups = Object.values(AUTOGROUPS)
    .filter((a) => a.positions[position] !== 'no')
    .map((a) => a.name);
  return `allowed here: ${kinds}${groups.length ? `, ${groups.join(', ')}` : ''}`;
}

/** Undefined tags, groups, hosts, ipsets; foreign domains (§8, §12). */
function checkReference(ctx: ValidationContext, sel: Selector, where: SelectorSite): void {
  const C = ctx.codes;
  const err = (code: Parameters<ValidationContext['error']>[0], message: string, hint?: string) =>
    ctx.error(code, where.path, where.frame(message), hint);
  switch (sel.kind) {
    case 'tag':
      if (!ctx.hasTag(sel.name)) {
        const message = where.position === 'via' ? `tag "${sel.name}" not found` : `tag not found: "${sel.name}"`;
        err(C.undefinedTag, message, `define it in tagOwners, e.g. "${sel.name}": ["autogroup:admin"]`);
      }
      return;
    case 'group':
      // Synced groups (`group:team@example.com`) come from the identity provider, not from `groups` (§3.1).
      if (!sel.name.includes('@') && !ctx.defs.groups.has(sel.name)) {
        const message =
          ctx.dialect === 'headscale' ? `group not defined in policy: "${sel.name}"` : `group not found: "${sel.name}"`;
        err(C.undefinedGroup, message, `define it in groups, e.g. "${sel.name}": ["alice@example.com"]`);
      }
      return;
    case 'host':
      if (!ctx.defs.hosts.has(sel.name)) {
        const message =
          ctx.dialect === 'headscale' ? `host not defined in policy: "${sel.name}"` : `host not found: "${sel.name}"`;
        err(C.undefinedHost, message, `define it in hosts, or write a user as a login with "@"`);
      }
      return;
    case 'ipset':
      if (ctx.dialect === 'headscale')
        err(C.unsupportedInDialect, `ipsets are not supported by headscale: "${sel.name}"`);
      else if (!ctx.defs.ipsets.has(sel.name))
        err(C.undefinedName, `ipset not found: "${sel.name}"`, 'define it in ipsets');
      return;
    case 'domainUsers':
      checkDomain(ctx, sel.domain, where);
      return;
    default:
      return;
  }
}

export function checkDomain(ctx: ValidationContext, domain: string, where: SelectorSite): void {
  if (ctx.dialect === 'headscale' && domain === 'passkey') {
    ctx.error(ctx.codes.unsupportedInDialect, where.path, 'user:*@passkey is not supported by headscale');
    return;
  }
  if (!ctx.isForeignDomain(domain)) return;
  const prefix = where.position === 'sshSrc' ? '[ssh] ' : '';
  ctx.error(
    ctx.codes.foreignDomain,
    where.path,
    `${prefix}${domain} is not associated with this Tailnet and cannot be used in user:*@<domain> expressions`,
    `use one of the tailnet domains: ${(ctx.options.tailnetDomains ?? []).join(', ')}`,
  );
}

function checkAutogroup(ctx: ValidationContext, name: string, where: SelectorSite): void {
  const C = ctx.codes;
  const info = AUTOGROUPS[name];
  const known = info && (ctx.dialect === 'tailscale' || info.headscale);
  if (!known) {
    const names = autogroupNames(ctx.dialect);
    if (name === 'autogroup:nonroot' && ctx.dialect === 'tailscale') {
      ctx.error(C.autogroupNotAllowed, where.path, where.frame(`"${name}" is only valid in ssh users`));
      return;
    }
    if (where.position === 'nodeAttrs' && ctx.dialect === 'tailscale') {
      ctx.error(C.invalidAddress, where.path, `"${name}": invalid address`);
      return;
    }
    ctx.error(
      C.unknownAutogroup,
      where.path,
      where.frame(`invalid autogroup: got "${name}", must be one of [${names.join(', ')}]`),
    );
    return;
  }
  if (name === 'autogroup:member' || name === 'autogroup:members') noteMemberSpelling(ctx, name, where.path);
  if (info.positions[where.position] !== 'no') return;
  ctx.error(...autogroupPositionError(ctx, name, where));
}

function autogroupPositionError(
  ctx: ValidationContext,
  name: string,
  where: SelectorSite,
): Parameters<ValidationContext['error']> {
  const C = ctx.codes;
  if (where.position === 'nodeAttrs' && name === 'autogroup:self') {
    // §3.2: SaaS answers HTTP 500 for this; we report it as an error with a useful hint.
    return [C.internalServerError, where.path, 'internal server error', 'autogroup:self cannot be a nodeAttrs target'];
  }
  if (where.position === 'src' && name === 'autogroup:self') {
    return [
      C.selfAsSource,
      where.path,
      `"${name}" not valid on the src side of a rule`,
      'use autogroup:member as src and autogroup:self as dst',
    ];
  }
  if (where.position === 'dst' && name === 'autogroup:danger-all') {
    return [
      C.dangerAllAsDestination,
      where.path,
      'cannot use autogroup:danger-all as a dst',
      'use "*" to allow every destination',
    ];
  }
  return [
    C.autogroupNotAllowed,
    where.path,
    where.frame(notAllowedMessage(where.position, name)),
    allowedHint(where.position),
  ];
}

const MEMBER_SPELLINGS = new WeakMap<ValidationContext, Map<string, JsonPath>>();

/** §2: the legacy `autogroup:members` works, but not together with `autogroup:member` in one file. */
function noteMemberSpelling(ctx: ValidationContext, name: string, path: JsonPath): void {
  const seen = MEMBER_SPELLINGS.get(ctx) ?? new Map<string, JsonPath>();
  MEMBER_SPELLINGS.set(ctx, seen);
  if (seen.has(name)) return;
  seen.set(name, path);
  if (seen.size === 2) {
    ctx.error(
      ctx.codes.mixedMemberSpelling,
      path,
      'autogroup:member and autogroup:members cannot both be used in one policy',
      'use autogroup:member everywhere',
    );
  }
}
