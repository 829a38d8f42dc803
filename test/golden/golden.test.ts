import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TailnetApp } from '../../src';
import { formatDiagnostic, SynthError } from '../../src/core/diagnostics';
import type { AnalysisMode } from '../../src/core/policy-analysis';
import { tmpDir } from '../helpers';

/**
 * Golden directories: `cases/<name>/app.ts` builds an app; `cases/<name>/expected/` holds every artifact of every
 * stack plus `diagnostics.txt`. Byte-for-byte comparison; `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites.
 * A case without expected output, or expected files no longer produced, fail.
 */
const CASES = path.join(__dirname, 'cases');
const update = process.env.UPDATE_GOLDEN === '1';

function actualFiles(build: (app: TailnetApp) => void, policyAnalysis: AnalysisMode): Map<string, string> {
  const app = new TailnetApp({ outdir: tmpDir('golden'), cdktfOutdir: tmpDir('golden-cdktf') });
  build(app);
  const files = new Map<string, string>();
  try {
    const results = app.synthesize({ policyAnalysis });
    for (const r of results) for (const [p, c] of r.files) files.set(`${r.stack}/${p}`, c);
    files.set(
      'diagnostics.txt',
      `${results
        .flatMap((r) => r.diagnostics)
        .map(formatDiagnostic)
        .join('\n')}\n`,
    );
  } catch (e) {
    if (!SynthError.isSynthError(e)) throw e;
    files.set('diagnostics.txt', `${e.message}\n`);
  }
  return files;
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
}

// The policy analysis gives the same bytes on the calling thread and on a worker thread (src/core/policy-analysis.ts).
describe.each(['inline', 'worker'] as const)('golden artifacts, policy analysis %s', (mode) => {
  for (const name of fs.readdirSync(CASES).sort()) {
    it(`${name} matches its expected directory`, async () => {
      const { build } = (await import(path.join(CASES, name, 'app.ts'))) as { build: (app: TailnetApp) => void };
      const expectedDir = path.join(CASES, name, 'expected');
      const actual = actualFiles(build, mode);
      if (update && mode === 'inline') {
        fs.rmSync(expectedDir, { recursive: true, force: true });
        for (const [p, c] of actual) {
          fs.mkdirSync(path.dirname(path.join(expectedDir, p)), { recursive: true });
          fs.writeFileSync(path.join(expectedDir, p), c);
        }
      }
      const expected = listFiles(expectedDir).sort();
      expect(expected.length, `no expected output for case ${name}: run UPDATE_GOLDEN=1`).toBeGreaterThan(0);
      expect(expected).toEqual([...actual.keys()].sort());
      for (const p of expected) expect(actual.get(p), p).toBe(fs.readFileSync(path.join(expectedDir, p), 'utf8'));
    });
  }
});
