import type { Diagnostic } from '../../core/diagnostics';
import { type Dialect, type Inventory, runPolicyTests, type TestResult, withRepresentativeDevices } from '../../policy';
import { type CompiledPolicy, compilePolicy } from '../../policy/compile';
import { explainAccess } from '../../policy/explain';
import type { RuleVerdict } from '../../policy/explain-reasons';
import { explainSsh } from '../../policy/explain-ssh';
import { classifySelector, splitTestDestination } from '../../policy/selectors';
import { EXIT, UsageError } from '../exit';
import { diagnosticJson, formatDiagnosticStyled, out, outJson, plural, type Style, styleFor } from '../output';
import {
  EMPTY_INVENTORY,
  formatRule,
  inventoryProblem,
  loadInventoryFile,
  loadPolicyFile,
  type RuleLocator,
  ruleJson,
  siblingDevices,
  siblingServices,
  stacksUnder,
} from '../policy-files';

export interface TestOptions {
  readonly devices?: string;
  readonly dialect?: Dialect;
  readonly json?: boolean;
  readonly out?: string;
}

/**
 * `tailnet-cdk test [<policy>]`: runs `tests` and `sshTests` as Tailscale does on every save (§11), and prints each
 * failing assertion with the rules involved — the rules that let a `deny` through, or for a failed `accept` the
 * nearest rules and why they miss. Without a policy it tests every stack under out/ against its declared
 * devices.json. Identities named by tests that no device carries get a representative device, as synth does.
 */
interface Run {
  readonly policy: string;
  readonly stack?: string;
  readonly devices?: string;
  readonly diagnostics: Diagnostic[];
  readonly results: TestResult[];
  readonly explanations: Map<TestResult, RuleVerdict[]>;
  readonly locate?: RuleLocator;
}

export function run(policyFile: string | undefined, opts: TestOptions): number {
  const targets = policyFile
    ? [{ policy: policyFile, devices: opts.devices ?? siblingDevices(policyFile) }]
    : stacksUnder(opts.out ?? 'out').map((s) => ({ ...s, devices: opts.devices ?? s.devices }));
  if (targets.length === 0) {
    throw new UsageError(
      `no ${opts.out ?? 'out'}/<stack>/policy.hujson found: run tailnet-cdk synth, or name a policy file`,
    );
  }
  const runs = targets.map((t) =>
    testOne(t.policy, t.devices, opts.dialect ?? 'tailscale', 'stack' in t ? String(t.stack) : undefined),
  );
  const failed = runs.some(
    (r) => r.diagnostics.some((d) => d.severity === 'error') || r.results.some((t) => !t.passed),
  );
  if (opts.json) outJson({ passed: !failed, policies: runs.map(runJson) });
  else printRuns(runs, styleFor());
  return failed ? EXIT.findings : EXIT.ok;
}

function testOne(policyFile: string, devicesFile: string | undefined, dialect: Dialect, stack?: string): Run {
  const base = { policy: policyFile, ...(stack ? { stack } : {}), ...(devicesFile ? { devices: devicesFile } : {}) };
  const loaded = loadPolicyFile(policyFile, dialect);
  const parsed = devicesFile ? loadInventoryFile(devicesFile) : { inventory: EMPTY_INVENTORY, diagnostics: [] };
  const empty = { results: [], explanations: new Map() };
  if (!loaded.validation.policy) return { ...base, ...empty, diagnostics: loaded.validation.diagnostics };
  if (!parsed.inventory) return { ...base, ...empty, diagnostics: inventoryProblem(parsed, devicesFile ?? '') };
  const inventory: Inventory = withRepresentativeDevices(loaded.validation.policy, parsed.inventory);
  const services = siblingServices(policyFile);
  const compiled = compilePolicy(loaded.validation.policy, inventory, { dialect, ...(services ? { services } : {}) });
  const results = runPolicyTests(compiled);
  // Explaining a failure walks every rule: done for the first few failures only, so a policy with thousands of
  // failing assertions is still reported in moments (the rest show their devices and rules, as all do).
  const failed = results.filter((r) => !r.passed).slice(0, EXPLAINED_FAILURES);
  const explanations = new Map(failed.map((r) => [r, nearestFor(compiled, r)]));
  return { ...base, diagnostics: loaded.validation.diagnostics, results, explanations, locate: loaded.locate };
}

const EXPLAINED_FAILURES = 10;

/** For a failed `accept`: why the closest rules do not let the first failing source through. */
function nearestFor(compiled: CompiledPolicy, r: TestResult): RuleVerdict[] {
  const first = r.failures[0];
  if (!first || r.expect === 'deny') return [];
  if (r.section === 'sshTests') {
    const at = r.target.indexOf('@');
    const explained = explainSsh(compiled, { src: first.src, dst: first.dst ?? '', login: r.target.slice(0, at) }, 3);
    return explained.ok ? [...explained.value.nearest] : [];
  }
  const split = splitTestDestination(r.target);
  if (!split.ok) return [];
  const dst = destinationOf(compiled, split.value.host);
  const proto = compiled.policy.tests?.[r.index]?.proto ?? 'tcp';
  if (dst === undefined) return [];
  const explained = explainAccess(compiled, { src: first.src, dst, proto, port: split.value.port }, 3);
  return explained.ok ? [...explained.value.nearest] : [];
}

/** A concrete destination for a test host: the first device of an identity, or the address itself. */
function destinationOf(compiled: CompiledPolicy, host: string): string | undefined {
  const sel = classifySelector(host);
  if (sel.kind === 'user' || sel.kind === 'group' || sel.kind === 'tag') {
    const [first] = compiled.resolver.identityOf(sel);
    return first === undefined ? undefined : compiled.devices[first].name;
  }
  if (sel.kind === 'host') return compiled.policy.hosts?.[sel.name];
  return sel.kind === 'ip' ? host : undefined;
}

function printRuns(runs: readonly Run[], style: Style): void {
  for (const r of runs) {
    for (const d of r.diagnostics) out(formatDiagnosticStyled(d, style));
    const failed = r.results.filter((t) => !t.passed);
    const where = `${r.policy}${r.devices ? ` with ${r.devices}` : ''}`;
    if (r.diagnostics.some((d) => d.severity === 'error')) {
      out(`${style.red('invalid')} ${where}`);
      continue;
    }
    for (const t of failed) out(failureLines(t, r, style).join('\n'));
    const count = plural(r.results.length, 'assertion');
    out(
      failed.length === 0
        ? `${style.green('ok')} ${where}: ${count}, all passed`
        : `${style.red('FAILED')} ${where}: ${failed.length} of ${count} failed`,
    );
  }
}

function failureLines(t: TestResult, r: Run, style: Style): string[] {
  const locate = r.locate!;
  const loc = locate(t);
  const lines = [`${style.red('✗')} ${loc.at}${loc.construct ? ` (${loc.construct})` : ''}: ${t.assertion}`];
  if (t.problem) lines.push(`    ${t.problem}`);
  const shown = t.failures.slice(0, 5);
  for (const f of shown) lines.push(`    ${f.src}${f.dst ? ` -> ${f.dst}` : ''}: ${f.got}`);
  if (t.failures.length > shown.length) lines.push(`    … and ${t.failures.length - shown.length} more source devices`);
  if (t.rules.length > 0) {
    lines.push(t.expect === 'deny' ? '  allowed by:' : '  matched:');
    lines.push(...t.rules.map((ref) => `    ${formatRule(ref, locate(ref))}`));
  }
  const nearest = r.explanations.get(t) ?? [];
  if (nearest.length > 0) {
    lines.push('  nearest rules:');
    for (const v of nearest)
      lines.push(`    ${formatRule(v.ref, locate(v.ref))}`, ...v.reasons.map((x) => `      - ${x}`));
  }
  return lines;
}

function runJson(r: Run): Record<string, unknown> {
  const locate = r.locate;
  const failed = r.results.filter((t) => !t.passed).length;
  return {
    policy: r.policy,
    ...(r.stack ? { stack: r.stack } : {}),
    ...(r.devices ? { devices: r.devices } : {}),
    valid: !r.diagnostics.some((d) => d.severity === 'error'),
    diagnostics: r.diagnostics.map(diagnosticJson),
    assertions: r.results.length,
    failed,
    results: r.results.map((t) => ({
      ...(locate ? ruleJson(t, locate(t)) : { section: t.section, index: t.index }),
      assertion: t.assertion,
      expect: t.expect,
      target: t.target,
      passed: t.passed,
      ...(t.problem ? { problem: t.problem } : {}),
      failures: t.failures,
      rules: locate ? t.rules.map((ref) => ruleJson(ref, locate(ref))) : [],
      ...(t.passed
        ? {}
        : {
            nearest: (r.explanations.get(t) ?? []).map((v) => ({
              ...ruleJson(v.ref, locate!(v.ref)),
              reasons: v.reasons,
            })),
          }),
    })),
  };
}
