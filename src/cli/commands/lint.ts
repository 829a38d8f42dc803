import type { Diagnostic } from '../../core/diagnostics';
import type { Dialect } from '../../policy';
import { lintPolicy } from '../../policy/lint';
import { EXIT } from '../exit';
import { diagnosticJson, formatDiagnosticStyled, out, outJson, plural, styleFor } from '../output';
import { inventoryProblem, loadInventoryFile, loadPolicyFile } from '../policy-files';

export interface LintOptions {
  readonly devices?: string;
  readonly dialect?: Dialect;
  readonly json?: boolean;
}

/**
 * `tailnet-cdk lint <policy> [--devices <file>]`: the TN6xxx findings of src/policy/lint.ts (after validation, whose
 * errors come first). Exit 1 when there is an error or a warning; infos alone pass.
 */
export function run(policyFile: string, opts: LintOptions): number {
  const dialect = opts.dialect ?? 'tailscale';
  const loaded = loadPolicyFile(policyFile, dialect);
  const diagnostics: Diagnostic[] = [...loaded.validation.diagnostics];
  const parsed = opts.devices ? loadInventoryFile(opts.devices) : undefined;
  if (parsed && !parsed.inventory) diagnostics.push(...inventoryProblem(parsed, opts.devices!));
  const { policy, source } = loaded.validation;
  if (policy && source && (!parsed || parsed.inventory)) {
    diagnostics.push(
      ...lintPolicy({ policy, source }, { dialect, ...(parsed?.inventory ? { inventory: parsed.inventory } : {}) }),
    );
  }
  const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  const failed = count('error') + count('warning') > 0;
  if (opts.json) {
    outJson({
      policy: policyFile,
      ...(opts.devices ? { devices: opts.devices } : {}),
      clean: !failed,
      diagnostics: diagnostics.map(diagnosticJson),
    });
    return failed ? EXIT.findings : EXIT.ok;
  }
  const style = styleFor();
  for (const d of diagnostics) out(formatDiagnosticStyled(d, style));
  const parts = [
    plural(count('error'), 'error'),
    plural(count('warning'), 'warning'),
    plural(count('info'), 'info', 'infos'),
  ];
  out(`${failed ? style.yellow('lint') : style.green('lint')} ${policyFile}: ${parts.join(', ')}`);
  return failed ? EXIT.findings : EXIT.ok;
}
