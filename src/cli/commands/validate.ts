import { hasErrors } from '../../core/diagnostics';
import type { Dialect, PolicyFile } from '../../policy';
import { EXIT } from '../exit';
import { diagnosticJson, formatDiagnosticStyled, out, outJson, plural, styleFor } from '../output';
import { loadPolicyFile } from '../policy-files';

export interface ValidateOptions {
  readonly dialect?: Dialect;
  readonly json?: boolean;
}

/**
 * `tailnet-cdk validate <policy>`: every problem of the file at once, each at `file:line:col`, in Tailscale's
 * wording where it is known. Exit 1 when there is an error (warnings alone pass).
 */
export function run(file: string, opts: ValidateOptions): number {
  const dialect = opts.dialect ?? 'tailscale';
  const { validation } = loadPolicyFile(file, dialect);
  const failed = hasErrors(validation.diagnostics);
  if (opts.json) {
    outJson({
      file,
      dialect,
      valid: !failed,
      ...(validation.policy ? { sections: sectionCounts(validation.policy) } : {}),
      diagnostics: validation.diagnostics.map(diagnosticJson),
    });
    return failed ? EXIT.findings : EXIT.ok;
  }
  const style = styleFor();
  for (const d of validation.diagnostics) out(formatDiagnosticStyled(d, style));
  if (failed) {
    const errors = validation.diagnostics.filter((d) => d.severity === 'error').length;
    out(style.red(`${file}: ${plural(errors, 'error')}`));
    return EXIT.findings;
  }
  out(`${style.green('valid')} ${file} (${dialect}): ${summary(validation.policy ?? {})}`);
  return EXIT.ok;
}

const COUNTED = ['acls', 'grants', 'ssh', 'groups', 'tagOwners', 'hosts', 'ipsets', 'nodeAttrs', 'tests', 'sshTests'];

/** Element counts of the sections present, so a reviewer sees the file was read as intended. */
function sectionCounts(policy: PolicyFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of COUNTED) {
    const value = (policy as Record<string, unknown>)[key];
    if (value === undefined) continue;
    counts[key] = Array.isArray(value) ? value.length : Object.keys(value as object).length;
  }
  return counts;
}

function summary(policy: PolicyFile): string {
  const counts = sectionCounts(policy);
  const parts = Object.entries(counts).map(([k, n]) => `${k} ${n}`);
  const allowAll = policy.acls === undefined && policy.grants === undefined;
  return `${parts.length > 0 ? parts.join(', ') : 'empty'}${allowAll ? ' (no acls or grants: allow-all)' : ''}`;
}
