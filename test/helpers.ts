import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TailnetApp, TailnetStack, type TailnetStackProps } from '../src';
import { type Diagnostic, SynthError } from '../src/core/diagnostics';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');

/** A fresh app with one stack, writing nowhere unless asked. */
export function newStack(props: TailnetStackProps = {}, name = 'test'): { app: TailnetApp; stack: TailnetStack } {
  const app = new TailnetApp({ outdir: tmpDir('out'), cdktfOutdir: tmpDir('cdktf') });
  return { app, stack: new TailnetStack(app, name, props) };
}

/** The diagnostics of a failed synth (fails the test when synth succeeds). */
export function synthDiagnostics(app: TailnetApp): Diagnostic[] {
  try {
    app.synthesize();
  } catch (e) {
    if (SynthError.isSynthError(e)) return [...e.diagnostics];
    throw e;
  }
  throw new Error('expected synthesis to fail, but it succeeded');
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tailnet-cdk-${prefix}-`));
}

/** `src/` as an import specifier for the app.ts of a throw-away project. */
export const SRC_IMPORT = path.join(REPO_ROOT, 'src').replaceAll('\\', '/');

/**
 * A throw-away project in `dir`: `app.ts` with `appSource`, and the cdktf.json that runs it through tsx, as
 * `tailnet-cdk synth` expects. Returns `dir`.
 */
export function writeAppProject(dir: string, appSource: string): string {
  fs.writeFileSync(path.join(dir, 'app.ts'), appSource);
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `${tsx} app.ts` }));
  return dir;
}

/** `tailnet-cdk synth [args]` run in `dir` through the repository's bin. */
export function runSynthCli(
  dir: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'tailnet-cdk.js'), 'synth', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env,
  });
}
