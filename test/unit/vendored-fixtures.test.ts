import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED } from '../helpers';

/**
 * The test vectors of the shared research folder are vendored under test/fixtures/import/, so a clone runs its
 * tests without shared/ beside it; where shared/ is there, the copies must still be the same bytes.
 */
const VENDORED: Record<string, string> = {
  'fixtures/policy-doc-cases.json': 'test/fixtures/import/policy-doc-cases.json',
  'facts/tailscale-api-fixtures.json': 'test/fixtures/import/tailscale-api-fixtures.json',
};

describe.skipIf(!existsSync(SHARED))('vendored shared fixtures', () => {
  for (const [original, copy] of Object.entries(VENDORED)) {
    it(`${copy} is a copy of shared/${original}`, () => {
      expect(readFileSync(path.join(REPO_ROOT, copy), 'utf8')).toBe(readFileSync(path.join(SHARED, original), 'utf8'));
    });
  }
});
