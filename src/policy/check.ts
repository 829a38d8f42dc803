import { type Diagnostic, sortDiagnostics } from '../core/diagnostics';
import { diag } from '../core/errors';
import { POLICY_CODES } from './codes';
import { type CompiledPolicy, type CompileOptions, compilePolicy } from './compile';
import type { Inventory } from './inventory';
import { type LintOptions, lintPolicy } from './lint';
import { withRepresentativeDevices } from './representatives';
import type { Dialect } from './selectors';
import { positionLabel } from './source';
import { runPolicyTests, type TestResult } from './tests';
import { type PolicyInput, type ValidateOptions, validatePolicy } from './validate';

export interface CheckOptions {
  /** Test identities no device carries get a representative device, as SaaS tests need none (§11). */
  readonly representativeDevices?: boolean;
  /**
   * Also lint the policy (TN6xxx), without the checks that need devices: a declared inventory holds the stack's
   * servers but not its users' own devices, so "matches no device" would be noise there.
   */
  readonly lint?: boolean;
}

export interface PolicyCheck {
  readonly diagnostics: Diagnostic[];
  /** Compiled over the inventory plus, with `representativeDevices`, the representative devices. */
  readonly compiled?: CompiledPolicy;
  readonly testResults: TestResult[];
  /** The lint findings among `diagnostics` (empty without `lint`), for callers that show them apart. */
  readonly lint: Diagnostic[];
  /** The inventory checked against (without representative devices). */
  readonly inventory: Inventory;
}

/**
 * What a policy save does on SaaS: validate, then run `tests`/`sshTests` against the tailnet (§11). Unlike SaaS,
 * which answers only "test(s) failed", each failing assertion gets its own diagnostic at the test's position.
 */
export function checkPolicy(
  input: PolicyInput,
  inventory: Inventory,
  options: ValidateOptions & CompileOptions & CheckOptions,
): PolicyCheck {
  const validation = validatePolicy(input, options);
  if (!validation.policy || !validation.source) {
    return { diagnostics: validation.diagnostics, testResults: [], lint: [], inventory };
  }
  const devices = options.representativeDevices ? withRepresentativeDevices(validation.policy, inventory) : inventory;
  const compiled = compilePolicy(validation.policy, devices, options);
  const testResults = runPolicyTests(compiled);
  const source = validation.source;
  const failures = testResults
    .filter((r) => !r.passed)
    .map((r) => {
      const detail = r.problem ?? r.failures.map((f) => `${f.src}${f.dst ? ` -> ${f.dst}` : ''}: ${f.got}`).join('; ');
      return diag(
        POLICY_CODES.testFailed,
        positionLabel(source, [r.section, r.index]),
        `test(s) failed: ${r.assertion}: ${detail}`,
        'fix the rules or the test; SaaS would reject this policy',
      );
    });
  const lint = options.lint
    ? lintPolicy({ policy: validation.policy, source }, synthLintOptions(options, inventory))
    : [];
  return {
    diagnostics: sortDiagnostics([...validation.diagnostics, ...failures, ...lint]),
    compiled,
    testResults,
    lint,
    inventory,
  };
}

/**
 * How a stack's policy is linted, by synth and by its report alike: the declared inventory counts as devices that
 * exist, but the device-dependent checks stay off (it holds the stack's servers, not its users' own devices).
 */
export function synthLintOptions(options: { readonly dialect?: Dialect }, declared: Inventory): LintOptions {
  return { dialect: options.dialect ?? 'tailscale', declaredDevices: declared };
}
