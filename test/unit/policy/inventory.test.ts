import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canReach, compilePolicy, parseInventory, validatePolicy } from '../../../src/policy';

const FIXTURES = JSON.parse(readFileSync(join(__dirname, '../../fixtures/import/tailscale-api-fixtures.json'), 'utf8'));

describe('parseInventory: the API device list', () => {
  const text = JSON.stringify(FIXTURES.listDevices_fieldsAll.body, null, 2);
  const parsed = parseInventory({ text, file: 'devices.json' });

  it('parses listDevices_fieldsAll', () => {
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.inventory!.devices.map((d) => d.shortName)).toEqual([
      'alice-mbp',
      'bob-desktop',
      'web-1',
      'office-router',
      'exit-fra-1',
    ]);
  });

  it('keeps FQDN names, addresses and identities (tagged devices have no user, §13)', () => {
    const [alice, , web] = parsed.inventory!.devices;
    expect(alice).toMatchObject({
      name: 'alice-mbp.tail4a2b9c.ts.net',
      user: 'alice@example.com',
      tags: [],
      ipv4: '100.101.42.7',
      ipv6: 'fd7a:115c:a1e0::8f01:2a07',
    });
    expect(web.user).toBeUndefined();
    expect(web.tags).toEqual(['tag:server']);
  });

  it('derives routers and exit nodes from enabled routes', () => {
    const byName = new Map(parsed.inventory!.devices.map((d) => [d.shortName, d]));
    expect(byName.get('office-router')).toMatchObject({ approvedRoutes: ['192.168.10.0/24'], isExitNode: false });
    expect(byName.get('exit-fra-1')!.isExitNode).toBe(true);
  });

  it('parses the default-fields list too (no routes, no tags key)', () => {
    const result = parseInventory({ value: FIXTURES.listDevices_fieldsDefault.body, file: 'devices.json' });
    expect(result.diagnostics).toEqual([]);
    expect(result.inventory!.devices.every((d) => d.approvedRoutes.length === 0)).toBe(true);
  });

  it('works end to end with a policy', () => {
    const policy = validatePolicy(
      {
        value: {
          tagOwners: { 'tag:server': [], 'tag:router': [], 'tag:exit': [] },
          grants: [{ src: ['alice@example.com'], dst: ['tag:server', '192.168.10.0/24'], ip: ['443'] }],
        },
        file: 'p',
      },
      { dialect: 'tailscale' },
    ).policy!;
    const compiled = compilePolicy(policy, parsed.inventory!);
    expect(
      canReach(compiled, { src: 'alice-mbp', dst: 'web-1.tail4a2b9c.ts.net', proto: 'tcp', port: 443 }).allowed,
    ).toBe(true);
    expect(canReach(compiled, { src: 'alice-mbp', dst: '192.168.10.4', proto: 'tcp', port: 443 })).toMatchObject({
      allowed: true,
      enforcedBy: 'office-router.tail4a2b9c.ts.net',
    });
    expect(canReach(compiled, { src: 'bob-desktop', dst: 'web-1', proto: 'tcp', port: 443 }).allowed).toBe(false);
  });
});

describe('parseInventory: malformed inventories', () => {
  const cases: [string, string, string, RegExp][] = [
    ['not an object', '[1, 2]', 'devices.json:1:1', /inventory must be an object/],
    ['HuJSON syntax', '{"devices": [}', 'devices.json:1:14', /./],
    [
      'device without addresses',
      '{"devices": [\n  {"name": "a", "user": "a@x.com"}\n]}',
      'devices.json:2:3',
      /addresses/,
    ],
    [
      'bad address',
      '{"devices": [\n  {"name": "a", "user": "a@x.com", "addresses": ["100.64.0.300"]}\n]}',
      'devices.json:2:50',
      /"100.64.0.300" is not an IP address/,
    ],
    [
      'bad route',
      '{"devices": [{"name": "a", "tags": ["tag:r"], "addresses": [], "enabledRoutes": ["10.0.0.0"]}]}',
      'devices.json:1:82',
      /is not a CIDR/,
    ],
    [
      'neither user nor tags',
      '{"devices": [{"name": "a", "addresses": []}]}',
      'devices.json:1:14',
      /neither tags nor a user/,
    ],
    [
      'wrong type',
      '{"devices": [{"name": "a", "user": "a@x.com", "addresses": "100.64.0.1"}]}',
      'devices.json:1:47',
      /addresses/,
    ],
    [
      'duplicate names',
      '{"devices": [{"name": "a", "user": "a@x.com", "addresses": []}, {"name": "a", "user": "a@x.com", "addresses": []}]}',
      'devices.json:1:65',
      /two devices are named "a"/,
    ],
  ];
  for (const [name, text, path, message] of cases) {
    it(name, () => {
      const result = parseInventory({ text, file: 'devices.json' });
      expect(result.inventory).toBeUndefined();
      expect(result.diagnostics[0].code).toMatch(/^TN50(01|50|51)$/);
      expect(result.diagnostics[0].path).toBe(path);
      expect(result.diagnostics[0].message).toMatch(message);
    });
  }
});
