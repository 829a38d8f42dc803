import * as fs from 'node:fs';
import { type Diagnostic, formatDiagnostic } from '../../core/diagnostics';
import { CORE_CODES } from '../../core/errors';
import { TailscaleApi } from '../../import/api-client';
import { checkValue, type DeviceList, DeviceListSchema } from '../../import/api-schemas';
import { resolveCredentials } from '../../import/credentials';
import { DeviceCache, defaultCacheDir } from '../../import/device-cache';
import { ImportFailure, redact } from '../../import/failure';
import { SYSTEM_CLOCK } from '../../import/http';
import { EXIT } from '../exit';

/** Options every command that talks to the Tailscale API takes. */
export interface ApiCommandOptions {
  /** Tailnet ID, organization name or `-`. */
  readonly tailnet?: string;
  /** Base URL of the API (the local test server, a proxy). */
  readonly apiUrl?: string;
  readonly credentialsFile?: string;
  /** commander's `--no-cache` sets this to false. */
  readonly cache?: boolean;
}

/**
 * The API client as the environment and flags configure it: `--api-url` over `TAILSCALE_BASE_URL`, `--tailnet`
 * over `TAILSCALE_TAILNET`, credentials as src/import/credentials.ts reads them. Notices go to stderr.
 */
export function apiClient(opts: ApiCommandOptions, env: NodeJS.ProcessEnv = process.env): TailscaleApi {
  const credentials = resolveCredentials({
    ...(opts.credentialsFile ? { credentialsFile: opts.credentialsFile } : {}),
    env,
  });
  return new TailscaleApi({
    credentials,
    ...(opts.apiUrl || env.TAILSCALE_BASE_URL ? { baseUrl: opts.apiUrl || env.TAILSCALE_BASE_URL } : {}),
    tailnet: opts.tailnet || env.TAILSCALE_TAILNET || '-',
    cache: opts.cache === false ? false : new DeviceCache(defaultCacheDir(env), SYSTEM_CLOCK),
  });
}

/**
 * Runs a command body; an ImportFailure becomes its diagnostics on stderr (secrets scrubbed) and exit 1. Anything
 * else is a bug and propagates (with a stack under TAILNET_DEBUG=1).
 */
export async function reportFailures(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!ImportFailure.isImportFailure(e)) throw e;
    printDiagnostics(e.diagnostics);
    return EXIT.findings;
  }
}

export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${redact(formatDiagnostic(d))}\n`);
}

/** A file named on the command line; a missing or unreadable one is a clear error, not a stack trace. */
export function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw ImportFailure.of(
      CORE_CODES.fileUnreadable,
      file,
      `cannot read "${file}": ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
      'check the path',
    );
  }
}

/** A device list saved from the API (or a stack's devices.json), checked like an API answer. */
export function readDeviceList(file: string): DeviceList {
  const text = readInput(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw ImportFailure.of(
      CORE_CODES.fileUnreadable,
      file,
      `not JSON: ${(e as Error).message}`,
      'give the body of GET /api/v2/tailnet/{tailnet}/devices',
    );
  }
  return checkValue(DeviceListSchema, value, file);
}
