import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { writeFilesAtomic } from './atomic-write';
import type { Clock } from './http';

/**
 * Device-list answers, kept five minutes so repeated `import devices` runs (filtering by tag, then by OS …) ask the
 * API once. Only the answer body is stored, never a credential, and the file name is a hash of base URL, tailnet
 * and fields, so nothing secret is in it either. Files are private to the user (0600 in a 0700 folder): a
 * device list names every machine of the tailnet.
 */
export const DEVICE_CACHE_TTL_MS = 5 * 60 * 1000;

export interface CacheKey {
  readonly baseUrl: string;
  readonly tailnet: string;
  readonly fields: string;
}

export interface CachedAnswer {
  readonly body: unknown;
  readonly ageMs: number;
}

const CacheFileSchema = z.object({
  version: z.literal(1),
  fetchedAt: z.number(),
  baseUrl: z.string(),
  tailnet: z.string(),
  fields: z.string(),
  body: z.unknown(),
});

/** `$XDG_CACHE_HOME/tailnet-cdk`, else `~/.cache/tailnet-cdk` (the XDG default). */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_CACHE_HOME?.trim() ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'tailnet-cdk');
}

export class DeviceCache {
  constructor(
    readonly dir: string,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly ttlMs = DEVICE_CACHE_TTL_MS,
  ) {}

  fileFor(key: CacheKey): string {
    const digest = createHash('sha256').update(`${key.baseUrl}\n${key.tailnet}\n${key.fields}`).digest('hex');
    return path.join(this.dir, `devices-${digest.slice(0, 32)}.json`);
  }

  /** The cached body while it is fresh; a missing, stale, foreign or corrupt file counts as no entry. */
  read(key: CacheKey): CachedAnswer | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(this.fileFor(key), 'utf8'));
    } catch {
      return undefined;
    }
    const entry = CacheFileSchema.safeParse(raw);
    if (!entry.success) return undefined;
    const e = entry.data;
    if (e.baseUrl !== key.baseUrl || e.tailnet !== key.tailnet || e.fields !== key.fields) return undefined;
    const ageMs = this.clock.now() - e.fetchedAt;
    return ageMs >= 0 && ageMs < this.ttlMs ? { body: e.body, ageMs } : undefined;
  }

  /** Best effort: a cache that cannot be written only costs an API call next time. */
  write(key: CacheKey, body: unknown): boolean {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const content = `${JSON.stringify({ version: 1, fetchedAt: this.clock.now(), ...key, body })}\n`;
      writeFilesAtomic([{ file: this.fileFor(key), content, mode: 0o600 }]);
      return true;
    } catch {
      return false;
    }
  }
}
