import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApiDevice, DeviceListSchema } from '../../../src/import/api-schemas';
import { importDevices, magicDnsSuffix } from '../../../src/import/device-import';
import { computeDrift } from '../../../src/import/drift';
import { ImportFailure } from '../../../src/import/failure';
import { HomelabcmdStack } from '../../../stacks/homelabcmd';
import { newStack } from '../../helpers';
import { FIXTURES, SRC, synthesizeGenerated } from './roundtrip';

/** `import devices` code generation, and the homelabcmd example checked against its inventory fixture. */
const api = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tailscale-api-fixtures.json'), 'utf8'));
const API_DEVICES: ApiDevice[] = api.listDevices_fieldsAll.body.devices;
const HOMELAB: ApiDevice[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'homelab-devices.json'), 'utf8')).devices;

function code(devices: readonly ApiDevice[]): string {
  return importDevices(devices, { origin: 'test', importFrom: SRC, className: 'Devices' });
}

describe('import devices', () => {
  it('declares each device by its MagicDNS label, with tags or user, routes and exit node', () => {
    const c = code(API_DEVICES);
    expect(c).toContain("const router = this.addTag('Router', { owners: [Autogroup.ADMIN] });");
    expect(c).toMatch(
      /this\.addDevice\('ExitFra1', \{\n\s+hostname: 'exit-fra-1',\n\s+tags: \[exit\],\n\s+exitNode: true,/,
    );
    expect(c).toContain(
      "    this.addDevice('OfficeRouter', {\n      tags: [router],\n      advertiseRoutes: ['192.168.10.0/24'],",
    );
    expect(c).toContain(
      "// bob-desktop: offline since 2026-08-20T17:41:09Z; awaiting approval\n    this.addDevice('BobDesktop', {\n      user: 'bob@example.com',\n      os: 'windows',",
    );
    expect(c).toContain("super(scope, id, { magicDnsSuffix: 'tail4a2b9c.ts.net' });");
    // A tagged device has no user identity, whoever registered it.
    expect(c).not.toContain("user: 'carol@example.com'");
  });

  it('leaves out devices shared in from other tailnets, and says so', () => {
    const external = { ...API_DEVICES[0], name: 'guest.other-tailnet.ts.net', hostname: 'guest', isExternal: true };
    const c = code([...API_DEVICES, external]);
    expect(c).toContain('// Left out, shared in from other tailnets: guest.other-tailnet.ts.net.');
    expect(c).not.toContain("'Guest'");
    expect(magicDnsSuffix([external, ...API_DEVICES])).toBe('tail4a2b9c.ts.net');
  });

  it('refuses an untagged device without an owning user', () => {
    const orphan = { ...API_DEVICES[0], user: '' };
    expect(() => code([orphan])).toThrow(ImportFailure);
  });

  it('gives unique ids to devices whose labels collide in PascalCase', async () => {
    const a = { ...API_DEVICES[2], name: 'web-1.tail4a2b9c.ts.net', addresses: ['100.77.3.41'] };
    const b = { ...API_DEVICES[2], name: 'web1.tail4a2b9c.ts.net', hostname: 'web1', addresses: ['100.77.3.42'] };
    const c = code([a, b]);
    expect(c).toContain("this.addDevice('Web1', { hostname: 'web-1'");
    expect(c).toContain("this.addDevice('Web12', { hostname: 'web1'");
    const { policy } = await synthesizeGenerated(c.replace('class Devices', 'class Imported'), 'Imported');
    expect(policy).toContain('"tag:server"');
  });
});

describe('homelabcmd example', () => {
  it('declares exactly the devices of its inventory fixture (drift finds nothing)', () => {
    const { app } = newStack({}, 'unused');
    new HomelabcmdStack(app);
    const result = app.synthesize().find((r) => r.stack === 'homelabcmd')!;
    const declared = DeviceListSchema.parse(JSON.parse(result.files.get('devices.json')!)).devices;
    const text = result.files.get('policy.hujson')!;
    const report = computeDrift({
      stack: 'homelabcmd',
      tailnet: '-',
      local: { text, file: 'policy.hujson' },
      declaredDevices: declared,
      live: { policy: { text, etag: '' }, devices: HOMELAB },
    });
    expect(report.findings.filter((f) => f.subject !== 'policy')).toEqual([]);
    expect(report.devices).toEqual({ declared: 6, live: 6 });
  });
});
