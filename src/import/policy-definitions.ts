import { kebab } from '../core/names';
import type { ImportContext, Statement } from './policy-context';
import type { DeclaredKind } from './policy-selectors';
import { call, type Expr, jsonExpr, obj, pascal, raw, str, strs } from './ts-code';

/**
 * The named definitions of a policy (groups, tagOwners, hosts, ipsets, postures) and autoApprovers as construct
 * declarations. Each declaration gets a variable so rules can refer to it as a typed object, and an explicit
 * `name` only when the construct's default (derived from the id) would spell it differently.
 */
export function groupStatements(ctx: ImportContext): Statement[] {
  return Object.entries(ctx.policy.groups ?? {}).map(([name, members], i) => {
    const { id, variable } = declare(ctx, 'group', name);
    const props = obj([
      ['name', nameUnless(name, `group:${kebab(id)}`)],
      ['members', members.length > 0 ? strs(members.map((m) => m.trim())) : undefined],
    ]);
    return statement(ctx, ['groups', name], i, variable, call('this.addGroup', str(id), props));
  });
}

/** Tags in file order; an owner that is a tag declared later (or the tag itself) is named with `Tag.fromName`. */
export function tagStatements(ctx: ImportContext): Statement[] {
  const entries = Object.entries(ctx.policy.tagOwners ?? {});
  return entries.map(([name, owners], i) => {
    const ownerExprs = ctx.selectors.list(owners, ['owner']);
    const { id, variable } = declare(ctx, 'tag', name);
    const extra: string[] = [];
    if (owners.length === 0) {
      ctx.selectors.imports.add('Autogroup');
      ownerExprs.push(raw('Autogroup.ADMIN'));
      extra.push('`[]` in the policy file: shorthand for autogroup:admin (who may apply any tag anyway)');
    }
    const props = obj([
      ['name', nameUnless(name, `tag:${kebab(id)}`)],
      ['owners', { kind: 'array', items: ownerExprs }],
    ]);
    const s = statement(ctx, ['tagOwners', name], i, variable, call('this.addTag', str(id), props));
    return { ...s, comments: [...s.comments, ...extra] };
  });
}

export function hostStatements(ctx: ImportContext): Statement[] {
  return Object.entries(ctx.policy.hosts ?? {}).map(([name, address], i) => {
    ctx.selectors.imports.add('Host');
    const { id, variable } = declare(ctx, 'host', name);
    const props = obj([
      ['name', nameUnless(name, kebab(id))],
      ['address', str(address.trim())],
    ]);
    return statement(ctx, ['hosts', name], i, variable, call('new Host', raw('this'), str(id), props));
  });
}

/** IP sets: the construct writes every addition before every removal, so an interleaved list is reported. */
export function ipsetStatements(ctx: ImportContext): Statement[] {
  return Object.entries(ctx.policy.ipsets ?? {}).map(([name, ops], i) => {
    ctx.selectors.imports.add('IpSet');
    const parsed = ops.map((op) => /^\s*(add|remove)\s+(.*)$/.exec(op) ?? [op, 'add', op.trim()]);
    const firstRemove = parsed.findIndex((p) => p[1] === 'remove');
    if (firstRemove >= 0 && parsed.slice(firstRemove).some((p) => p[1] === 'add')) {
      ctx.warn(
        ['ipsets', name],
        `ipset "${name}": additions after a removal are moved before it`,
        'check that no later addition overlaps a removed entry; IpSet applies all additions, then all removals',
      );
    }
    const { id, variable } = declare(ctx, 'ipset', name);
    const list = (kind: string) => parsed.filter((p) => p[1] === kind).map((p) => ctx.selectors.ipsetEntry(p[2]));
    const removes = list('remove');
    const props = obj([
      ['name', nameUnless(name, `ipset:${kebab(id)}`)],
      ['add', { kind: 'array', items: list('add') }],
      ['remove', removes.length > 0 ? { kind: 'array', items: removes } : undefined],
    ]);
    return statement(ctx, ['ipsets', name], i, variable, call('new IpSet', raw('this'), str(id), props));
  });
}

export function postureStatements(ctx: ImportContext): Statement[] {
  return Object.entries(ctx.policy.postures ?? {}).map(([name, conditions], i) => {
    ctx.selectors.imports.add('Posture');
    const id = ctx.ids.take(name);
    const variable = ctx.vars.take(id, { camel: true });
    ctx.postures.set(name.trim(), variable);
    const props = obj([
      ['name', nameUnless(name, `posture:${kebab(id)}`)],
      ['conditions', strs(conditions.map((c) => c.trim()))],
    ]);
    return statement(ctx, ['postures', name], i, variable, call('new Posture', raw('this'), str(id), props));
  });
}

/**
 * autoApprovers: one `AutoApprover` per distinct approver list, holding every route, service and the exit-node
 * approval of that list. Entries that approve nobody are dropped (they approve nothing).
 */
export function autoApproverStatements(ctx: ImportContext): Statement[] {
  const a = ctx.policy.autoApprovers;
  if (!a) return [];
  const byApprovers = new Map<
    string,
    { approvers: string[]; routes: string[]; services: string[]; exitNode: boolean }
  >();
  const entry = (approvers: readonly string[]) => {
    const sorted = [...new Set(approvers.map((x) => x.trim()))].sort();
    const key = sorted.join('\n');
    if (!byApprovers.has(key)) byApprovers.set(key, { approvers: sorted, routes: [], services: [], exitNode: false });
    return byApprovers.get(key)!;
  };
  for (const [route, approvers] of Object.entries(a.routes ?? {})) {
    if (approvers.length > 0) entry(approvers).routes.push(...routeEntries(ctx, route));
  }
  for (const [service, approvers] of Object.entries(a.services ?? {})) {
    if (approvers.length > 0) entry(approvers).services.push(service.trim());
  }
  if ((a.exitNode ?? []).length > 0) entry(a.exitNode!).exitNode = true;
  return [...byApprovers.values()].map((g, i) => {
    const id = ctx.ids.take(`AutoApprove${pascal(g.approvers[0] ?? '')}`);
    const props = obj([
      ['approvers', { kind: 'array', items: ctx.selectors.list(g.approvers, ['approver']) }],
      ['routes', g.routes.length > 0 ? strs(g.routes) : undefined],
      ['exitNode', g.exitNode ? raw('true') : undefined],
      ['services', g.services.length > 0 ? strs(g.services) : undefined],
    ]);
    const comments = i === 0 ? ctx.comments(['autoApprovers']) : [];
    return { comments, expr: call('this.addAutoApprover', str(id), props) };
  });
}

/**
 * `routes["0.0.0.0/0"]` approves every IPv4 subnet route but never an exit node (facts §9). `AutoApprover`
 * refuses the all-addresses prefix to avoid that confusion, so the two halves, which approve the same routes, stand
 * in for it.
 */
function routeEntries(ctx: ImportContext, route: string): string[] {
  const r = route.trim();
  const halves: Record<string, string[]> = { '0.0.0.0/0': ['0.0.0.0/1', '128.0.0.0/1'], '::/0': ['::/1', '8000::/1'] };
  if (!halves[r]) return [r];
  ctx.warn(
    ['autoApprovers', 'routes', route],
    `autoApprovers route "${r}" is written as ${halves[r].join(' and ')}`,
    'they approve the same subnet routes; exit nodes are approved only by exitNode: true',
  );
  return halves[r];
}

/** Stack props: MagicDNS suffix (with devices), default access, default posture and tailnet-wide settings. */
export function stackProps(ctx: ImportContext, magicDnsSuffix?: string): Expr | undefined {
  const p = ctx.policy;
  const settings = obj(
    (['disableIPv4', 'randomizeClientPort', 'OneCGNATRoute', 'derpMap'] as const).map((k) => [
      k,
      p[k] === undefined ? undefined : jsonExpr(p[k]),
    ]),
  );
  const props = obj([
    ['magicDnsSuffix', magicDnsSuffix ? str(magicDnsSuffix) : undefined],
    ['defaultAccess', p.acls === undefined && p.grants === undefined ? str('allow') : undefined],
    ['defaultSrcPosture', p.defaultSrcPosture?.length ? strs(p.defaultSrcPosture.map((x) => x.trim())) : undefined],
    ['settings', settings.kind === 'object' && settings.entries.length > 0 ? settings : undefined],
  ]);
  return props.kind === 'object' && props.entries.length > 0 ? props : undefined;
}

/** A construct id from the name (`group:eng` → `Eng`) and a variable (`eng`); the selector now resolves to it. */
function declare(ctx: ImportContext, kind: DeclaredKind, name: string): { id: string; variable: string } {
  const id = ctx.ids.take(name, { prefix: kind === 'host' ? 'Host' : 'N' });
  const variable = ctx.vars.take(id, { camel: true });
  ctx.selectors.declared.set(name.trim(), { kind, variable });
  return { id, variable };
}

function nameUnless(name: string, derived: string): Expr | undefined {
  return name.trim() === derived ? undefined : str(name.trim());
}

function statement(
  ctx: ImportContext,
  path: (string | number)[],
  index: number,
  variable: string,
  expr: Expr,
): Statement {
  const section = index === 0 ? ctx.comments([path[0]]) : [];
  return { comments: [...section, ...ctx.comments(path)], lead: `const ${variable} = `, variable, expr };
}
