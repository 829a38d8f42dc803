import * as fs from 'node:fs';
import * as path from 'node:path';
import { TailnetApp } from '../src';
import type { AnalysisMode } from '../src/core/policy-analysis';
import { compilePolicy, parseInventory, runPolicyTests, validatePolicy } from '../src/policy';
import { explainAccess, explainInventory, explainKeeps } from '../src/policy/explain';
import { parseInventorySelected } from '../src/policy/inventory';
import { planAccess } from '../src/policy/plan';
import { plainCdktfBaseline } from './baseline';
import { buildStack, generateModel, SIZES, type TailnetSize } from './stack-generator';

/**
 * One measurement in a fresh process: `worker <task> <size> <dir>` prints one JSON line with the task's wall time
 * (measured around the work only, after module loading) and phase times; the parent reads peak memory from the
 * process's own resource usage, reported here too.
 */
type Task = (size: TailnetSize, dir: string) => Record<string, number>;

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

const TASKS: Record<string, Task> = {
  synth: (size, dir) => synth(size, dir, 'auto'),
  // the same with the policy analysis on the main thread: what a worker thread saves (src/core/policy-analysis.ts)
  'synth-inline': (size, dir) => synth(size, dir, 'inline'),
  validate(_size, dir) {
    const text = read(dir, 'inputs/policy.hujson');
    const [r, ms] = timed(() => validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'tailscale' }));
    if (!r.policy) throw new Error('generated policy does not validate');
    return { ms };
  },
  test(_size, dir) {
    const policyText = read(dir, 'inputs/policy.hujson');
    const devicesText = read(dir, 'inputs/devices.json');
    const [results, ms] = timed(() => {
      const { policy } = validatePolicy({ text: policyText, file: 'policy.hujson' }, { dialect: 'tailscale' });
      const { inventory } = parseInventory({ text: devicesText, file: 'devices.json' });
      return runPolicyTests(compilePolicy(policy!, inventory!));
    });
    if (results.some((r) => !r.passed)) throw new Error('generated tests fail');
    return { ms, assertions: results.length };
  },
  plan(_size, dir) {
    const before = JSON.parse(read(dir, 'inputs/policy.json'));
    const after = changeRules(before, 50);
    const devicesText = read(dir, 'inputs/devices.json');
    const [plan, ms] = timed(() => {
      const { inventory } = parseInventory({ text: devicesText, file: 'devices.json' });
      const v = (value: unknown) => validatePolicy({ value, file: 'policy.json' }, { dialect: 'tailscale' }).policy!;
      return planAccess(v(before), v(after), inventory!);
    });
    return { ms, changes: JSON.stringify(plan).length };
  },
  explain(_size, dir) {
    const policyText = read(dir, 'inputs/policy.hujson');
    const devicesText = read(dir, 'inputs/devices.json');
    // the endpoints: the first and last device of the list, by name
    const names = [...devicesText.matchAll(/"name": ?"([^"]+)"/g)].map((m) => m[1]);
    const [src, dst] = [names[0], names[names.length - 1]];
    const [, ms] = timed(() => {
      const { policy } = validatePolicy({ text: policyText, file: 'policy.hujson' }, { dialect: 'tailscale' });
      // as the CLI does: every device checked, only the endpoints and the routers built and compiled
      const { inventory } = parseInventorySelected(
        { text: devicesText, file: 'devices.json' },
        explainKeeps([src, dst]),
      );
      const compiled = compilePolicy(policy!, explainInventory(inventory!, [src, dst]));
      const result = explainAccess(compiled, { src, dst, proto: 'tcp', port: 443 });
      if (!result.ok) throw new Error(result.error);
    });
    return { ms };
  },
  'baseline-cdktf'(size, dir) {
    const policy = read(dir, 'inputs/policy.hujson');
    const [, ms] = timed(() => plainCdktfBaseline(size, policy, path.join(dir, 'baseline.out')));
    return { ms };
  },
  'baseline-floor'(_size, dir) {
    const inputs = ['inputs/policy.json', 'inputs/devices.json'].map((f) => read(dir, f));
    const [, ms] = timed(() => {
      const values = inputs.map((t) => JSON.parse(t));
      for (const v of values) fs.writeFileSync(path.join(dir, 'floor.json'), JSON.stringify(v, null, 2));
    });
    return { ms };
  },
};

function synth(size: TailnetSize, dir: string, policyAnalysis: AnalysisMode): Record<string, number> {
  const phases: Record<string, number> = {};
  const [, ms] = timed(() => {
    const app = new TailnetApp({ outdir: path.join(dir, 'out'), cdktfOutdir: path.join(dir, 'cdktf.out') });
    const [, build] = timed(() => buildStack(app, generateModel(size)));
    phases.build = build;
    const results = app.synthesize({
      policyAnalysis,
      onPhase: (p, t) => {
        phases[p] = (phases[p] ?? 0) + t;
      },
    });
    for (const r of results) {
      for (const [file, content] of r.files) {
        fs.mkdirSync(path.dirname(path.join(dir, 'inputs', file)), { recursive: true });
        fs.writeFileSync(path.join(dir, 'inputs', file), content);
      }
    }
  });
  return { ms, ...phases };
}

/** Changes `count` grants (a new port each), as a pull request touching that many rules would. */
function changeRules(policy: { grants?: { ip?: string[] }[] }, count: number): unknown {
  const copy = structuredClone(policy);
  for (const [i, g] of (copy.grants ?? []).slice(0, count).entries()) g.ip?.push(`tcp:${61000 + i}`);
  return copy;
}

const [task, sizeName, dir] = process.argv.slice(2);
const result = TASKS[task](SIZES[sizeName as TailnetSize['name']], dir);
process.stdout.write(`${JSON.stringify({ ...result, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
