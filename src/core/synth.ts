import type { IConstruct } from 'constructs';
import { recordedDiagnostics } from '../constructs/private/report';
import type { Emitter } from '../emit/emitter';
import { synthesizedPolicy } from '../emit/policy/check';
import { OTHER_EMITTERS, POLICY_EMITTERS, SUMMARY_EMITTERS } from '../emit/registry';
import type { PolicyAnalysis } from '../emit/report/analysis';
import { emitTerraform } from '../emit/terraform';
import { lowerStack } from '../ir/lower';
import { runIrRules } from '../ir/rules';
import { wireguardStackOverlaps } from '../ir/rules/wireguard';
import type { StackIr } from '../ir/types';
import type { PendingCall } from './blocking-worker';
import { type Diagnostic, DiagnosticBag, sortDiagnostics } from './diagnostics';
import { CORE_CODES, diag } from './errors';
import { type AnalysisMode, type PolicyAnalyzer, policyAnalyzer } from './policy-analysis';
import type { TailnetStack } from './stack';
import type { StackOutput } from './writer';

export interface StackSynthesis extends StackOutput {
  readonly ir: StackIr;
  /** warnings and infos; errors never reach a result, they are thrown */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The phase driver (DESIGN.md pipeline). Each phase collects every diagnostic of every stack and throws them at
 * once; nothing is written by this function.
 */
export function synthesizeStacks(stacks: readonly TailnetStack[], options: SynthOptions = {}): StackSynthesis[] {
  const time = phaseTimer(options.onPhase);
  const validation = new DiagnosticBag();
  const constructs = time('validate', () => {
    const frozen = stacks.reduce((n, stack) => n + freeze(stack), 0);
    for (const stack of stacks) validation.addAll(validateTree(stack));
    return frozen;
  });
  validation.throwIfErrors();
  // started now, a worker loads its modules while the stacks are lowered
  const analyzer = policyAnalyzer(options.policyAnalysis ?? 'auto', constructs);

  const irs = time('lower', () => stacks.map(lowerStack));
  const rules = new DiagnosticBag();
  rules.addAll(validation.all);
  time('ir-rules', () => {
    for (const ir of irs) rules.addAll(runIrRules(ir));
    rules.addAll(wireguardStackOverlaps(irs));
  });
  rules.throwIfErrors();

  const checked = new DiagnosticBag();
  const started = stacks.map((stack, i) => {
    options.onStack?.(stack.node.id);
    return startStack(stack, irs[i], time, analyzer);
  });
  const emitted = started.map((s) =>
    finishStack(
      s,
      rules.all.filter((d) => isUnder(d.path, s.path)),
      time,
      checked,
    ),
  );
  checked.throwIfErrors();
  return emitted.map((r) => ({
    ...r,
    diagnostics: sortDiagnostics([...r.diagnostics, ...checked.all.filter((d) => isUnder(d.path, r.ir.source.path))]),
  }));
}

export interface SynthOptions {
  /** Called with each phase's (or emitter's) wall time in milliseconds; used by the benchmark. */
  readonly onPhase?: (phase: string, ms: number) => void;
  /** Called as each stack starts emitting (most of the time goes there), for a progress display. */
  readonly onStack?: (stack: string) => void;
  /** Where the policy analysis runs (src/core/policy-analysis.ts). @default 'auto' */
  readonly policyAnalysis?: AnalysisMode;
}

type Timer = <T>(phase: string, work: () => T) => T;

function phaseTimer(onPhase?: (phase: string, ms: number) => void): Timer {
  return (phase, work) => {
    if (!onPhase) return work();
    const start = performance.now();
    const result = work();
    onPhase(phase, performance.now() - start);
    return result;
  };
}

function isUnder(path: string, stackPath: string): boolean {
  return path === stackPath || path.startsWith(`${stackPath}/`);
}

/**
 * Phase 1: no construct may be added to the model after this (the stack itself stays open for the Terraform
 * emitter). Returns how many constructs the stack has.
 */
function freeze(stack: TailnetStack): number {
  const all = stack.node.findAll();
  for (const c of all) if (c !== stack) c.node.lock();
  return all.length;
}

/** Phase 2: what constructs recorded when they were made, plus `node.addValidation` results. */
function validateTree(stack: TailnetStack): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of stack.node.findAll() as IConstruct[]) {
    out.push(...recordedDiagnostics(c));
    for (const message of c.node.validate()) out.push(validationDiagnostic(c.node.path, message));
  }
  return out;
}

/** `node.addValidation` messages may start with their code (`TN4001 …`); others get the generic code. */
function validationDiagnostic(path: string, message: string): Diagnostic {
  const coded = /^(TN\d{4}) (.*)$/s.exec(message);
  if (!coded) return diag(CORE_CODES.constructValidation, path, message);
  return { severity: 'error', code: coded[1], path, message: coded[2] };
}

/**
 * Phases 5–6, first half: the pure emitters, then the Terraform emitter (which adds L1 resources to the stack).
 * Once the policy and inventory emitters have run, the policy engine starts checking the policy we are about to
 * write, as Tailscale would on save, and building the report's body from that check: on a worker thread for a large
 * tailnet, while the remaining emitters and Terraform run here.
 */
function startStack(stack: TailnetStack, ir: StackIr, time: Timer, analyzer: PolicyAnalyzer): StartedStack {
  const files = new Map<string, string>();
  const emit = (emitter: Emitter) => {
    for (const f of time(`emit:${emitter.name}`, () => emitter.emit(ir))) files.set(f.path, f.content);
  };
  POLICY_EMITTERS.forEach(emit);
  const input = synthesizedPolicy(ir, files);
  // inline, the whole analysis is timed here; on a worker, only the time spent waiting for it (finishStack)
  const analysis = input && time('policy-analysis', () => analyzer.analyze(input));
  OTHER_EMITTERS.forEach(emit);
  for (const f of time('emit:terraform', () => emitTerraform(ir, stack, files))) files.set(f.path, f.content);
  return { path: stack.node.path, ir, files, analysis };
}

interface StartedStack {
  /** The stack's construct path. */
  readonly path: string;
  readonly ir: StackIr;
  readonly files: Map<string, string>;
  /** Absent for a stack without a policy. */
  readonly analysis?: PendingCall<PolicyAnalysis> | undefined;
}

/**
 * Phase 6, second half: the policy check's findings (into `checked`), then the summary emitters, which describe
 * the other files and reuse the analysis.
 */
function finishStack(
  started: StartedStack,
  diagnostics: Diagnostic[],
  time: Timer,
  checked: DiagnosticBag,
): StackSynthesis {
  const { ir, files } = started;
  const analysis = started.analysis && time('policy-analysis', () => started.analysis!.wait());
  if (analysis) checked.addAll(analysis.diagnostics);
  const context = analysis ? { policyReport: analysis.report } : {};
  for (const emitter of SUMMARY_EMITTERS) {
    for (const f of time(`emit:${emitter.name}`, () => emitter.emit(ir, files, context))) files.set(f.path, f.content);
  }
  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { stack: ir.name, ir, files: sorted, diagnostics: sortDiagnostics(diagnostics) };
}
