import { LINT_CODES } from './codes';
import { type CompiledPolicy, compilePolicy } from './compile';
import { sameOwner } from './evaluate';
import type { Inventory } from './inventory';
import { canonicalIp, parseIp } from './ip';
import type { LintReport } from './lint';
import type { PolicyFile, SshTest } from './model';
import { withRepresentativeDevices } from './representatives';
import { classifySelector, type Dialect, splitTestDestination } from './selectors';
import { resolveTestSource } from './tests';

/**
 * Tests that cover no rule: a `deny` assertion between a source and a destination that no acl or grant mentions
 * together (on any port) passes by default deny alone, so it checks nothing about the rules that exist; an sshTests
 * entry that no SSH rule connects likewise. (A failing `accept` is a test failure, reported by `test`.) Tests run
 * against representative devices for their identities, as on SaaS (§11).
 */
export function lintTests(
  policy: PolicyFile,
  options: { readonly dialect: Dialect; readonly inventory?: Inventory },
  report: LintReport,
): void {
  if ((policy.tests ?? []).length === 0 && (policy.sshTests ?? []).length === 0) return;
  const inventory = withRepresentativeDevices(policy, options.inventory ?? { devices: [] });
  const compiled = compilePolicy(policy, inventory, { dialect: options.dialect });
  (policy.tests ?? []).forEach((test, i) => {
    const sources = deviceSources(compiled, test.src);
    const idle = sources ? (test.deny ?? []).filter((target) => !touchesRule(compiled, sources, target)) : [];
    if (idle.length === 0) return;
    report(
      LINT_CODES.testCoversNoRule,
      ['tests', i],
      `${test.src} -> ${idle.join(', ')}: no acl or grant involves this source and destination on any port, so today it passes by default deny alone: it only guards against future rules`,
      'point the test at a pair some rule connects (e.g. another port of an allowed destination), or drop it',
    );
  });
  (policy.sshTests ?? []).forEach((test, i) => {
    if (!sshTestIsIdle(compiled, test)) return;
    report(
      LINT_CODES.testCoversNoRule,
      ['sshTests', i],
      `${test.src} -> ${test.dst.join(', ')}: no SSH rule connects this source and destination, so it only guards against future SSH rules`,
      'point the test at a pair an SSH rule connects, or drop it',
    );
  });
}

/** No SSH rule has one of the test's source devices and one of its destinations (logins aside). */
function sshTestIsIdle(compiled: CompiledPolicy, test: SshTest): boolean {
  const sources = deviceSources(compiled, test.src);
  if (!sources || sources.addresses.length > 0) return false;
  const dsts = test.dst.flatMap((d) => identityDevices(compiled, d));
  if (dsts.length === 0) return false; // an unresolvable destination fails the test itself
  return !compiled.sshUnits.some((u) =>
    sources.devices.some(
      (s) => u.src.has(s) && dsts.some((d) => u.dst.has(d) || (u.dstSelf && sameOwner(compiled, s, d))),
    ),
  );
}

interface Sources {
  readonly devices: number[];
  readonly addresses: string[];
}

function deviceSources(compiled: CompiledPolicy, src: string): Sources | undefined {
  const resolved = resolveTestSource(compiled, src);
  if ('problem' in resolved) return undefined; // a test failure, reported by `test` and synth
  const devices: number[] = [];
  const addresses: string[] = [];
  for (const e of resolved.endpoints) {
    if (typeof e === 'string') addresses.push(e);
    else devices.push(compiled.deviceByName.get(e.name)!);
  }
  return { devices, addresses };
}

function identityDevices(compiled: CompiledPolicy, text: string): number[] {
  const sel = classifySelector(text);
  if (sel.kind === 'user' || sel.kind === 'group' || sel.kind === 'tag') return [...compiled.resolver.identityOf(sel)];
  const ip = sel.kind === 'host' ? compiled.policy.hosts?.[sel.name] : sel.kind === 'ip' ? sel.text : undefined;
  const device = ip === undefined ? undefined : compiled.deviceByAddress.get(canonicalIp(ip) ?? ip);
  return device === undefined ? [] : [device];
}

/** Whether some unit has one of the sources and the destination (any port): the assertion exercises a rule. */
function touchesRule(compiled: CompiledPolicy, sources: Sources, target: string): boolean {
  const split = splitTestDestination(target);
  if (!split.ok) return true; // malformed: a test failure, not a lint finding
  const host = split.value.host;
  const sel = classifySelector(host);
  const dstDevices = identityDevices(compiled, host);
  const address =
    sel.kind === 'ip' ? parseIp(host) : sel.kind === 'host' ? parseIp(compiled.policy.hosts?.[host] ?? '') : undefined;
  const self = sel.kind === 'autogroup' && sel.name === 'autogroup:self';
  const unitTouches = (i: number, s: number | undefined) => {
    const u = compiled.units[i];
    // a Service has no address here (lint runs without its TailVIPs): a grant naming it is what involves it
    if (sel.kind === 'service')
      return u.ref.section === 'grants' && !!compiled.policy.grants?.[u.ref.index]?.dst.includes(host);
    if (dstDevices.some((d) => u.dstV4.has(d) || u.dstV6.has(d))) return true;
    if (u.dstSelf && s !== undefined && (self || dstDevices.some((d) => sameOwner(compiled, s, d)))) return true;
    return address !== undefined && u.dstAddresses.hasIp(address);
  };
  if (sources.devices.some((s) => [...compiled.unitsBySource[s]].some((i) => unitTouches(i, s)))) return true;
  return sources.addresses.some((a) => {
    const ip = parseIp(a);
    return ip !== undefined && compiled.units.some((u, i) => u.srcAddresses.hasIp(ip) && unitTouches(i, undefined));
  });
}
