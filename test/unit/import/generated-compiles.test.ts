import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiDevice } from '../../../src/import/api-schemas';
import { importDevices } from '../../../src/import/device-import';
import { importPolicy } from '../../../src/import/policy-import';
import { REPO_ROOT } from '../../helpers';
import { FIXTURES, policyFixtures, SRC, withDefinedTags } from './roundtrip';

/**
 * Every generated stack type-checks with the project's compiler settings (strict, no unused locals): one `tsc`
 * run over the stacks imported from every policy fixture and from the fixture device lists. The folder sits under
 * node_modules/.cache so `constructs` and `cdktf` resolve as they do for a user's project.
 */
const DIR = path.join(REPO_ROOT, 'node_modules', '.cache', `tailnet-cdk-import-${process.pid}`);

afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

function deviceFixtures(): [string, ApiDevice[]][] {
  const api = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tailscale-api-fixtures.json'), 'utf8'));
  const homelab = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'homelab-devices.json'), 'utf8'));
  return [
    ['api-devices-all', api.listDevices_fieldsAll.body.devices],
    ['api-devices-default', api.listDevices_fieldsDefault.body.devices],
    ['homelab-devices', homelab.devices],
  ];
}

describe('generated TypeScript', () => {
  it('compiles with tsc --strict for every fixture', async () => {
    fs.mkdirSync(DIR, { recursive: true });
    const files: string[] = [];
    for (const [i, fixture] of policyFixtures().entries()) {
      const devices = withDefinedTags(fixture.text, await fixture.devices());
      const { code } = importPolicy(fixture.text, { file: 'policy.hujson', importFrom: SRC, devices });
      files.push(`policy-${i}.ts`);
      fs.writeFileSync(path.join(DIR, files.at(-1)!), code);
    }
    for (const [name, devices] of deviceFixtures()) {
      files.push(`${name}.ts`);
      fs.writeFileSync(path.join(DIR, files.at(-1)!), importDevices(devices, { origin: name, importFrom: SRC }));
    }
    const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tsconfig.json'), 'utf8'));
    fs.writeFileSync(
      path.join(DIR, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...tsconfig.compilerOptions, rootDir: REPO_ROOT, noEmit: true }, files }),
    );
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', DIR], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
