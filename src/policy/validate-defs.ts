import { parsePrefix, RESERVED_SERVICE_RANGE, rangesOverlap } from './ip';
import { evaluateIpsets } from './ipsets';
import type { AutoApprovers, NodeAttr, PolicyFile } from './model';
import { parsePostureCondition } from './posture';
import { checkTag, classifySelector } from './selectors';
import type { JsonPath } from './source';
import type { ValidationContext } from './validate-context';
import { checkPostureRefs } from './validate-rules';
import { checkSelector, site } from './validate-selectors';

/** Named definitions (§8), autoApprovers (§9) and nodeAttrs (§10). */

export function validateGroups(ctx: ValidationContext, groups: Record<string, string[]>): void {
  for (const [name, members] of Object.entries(groups)) {
    if (!name.startsWith('group:') || name.length === 'group:'.length) {
      ctx.error(
        ctx.codes.invalidName,
        ['groups', name],
        `group name "${name}" must start with "group:"`,
        'e.g. "group:eng"',
      );
    }
    for (const [j, member] of members.entries()) validateGroupMember(ctx, name, member, ['groups', name, j]);
  }
}

function validateGroupMember(ctx: ValidationContext, group: string, member: string, path: JsonPath): void {
  const sel = classifySelector(member);
  const prefix = `groups["${group}"]: "${sel.text}"`;
  if (sel.kind === 'group') {
    ctx.error(
      ctx.codes.nestedGroup,
      path,
      `${prefix}: group members cannot be recursive`,
      `list the members of ${sel.text} directly`,
    );
  } else if (sel.kind === 'user') {
    // fine: a login
  } else if (sel.kind === 'host' && ctx.dialect === 'headscale') {
    ctx.error(
      ctx.codes.invalidUser,
      path,
      `username must contain @, got: "${sel.text}"`,
      `write "${sel.text}@" for a user without e-mail`,
    );
  } else {
    ctx.error(
      ctx.codes.invalidUser,
      path,
      `${prefix}: groups can only contain users`,
      'write users as logins, e.g. "alice@example.com"',
    );
  }
}

export function validateTagOwners(ctx: ValidationContext, tagOwners: Record<string, string[]>): void {
  for (const [tag, owners] of Object.entries(tagOwners)) {
    const problem = checkTag(tag);
    if (problem) {
      ctx.error(
        ctx.codes.invalidTagName,
        ['tagOwners', tag],
        `tagOwners["${tag}"]: ${problem}`,
        'tag names are tag: + an ASCII letter, then letters, digits or dashes',
      );
    }
    const frame = (inner: string) => `tagOwners["${tag}"]: ${inner}`;
    for (const [j, owner] of owners.entries())
      checkSelector(ctx, owner, site('tagOwner', ['tagOwners', tag, j], frame));
  }
}

export function validateHosts(ctx: ValidationContext, hosts: Record<string, string>): void {
  for (const [name, address] of Object.entries(hosts)) {
    const forbidden = ctx.dialect === 'headscale' ? /[@:]/ : /@/;
    if (forbidden.test(name) || name.trim() === '') {
      ctx.error(
        ctx.codes.invalidName,
        ['hosts', name],
        `hosts["${name}"]: host names cannot contain "@"${ctx.dialect === 'headscale' ? ' or ":"' : ''}`,
        'users are written with "@"; pick a plain name for the host alias',
      );
    }
    if (!parsePrefix(address)) {
      ctx.error(
        ctx.codes.invalidAddress,
        ['hosts', name],
        `hostname contains invalid IP address: hostname "${name}" address "${address}"`,
        'use an IP address or a CIDR',
      );
    }
  }
}

export function validateIpsets(ctx: ValidationContext, policy: PolicyFile): void {
  const ipsets = policy.ipsets ?? {};
  for (const name of Object.keys(ipsets)) {
    if (!name.startsWith('ipset:'))
      ctx.error(ctx.codes.invalidName, ['ipsets', name], `ipset name "${name}" must start with "ipset:"`);
  }
  const { problems } = evaluateIpsets(ipsets, policy.hosts ?? {});
  for (const p of problems) {
    const path: JsonPath = p.index === undefined ? ['ipsets', p.name] : ['ipsets', p.name, p.index];
    ctx.error(ctx.codes.invalidIpset, path, `ipsets["${p.name}"]: ${p.message}`);
  }
}

export function validatePostures(ctx: ValidationContext, policy: PolicyFile): void {
  for (const [name, conditions] of Object.entries(policy.postures ?? {})) {
    if (!name.startsWith('posture:'))
      ctx.error(ctx.codes.invalidName, ['postures', name], `posture name "${name}" must start with "posture:"`);
    conditions.forEach((c, j) => {
      const parsed = parsePostureCondition(c);
      if (!parsed.ok)
        ctx.error(
          ctx.codes.invalidPosture,
          ['postures', name, j],
          parsed.error,
          "e.g. \"node:os IN ['macos', 'linux']\"",
        );
    });
  }
  checkPostureRefs(ctx, policy.defaultSrcPosture, ['defaultSrcPosture']);
}

export function validateAutoApprovers(ctx: ValidationContext, approvers: AutoApprovers): void {
  for (const [route, list] of Object.entries(approvers.routes ?? {})) {
    if (!parsePrefix(route) || !route.includes('/')) {
      ctx.error(
        ctx.codes.invalidAddress,
        ['autoApprovers', 'routes', route],
        `autoApprovers.routes: "${route}": invalid prefix`,
        'use a CIDR such as "10.0.0.0/8"',
      );
    }
    for (const [j, a] of list.entries()) checkApprover(ctx, a, ['autoApprovers', 'routes', route, j]);
  }
  for (const [j, a] of (approvers.exitNode ?? []).entries()) checkApprover(ctx, a, ['autoApprovers', 'exitNode', j]);
  for (const [service, list] of Object.entries(approvers.services ?? {})) {
    const key = classifySelector(service);
    if (key.kind === 'tag') checkSelector(ctx, service, site('dst', ['autoApprovers', 'services', service]));
    else if (key.kind !== 'service') {
      ctx.error(
        ctx.codes.invalidSelector,
        ['autoApprovers', 'services', service],
        `autoApprovers.services: "${service}" must be a svc: name or a tag`,
      );
    }
    for (const [j, a] of list.entries()) checkApprover(ctx, a, ['autoApprovers', 'services', service, j]);
  }
}

function checkApprover(ctx: ValidationContext, approver: string, path: JsonPath): void {
  const sel = classifySelector(approver);
  if (ctx.dialect === 'headscale' && sel.kind === 'autogroup') {
    ctx.error(
      ctx.codes.unsupportedInDialect,
      path,
      `invalid auto approver format: "${sel.text}"`,
      'headscale approvers are users, groups or tags',
    );
    return;
  }
  checkSelector(ctx, approver, site('autoApprover', path));
}

export function validateNodeAttr(ctx: ValidationContext, attr: NodeAttr, index: number): void {
  const base: JsonPath = ['nodeAttrs', index];
  attr.target.forEach((t, j) => {
    const sel = classifySelector(t);
    if (
      ctx.dialect === 'headscale' &&
      sel.kind === 'autogroup' &&
      !['autogroup:member', 'autogroup:tagged'].includes(sel.name)
    ) {
      ctx.error(
        ctx.codes.unknownAutogroup,
        [...base, 'target', j],
        `invalid autogroup: got "${sel.name}", must be one of [autogroup:member, autogroup:tagged]`,
      );
      return;
    }
    checkSelector(ctx, t, site('nodeAttrs', [...base, 'target', j]));
  });
  (attr.attr ?? []).forEach((a, j) => {
    if (ctx.dialect === 'headscale' && a === 'funnel') {
      ctx.error(
        ctx.codes.unsupportedInDialect,
        [...base, 'attr', j],
        'the funnel attribute is not supported by headscale',
      );
    }
  });
  for (const [j, pool] of (attr.ipPool ?? []).entries()) validateIpPool(ctx, pool, [...base, 'ipPool', j]);
  for (const name of Object.keys(attr.app ?? {})) {
    if (!/^[^/:\s]+\.[^/:\s]+\/\S+$/.test(name)) {
      ctx.error(
        ctx.codes.invalidCapability,
        [...base, 'app', name],
        'capability name must have the form {domain}/{path}',
      );
    }
  }
}

function validateIpPool(ctx: ValidationContext, pool: string, path: JsonPath): void {
  if (ctx.dialect === 'headscale') {
    ctx.error(ctx.codes.unsupportedInDialect, path, 'ipPool is not supported by headscale');
    return;
  }
  const range = parsePrefix(pool);
  if (!range)
    ctx.error(ctx.codes.invalidAddress, path, `"${pool}": invalid address`, 'use a CIDR inside 100.64.0.0/10');
  else if (rangesOverlap(range, RESERVED_SERVICE_RANGE)) {
    ctx.error(
      ctx.codes.reservedRange,
      path,
      `IPPool(${pool}): network within reserved range`,
      'pick a range outside 100.100.100.0/24',
    );
  }
}
