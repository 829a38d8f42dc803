import type { CompiledPolicy } from './compile';
import { canReach, type Endpoint, protocolNumber, type ReachResult, sshAccess } from './evaluate';
import { reachableSources } from './evaluate-batch';
import type { Device } from './inventory';
import { canonicalIp, parseIp, parsePrefix } from './ip';
import type { PolicyTest, PostureAttributes, RuleRef, SshTest } from './model';
import { classifySelector, splitTestDestination } from './selectors';

/**
 * Runs the policy's `tests` and `sshTests` (§11). A test src is an identity; every device with that identity must
 * pass. Semantics follow the captured SaaS behaviour as headscale reimplements it: an unknown or device-less src
 * fails, a destination must name one address or identity with one port, and a destination identity counts as
 * reached when any of its devices is. sshTests consult only the `ssh` section (the network layer is ignored).
 */
export type Expectation = 'accept' | 'deny' | 'check';

export interface TestFailure {
  /** The source device (or address) that failed. */
  readonly src: string;
  /** What it got: `allowed`, `denied`, or an SSH action. */
  readonly got: string;
  /** For SSH: the destination device; for network tests: the device or address reached, if any. */
  readonly dst?: string;
}

export interface TestResult {
  readonly section: 'tests' | 'sshTests';
  /** Index of the test entry in its section. */
  readonly index: number;
  readonly expect: Expectation;
  /** The asserted destination (`host:port`) or, for sshTests, `login@dst`. */
  readonly target: string;
  /** One line: `alice@example.com -> tag:db:5432 (tcp) should be accepted`. */
  readonly assertion: string;
  readonly passed: boolean;
  readonly failures: readonly TestFailure[];
  /** A malformed entry or an unresolvable name, which fails the test (SaaS reports only "test(s) failed"). */
  readonly problem?: string;
  /** Rules that allowed the traffic (for accept: why it passed; for deny: what broke it). */
  readonly rules: readonly RuleRef[];
}

export function runPolicyTests(compiled: CompiledPolicy): TestResult[] {
  const tests = compiled.policy.tests ?? [];
  const sshTests = compiled.policy.sshTests ?? [];
  return [
    ...tests.flatMap((t, i) => runNetworkTest(compiled, t, i)),
    ...sshTests.flatMap((t, i) => runSshTest(compiled, t, i)),
  ];
}

type Resolution = { readonly endpoints: Endpoint[] } | { readonly problem: string };

/** Devices (or addresses) a test src stands for. */
export function resolveTestSource(compiled: CompiledPolicy, src: string): Resolution {
  const sel = classifySelector(src);
  switch (sel.kind) {
    case 'user':
    case 'group':
    case 'tag': {
      const devices = identityIndices(compiled, sel.text).map((i) => compiled.devices[i]);
      return devices.length > 0 ? { endpoints: devices } : { problem: `src "${sel.text}" matches no device` };
    }
    case 'host':
    case 'ip':
      return singleAddress(compiled, sel.text, 'src');
    default:
      return { problem: `src "${sel.text}" must be a user, group, tag, host or IP` };
  }
}

function singleAddress(compiled: CompiledPolicy, text: string, what: string): Resolution {
  const value = compiled.policy.hosts?.[text] ?? text;
  if (value.includes('/') || !parseIp(value)) return { problem: `${what} "${text}" is not a single IP address` };
  return { endpoints: [value] };
}

function resolveTestDestination(compiled: CompiledPolicy, host: string, src: Endpoint): Resolution {
  const sel = classifySelector(host);
  switch (sel.kind) {
    case 'user':
    case 'group':
    case 'tag': {
      const devices = [...compiled.resolver.identityOf(sel)].map((i) => compiled.devices[i]);
      return devices.length > 0 ? { endpoints: devices } : { problem: `dst "${sel.text}" matches no device` };
    }
    case 'ip':
    case 'host':
      return singleAddress(compiled, sel.text, 'dst');
    case 'service': {
      const addresses = compiled.resolver.options.services?.[sel.name] ?? [];
      return addresses.length > 0
        ? { endpoints: [...addresses] }
        : { problem: `dst "${sel.text}" has no known addresses` };
    }
    case 'autogroup': {
      if (sel.name !== 'autogroup:self' || typeof src === 'string' || !src.user) {
        return { problem: `dst "${sel.text}" cannot be tested` };
      }
      return { endpoints: compiled.devices.filter((d) => d.user === src.user) };
    }
    default:
      return { problem: `dst "${sel.text}" cannot be tested (no CIDRs or wildcards, §11)` };
  }
}

function endpointName(e: Endpoint): string {
  return typeof e === 'string' ? e : e.name;
}

function runNetworkTest(compiled: CompiledPolicy, test: PolicyTest, index: number): TestResult[] {
  const protoText = test.proto?.trim();
  const protos = protoText ? [protoText] : ['tcp', 'udp']; // §11: omitted = either TCP or UDP
  const entries: [Expectation, string][] = [
    ...(test.accept ?? []).map((a): [Expectation, string] => ['accept', a]),
    ...(test.deny ?? []).map((d): [Expectation, string] => ['deny', d]),
  ];
  const base = { section: 'tests' as const, index };
  if (entries.length === 0) {
    return [
      fail(base, 'accept', '', `${test.src}: test has neither accept nor deny`, 'a test needs accept or deny entries'),
    ];
  }
  const source = resolveTestSource(compiled, test.src);
  const badProto = protoText !== undefined && protocolNumber(protoText) === undefined;
  return entries.map(([expect, target]) => {
    const assertion = `${test.src} -> ${target}${protoText ? ` (${protoText})` : ''} should be ${expect === 'accept' ? 'accepted' : 'denied'}`;
    if ('problem' in source) return fail(base, expect, target, assertion, source.problem);
    if (badProto) return fail(base, expect, target, assertion, `unknown proto "${protoText}"`);
    const split = splitTestDestination(target);
    if (!split.ok) return fail(base, expect, target, assertion, split.error);
    return evaluateEntry(
      compiled,
      base,
      expect,
      target,
      assertion,
      source.endpoints,
      split.value,
      protos,
      test.srcPostureAttrs,
    );
  });
}

function evaluateEntry(
  compiled: CompiledPolicy,
  base: { section: 'tests'; index: number },
  expect: Expectation,
  target: string,
  assertion: string,
  sources: Endpoint[],
  dst: { host: string; port: number },
  protos: string[],
  attrs: PostureAttributes | undefined,
): TestResult {
  const failures: TestFailure[] = [];
  const rules = new Map<string, RuleRef>();
  const note = (refs: readonly RuleRef[]) => {
    for (const r of refs) rules.set(`${r.section}:${r.index}`, r);
  };
  const batch = attrs ? undefined : batchEvaluate(compiled, sources, dst, protos);
  if (batch && 'problem' in batch) return fail(base, expect, target, assertion, batch.problem);
  for (const [i, src] of sources.entries()) {
    let allowed: boolean;
    let reachedDst: string | undefined;
    if (batch) {
      allowed = batch.allowed[i];
    } else {
      const dsts = resolveTestDestination(compiled, dst.host, src);
      if ('problem' in dsts) return fail(base, expect, target, assertion, dsts.problem);
      const reach = firstAllowed(compiled, src, dsts.endpoints, protos, dst.port, attrs);
      note(reach?.result.matchedRules ?? []);
      allowed = reach !== undefined;
      reachedDst = reach?.dst;
    }
    if (allowed !== (expect === 'accept')) {
      failures.push({
        src: endpointName(src),
        got: allowed ? 'allowed' : 'denied',
        ...(reachedDst ? { dst: reachedDst } : {}),
      });
    }
  }
  if (batch) note(batch.rules);
  return { ...base, expect, target, assertion, passed: failures.length === 0, failures, rules: [...rules.values()] };
}

/**
 * Device-to-device assertions (the common case) go through the batch evaluator: one pass over the rules at the
 * destinations instead of one canReach per (src, dst, proto). Anything else (addresses, autogroup:self
 * destinations, posture overrides) takes the pair-by-pair path.
 */
function batchEvaluate(
  compiled: CompiledPolicy,
  sources: Endpoint[],
  dst: { host: string; port: number },
  protos: string[],
): { allowed: readonly boolean[]; rules: readonly RuleRef[] } | { problem: string } | undefined {
  const sel = classifySelector(dst.host);
  if (!['user', 'group', 'tag'].includes(sel.kind) || sources.some((s) => typeof s === 'string')) return undefined;
  const dstIndices = identityIndices(compiled, sel.text);
  if (dstIndices.length === 0) return { problem: `dst "${sel.text}" matches no device` };
  const srcIndices = sources.map((s) => deviceIndex(compiled, s as Device));
  return reachableSources(
    compiled,
    srcIndices,
    dstIndices,
    protos.map((p) => protocolNumber(p)!),
    dst.port,
    sel.text,
  );
}

const IDENTITY_INDICES = new WeakMap<CompiledPolicy, Map<string, number[]>>();
const DEVICE_INDEX = new WeakMap<CompiledPolicy, Map<Device, number>>();

/** Device indices of a user, group or tag, cached per compiled policy (tests name the same ones over and over). */
function identityIndices(compiled: CompiledPolicy, text: string): number[] {
  const cache = IDENTITY_INDICES.get(compiled) ?? new Map<string, number[]>();
  IDENTITY_INDICES.set(compiled, cache);
  const indices = cache.get(text) ?? [...compiled.resolver.identityOf(classifySelector(text))];
  cache.set(text, indices);
  return indices;
}

function deviceIndex(compiled: CompiledPolicy, device: Device): number {
  const cache = DEVICE_INDEX.get(compiled) ?? new Map(compiled.devices.map((d, i) => [d, i]));
  DEVICE_INDEX.set(compiled, cache);
  return cache.get(device)!;
}

function firstAllowed(
  compiled: CompiledPolicy,
  src: Endpoint,
  dsts: Endpoint[],
  protos: string[],
  port: number,
  attrs: PostureAttributes | undefined,
): { result: ReachResult; dst: string } | undefined {
  for (const dst of dsts) {
    for (const proto of protos) {
      const result = canReach(compiled, { src, dst, proto, port, ...(attrs ? { srcPostureAttrs: attrs } : {}) });
      if (result.allowed) return { result, dst: endpointName(dst) };
    }
  }
  return undefined;
}

function fail(
  base: Pick<TestResult, 'section' | 'index'>,
  expect: Expectation,
  target: string,
  assertion: string,
  problem: string,
): TestResult {
  return { ...base, expect, target, assertion, passed: false, failures: [], problem, rules: [] };
}

function resolveSshDestination(compiled: CompiledPolicy, text: string): Resolution {
  const sel = classifySelector(text);
  if (sel.kind === 'user' || sel.kind === 'tag' || sel.kind === 'group') {
    const devices = [...compiled.resolver.identityOf(sel)].map((i) => compiled.devices[i]);
    return devices.length > 0 ? { endpoints: devices } : { problem: `dst "${sel.text}" matches no device` };
  }
  if (sel.kind === 'host' || sel.kind === 'ip') {
    const value = compiled.policy.hosts?.[sel.text] ?? sel.text;
    // §11: a bare IPv6 dst parses but fails on SaaS.
    if (parsePrefix(value)?.family === 6) return { problem: `dst "${sel.text}": IPv6 destinations fail in sshTests` };
    const resolved = singleAddress(compiled, sel.text, 'dst');
    if ('problem' in resolved) return resolved;
    const device = compiled.deviceByAddress.get(canonicalIp(String(resolved.endpoints[0])) ?? '');
    return device !== undefined
      ? { endpoints: [compiled.devices[device]] }
      : { problem: `dst "${sel.text}" is no device` };
  }
  return { problem: `SSH tests dst contains disallowed element "${sel.text}"` };
}

function runSshTest(compiled: CompiledPolicy, test: SshTest, index: number): TestResult[] {
  const base = { section: 'sshTests' as const, index };
  const source = resolveTestSource(compiled, test.src);
  const results: TestResult[] = [];
  for (const dstText of test.dst) {
    const dst = resolveSshDestination(compiled, dstText);
    for (const expect of ['accept', 'check', 'deny'] as const) {
      for (const login of test[expect] ?? []) {
        const target = `${login}@${dstText}`;
        const assertion = `${test.src} ssh ${target} should be ${expect === 'deny' ? 'denied' : expect === 'check' ? 'checked' : 'accepted'}`;
        const problem =
          'problem' in source
            ? source.problem
            : 'problem' in dst
              ? dst.problem
              : login.trim() === ''
                ? 'empty login'
                : undefined;
        if (problem || 'problem' in source || 'problem' in dst) {
          results.push(fail(base, expect, target, assertion, problem ?? ''));
          continue;
        }
        results.push(
          evaluateSshEntry(
            compiled,
            base,
            expect,
            target,
            assertion,
            source.endpoints,
            dst.endpoints,
            login.trim(),
            test.srcPostureAttrs,
          ),
        );
      }
    }
  }
  return results;
}

function evaluateSshEntry(
  compiled: CompiledPolicy,
  base: { section: 'sshTests'; index: number },
  expect: Expectation,
  target: string,
  assertion: string,
  sources: Endpoint[],
  dsts: Endpoint[],
  login: string,
  attrs: PostureAttributes | undefined,
): TestResult {
  const failures: TestFailure[] = [];
  const rules = new Map<string, RuleRef>();
  for (const src of sources) {
    for (const dst of dsts) {
      const r = sshAccess(compiled, { src, dst, login, ...(attrs ? { srcPostureAttrs: attrs } : {}) });
      for (const ref of r.matchedRules) rules.set(`${ref.section}:${ref.index}`, ref);
      const ok = expect === 'accept' ? r.action !== 'deny' : r.action === expect;
      if (!ok) failures.push({ src: endpointName(src), dst: endpointName(dst), got: r.action });
    }
  }
  return { ...base, expect, target, assertion, passed: failures.length === 0, failures, rules: [...rules.values()] };
}
