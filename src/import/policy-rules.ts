import { Ip, type PortSpec, PROTOCOLS } from '../constructs/ports';
import {
  type AclRule,
  type Grant,
  type NodeAttr,
  type PolicyTest,
  parseProtocol,
  type SshRule,
  type SshTest,
} from '../policy';
import { splitAclDestination, splitTestDestination } from '../policy/selectors';
import type { ImportContext, Statement } from './policy-context';
import { arr, call, type Expr, jsonExpr, obj, raw, str, strs } from './ts-code';

/**
 * Rules (acls, grants, ssh, nodeAttrs) and tests as construct calls. Rule ids are zero-padded section counters
 * (`Grant03…`): the policy emitter orders rules by construct path, so the synthesized policy keeps the file's
 * order, which matters for ssh (the first matching rule decides) and keeps diffs small elsewhere.
 */
export function grantStatements(ctx: ImportContext): Statement[] {
  const grants = ctx.policy.grants ?? [];
  return grants.map((g: Grant, i) => {
    const id = ctx.ruleId('Grant', i, grants.length, g.src[0], g.dst[0]);
    const props = obj([
      ['src', arr(ctx.selectors.list(g.src, ['src']))],
      ['dst', arr(ctx.selectors.list(g.dst, ['dst']))],
      ['ip', g.ip?.length ? arr(g.ip.map((t) => ipExpr(ctx, t))) : undefined],
      ['app', g.app && Object.keys(g.app).length > 0 ? jsonExpr(g.app) : undefined],
      ['via', g.via?.length ? arr(ctx.selectors.list(g.via, ['via'])) : undefined],
      ['srcPosture', g.srcPosture?.length ? arr(ctx.postureNames(g.srcPosture)) : undefined],
    ]);
    return rule(ctx, 'grants', i, call('this.addGrant', str(id), props));
  });
}

/** ACLs stay ACLs (`AclRule`): rewriting them as grants is a separate, reviewable change. */
export function aclStatements(ctx: ImportContext): Statement[] {
  const acls = ctx.policy.acls ?? [];
  return acls.map((a: AclRule, i) => {
    const dsts = a.dst.map((d) => splitAclDestination(d));
    const firstDst = dsts[0]?.ok ? dsts[0].value.host : undefined;
    const id = ctx.ruleId('Acl', i, acls.length, a.src[0], firstDst);
    const props = obj([
      ['src', arr(ctx.selectors.list(a.src, ['src']))],
      ['proto', a.proto === undefined ? undefined : protoExpr(a.proto)],
      ['dst', arr(dsts.flatMap((d) => (d.ok ? [aclDestination(ctx, d.value.host, d.value.ports)] : [])))],
      ['srcPosture', a.srcPosture?.length ? arr(ctx.postureNames(a.srcPosture)) : undefined],
    ]);
    return rule(ctx, 'acls', i, call('this.addAclRule', str(id), props));
  });
}

export function sshStatements(ctx: ImportContext): Statement[] {
  const rules = ctx.policy.ssh ?? [];
  return rules.map((r: SshRule, i) => {
    const id = ctx.ruleId('Ssh', i, rules.length, r.src[0], r.dst[0]);
    const props = obj([
      ['action', r.action === 'check' ? str('check') : undefined],
      ['src', arr(ctx.selectors.list(r.src, ['sshSrc']))],
      ['dst', arr(ctx.selectors.list(r.dst, ['sshDst']))],
      ['users', arr((r.users ?? []).map((u) => sshUserExpr(ctx, u)))],
      ['checkPeriod', r.checkPeriod ? str(r.checkPeriod) : undefined],
      ['acceptEnv', r.acceptEnv?.length ? strs(r.acceptEnv) : undefined],
      ['srcPosture', r.srcPosture?.length ? arr(ctx.postureNames(r.srcPosture)) : undefined],
    ]);
    return rule(ctx, 'ssh', i, call('this.addSshRule', str(id), props));
  });
}

export function nodeAttrStatements(ctx: ImportContext): Statement[] {
  const attrs = ctx.policy.nodeAttrs ?? [];
  return attrs.map((n: NodeAttr, i) => {
    ctx.imports.add('NodeAttr');
    const id = ctx.ruleId('NodeAttr', i, attrs.length, n.target[0]);
    const props = obj([
      ['target', arr(ctx.selectors.list(n.target, ['nodeAttr']))],
      ['attr', n.attr?.length ? strs(n.attr) : undefined],
      ['app', n.app && Object.keys(n.app).length > 0 ? jsonExpr(n.app) : undefined],
      ['ipPool', n.ipPool?.length ? strs(n.ipPool) : undefined],
    ]);
    return rule(ctx, 'nodeAttrs', i, call('new NodeAttr', raw('this'), str(id), props));
  });
}

/**
 * `tests` as `this.expect(src).canReach(dst, port)…`. `expect` keeps one test per source and protocol, so entries
 * sharing source, protocol and posture attributes are merged: each assertion is checked on its own, so the merged
 * test asserts exactly the same. An entry whose source and protocol `expect` already holds with other posture
 * attributes becomes a `PolicyTest` of its own.
 */
export function testStatements(ctx: ImportContext): Statement[] {
  const groups = new Map<string, { test: PolicyTest; chain: Expr[]; comments: string[] }>();
  (ctx.policy.tests ?? []).forEach((t, i) => {
    const key = `${t.src.trim()}\n${t.proto ?? ''}\n${JSON.stringify(t.srcPostureAttrs ?? {})}`;
    if (!groups.has(key)) groups.set(key, { test: t, chain: [], comments: [] });
    const g = groups.get(key)!;
    g.comments.push(...(i === 0 ? ctx.comments(['tests']) : []), ...ctx.comments(['tests', i]));
    for (const [method, targets] of [
      ['canReach', t.accept],
      ['cannotReach', t.deny],
    ] as const) {
      for (const target of targets ?? []) {
        const d = splitTestDestination(target);
        if (d.ok) g.chain.push(call(method, ctx.selectors.expr(d.value.host, ['testDst']), raw(String(d.value.port))));
      }
    }
  });
  const bySource = new Set<string>();
  return [...groups.values()].map(({ test, chain, comments }, i) => {
    const src = ctx.selectors.expr(test.src, ['testSrc']);
    const first = !bySource.has(`${test.src.trim()}\n${test.proto ?? ''}`);
    bySource.add(`${test.src.trim()}\n${test.proto ?? ''}`);
    if (first) return { comments, expr: call('this.expect', src, ...expectOptions(test)), chain };
    ctx.imports.add('PolicyTest');
    const id = ctx.ruleId('Test', i, groups.size, test.src);
    const props = obj([['src', src], ...testOptionEntries(test)]);
    return { comments, expr: call('new PolicyTest', raw('this'), str(id), props), chain };
  });
}

/** `expect(src)`, `expect(src, 'udp')` or `expect(src, { proto, srcPostureAttrs })`. */
function expectOptions(t: PolicyTest): Expr[] {
  const entries = testOptionEntries(t);
  if (entries.length === 0) return [];
  return entries.length === 1 && entries[0][0] === 'proto' ? [entries[0][1]] : [obj(entries)];
}

function testOptionEntries(t: PolicyTest | SshTest): [string, Expr][] {
  const out: [string, Expr][] = [];
  if ('proto' in t && t.proto) out.push(['proto', str(t.proto)]);
  if (t.srcPostureAttrs && Object.keys(t.srcPostureAttrs).length > 0)
    out.push(['srcPostureAttrs', jsonExpr(t.srcPostureAttrs)]);
  return out;
}

export function sshTestStatements(ctx: ImportContext): Statement[] {
  const tests = ctx.policy.sshTests ?? [];
  return tests.map((t: SshTest, i) => {
    const id = ctx.ruleId('SshTest', i, tests.length, t.src);
    const props = obj([
      ['src', ctx.selectors.expr(t.src, ['testSrc'])],
      ['dst', arr(ctx.selectors.list(t.dst, ['sshDst', 'testDst']))],
      ['accept', t.accept?.length ? strs(t.accept) : undefined],
      ['check', t.check?.length ? strs(t.check) : undefined],
      ['deny', t.deny?.length ? strs(t.deny) : undefined],
      ...testOptionEntries(t),
    ]);
    return rule(ctx, 'sshTests', i, call('this.expectSsh', str(id), props));
  });
}

/** A grant `ip` entry through `Ip`, checked to print back the same text; anything else as a literal capability. */
function ipExpr(ctx: ImportContext, text: string): Expr {
  const t = text.trim();
  ctx.imports.add('Ip');
  if (t === '*') return raw('Ip.ALL');
  const ported = /^(?:(tcp|udp|sctp):)?([0-9*,-]+)$/.exec(t);
  if (ported) {
    const fn = (ported[1] ?? 'ports') as 'ports' | 'tcp' | 'udp' | 'sctp';
    const ports = portList(ported[2]);
    const made = Ip[fn](...ports);
    if (made.text === t && !made.problem) return call(`Ip.${fn}`, ...ports.map(portExpr));
  }
  const whole = /^([A-Za-z0-9-]+):\*$/.exec(t);
  if (whole && ((PROTOCOLS as readonly string[]).includes(whole[1]) || /^\d+$/.test(whole[1]))) {
    const proto = /^\d+$/.test(whole[1]) ? Number(whole[1]) : whole[1];
    if (!Ip.proto(proto as never).problem)
      return call('Ip.proto', typeof proto === 'number' ? raw(String(proto)) : str(proto));
  }
  return obj([['text', str(t)]]);
}

function aclDestination(ctx: ImportContext, host: string, ports: string): Expr {
  return obj([
    ['target', ctx.selectors.expr(host, ['dst'])],
    ['ports', arr(portList(ports).map(portExpr))],
  ]);
}

function portList(text: string): PortSpec[] {
  return text.split(',').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function portExpr(p: PortSpec): Expr {
  return typeof p === 'number' ? raw(String(p)) : str(p);
}

/** `AclRule.proto` takes a protocol name it knows or an IANA number; other spellings become the number. */
function protoExpr(proto: string): Expr {
  const p = proto.trim();
  if ((PROTOCOLS as readonly string[]).includes(p)) return str(p);
  const n = parseProtocol(p);
  return raw(n.ok ? String(n.value) : p);
}

function sshUserExpr(ctx: ImportContext, user: string): Expr {
  const u = user.trim();
  const constant = u === 'root' ? 'SshUser.ROOT' : u === 'autogroup:nonroot' ? 'SshUser.NONROOT' : undefined;
  const localpart = /^localpart:\*@(.+)$/.exec(u);
  if (constant || localpart) ctx.imports.add('SshUser');
  if (constant) return raw(constant);
  if (localpart) return call('SshUser.localpart', str(localpart[1]));
  return str(u);
}

function rule(ctx: ImportContext, section: string, index: number, expr: Expr): Statement {
  const sectionComments = index === 0 ? ctx.comments([section]) : [];
  return { comments: [...sectionComments, ...ctx.comments([section, index])], expr };
}
