import * as path from 'node:path';
import { App, type AppConfig } from 'cdktf';
import { formatDiagnostic, SynthError } from './diagnostics';
import { createProgress } from './progress';
import { TailnetStack } from './stack';
import { type StackSynthesis, type SynthOptions, synthesizeStacks } from './synth';
import { checkWritable, diffOutputs, writeOutputs } from './writer';

export interface TailnetAppProps {
  /**
   * Where artifacts go, one folder per stack.
   * @default - `$TAILNET_CDK_OUTDIR`, else `out` (relative to the working directory)
   */
  readonly outdir?: string;
  /** @default - `$CDKTF_OUTDIR`, else `cdktf.out` (cdktf's own output, used by `cdktf deploy`) */
  readonly cdktfOutdir?: string;
}

/**
 * The root of a tailnet-cdk program, a cdktf `App`. `synth()` runs the pipeline for every `TailnetStack` and writes
 * `out/`; under the cdktf CLI (`npx cdktf synth`) it also writes cdktf's own output, so both commands produce the
 * same `out/`.
 */
export class TailnetApp extends App {
  readonly artifactsDir: string;

  constructor(props: TailnetAppProps = {}) {
    // Stack-trace capture dominates cdktf synth time and leaks absolute paths into metadata: off.
    const config: AppConfig = {
      stackTraces: false,
      outdir: props.cdktfOutdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out',
    };
    super(config);
    this.artifactsDir = props.outdir ?? process.env.TAILNET_CDK_OUTDIR ?? 'out';
  }

  get stacks(): TailnetStack[] {
    return this.node.children.filter(TailnetStack.isTailnetStack);
  }

  /** Runs the pipeline and returns every stack's files without writing anything. Throws `SynthError`. */
  synthesize(options: SynthOptions = {}): StackSynthesis[] {
    return synthesizeStacks(this.stacks, options);
  }

  /**
   * Synthesizes and writes `out/` (or, with `TAILNET_CDK_CHECK=1`, compares it). Diagnostics go to stderr; on errors
   * the process exits 1 and nothing is written.
   */
  override synth(): void {
    try {
      const results = this.synthesizeWithProgress();
      for (const r of results) for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (process.env.TAILNET_CDK_CHECK === '1') {
        this.check(results);
        return;
      }
      const problems = checkWritable(this.artifactsDir, results);
      if (problems.length > 0) throw new SynthError(problems, 'writing out/');
      const { removed } = writeOutputs(this.artifactsDir, results);
      for (const r of results) {
        process.stdout.write(`${r.stack}: ${r.files.size + 1} files in ${path.join(this.artifactsDir, r.stack)}\n`);
      }
      if (removed > 0) process.stdout.write(`removed ${removed} file(s) no longer generated\n`);
      if (process.env.CDKTF_OUTDIR) super.synth();
    } catch (e) {
      if (!SynthError.isSynthError(e) || process.env.TAILNET_DEBUG === '1') throw e;
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
  }

  /** A status line on a terminal while stacks emit (src/core/progress.ts); silent when stderr is not a TTY. */
  private synthesizeWithProgress(): StackSynthesis[] {
    const progress = createProgress('synth', this.stacks.length);
    try {
      return this.synthesize({ onStack: (stack) => progress.step(stack) });
    } finally {
      progress.done();
    }
  }

  private check(results: StackSynthesis[]): void {
    const stale = diffOutputs(this.artifactsDir, results);
    if (stale.length === 0) {
      process.stdout.write(`${this.artifactsDir}/ is up to date (${results.length} stack(s))\n`);
      return;
    }
    process.stderr.write(
      `${this.artifactsDir}/ is stale; run \`tailnet-cdk synth\`. Files that differ:\n${stale.map((s) => `  ${s}`).join('\n')}\n`,
    );
    process.exit(1);
  }
}
