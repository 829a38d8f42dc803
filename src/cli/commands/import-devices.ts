import { printJson } from '../../core/canonical/json';
import { createProgress } from '../../core/progress';
import type { ApiDevice, DeviceList } from '../../import/api-schemas';
import { type FileToWrite, writeFilesAtomic } from '../../import/atomic-write';
import { hostLabel, importDevices, sortByName } from '../../import/device-import';
import { classNameFor } from '../../import/stack-file';
import { EXIT, UsageError } from '../exit';
import { type ApiCommandOptions, apiClient, readDeviceList, reportFailures } from './import-common';

export interface ImportDevicesOptions extends ApiCommandOptions {
  /** Read a saved device list instead of calling the API. */
  readonly fromFile?: string;
  readonly online?: boolean;
  readonly offline?: boolean;
  readonly os?: string;
  /** Devices carrying every one of these tags. */
  readonly tag?: readonly string[];
  /** Write a TypeScript stack declaring the devices. */
  readonly out?: string;
  /** Write the (filtered) device list in the API's format. */
  readonly inventory?: string;
  readonly json?: boolean;
  readonly className?: string;
  readonly stackName?: string;
  readonly importFrom?: string;
}

/**
 * `tailnet-cdk import devices`: the tailnet's devices (all fields), filtered and sorted by name, printed as a table
 * or JSON, and written as a stack (`--out`) and/or an inventory (`--inventory`). Everything is fetched and
 * checked before anything is written; both files are written atomically together.
 */
export async function run(opts: ImportDevicesOptions): Promise<number> {
  if (opts.online && opts.offline) throw new UsageError('--online and --offline exclude each other');
  return reportFailures(async () => {
    const { list, origin } = await loadDevices(opts);
    const devices = sortByName(list.devices.filter(filterFor(opts)));
    const files: FileToWrite[] = [];
    if (opts.out) {
      const code = importDevices(devices, {
        origin,
        className: opts.className ?? classNameFor(opts.out, 'ImportedDevicesStack'),
        ...(opts.stackName ? { stackId: opts.stackName } : {}),
        ...(opts.importFrom ? { importFrom: opts.importFrom } : {}),
      });
      files.push({ file: opts.out, content: code });
    }
    if (opts.inventory) files.push({ file: opts.inventory, content: printJson({ ...list, devices }) });
    writeFilesAtomic(files);
    process.stdout.write(opts.json ? printJson({ devices }) : table(devices));
    for (const f of files) process.stderr.write(`wrote ${f.file}\n`);
    return EXIT.ok;
  });
}

async function loadDevices(opts: ImportDevicesOptions): Promise<{ list: DeviceList; origin: string }> {
  if (opts.fromFile) return { list: readDeviceList(opts.fromFile), origin: opts.fromFile };
  const api = apiClient(opts);
  // one request, but tens of seconds on a large tailnet or through retries: a status line on terminals
  const progress = createProgress('import', undefined);
  progress.step(`devices of tailnet "${api.tailnet}"`);
  const { list, cachedAgeMs } = await api.listDevices({ fields: 'all' }).finally(() => progress.done());
  if (cachedAgeMs !== undefined) {
    process.stderr.write(
      `using the device list cached ${Math.round(cachedAgeMs / 1000)} s ago (--no-cache to refresh)\n`,
    );
  }
  return { list, origin: `the device list of tailnet "${api.tailnet}"` };
}

function filterFor(opts: ImportDevicesOptions): (d: ApiDevice) => boolean {
  const tags = (opts.tag ?? []).map((t) => (t.startsWith('tag:') ? t : `tag:${t}`).toLowerCase());
  return (d) =>
    (!opts.online || d.connectedToControl === true) &&
    (!opts.offline || d.connectedToControl === false) &&
    (!opts.os || d.os.toLowerCase() === opts.os.toLowerCase()) &&
    tags.every((t) => (d.tags ?? []).some((x) => x.toLowerCase() === t));
}

/** One line per device: what someone deciding what to import needs to see. */
function table(devices: readonly ApiDevice[]): string {
  const rows = devices.map((d) => [
    hostLabel(d),
    d.os,
    (d.tags ?? []).length > 0 ? d.tags!.join(',') : d.user,
    d.addresses.find((a) => !a.includes(':')) ?? '',
    (d.advertisedRoutes ?? [])
      .map((r) => ((d.enabledRoutes ?? []).includes(r) ? r : `${r} (not approved)`))
      .join(',') || '-',
    d.connectedToControl === false ? `offline${d.lastSeen ? ` since ${d.lastSeen}` : ''}` : 'online',
  ]);
  const all = [['NAME', 'OS', 'TAGS/USER', 'IPV4', 'ROUTES', 'STATUS'], ...rows];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const lines = all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  return `${lines.join('\n')}\n${devices.length} device(s)\n`;
}
