import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeInfo } from '../../src/core/errors';
import { REPO_ROOT } from '../helpers';

/** Every diagnostic code is declared once, in a catalogue of its area, inside that area's range. */
function catalogueFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return catalogueFiles(p);
    return e.name === 'codes.ts' || p.endsWith(path.join('core', 'errors.ts')) ? [p] : [];
  });
}

describe('error catalogue', () => {
  it('declares each code exactly once, as TN followed by four digits', async () => {
    const seen = new Map<string, string>();
    for (const file of catalogueFiles(path.join(REPO_ROOT, 'src'))) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const table of Object.values(mod)) {
        if (typeof table !== 'object' || table === null) continue;
        for (const [key, info] of Object.entries(table as Record<string, CodeInfo>)) {
          if (typeof info?.code !== 'string') continue;
          expect(info.code).toMatch(/^TN\d{4}$/);
          expect(seen.get(info.code), `${info.code} declared twice (${key})`).toBeUndefined();
          seen.set(info.code, `${path.relative(REPO_ROOT, file)}:${key}`);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
  });
});
