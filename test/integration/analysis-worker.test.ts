import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tmpDir } from '../helpers';

/**
 * The worker thread of the policy analysis, in the process users run: an app started by the tsx CLI (cdktf.json's
 * `npx tsx stacks/main.ts`). The worker must load the engine there itself: with TAILNET_DEBUG=1 a fallback to
 * the main thread would be reported on stderr.
 */
describe('policy analysis worker under the tsx CLI', () => {
  it('loads, analyses, and writes what the inline analysis writes', () => {
    const dir = tmpDir('analysis-worker');
    const app = path.join(dir, 'app.ts');
    const src = (p: string) => JSON.stringify(path.join(REPO_ROOT, p));
    fs.writeFileSync(
      app,
      `import { createHash } from 'node:crypto';
import { TailnetApp } from ${src('src')};
import { buildStack, generateModel, SIZES } from ${src('bench/stack-generator')};
const digest = (mode: 'inline' | 'worker') => {
  const app = new TailnetApp({ outdir: ${JSON.stringify(dir)}, cdktfOutdir: ${JSON.stringify(path.join(dir, 'cdktf.out'))} });
  buildStack(app, generateModel(SIZES.S));
  const hash = createHash('sha256');
  for (const r of app.synthesize({ policyAnalysis: mode })) for (const [p, c] of r.files) hash.update(p).update(c);
  return hash.digest('hex');
};
console.log(JSON.stringify({ worker: digest('worker'), inline: digest('inline') }));
`,
    );
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), app], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, TAILNET_DEBUG: '1', TAILNET_CDK_WORKERS: '' },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ran on the main thread/);
    const { worker, inline } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(worker).toMatch(/^[0-9a-f]{64}$/);
    expect(worker).toBe(inline);
  }, 180_000);
});
