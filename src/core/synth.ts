import type { IConstruct } from 'constructs';
import { recordedDiagnostics } from '../constructs/private/report';
import { checkSynthesizedPolicy } from '../emit/policy/check';
import { STACK_EMITTERS, SUMMARY_EMITTERS } from '../emit/registry';
import { emitTerraform } from '../emit/terraform';
import { lowerStack } from '../ir/lower';
import { runIrRules } from '../ir/rules';
import { wireguardStackOverlaps } from '../ir/rules/wireguard';
import type { StackIr } from '../ir/types';
import { type Diagnostic, DiagnosticBag, sortDiagnostics } from './diagnostics';
import { CORE_CODES, diag } from './errors';
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
  time('validate', () => {
    stacks.forEach(freeze);
    for (const stack of stacks) validation.addAll(validateTree(stack));
  });
  validation.throwIfErrors();

  const irs = time('lower', () => stacks.map(lowerStack));
  const rules = new DiagnosticBag();
  rules.addAll(validation.all);
  time('ir-rules', () => {
    for (const ir of irs) rules.addAll(runIrRules(ir));
    rules.addAll(wireguardStackOverlaps(irs));
  });
  rules.throwIfErrors();

  const checked = new DiagnosticBag();
  const emitted = stacks.map((stack, i) => {
    options.onStack?.(stack.node.id);
    return emitStack(
      stack,
      irs[i],
      rules.all.filter((d) => isUnder(d.path, stack.node.path)),
      time,
      checked,
    );
  });
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

/** Phase 1: no construct may be added to the model after this (the stack itself stays open for the Terraform emitter). */
function freeze(stack: TailnetStack): void {
  for (const c of stack.node.findAll()) if (c !== stack) c.node.lock();
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
 * Phases 5–6: pure emitters, then the Terraform emitter (which adds L1 resources to the stack); the policy engine
 * checks the policy we are about to write, as Tailscale would on save (findings into `checked`); last, the
 * summary emitters, which describe the other files and reuse that check.
 */
function emitStack(
  stack: TailnetStack,
  ir: StackIr,
  diagnostics: Diagnostic[],
  time: Timer,
  checked: DiagnosticBag,
): StackSynthesis {
  const files = new Map<string, string>();
  for (const emitter of STACK_EMITTERS) {
    for (const f of time(`emit:${emitter.name}`, () => emitter.emit(ir))) files.set(f.path, f.content);
  }
  for (const f of time('emit:terraform', () => emitTerraform(ir, stack, files))) files.set(f.path, f.content);
  const policy = time('policy-check', () => checkSynthesizedPolicy(ir, files));
  checked.addAll(policy.diagnostics);
  const context = policy.check ? { policyCheck: policy.check } : {};
  for (const emitter of SUMMARY_EMITTERS) {
    for (const f of time(`emit:${emitter.name}`, () => emitter.emit(ir, files, context))) files.set(f.path, f.content);
  }
  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { stack: ir.name, ir, files: sorted, diagnostics: sortDiagnostics(diagnostics) };
}
