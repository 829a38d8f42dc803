import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_TASKS } from '../../bench/tasks';
import { REPO_ROOT } from '../helpers';

/** A small run of `npm run bench` (size S, one run) so the harness cannot rot; real figures come from the full run. */
describe('benchmark smoke run', () => {
  it('measures every task at size S and writes results.json with targets', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bench/run.ts', '--smoke'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    for (const task of BENCH_TASKS) expect(r.stdout).toContain(task);
    expect(r.stdout).toMatch(/(PASS|FAIL) {2}cold start/);
    const results = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'bench', '.out', 'results.json'), 'utf8'));
    expect(results.results.S.synth.ms).toBeGreaterThan(0);
    expect(results.results.S.test.maxRssMiB).toBeGreaterThan(0);
  }, 180_000);
});
