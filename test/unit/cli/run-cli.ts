import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../../helpers';

/** Runs `node bin/tailnet-cdk.js …` as a user would (no TTY, so no colour unless FORCE_COLOR is set). */
export const BIN = path.join(REPO_ROOT, 'bin', 'tailnet-cdk.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'policy');

export interface CliResult {
  readonly status: number | null;
  readonly out: string;
  readonly err: string;
}

export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, encoding: 'utf8', env });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** A fixture file, relative to the repository root (the CLI's working directory in these tests). */
export function fixture(name: string): string {
  return path.relative(REPO_ROOT, path.join(FIXTURES, name));
}
