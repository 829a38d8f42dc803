import type { ApiDevice } from '../../import/api-schemas';
import { writeFilesAtomic } from '../../import/atomic-write';
import { importPolicy } from '../../import/policy-import';
import { classNameFor } from '../../import/stack-file';
import { EXIT, UsageError } from '../exit';
import {
  type ApiCommandOptions,
  apiClient,
  printDiagnostics,
  readDeviceList,
  readInput,
  reportFailures,
} from './import-common';

export interface ImportPolicyOptions extends ApiCommandOptions {
  readonly fromApi?: boolean;
  /** Devices to declare with the policy (an API device list); `--no-devices` sets `devices: false`. */
  readonly devices?: string | boolean;
  readonly out?: string;
  readonly className?: string;
  readonly stackName?: string;
  readonly importFrom?: string;
}

/**
 * `tailnet-cdk import policy <policy.hujson | --from-api>`: an existing policy → a TypeScript stack of constructs.
 * From the API, the tailnet's devices are declared too (unless `--no-devices`): synth runs the policy's tests on
 * the declared devices, and tests about real machines or subnets need them. Without `--out` the stack is printed.
 */
export async function run(file: string | undefined, opts: ImportPolicyOptions): Promise<number> {
  if ((file === undefined) === (opts.fromApi !== true)) {
    throw new UsageError('give a policy file or --from-api (exactly one)');
  }
  if (file !== undefined && opts.devices === true) throw new UsageError('--devices takes a device list file');
  return reportFailures(async () => {
    const source = file !== undefined ? fromFile(file, opts) : await fromApi(opts);
    const { code, diagnostics } = importPolicy(source.text, {
      file: source.file,
      origin: source.origin,
      className: opts.className ?? classNameFor(opts.out, 'ImportedPolicyStack'),
      ...(opts.stackName ? { stackId: opts.stackName } : {}),
      ...(opts.importFrom ? { importFrom: opts.importFrom } : {}),
      ...(source.devices ? { devices: source.devices } : {}),
    });
    printDiagnostics(diagnostics);
    if (!opts.out) {
      process.stdout.write(code);
      return EXIT.ok;
    }
    writeFilesAtomic([{ file: opts.out, content: code }]);
    process.stderr.write(
      `wrote ${opts.out}${source.devices ? ` (policy and ${source.devices.length} devices)` : ''}\n`,
    );
    return EXIT.ok;
  });
}

interface PolicySource {
  readonly text: string;
  readonly file: string;
  readonly origin: string;
  readonly devices?: readonly ApiDevice[];
}

function fromFile(file: string, opts: ImportPolicyOptions): PolicySource {
  const devices = typeof opts.devices === 'string' ? readDeviceList(opts.devices).devices : undefined;
  return { text: readInput(file), file, origin: file, ...(devices ? { devices } : {}) };
}

async function fromApi(opts: ImportPolicyOptions): Promise<PolicySource> {
  const api = apiClient(opts);
  const policy = await api.getPolicy();
  const devices =
    typeof opts.devices === 'string'
      ? readDeviceList(opts.devices).devices
      : opts.devices === false
        ? undefined
        : (await api.listDevices({ fields: 'all' })).list.devices;
  const file = `${api.tailnet === '-' ? 'tailnet' : api.tailnet}/policy.hujson`;
  const origin = `the live policy of tailnet "${api.tailnet}" (ETag ${policy.etag.slice(0, 12)}…)`;
  return { text: policy.text, file, origin, ...(devices ? { devices } : {}) };
}
