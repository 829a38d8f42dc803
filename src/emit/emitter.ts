import type { StackIr } from '../ir/types';
import type { ReportBody } from './report/html';

/** One generated file, path relative to `out/<stack>/`, content already canonical text. */
export interface EmittedFile {
  readonly path: string;
  readonly content: string;
}

/** A pure function from the IR to files. Emitters never see constructs. */
export interface Emitter {
  readonly name: string;
  emit(ir: StackIr): EmittedFile[];
}

/**
 * An emitter that describes the other files of the stack (the access report lists them with their sha256): it runs
 * after every other emitter, the Terraform one included, and gets their files. Still pure: IR and files in, files out.
 */
export interface SummaryEmitter {
  readonly name: string;
  emit(ir: StackIr, files: ReadonlyMap<string, string>, context?: SummaryContext): EmittedFile[];
}

/** What synth already knows about the files when summary emitters run, so they need not compute it again. */
export interface SummaryContext {
  /**
   * The report's body from synth's policy analysis (src/emit/report/analysis.ts), which checked `policy.hujson`
   * against `devices.json`; without it the report emitter runs the engine itself.
   */
  readonly policyReport?: ReportBody;
}
