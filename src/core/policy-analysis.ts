import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { SynthesizedPolicy } from '../emit/policy/check';
import { analyzeStackPolicy, type PolicyAnalysis, prepareAnalysis } from '../emit/report/analysis';
import { BlockingWorker, moduleHandler, type PendingCall, WorkerCallError } from './blocking-worker';

/**
 * Where synth runs the policy analysis of its stacks (check + report body, src/emit/report/analysis.ts):
 * - `inline`: on the calling thread, at once;
 * - `worker`: on a worker thread, started before the stacks are lowered so its modules load meanwhile; the analysis
 *   of a stack runs while the main thread emits the other files and Terraform (the largest part of a big synth).
 *   A failure of the worker is an error (tests use this mode to know the worker did the work);
 * - `auto` (default): a worker for a large tailnet on a machine with two cores or more, otherwise `inline` (for a
 *   small one, the worker's start-up costs more than the overlap saves). If the worker fails in any way (cannot
 *   load the engine, stops, times out, or the analysis throws there), the analysis runs again on this thread: the
 *   synth still succeeds, or fails with the analysis's own error and stack. `TAILNET_DEBUG=1` says so on stderr.
 * `TAILNET_CDK_WORKERS=0` forces `inline`.
 * Both give the same bytes (tested): the analysis is a pure function of plain data.
 */
export type AnalysisMode = 'auto' | 'inline' | 'worker';

export interface PolicyAnalyzer {
  readonly mode: 'inline' | 'worker';
  analyze(input: SynthesizedPolicy): PendingCall<PolicyAnalysis>;
}

/**
 * Constructs in all stacks from which `auto` uses a worker. On the 2-core bench machine the overlap does not pay at
 * size M (3,300 constructs: the worker's start-up and the contention for memory cost what it saves) and saves
 * 7–13 % at L (16,600); see docs/benchmarks.md.
 */
export const WORKER_THRESHOLD_CONSTRUCTS = 10_000;

// the module beside this one, in the form this one has (.ts from the sources, .js when compiled)
const WORKER_MODULE = path.join(__dirname, '..', 'emit', 'report', `analysis${path.extname(__filename)}`);

let shared: BlockingWorker<SynthesizedPolicy, PolicyAnalysis> | undefined;

/** One analysis thread per process, shared by every synth in it (tests synthesize hundreds of apps). */
export function analysisWorker(): BlockingWorker<SynthesizedPolicy, PolicyAnalysis> {
  shared ??= new BlockingWorker({
    label: 'policy analysis',
    handler: moduleHandler(WORKER_MODULE, 'analyzeStackPolicy', 'prepareAnalysis'),
    // far beyond the largest benchmark's analysis (about 1.5 s); a hung worker must not hang synth forever
    timeoutMs: 300_000,
  });
  return shared;
}

export function policyAnalyzer(mode: AnalysisMode, constructs: number): PolicyAnalyzer {
  if (resolveMode(mode, constructs) === 'inline') {
    prepareAnalysis();
    return INLINE;
  }
  return workerAnalyzer(analysisWorker(), { fallback: mode === 'auto' });
}

/** Analysis on `worker`; with `fallback`, on this thread again when the worker fails. */
export function workerAnalyzer(
  worker: BlockingWorker<SynthesizedPolicy, PolicyAnalysis>,
  options: { readonly fallback: boolean },
): PolicyAnalyzer {
  worker.start();
  return {
    mode: 'worker',
    analyze(input) {
      const pending = worker.call(input);
      return {
        wait: () => {
          try {
            return pending.wait();
          } catch (e) {
            if (!(e instanceof WorkerCallError) || !options.fallback) throw e;
            if (process.env.TAILNET_DEBUG === '1') {
              process.stderr.write(
                `${e.message}; the policy analysis ran on the main thread\n${e.workerStack ?? ''}\n`,
              );
            }
            return analyzeStackPolicy(input);
          }
        },
      };
    },
  };
}

const INLINE: PolicyAnalyzer = {
  mode: 'inline',
  analyze(input) {
    const result = analyzeStackPolicy(input);
    return { wait: () => result };
  },
};

function resolveMode(mode: AnalysisMode, constructs: number): 'inline' | 'worker' {
  if (process.env.TAILNET_CDK_WORKERS === '0' || !canLoadInWorker()) return 'inline';
  if (mode !== 'auto') return mode;
  return availableParallelism() >= 2 && constructs >= WORKER_THRESHOLD_CONSTRUCTS ? 'worker' : 'inline';
}

/** Only from our own module files: bundled into one file (esbuild), there is no module for the worker to load. */
function canLoadInWorker(): boolean {
  return fs.existsSync(WORKER_MODULE);
}
