import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers';
import { cli, FIXTURES, fixture } from './run-cli';

/** `tailnet-cdk explain`: accepted (0) or denied (1) with reasons, `--json`, `--ssh-user`, usage errors (2). */
const BASE = ['explain', fixture('base.hujson'), '--devices', fixture('devices.json')];

describe('tailnet-cdk explain', () => {
  it('accepted: the granting rule with its position and construct, exit 0', () => {
    const r = cli([...BASE, 'bob-laptop', 'web.example.ts.net:443']);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe(
      [
        'tcp/443 from bob-laptop.example.ts.net (owned by bob@example.com) to web.example.ts.net (tagged tag:web): ACCEPTED',
        '  decided by the packet filter of web.example.ts.net',
        '  granted by:',
        '    grants[0] test/fixtures/policy/base.hujson:27:3 (fixture/EngToWeb)',
        '',
      ].join('\n'),
    );
  });

  it('denied: the nearest rules and why each misses, exit 1', () => {
    const r = cli([...BASE, '100.64.1.3', 'db:5432', '--limit', '1']);
    expect(r.status).toBe(1);
    expect(r.out).toContain('DENIED');
    expect(r.out).toContain(
      "    grants[5] test/fixtures/policy/base.hujson:57:3 (fixture/MacDb)\n      - bob-laptop fails the rule's srcPosture: node:os == 'macos' (node:os is linux)",
    );
    expect(r.out).not.toContain('grants[4]');
  });

  it('--json: decision, rules with positions, reasons and notes', () => {
    const r = cli([...BASE, 'bob-laptop', '192.168.1.5:80', '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      proto: 'tcp',
      port: 80,
      allowed: false,
      enforcedBy: 'exit.example.ts.net',
      grantedBy: [],
    });
    expect(json.dst).toEqual({
      text: '192.168.1.5',
      address: '192.168.1.5',
      identity: 'address outside the inventory',
    });
    expect(json.notes[0]).toBe(
      '192.168.1.5 is in 192.168.0.0/16, advertised by router but not approved (not in its enabledRoutes)',
    );
    expect(json.nearest[0]).toMatchObject({
      section: 'grants',
      at: expect.stringMatching(/base\.hujson:\d+:3$/),
      reasons: expect.any(Array),
    });
  });

  it('--ssh-user: the SSH policy answer, and tcp/22 on its own', () => {
    const r = cli([...BASE, 'alice-laptop', 'web', '--ssh-user', 'root']);
    expect(r.status).toBe(1);
    expect(r.out).toContain(
      'ssh root@web.example.ts.net from alice-laptop.example.ts.net (owned by alice@example.com): SSH policy says CHECK',
    );
    expect(r.out).toContain('  network: tcp/22 is closed');
    expect(r.out).toContain('=> the SSH connection fails');
    const json = JSON.parse(cli([...BASE, 'alice-laptop', 'web', '--ssh-user', 'root', '--json']).out);
    expect(json).toMatchObject({
      action: 'check',
      connects: false,
      grantedBy: [{ section: 'ssh', index: 0, construct: 'fixture/OpsSsh' }],
    });
  });

  it('usage errors exit 2; unknown devices exit 1', () => {
    expect(cli([...BASE, 'bob-laptop', 'web']).status).toBe(2);
    expect(cli([...BASE, 'bob-laptop', 'web:99999']).status).toBe(2);
    // No --devices and no devices.json beside the policy.
    const alone = path.join(tmpDir('explain'), 'policy.hujson');
    fs.copyFileSync(path.join(FIXTURES, 'base.hujson'), alone);
    const noDevices = cli(['explain', alone, 'a', 'b:1']);
    expect(noDevices.status).toBe(2);
    expect(noDevices.err).toContain('explain needs a device inventory');
    const unknown = cli([...BASE, 'nobody', 'web:443']);
    expect(unknown.status).toBe(1);
    expect(unknown.out).toContain('source "nobody" is neither a device of the inventory nor an IP address');
  });
});
