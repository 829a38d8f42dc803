import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TailnetApp } from '../../src';
import { parseHujson } from '../../src/core/canonical/hujson';
import { REPO_ROOT, tmpDir } from '../helpers';
import { buildModel, type ModelSpec, modelSpec } from './model-arbitrary';

function synthFiles(spec: ModelSpec, order?: (n: number) => number[]): Map<string, string> {
  const app = new TailnetApp({ outdir: tmpDir('prop'), cdktfOutdir: tmpDir('prop-cdktf') });
  buildModel(app, spec, order);
  return app.synthesize()[0].files as Map<string, string>;
}

const RUNS = { numRuns: 40 };

describe('synthesis properties', () => {
  it('gives the same bytes twice for the same model', () => {
    fc.assert(
      fc.property(modelSpec, (spec) => {
        expect(synthFiles(spec)).toEqual(synthFiles(spec));
      }),
      RUNS,
    );
  });

  it('does not depend on the declaration order of groups, tags, rules and tests', () => {
    fc.assert(
      fc.property(modelSpec, fc.infiniteStream(fc.integer()), (spec, randoms) => {
        const it = randoms[Symbol.iterator]();
        const shuffle = (n: number) =>
          [...Array(n).keys()]
            .map((i) => [i, it.next().value as number])
            .sort((a, b) => a[1] - b[1])
            .map(([i]) => i);
        expect(synthFiles(spec, shuffle)).toEqual(synthFiles(spec));
      }),
      RUNS,
    );
  });

  it('writes a policy.hujson that parses to exactly policy.json', () => {
    fc.assert(
      fc.property(modelSpec, (spec) => {
        const files = synthFiles(spec);
        expect(parseHujson(files.get('policy.hujson')!).value).toEqual(JSON.parse(files.get('policy.json')!));
      }),
      RUNS,
    );
  });

  it('writes a policy.json that is the projection of the IR', () => {
    fc.assert(
      fc.property(modelSpec, (spec) => {
        const app = new TailnetApp({ outdir: tmpDir('prop'), cdktfOutdir: tmpDir('prop-cdktf') });
        buildModel(app, spec);
        const [result] = app.synthesize();
        const policy = JSON.parse(result.files.get('policy.json')!);
        const ir = result.ir.policy;
        expect(policy.tagOwners).toEqual(Object.fromEntries(ir.tagOwners.map((t) => [t.name, t.owners])));
        expect(policy.groups ?? {}).toEqual(Object.fromEntries(ir.groups.map((g) => [g.name, g.members])));
        expect(policy.grants).toEqual(ir.grants.map(({ source, comment, ...g }) => g));
        expect(policy.ssh ?? []).toEqual(ir.ssh.map(({ source, comment, ...s }) => s));
        expect((policy.tests ?? []).length).toBe(ir.tests.length);
      }),
      RUNS,
    );
  });

  it('declares every tag and group that any artifact references', () => {
    fc.assert(
      fc.property(modelSpec, (spec) => {
        for (const [file, content] of synthFiles(spec)) {
          const policy =
            file === 'terraform/cdk.tf.json'
              ? parseHujson(JSON.parse(content).resource.tailscale_acl.policy.acl).value
              : file === 'policy.json'
                ? JSON.parse(content)
                : undefined;
          if (!policy) continue;
          const declared = new Set([...Object.keys(policy.tagOwners ?? {}), ...Object.keys(policy.groups ?? {})]);
          const referenced =
            JSON.stringify({ ...policy, tagOwners: undefined, groups: undefined }).match(
              /(?<![a-z])(tag|group):[a-z0-9-]+/g,
            ) ?? [];
          for (const ref of referenced) expect(declared, `${file} references ${ref}`).toContain(ref);
        }
      }),
      RUNS,
    );
  });

  it('gives the same bytes in a fresh process', () => {
    const specs = fc.sample(modelSpec, { numRuns: 5, seed: 42 });
    const here = specs.map((s) => [...synthFiles(s)].map(([p, c]) => `${p}\n${c}`).join('\n'));
    const script = `
      const { TailnetApp } = require('./src');
      const { buildModel } = require('./test/property/model-arbitrary');
      const os = require('node:os'); const fs = require('node:fs'); const path = require('node:path');
      const specs = JSON.parse(process.argv[1]);
      const out = specs.map((s) => { const app = new TailnetApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'p-')), cdktfOutdir: fs.mkdtempSync(path.join(os.tmpdir(), 'p-')) }); buildModel(app, s); return [...app.synthesize()[0].files].map(([p, c]) => p + '\\n' + c).join('\\n'); });
      process.stdout.write(JSON.stringify(out));`;
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, ['-e', script, JSON.stringify(specs)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(here);
  });
});
