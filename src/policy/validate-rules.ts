import type { AclRule, Grant } from './model';
import {
  aclProtoPorts,
  parseGrantIp,
  parsePortRange,
  parseProtocol,
  type Selector,
  splitAclDestination,
} from './selectors';
import type { JsonPath } from './source';
import type { ValidationContext } from './validate-context';
import { checkSelector, elementFrame, site, srcFrame } from './validate-selectors';

/** Network rules: `acls` (§4) and `grants` (§6). */

export function validateAcl(ctx: ValidationContext, rule: AclRule, index: number): void {
  const base: JsonPath = ['acls', index];
  const action = rule.action.trim();
  // "allow" is the legacy spelling of accept (§2, stated for tests, possibly ACLs too): accepted, not flagged.
  if (action !== 'accept' && action !== 'allow') {
    const message =
      ctx.dialect === 'headscale'
        ? `action="${action}" is not supported: invalid ACL action`
        : `action="${action}" is not supported`;
    ctx.error(
      ctx.codes.invalidAction,
      [...base, 'action'],
      message,
      'ACLs only allow; use "accept" (access is additive, there is no deny)',
    );
  }
  const sources = rule.src.map((s, j) => checkSelector(ctx, s, site('src', [...base, 'src', j], srcFrame)));
  if (rule.proto !== undefined && rule.proto.trim() !== '') {
    const proto = parseProtocol(rule.proto, ctx.dialect);
    if (!proto.ok)
      ctx.error(ctx.codes.invalidProtocol, [...base, 'proto'], proto.error, 'use tcp, udp, icmp, sctp … or 1-255');
  }
  let selfDestination: JsonPath | undefined;
  rule.dst.forEach((element, j) => {
    const path: JsonPath = [...base, 'dst', j];
    const host = validateAclDestination(ctx, rule, element, path);
    if (host?.kind === 'autogroup' && host.name === 'autogroup:self') selfDestination ??= path;
  });
  // §3.2: ACLs accept `*` with autogroup:self (it behaves like autogroup:member), grants do not.
  if (selfDestination) checkSelfSources(ctx, sources, selfDestination, true);
  checkPostureRefs(ctx, rule.srcPosture, [...base, 'srcPosture']);
}

function validateAclDestination(
  ctx: ValidationContext,
  rule: AclRule,
  element: string,
  path: JsonPath,
): Selector | undefined {
  const split = splitAclDestination(element);
  if (!split.ok) {
    ctx.error(
      ctx.codes.invalidPorts,
      path,
      split.error,
      'write destinations as "<target>:<ports>", e.g. "tag:web:443"',
    );
    return undefined;
  }
  const frame = elementFrame(element);
  const ports = parsePortRange(split.value.ports);
  if (!ports.ok) {
    // Like SaaS, a bad port list is the one problem reported: `autogroup:self` without ports splits into the
    // meaningless host "autogroup" and ports "self" (§4).
    ctx.error(ctx.codes.invalidPorts, path, frame(ports.error), 'ports are "*", N, N-M or a comma list, 1-65535');
    return undefined;
  }
  const host = checkSelector(ctx, split.value.host, site('dst', path, frame));
  const protoPorts = aclProtoPorts(rule.proto, ports.value, ctx.dialect);
  const protoValid = rule.proto === undefined || parseProtocol(rule.proto, ctx.dialect).ok;
  if (!protoPorts.ok && protoValid) {
    ctx.error(ctx.codes.invalidProtocol, path, frame(protoPorts.error), 'only tcp, udp and sctp take specific ports');
  }
  return host;
}

const ALL_ADDRESS_LITERALS = new Set(['0.0.0.0/0', '::/0']);

export function validateGrant(ctx: ValidationContext, grant: Grant, index: number): void {
  const base: JsonPath = ['grants', index];
  const sources = grant.src.map((s, j) => checkSelector(ctx, s, site('src', [...base, 'src', j], srcFrame)));
  let selfDestination: JsonPath | undefined;
  let internetDestination = false;
  grant.dst.forEach((element, j) => {
    const path: JsonPath = [...base, 'dst', j];
    if (ALL_ADDRESS_LITERALS.has(element.trim())) {
      const message = `dst "${element.trim()}": to allow all IP addresses, use "*" or "autogroup:internet"`;
      ctx.error(
        ctx.codes.allAddressesGrant,
        path,
        message,
        'use "*" for everything or "autogroup:internet" for exit-node traffic',
      );
      return;
    }
    const sel = checkSelector(ctx, element, site('dst', path, elementFrame(element)));
    if (sel.kind === 'autogroup' && sel.name === 'autogroup:self') selfDestination ??= path;
    if (sel.kind === 'autogroup' && sel.name === 'autogroup:internet') internetDestination = true;
  });
  if (selfDestination) checkSelfSources(ctx, sources, selfDestination, false);
  validateGrantIp(ctx, grant, base);
  validateAppCapabilities(ctx, grant.app ?? undefined, [...base, 'app'], internetDestination);
  for (const [j, via] of (grant.via ?? []).entries()) checkSelector(ctx, via, site('via', [...base, 'via', j]));
  checkPostureRefs(ctx, grant.srcPosture ?? undefined, [...base, 'srcPosture']);
}

function validateGrantIp(ctx: ValidationContext, grant: Grant, base: JsonPath): void {
  const ip = grant.ip ?? [];
  const app = grant.app ?? {};
  if (ip.length === 0 && Object.keys(app).length === 0) {
    ctx.error(
      ctx.codes.emptyGrant,
      base,
      'ip and app can not both be empty',
      'add "ip": ["*"] (or specific ports) or an "app" capability',
    );
  }
  ip.forEach((element, j) => {
    const parsed = parseGrantIp(element, ctx.dialect);
    if (parsed.ok) return;
    const code = /proto|protocol|colon/.test(parsed.error) ? ctx.codes.invalidProtocol : ctx.codes.invalidPorts;
    ctx.error(code, [...base, 'ip', j], parsed.error, 'write "*", "443", "8000-8100", "tcp:443" or "icmp:*"');
  });
}

/** §3.2, §4.4 of §18: an autogroup:self dst needs user-like sources. */
function checkSelfSources(ctx: ValidationContext, sources: Selector[], path: JsonPath, allowWildcard: boolean): void {
  const bad = sources.find((s) => !isUserLikeSource(s) && !(allowWildcard && s.kind === 'wildcard'));
  if (!bad) return;
  ctx.error(
    ctx.codes.selfWithBadSource,
    path,
    'autogroup:self can only be used with users, groups, or supported autogroups',
    `"${bad.text}" is not a user; move it to a separate rule or use autogroup:member`,
  );
}

const USER_LIKE_AUTOGROUPS = new Set([
  'autogroup:member',
  'autogroup:members',
  'autogroup:admin',
  'autogroup:owner',
  'autogroup:it-admin',
  'autogroup:network-admin',
  'autogroup:billing-admin',
  'autogroup:auditor',
]);

export function isUserLikeSource(s: Selector): boolean {
  if (s.kind === 'user' || s.kind === 'group' || s.kind === 'domainUsers') return true;
  return s.kind === 'autogroup' && USER_LIKE_AUTOGROUPS.has(s.name);
}

/** Capabilities users may grant in the tailscale.com domain (§6; headscale's allowlist adds tsidp and secrets). */
const USER_GRANTABLE_TAILSCALE_CAPS = new Set(
  ['webui', 'relay', 'drive', 'kubernetes', 'tsidp', 'secrets'].map((c) => `tailscale.com/cap/${c}`),
);
const CAP_NAME_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\/\S+$/i;

export function validateAppCapabilities(
  ctx: ValidationContext,
  app: Record<string, unknown[]> | undefined,
  path: JsonPath,
  internetDestination: boolean,
): void {
  if (!app) return;
  const names = Object.keys(app);
  if (internetDestination && names.length > 0) {
    ctx.error(
      ctx.codes.invalidCapability,
      path,
      'cannot use app grants with autogroup:internet',
      'put app capabilities in a grant to tailnet devices',
    );
  }
  for (const name of names) {
    const capPath = [...path, name];
    if (!CAP_NAME_RE.test(name)) {
      ctx.error(
        ctx.codes.invalidCapability,
        capPath,
        'capability name must have the form {domain}/{path}',
        'e.g. "example.com/cap/admin"',
      );
    } else if (name.toLowerCase().startsWith('tailscale.com/') && !USER_GRANTABLE_TAILSCALE_CAPS.has(name)) {
      ctx.error(
        ctx.codes.invalidCapability,
        capPath,
        'capability name must not be in the tailscale.com domain',
        'use your own domain for custom capabilities',
      );
    }
  }
}

export function checkPostureRefs(ctx: ValidationContext, names: readonly string[] | undefined, path: JsonPath): void {
  if (!names) return;
  names.forEach((name, j) => {
    const n = name.trim();
    if (ctx.dialect === 'headscale') {
      ctx.error(ctx.codes.unsupportedInDialect, [...path, j], `postures are not supported by headscale: "${n}"`);
    } else if (!n.startsWith('posture:')) {
      ctx.error(ctx.codes.invalidName, [...path, j], `"${n}": posture names must start with "posture:"`);
    } else if (!ctx.defs.postures.has(n)) {
      ctx.error(ctx.codes.undefinedName, [...path, j], `posture not found: "${n}"`, 'define it in postures');
    }
  });
}
