import { printJson } from '../core/canonical/json';
import type { DriftFinding, DriftReport } from './drift';

/** The drift report as text (terminal), markdown (a pull-request or issue comment) or JSON (machines). */
export type DriftFormat = 'text' | 'markdown' | 'json';

export function formatDrift(report: DriftReport, format: DriftFormat): string {
  if (format === 'json') return printJson({ ...report, drift: report.findings.length > 0 });
  return format === 'markdown' ? markdown(report) : text(report);
}

function policyLine(r: DriftReport): string {
  const p = r.policy;
  const text = p.textDiffers
    ? `text differs (live ETag ${short(p.liveEtag)}, synthesized ${short(p.localEtag)})`
    : `text matches (ETag ${short(p.liveEtag)})`;
  const meaning =
    p.changedSections.length > 0 ? `sections that differ: ${p.changedSections.join(', ')}` : 'same meaning';
  const access = p.accessChanges > 0 ? `; ${p.accessChanges} access change(s) on the live devices` : '';
  return `${text}; ${meaning}${access}`;
}

function devicesLine(r: DriftReport): string {
  return r.devices
    ? `${r.devices.declared} declared, ${r.devices.live} on the tailnet`
    : 'the stack declares no devices (no devices.json): not compared';
}

function text(r: DriftReport): string {
  const lines = [
    `drift of stack "${r.stack}" against tailnet "${r.tailnet}"`,
    `policy: ${policyLine(r)}`,
    `devices: ${devicesLine(r)}`,
  ];
  for (const f of r.findings) {
    lines.push(`  ${f.code} [${f.subject}] ${f.message}`, ...f.details.map((d) => `      ${d}`));
  }
  lines.push(
    r.findings.length === 0 ? 'no drift' : `${r.findings.length} finding(s): the tailnet has drifted from the stack`,
  );
  return `${lines.join('\n')}\n`;
}

function markdown(r: DriftReport): string {
  const out = [
    `## Drift of \`${r.stack}\` against tailnet \`${r.tailnet}\``,
    '',
    `- **Policy:** ${policyLine(r)}`,
    `- **Devices:** ${devicesLine(r)}`,
    '',
  ];
  if (r.findings.length === 0) return `${[...out, 'No drift.'].join('\n')}\n`;
  out.push('| code | subject | finding |', '| --- | --- | --- |', ...r.findings.map(row), '');
  const detailed = r.findings.filter((f) => f.details.length > 0);
  for (const f of detailed)
    out.push(`<details><summary>${cell(f.subject)}</summary>`, '', '```diff', ...f.details, '```', '</details>', '');
  out.push(`**${r.findings.length} finding(s):** the tailnet has drifted from the stack.`);
  return `${out.join('\n')}\n`;
}

function row(f: DriftFinding): string {
  return `| ${f.code} | \`${cell(f.subject)}\` | ${cell(f.message)} |`;
}

/** Table cells cannot hold `|` or line breaks. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function short(etag: string): string {
  return etag.length > 12 ? `${etag.slice(0, 12)}…` : etag || '(none)';
}
