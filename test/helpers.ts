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
