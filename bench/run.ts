import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TailnetSize } from './stack-generator';
import { BENCH_TASKS } from './tasks';

/**
 * `npm run bench [-- --smoke] [-- --sizes S,M,L] [-- --runs N]`: generated tailnets at three sizes, each task in a
 * fresh process, one warm-up then N runs; median wall time of the work (module loading excluded) and peak memory
 * of the process, with the baselines of issue 9 measured in the same run and the targets marked pass/fail.
 * Results also go to bench/.out/results.json.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', '.out');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const sizes = (flag('--sizes') ?? (smoke ? 'S' : 'S,M,L')).split(',') as TailnetSize['name'][];
const runs = Number(flag('--runs') ?? (smoke ? 1 : 3));

function flag(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

interface Measurement {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly phases: Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function runWorker(task: string, size: TailnetSize['name'], dir: string): Record<string, number> {
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs');
  const r = spawnSync(process.execPath, ['-r', tsx, path.join(ROOT, 'bench', 'worker.ts'), task, size, dir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`bench task ${task} ${size} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** One warm-up, then `runs` measured runs; medians of wall time, memory and each phase. */
function measure(task: string, size: TailnetSize['name'], dir: string): Measurement {
  if (!smoke) runWorker(task, size, dir);
  const samples = Array.from({ length: runs }, () => runWorker(task, size, dir));
  const phases: Record<string, number> = {};
  for (const key of Object.keys(samples[0]).filter((k) => k !== 'ms' && k !== 'maxRssMiB'))
    phases[key] = median(samples.map((s) => s[key]));
  return { ms: median(samples.map((s) => s.ms)), maxRssMiB: median(samples.map((s) => s.maxRssMiB)), phases };
}

/** Whole-process wall time of a command (cold start). */
function processMs(command: string[], times: number): number {
  const walls = Array.from({ length: times }, () => {
    const start = performance.now();
    const r = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${command.join(' ')} failed`);
    return performance.now() - start;
  });
  return median(walls);
}

// The cold start is measured on what users run: the esbuild bundle, rebuilt here so an edited checkout (whose bin
// falls back to tsx and the sources) is not measured by mistake.
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build failed');

const TASKS = BENCH_TASKS;
const results: Record<string, Record<string, Measurement>> = {};
for (const size of sizes) {
  const dir = path.join(OUT, size);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  results[size] = {};
  for (const task of TASKS) {
    results[size][task] = measure(task, size, dir);
    process.stderr.write(`  ${size} ${task}: ${results[size][task].ms.toFixed(0)} ms\n`);
  }
}
const nodeStart = processMs([process.execPath, '-e', '0'], smoke ? 3 : 10);
const coldStart = processMs([process.execPath, path.join(ROOT, 'bin', 'tailnet-cdk.js'), '--version'], smoke ? 3 : 10);

interface Target {
  readonly what: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: string;
}

function targets(): Target[] {
  const out: Target[] = [{ what: 'cold start / node start', value: coldStart / nodeStart, limit: 2, unit: '×' }];
  const L = results.L;
  if (!L) return out;
  out.push(
    {
      what: 'L synth / plain cdktf of its Terraform part',
      value: L.synth.ms / L['baseline-cdktf'].ms,
      limit: 2,
      unit: '×',
    },
    { what: 'L synth (all artifacts)', value: L.synth.ms / 1000, limit: 4, unit: 's' },
    { what: 'L test', value: L.test.ms / 1000, limit: 1, unit: 's' },
    { what: 'L plan (50 changed rules)', value: L.plan.ms / 1000, limit: 2, unit: 's' },
    { what: 'L validate', value: L.validate.ms / 1000, limit: 0.3, unit: 's' },
    { what: 'L explain', value: L.explain.ms / 1000, limit: 0.3, unit: 's' },
    { what: 'L synth peak memory', value: L.synth.maxRssMiB / 1024, limit: 1.5, unit: 'GiB' },
    { what: 'L test peak memory', value: L.test.maxRssMiB, limit: 500, unit: 'MiB' },
  );
  if (results.M)
    out.push({ what: 'synth growth M → L (5× size)', value: L.synth.ms / results.M.synth.ms, limit: 6, unit: '×' });
  return out;
}

function printTable(): void {
  // × floor: the work against parsing and serializing the same files; with node start added to both, the ratio
  // a user sees for a whole command
  const rows = [['size', 'task', 'median ms', 'peak MiB', '× floor', '× (floor + node start)']];
  for (const [size, tasks] of Object.entries(results)) {
    const floor = tasks['baseline-floor'].ms;
    for (const [task, m] of Object.entries(tasks)) {
      const withStart = (m.ms + nodeStart) / (floor + nodeStart);
      rows.push([size, task, m.ms.toFixed(0), m.maxRssMiB.toFixed(0), (m.ms / floor).toFixed(1), withStart.toFixed(1)]);
    }
  }
  rows.push(
    ['-', 'node start', nodeStart.toFixed(0), '', '', ''],
    ['-', 'cold start (--version)', coldStart.toFixed(0), '', '', ''],
  );
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
  if (results.M && results.L) {
    // 2,000 → 10,000 devices is 5× the size: near-linear work grows about 5×
    const growth = Object.keys(results.L)
      .filter((t) => !t.startsWith('baseline'))
      .map((t) => `${t} ${(results.L[t].ms / results.M[t].ms).toFixed(2)}×`);
    process.stdout.write(`\ngrowth M → L (5× the devices): ${growth.join(', ')}\n`);
  }
  // with the analysis on a worker, its phase is the main thread's wait for it; inline, the analysis itself
  for (const [size, tasks] of Object.entries(results)) {
    for (const task of ['synth', 'synth-inline']) {
      const phases = Object.entries(tasks[task].phases).map(([p, ms]) => `${p} ${ms.toFixed(0)}`);
      process.stdout.write(`\n${size} ${task} phases (ms): ${phases.join(', ')}\n`);
    }
  }
  process.stdout.write('\ntargets:\n');
  for (const t of targets()) {
    const ok = t.value <= t.limit;
    process.stdout.write(
      `  ${ok ? 'PASS' : 'FAIL'}  ${t.what}: ${t.value.toFixed(2)} ${t.unit} (limit ${t.limit} ${t.unit})\n`,
    );
  }
}

printTable();
fs.writeFileSync(
  path.join(OUT, 'results.json'),
  `${JSON.stringify({ sizes, runs, nodeStart, coldStart, results, targets: targets() }, null, 2)}\n`,
);
