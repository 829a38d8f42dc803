import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers';
import { requireTool } from './tools';

/**
 * Issue 8 §4 on the real command: `synth` draws a status line (redrawn with `\r`, cleared at the end) when stderr
 * is a terminal, here a pseudo-terminal from util-linux `script`, and prints none when stderr is a pipe.
 */
const hasScript = requireTool('script', 'bsdutils');
const CLI = path.join(REPO_ROOT, 'bin', 'tailnet-cdk.js');
const STATUS = /\r\x1b\[K.*synth.*\d+\/\d+ kernelcore/;

describe.skipIf(!hasScript)('progress on a terminal', () => {
  it('synth --check shows a status line per stack on a terminal and clears it before printing', () => {
    const r = spawnSync('script', ['-qec', `node ${CLI} synth --check`, '/dev/null'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
    });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(STATUS);
    // cleared before the findings and the result are printed: no status line after them
    const result = r.stdout.indexOf('out/ is up to date');
    expect(result).toBeGreaterThan(0);
    expect(r.stdout.lastIndexOf('\r\x1b[K')).toBeLessThan(result);
  });

  it('prints no status line when stderr is a pipe', () => {
    const r = spawnSync(process.execPath, [CLI, 'synth', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).not.toMatch(/\r|\x1b\[/);
  });
});
