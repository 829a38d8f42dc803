import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMPORT_CODES } from '../../import/codes';
import { computeDrift } from '../../import/drift';
import { type DriftFormat, formatDrift } from '../../import/drift-format';
import { ImportFailure } from '../../import/failure';
import { EXIT, UsageError } from '../exit';
import { type ApiCommandOptions, apiClient, readDeviceList, readInput, reportFailures } from './import-common';

export interface DriftOptions extends ApiCommandOptions {
  readonly stack?: string;
  readonly format?: string;
  /** Where synth wrote the stacks. @default 'out' */
  readonly outDir?: string;
}

const FORMATS: readonly DriftFormat[] = ['text', 'markdown', 'json'];

/**
 * `tailnet-cdk drift`: out/<stack>/ (what synth wrote, checked fresh by `synth --check`) against the live tailnet.
 * Exit 0 without drift, 1 with drift or on an error, 2 on a usage error. The device list is always fetched fresh:
 * a cached list could hide the very change drift is asked to find.
 */
export async function run(opts: DriftOptions): Promise<number> {
  const format = (opts.format ?? 'text') as DriftFormat;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${opts.format}"`);
  const outDir = opts.outDir ?? 'out';
  const stack = opts.stack ?? onlyStack(outDir);
  return reportFailures(async () => {
    const dir = path.join(outDir, stack);
    const policyFile = path.join(dir, 'policy.hujson');
    if (!fs.existsSync(policyFile)) {
      throw ImportFailure.of(
        IMPORT_CODES.stackNotSynthesized,
        policyFile,
        `stack "${stack}" has no synthesized policy`,
        'run `tailnet-cdk synth` first (or pass --out-dir)',
      );
    }
    const devicesFile = path.join(dir, 'devices.json');
    const declaredDevices = fs.existsSync(devicesFile) ? readDeviceList(devicesFile).devices : undefined;
    const local = { text: readInput(policyFile), file: policyFile };
    const api = apiClient(opts);
    const [policy, devices] = [await api.getPolicy(), await api.listDevices({ fields: 'all', fresh: true })];
    const report = computeDrift({
      stack,
      tailnet: api.tailnet,
      local,
      ...(declaredDevices ? { declaredDevices } : {}),
      live: { policy, devices: devices.list.devices },
    });
    process.stdout.write(formatDrift(report, format));
    return report.findings.length > 0 ? EXIT.findings : EXIT.ok;
  });
}

/** Without --stack, the one synthesized stack; with several, the user has to say which. */
function onlyStack(outDir: string): string {
  const stacks = fs.existsSync(outDir)
    ? fs
        .readdirSync(outDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(outDir, e.name, 'policy.hujson')))
        .map((e) => e.name)
        .sort()
    : [];
  if (stacks.length === 1) return stacks[0];
  if (stacks.length === 0) throw new UsageError(`no synthesized stack in ${outDir}/; run \`tailnet-cdk synth\` first`);
  throw new UsageError(`${outDir}/ holds several stacks (${stacks.join(', ')}); choose one with --stack`);
}
