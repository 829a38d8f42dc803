/** Every task `npm run bench` measures at each size (bench/worker.ts runs one of them per process). */
export const BENCH_TASKS = [
  'synth',
  'synth-inline',
  'validate',
  'test',
  'plan',
  'explain',
  'baseline-cdktf',
  'baseline-floor',
] as const;
