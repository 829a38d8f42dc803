import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tmpDir } from '../helpers';

function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, tree(p, `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

/** Issue 2: `npx cdktf synth` (the real cdktf CLI, offline) and `tailnet-cdk synth` write the same out/. */
describe('cdktf synth', () => {
  it('writes the same out/ as tailnet-cdk synth, and cdktf.out for cdktf deploy', () => {
    const project = tmpDir('cdktf-project');
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    fs.writeFileSync(
      path.join(project, 'cdktf.json'),
      JSON.stringify({
        language: 'typescript',
        app: `${tsx} ${path.join(REPO_ROOT, 'stacks', 'main.ts')}`,
        sendCrashReports: 'false',
      }),
    );
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1' };
    const viaCdktf = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'cdktf'), ['synth'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...env, TAILNET_CDK_OUTDIR: path.join(project, 'out') },
    });
    expect(viaCdktf.status, viaCdktf.stdout + viaCdktf.stderr).toBe(0);
    const viaUs = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'tailnet-cdk.js'), 'synth', '--out', path.join(project, 'ours')],
      {
        cwd: project,
        encoding: 'utf8',
        env,
      },
    );
    expect(viaUs.status, viaUs.stderr).toBe(0);
    expect(tree(path.join(project, 'out'))).toEqual(tree(path.join(project, 'ours')));
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'manifest.json'))).toBe(true);
  }, 120_000);
});
