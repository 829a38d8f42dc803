import type { Diagnostic } from '../core/diagnostics';
import type { AccessChange, AccessPlan, ChangeDirection, PlanRuleRef } from './plan';
import type { EndpointSet } from './plan-describe';
import type { SshLoginChange } from './plan-ssh';

/**
 * Text, Markdown and JSON for `plan`. The Markdown is a pull-request comment: a summary line a reviewer reads
 * first ("2 stacks changed: +3 grants of access, −1"), a table of stacks, then one folded `<details>` block per
 * stack with one row per change and the rule (file:line and construct path) that caused it.
 */
export interface StackPlan {
  /** Stack name, or the policy file for `--before/--after`. */
  readonly name: string;
  /** Where each version came from: `HEAD:out/x/policy.hujson`, `working tree`, a file name, `(none)`. */
  readonly before: string;
  readonly after: string;
  /** Absent when a version is invalid (see diagnostics). */
  readonly plan?: AccessPlan;
  readonly diagnostics: readonly Diagnostic[];
  readonly notes: readonly string[];
}

export interface RuleLabel {
  readonly at: string;
  readonly construct?: string;
  /**
   * What happened to the rule, when the caller can tell (synthesized rules carry their construct path, so a rule
   * of the same construct in both versions was edited).
   */
  readonly status?: 'added' | 'removed' | 'edited';
}

export type RuleNamer = (stack: StackPlan, ref: PlanRuleRef) => RuleLabel;

/** The subset of the CLI's Style the text renderer uses (colour is the caller's choice). */
export interface Paint {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const SIGN: Record<ChangeDirection, string> = { gained: '+', lost: '−', changed: '~' };
const MAX_ROWS = 200;

export interface Totals {
  readonly stacks: number;
  readonly changedStacks: number;
  readonly invalidStacks: number;
  readonly gained: number;
  readonly lost: number;
  readonly changed: number;
}

export function totals(stacks: readonly StackPlan[]): Totals {
  const sum = (f: (p: AccessPlan) => number) => stacks.reduce((n, s) => n + (s.plan ? f(s.plan) : 0), 0);
  return {
    stacks: stacks.length,
    changedStacks: stacks.filter((s) => (s.plan?.changes.length ?? 0) > 0).length,
    invalidStacks: stacks.filter((s) => !s.plan).length,
    gained: sum((p) => p.gained),
    lost: sum((p) => p.lost),
    changed: sum((p) => p.changed),
  };
}

/** `2 stacks changed: +3 grants of access, −1` (or that nothing changed, or that a stack could not be planned). */
export function summaryLine(t: Totals): string {
  const invalid =
    t.invalidStacks > 0 ? `; ${t.invalidStacks} stack${t.invalidStacks === 1 ? '' : 's'} could not be planned` : '';
  if (t.changedStacks === 0) return `no access changes in ${t.stacks} stack${t.stacks === 1 ? '' : 's'}${invalid}`;
  const grants = `+${t.gained} grant${t.gained === 1 ? '' : 's'} of access, −${t.lost}`;
  const changed = t.changed > 0 ? `, ~${t.changed} changed` : '';
  return `${t.changedStacks} stack${t.changedStacks === 1 ? '' : 's'} changed: ${grants}${changed}${invalid}`;
}

function loginText(changes: readonly SshLoginChange[]): string {
  const word = (a: string) => (a === 'deny' ? 'none' : a);
  const name = (l: string) => (l === '*' ? 'any other non-root login' : l);
  const transitions = new Map<string, string[]>();
  for (const c of changes) {
    const key = `${word(c.before)} → ${word(c.after)}`;
    transitions.set(key, [...(transitions.get(key) ?? []), name(c.login)]);
  }
  return [...transitions].map(([t, logins]) => `${logins.join(', ')} (${t})`).join('; ');
}

export function accessText(c: AccessChange): string {
  if (c.kind === 'ssh') return `SSH as ${loginText(c.logins ?? [])}`;
  return `${(c.access ?? []).join(', ')}${c.family ? ` (${c.family} only)` : ''}`;
}

/** Rules of a change, each once: an edited rule appears in both versions but is one rule to the reader. */
function ruleList(
  stack: StackPlan,
  c: AccessChange,
  name: RuleNamer,
): { ref: PlanRuleRef; label: RuleLabel; edited: boolean }[] {
  const bySlot = new Map<string, PlanRuleRef[]>();
  for (const r of c.rules) bySlot.set(`${r.section}:${r.index}`, [...(bySlot.get(`${r.section}:${r.index}`) ?? []), r]);
  return [...bySlot.values()].map((refs) => {
    const ref = refs.find((r) => r.version === 'after') ?? refs[0];
    return { ref, label: name(stack, ref), edited: refs.length > 1 };
  });
}

function status(r: { ref: PlanRuleRef; label: RuleLabel; edited: boolean }): string {
  if (r.edited) return 'edited';
  return r.label.status ?? (r.ref.version === 'before' ? 'removed or edited' : 'added or edited');
}

function ruleText(r: { ref: PlanRuleRef; label: RuleLabel; edited: boolean }): string {
  const what = status(r);
  return `${r.ref.section}[${r.ref.index}] ${r.label.at}${r.label.construct ? ` (${r.label.construct})` : ''}, ${what}`;
}

export function renderText(stacks: readonly StackPlan[], name: RuleNamer, paint: Paint): string {
  const lines: string[] = [];
  for (const s of stacks) {
    const header = `${paint.bold(s.name)} (${s.before} → ${s.after}${s.plan ? `, ${s.plan.devices} devices` : ''})`;
    if (!s.plan) {
      lines.push(
        `${header}: ${paint.red('could not be planned')}`,
        ...s.diagnostics.map((d) => `  ${d.severity} ${d.code} [${d.path}] ${d.message}`),
      );
      continue;
    }
    lines.push(
      `${header}: ${s.plan.changes.length === 0 ? 'no access changes' : `+${s.plan.gained} −${s.plan.lost}${s.plan.changed ? ` ~${s.plan.changed}` : ''}`}`,
    );
    for (const n of s.notes) lines.push(paint.dim(`  note: ${n}`));
    for (const c of s.plan.changes) {
      const sign =
        c.direction === 'gained' ? paint.green('+') : c.direction === 'lost' ? paint.red('−') : paint.yellow('~');
      lines.push(`  ${sign} ${c.src.label} → ${c.dst.label}: ${accessText(c)}`);
      for (const r of ruleList(s, c, name)) lines.push(paint.dim(`      ${ruleText(r)}`));
    }
  }
  lines.push(summaryLine(totals(stacks)));
  return `${lines.join('\n')}\n`;
}

function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function mdEndpoint(e: EndpointSet): string {
  if (e.identities.length === 0) return mdEscape(e.label);
  const rest = e.label.slice(e.label.indexOf(' ('));
  return `${e.identities.map((i) => `\`${i}\``).join(', ')}${mdEscape(rest)}`;
}

function mdRule(r: { ref: PlanRuleRef; label: RuleLabel; edited: boolean }): string {
  const file = r.label.at.replace(/^.*\//, '');
  const what = status(r);
  return `\`${r.ref.section}[${r.ref.index}]\` ${r.label.construct ? `${mdEscape(r.label.construct)} ` : ''}(${mdEscape(file)}, ${what})`;
}

export function renderMarkdown(stacks: readonly StackPlan[], name: RuleNamer): string {
  const t = totals(stacks);
  const out = [`### tailnet-cdk plan: ${summaryLine(t)}`, ''];
  out.push('| stack | devices | gained | lost | changed |', '|---|---:|---:|---:|---:|');
  for (const s of stacks) {
    const p = s.plan;
    out.push(
      p
        ? `| ${mdEscape(s.name)} | ${p.devices} | ${p.gained} | ${p.lost} | ${p.changed} |`
        : `| ${mdEscape(s.name)} | — | — | — | invalid |`,
    );
  }
  for (const s of stacks) {
    if (s.plan && s.plan.changes.length === 0 && s.notes.length === 0) continue;
    const counts = s.plan
      ? `+${s.plan.gained} −${s.plan.lost}${s.plan.changed ? ` ~${s.plan.changed}` : ''}`
      : 'could not be planned';
    out.push(
      '',
      `<details><summary><b>${mdEscape(s.name)}</b>: ${counts} (<code>${mdEscape(s.before)}</code> → <code>${mdEscape(s.after)}</code>)</summary>`,
      '',
    );
    for (const n of s.notes) out.push(`> ${mdEscape(n)}`, '');
    if (!s.plan) out.push(...s.diagnostics.map((d) => `- \`${d.code}\` ${mdEscape(d.path)}: ${mdEscape(d.message)}`));
    else if (s.plan.changes.length > 0) out.push(...mdRows(s, name));
    out.push('', '</details>');
  }
  // Invisible marker, so a CI job can find and update its own comment instead of adding one per push.
  out.push('', PLAN_COMMENT_MARKER);
  return `${out.join('\n')}\n`;
}

export const PLAN_COMMENT_MARKER = '<!-- tailnet-cdk-plan -->';

function mdRows(s: StackPlan, name: RuleNamer): string[] {
  const rows = ['| | from | to | access | rule |', '|:-:|---|---|---|---|'];
  const changes = s.plan!.changes;
  for (const c of changes.slice(0, MAX_ROWS)) {
    const rules = ruleList(s, c, name).map(mdRule).join('<br>') || '—';
    rows.push(
      `| **${SIGN[c.direction]}** | ${mdEndpoint(c.src)} | ${mdEndpoint(c.dst)} | ${mdEscape(accessText(c))} | ${rules} |`,
    );
  }
  if (changes.length > MAX_ROWS)
    rows.push('', `… and ${changes.length - MAX_ROWS} more changes: run \`tailnet-cdk plan\` locally for all of them.`);
  return rows;
}

export function renderJson(stacks: readonly StackPlan[], name: RuleNamer): unknown {
  return {
    summary: { ...totals(stacks), text: summaryLine(totals(stacks)) },
    stacks: stacks.map((s) => ({
      name: s.name,
      before: s.before,
      after: s.after,
      valid: s.plan !== undefined,
      ...(s.plan ? { devices: s.plan.devices, gained: s.plan.gained, lost: s.plan.lost, changed: s.plan.changed } : {}),
      notes: s.notes,
      diagnostics: s.diagnostics,
      changes: (s.plan?.changes ?? []).map((c) => ({
        ...c,
        text: accessText(c),
        rules: ruleList(s, c, name).map((r) => ({
          ...r.ref,
          at: r.label.at,
          ...(r.label.construct ? { construct: r.label.construct } : {}),
          status: status(r),
        })),
      })),
    })),
  };
}
