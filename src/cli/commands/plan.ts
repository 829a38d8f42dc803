import * as fs from 'node:fs';
import { type Diagnostic, formatDiagnostic } from '../../core/diagnostics';
import { createProgress } from '../../core/progress';
import { buildAccessMap } from '../../emit/graph';
import { type DiffHtmlInput, renderPlanHtml } from '../../emit/report';
import type { Dialect, Inventory, PolicyFile } from '../../policy';
import { compilePolicy } from '../../policy/compile';
import { planAccess } from '../../policy/plan';
import { type RuleNamer, renderJson, renderMarkdown, renderText, type StackPlan } from '../../policy/plan-render';
import { EXIT, UsageError } from '../exit';
import { out, outJson, styleFor } from '../output';
import { filePair, mergeInventories, type StackSource, stacksAgainstRef, type VersionText } from '../plan-sources';
import { inventoryProblem, loadInventoryFile, loadPolicyText, type RuleLocator } from '../policy-files';

export interface PlanOptions {
  readonly base?: string;
  readonly before?: string;
  readonly after?: string;
  readonly devices?: string;
  readonly format?: 'text' | 'markdown' | 'json' | 'html';
  readonly exitCode?: boolean;
  readonly out?: string;
  readonly dialect?: Dialect;
}

/**
 * `tailnet-cdk plan`: who gains and who loses access between two policy versions, evaluated against one
 * inventory. `--before a --after b` compares two files; otherwise every stack under out/ is compared with the same
 * files at `--base <ref>` (default HEAD). Exit 1 on invalid input, or with `--exit-code` when access changed.
 */
export function run(opts: PlanOptions): number {
  const sources = sourcesFor(opts);
  const forced = opts.devices ? loadInventoryFile(opts.devices) : undefined;
  if (forced && !forced.inventory) {
    for (const d of inventoryProblem(forced, opts.devices!)) out(`${d.severity} ${d.code} [${d.path}] ${d.message}`);
    return EXIT.findings;
  }
  const located = new Map<StackPlan, Located>();
  const format = opts.format ?? 'text';
  // html draws the two versions' access maps, so each version is compiled once more for the map
  const drawn = format === 'html' ? new Map<StackPlan, DiffHtmlInput>() : undefined;
  // reading a revision and planning each stack takes seconds on large tailnets: a status line on terminals
  const progress = createProgress('plan', sources.length);
  let plans: StackPlan[];
  try {
    plans = sources.map((s) => {
      progress.step(s.name);
      return planStack(s, forced?.inventory, opts.dialect ?? 'tailscale', located, drawn);
    });
  } finally {
    progress.done();
  }
  const name: RuleNamer = (stack, ref) => {
    const where = located.get(stack);
    const label = where?.[ref.version]?.(ref) ?? { at: '?' };
    if (!label.construct || !where) return label;
    // The same construct in the other version means the rule was edited (synthesized rules name their construct).
    const other = ref.version === 'before' ? where.afterConstructs : where.beforeConstructs;
    const status = other.has(`${ref.section}:${label.construct}`)
      ? 'edited'
      : ref.version === 'before'
        ? 'removed'
        : 'added';
    return { ...label, status };
  };
  if (format === 'json') outJson(renderJson(plans, name));
  else if (format === 'html') writeHtml(plans, drawn!, opts);
  else if (format === 'markdown') process.stdout.write(renderMarkdown(plans, name));
  else process.stdout.write(renderText(plans, name, styleFor()));
  if (plans.some((p) => !p.plan)) return EXIT.findings;
  const changed = plans.some((p) => (p.plan?.changes.length ?? 0) > 0);
  return opts.exitCode && changed ? EXIT.findings : EXIT.ok;
}

/** The access diff page (gained green, lost red); invalid versions are reported on stderr, as no map exists. */
function writeHtml(plans: readonly StackPlan[], drawn: ReadonlyMap<StackPlan, DiffHtmlInput>, opts: PlanOptions): void {
  for (const p of plans) {
    for (const d of p.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  }
  const inputs = plans.flatMap((p) => drawn.get(p) ?? []);
  const title = opts.before !== undefined ? `${opts.before} → ${opts.after}` : `out/ against ${opts.base ?? 'HEAD'}`;
  process.stdout.write(renderPlanHtml(title, inputs));
}

function sourcesFor(opts: PlanOptions): StackSource[] {
  if (opts.before !== undefined || opts.after !== undefined) {
    if (opts.base !== undefined) throw new UsageError('use either --base <ref> or --before/--after <policy>, not both');
    if (opts.before === undefined || opts.after === undefined) throw new UsageError('--before and --after go together');
    return [filePair(opts.before, opts.after)];
  }
  const outDir = opts.out ?? 'out';
  const stacks = stacksAgainstRef(opts.base ?? 'HEAD', outDir);
  if (stacks.length === 0 && !fs.existsSync(outDir)) {
    throw new UsageError(
      `no ${outDir}/ folder here: run tailnet-cdk synth, or compare two files with --before/--after`,
    );
  }
  return stacks;
}

interface Located {
  readonly before?: RuleLocator;
  readonly after?: RuleLocator;
  /** `section:construct` of every rule of each version. */
  readonly beforeConstructs: ReadonlySet<string>;
  readonly afterConstructs: ReadonlySet<string>;
}

function constructsOf(policy: PolicyFile, locate: RuleLocator | undefined): Set<string> {
  const out = new Set<string>();
  if (!locate) return out;
  for (const section of ['acls', 'grants', 'ssh'] as const) {
    (policy[section] ?? []).forEach((_, index) => {
      const construct = locate({ section, index }).construct;
      if (construct) out.add(`${section}:${construct}`);
    });
  }
  return out;
}

/** A missing version is an empty (deny-all) policy: a new stack gains everything, a removed one loses it. */
const NOTHING: PolicyFile = { grants: [] };

interface LoadedVersion {
  readonly policy?: PolicyFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly locate?: RuleLocator;
  readonly note?: string;
}

function loadVersion(v: VersionText, what: 'old' | 'new', dialect: Dialect): LoadedVersion {
  if (v.text === undefined) {
    const note = `the stack does not exist in the ${what} version: compared with a policy that allows nothing`;
    return { policy: NOTHING, diagnostics: [], note };
  }
  const loaded = loadPolicyText(v.text, v.file, dialect);
  return { policy: loaded.validation.policy, diagnostics: loaded.validation.diagnostics, locate: loaded.locate };
}

function planStack(
  source: StackSource,
  forced: Inventory | undefined,
  dialect: Dialect,
  located: Map<StackPlan, Located>,
  drawn?: Map<StackPlan, DiffHtmlInput>,
): StackPlan {
  const before = loadVersion(source.before, 'old', dialect);
  const after = loadVersion(source.after, 'new', dialect);
  const merged = forced
    ? { inventory: forced, problems: [], notes: [] }
    : mergeInventories(source.devices.before, source.devices.after);
  const base = {
    name: source.name,
    before: source.before.text === undefined ? '(none)' : source.before.label,
    after: source.after.text === undefined ? '(none)' : source.after.label,
  };
  const notes = [before.note, after.note].filter((n): n is string => n !== undefined);
  const diagnostics = [...before.diagnostics, ...after.diagnostics, ...merged.problems.flatMap((p) => p.diagnostics)];
  if (!before.policy || !after.policy || !merged.inventory) return { ...base, diagnostics, notes };
  const plan = planAccess(before.policy, after.policy, merged.inventory, { dialect });
  const result: StackPlan = { ...base, plan, diagnostics, notes: [...notes, ...merged.notes] };
  if (drawn) {
    const map = (policy: PolicyFile) => buildAccessMap(compilePolicy(policy, merged.inventory!, { dialect }));
    drawn.set(result, {
      title: `${source.name}: ${base.before} → ${base.after}`,
      before: map(before.policy),
      after: map(after.policy),
    });
  }
  located.set(result, {
    before: before.locate,
    after: after.locate,
    beforeConstructs: constructsOf(before.policy, before.locate),
    afterConstructs: constructsOf(after.policy, after.locate),
  });
  return result;
}
