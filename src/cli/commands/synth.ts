import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT, UsageError } from '../exit';

export interface SynthOptions {
  readonly check?: boolean;
  readonly app?: string;
  readonly out?: string;
}

/**
 * Runs the app named in cdktf.json (as `cdktf synth` does) with our output folder and check mode in its
 * environment. The app itself writes out/ (TailnetApp.synth), so `npx cdktf synth` and this write the same files.
 */
export function run(opts: SynthOptions): number {
  const app = opts.app ?? appFromCdktfJson(process.cwd());
  const bin = path.join(process.cwd(), 'node_modules', '.bin');
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    TAILNET_CDK_OUTDIR: opts.out ?? 'out',
    TAILNET_CDK_CHECK: opts.check ? '1' : '0',
    // cdktf-cli would phone home; there is nothing to tell it.
    CHECKPOINT_DISABLE: '1',
  };
  const result = spawnSync(app, { shell: true, stdio: 'inherit', env });
  if (result.error) {
    process.stderr.write(`error TN9004 could not start the app "${app}": ${result.error.message}\n`);
    return EXIT.findings;
  }
  return result.status === 0 ? EXIT.ok : EXIT.findings;
}

function appFromCdktfJson(dir: string): string {
  const file = path.join(dir, 'cdktf.json');
  if (!fs.existsSync(file))
    throw new UsageError(`no cdktf.json in ${dir}; run in the project folder or pass --app "<command>"`);
  const app = (JSON.parse(fs.readFileSync(file, 'utf8')) as { app?: unknown }).app;
  if (typeof app !== 'string' || app.trim() === '') throw new UsageError(`cdktf.json has no "app" command`);
  return app;
}
