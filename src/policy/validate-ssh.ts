import { formatGoDuration, MAX_CHECK_PERIOD_NANOS, parseGoDuration } from './duration';
import type { SshRule, SshTest } from './model';
import { classifySelector, type Selector } from './selectors';
import type { JsonPath } from './source';
import type { ValidationContext } from './validate-context';
import { checkPostureRefs } from './validate-rules';
import { checkDomain, checkSelector, site } from './validate-selectors';

/** Tailscale SSH rules (§7) and sshTests (§11). */

export function validateSshRule(ctx: ValidationContext, rule: SshRule, index: number): void {
  const base: JsonPath = ['ssh', index];
  validateSshAction(ctx, rule, base);
  const sources = rule.src.map((s, j) => checkSelector(ctx, s, site('sshSrc', [...base, 'src', j])));
  const destinations = rule.dst.map((d, j) => {
    const path: JsonPath = [...base, 'dst', j];
    if (d.trim() === '*' && ctx.dialect === 'headscale') {
      ctx.error(ctx.codes.invalidSshDestination, path, 'wildcard (*) is not supported as SSH destination');
      return classifySelector(d);
    }
    return checkSelector(ctx, d, site('sshDst', path));
  });
  for (const [j, dst] of destinations.entries()) checkSecurityModel(ctx, sources, dst, [...base, 'dst', j]);
  validateSshUsers(ctx, rule.users ?? undefined, [...base, 'users']);
  validateCheckPeriod(ctx, rule, base);
  (rule.acceptEnv ?? []).forEach((env, j) => {
    if (env === '')
      ctx.error(
        ctx.codes.invalidAcceptEnv,
        [...base, 'acceptEnv', j],
        'acceptEnv values cannot be empty',
        'remove the empty entry',
      );
  });
  checkPostureRefs(ctx, rule.srcPosture ?? undefined, [...base, 'srcPosture']);
}

function validateSshAction(ctx: ValidationContext, rule: SshRule, base: JsonPath): void {
  // §3.1: whitespace is trimmed; §7: the action itself is case-sensitive.
  const action = (rule.action ?? '').trim();
  if (action === '') {
    ctx.error(ctx.codes.invalidSshAction, [...base, 'action'], 'action must be specified', 'use "accept" or "check"');
  } else if (action !== 'accept' && action !== 'check') {
    ctx.error(
      ctx.codes.invalidSshAction,
      [...base, 'action'],
      `"${action}" is not a valid action`,
      'use "accept" or "check" (lower case)',
    );
  }
}

const isTagSource = (s: Selector) => s.kind === 'tag' || (s.kind === 'autogroup' && s.name === 'autogroup:tagged');

/**
 * §7 security model: tagged sources never reach user-owned devices; a user dst needs exactly that user as src.
 * SaaS wording for these is not captured; the messages are headscale's.
 */
function checkSecurityModel(ctx: ValidationContext, sources: Selector[], dst: Selector, path: JsonPath): void {
  const err = (message: string, hint: string) => ctx.error(ctx.codes.sshSecurityModel, path, message, hint);
  const tagged = sources.some(isTagSource);
  if (dst.kind === 'user') {
    if (tagged)
      err('tags in SSH source cannot access user-owned devices', 'tagged devices may only SSH to tagged devices');
    else if (!sources.every((s) => s.kind === 'user' && s.login === dst.login)) {
      err(
        `user destination requires source to contain only that same user "${dst.login}"`,
        'use autogroup:self for "users to their own devices"',
      );
    }
  } else if (dst.kind === 'autogroup' && dst.name === 'autogroup:self' && tagged) {
    err(
      'autogroup:self destination requires source to contain only users or groups, not tags or autogroup:tagged',
      'split the tag sources into their own rule',
    );
  } else if (
    dst.kind === 'autogroup' &&
    (dst.name === 'autogroup:member' || dst.name === 'autogroup:members') &&
    tagged
  ) {
    err(
      'tags in SSH source cannot access autogroup:member (user-owned devices)',
      'tagged devices may only SSH to tagged devices',
    );
  }
}

function validateSshUsers(ctx: ValidationContext, users: string[] | undefined, path: JsonPath): void {
  if (!users || users.length === 0) {
    ctx.error(ctx.codes.invalidSshUsers, path, 'users must be specified', 'e.g. "users": ["autogroup:nonroot"]');
    return;
  }
  users.forEach((raw, j) => {
    const user = raw.trim();
    if (user === '' || user === '*') {
      ctx.error(
        ctx.codes.invalidSshUsers,
        [...path, j],
        `user "${user}" is not valid`,
        'name a login, "root", "autogroup:nonroot" or "localpart:*@<domain>"',
      );
    } else if (user.startsWith('localpart:*@')) {
      checkDomain(ctx, user.slice('localpart:*@'.length), site('sshDst', [...path, j]));
    }
    // §7: anything else (even "group:foo") is a literal login name; SaaS accepts it.
  });
}

function validateCheckPeriod(ctx: ValidationContext, rule: SshRule, base: JsonPath): void {
  const text = rule.checkPeriod;
  if (text === undefined || text === null) return;
  const path: JsonPath = [...base, 'checkPeriod'];
  if (ctx.dialect === 'headscale' && rule.action?.trim() === 'accept') {
    ctx.error(
      ctx.codes.invalidCheckPeriod,
      path,
      'checkPeriod is only valid with action "check"',
      'remove checkPeriod or use action "check"',
    );
  }
  if (text.trim() === 'always') return;
  const nanos = parseGoDuration(text.trim());
  if (nanos === undefined) {
    ctx.error(
      ctx.codes.invalidCheckPeriod,
      path,
      `time: invalid duration "${text}"`,
      'use a Go duration such as "12h" or "always"',
    );
  } else if (nanos < 0) {
    ctx.error(ctx.codes.invalidCheckPeriod, path, `checkPeriod ${formatGoDuration(nanos)} must be a positive duration`);
  } else if (nanos > MAX_CHECK_PERIOD_NANOS) {
    ctx.error(
      ctx.codes.invalidCheckPeriod,
      path,
      `checkPeriod ${formatGoDuration(nanos)} is above the max (168h)`,
      'use 168h or less',
    );
  }
}

/** §11: sshTests dst takes users, tags, host aliases and bare IPs; no ports, CIDRs or autogroup:internet. */
export function validateSshTest(ctx: ValidationContext, test: SshTest, index: number): void {
  test.dst.forEach((raw, j) => {
    const path: JsonPath = ['sshTests', index, 'dst', j];
    const sel = classifySelector(raw);
    const disallowed =
      sel.kind === 'cidr' || sel.kind === 'wildcard' || (sel.kind === 'autogroup' && sel.name === 'autogroup:internet');
    if (disallowed) {
      ctx.error(
        ctx.codes.invalidTestEntry,
        path,
        `SSH tests dst contains disallowed element "${sel.text}"`,
        'name a device, user, tag or host alias',
      );
    } else if (sel.kind === 'tag' && !ctx.hasTag(sel.name)) {
      ctx.error(
        ctx.codes.invalidTestEntry,
        path,
        `SSH tests dst contains unknown tag "${sel.text}"`,
        'SSH tests take no ports; the tag must be in tagOwners',
      );
    }
  });
}
