import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers';
import { cli, FIXTURES, fixture } from './run-cli';

/** `tailnet-cdk test`: failing assertions with the rules involved, exit codes, `--json`, every stack under out/. */
const DEVICES = ['--devices', fixture('devices.json')];

describe('tailnet-cdk test', () => {
  it('passes the fixture tests with exit 0', () => {
    const r = cli(['test', fixture('base.hujson'), ...DEVICES]);
    expect(r.status, r.out + r.err).toBe(0);
    expect(r.out).toBe(
      'ok test/fixtures/policy/base.hujson with test/fixtures/policy/devices.json: 6 assertions, all passed\n',
    );
  });

  it('prints each failing assertion with its position, construct, devices and rules; exit 1', () => {
    const r = cli(['test', fixture('failing-tests.hujson'), ...DEVICES]);
    expect(r.status).toBe(1);
    const denyFailure = [
      '✗ test/fixtures/policy/failing-tests.hujson:15:3 (fixture/Tests/eng): group:eng -> tag:web:22 should be denied',
      '    alice-laptop.example.ts.net: allowed',
      '    alice-desktop.example.ts.net: allowed',
      '    bob-laptop.example.ts.net: allowed',
      '  allowed by:',
      '    grants[0] test/fixtures/policy/failing-tests.hujson:7:3 (fixture/EngToWeb)',
    ].join('\n');
    expect(r.out).toContain(denyFailure);
    // A failed accept shows the nearest rules and why they miss.
    expect(r.out).toContain("      - port 5432 is outside the rule's tcp ports (tcp:22,443)");
    expect(r.out).toContain(
      'bob@example.com ssh root@tag:web should be accepted\n    bob-laptop.example.ts.net -> web.example.ts.net: deny',
    );
    expect(r.out).toMatch(/FAILED test\/fixtures\/policy\/failing-tests\.hujson with .*: 3 of 4 assertions failed\n$/);
  });

  it('--json: every result with its position and rules', () => {
    const r = cli(['test', fixture('failing-tests.hujson'), ...DEVICES, '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.passed).toBe(false);
    const [run] = json.policies;
    expect(run).toMatchObject({
      policy: 'test/fixtures/policy/failing-tests.hujson',
      valid: true,
      assertions: 4,
      failed: 3,
    });
    const deny = run.results.find((t: { target: string }) => t.target === 'tag:web:22');
    expect(deny).toMatchObject({
      section: 'tests',
      at: 'test/fixtures/policy/failing-tests.hujson:15:3',
      construct: 'fixture/Tests/eng',
      passed: false,
      rules: [
        {
          section: 'grants',
          index: 0,
          at: 'test/fixtures/policy/failing-tests.hujson:7:3',
          construct: 'fixture/EngToWeb',
        },
      ],
    });
  });

  it('an invalid policy or inventory is exit 1 with the diagnostics', () => {
    const r = cli(['test', fixture('invalid.hujson')]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('error TN5008');
    const dir = tmpDir('inventory');
    fs.writeFileSync(path.join(dir, 'devices.json'), '{"devices": [{"name": "x"}]}');
    const bad = cli(['test', fixture('base.hujson'), '--devices', path.join(dir, 'devices.json')]);
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('TN5050');
  });

  it('without a policy tests every stack under out/ with its devices.json', () => {
    const dir = tmpDir('stacks');
    for (const stack of ['alpha', 'beta']) {
      fs.mkdirSync(path.join(dir, 'out', stack), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, 'base.hujson'), path.join(dir, 'out', stack, 'policy.hujson'));
      fs.copyFileSync(path.join(FIXTURES, 'devices.json'), path.join(dir, 'out', stack, 'devices.json'));
    }
    const r = cli(['test'], { cwd: dir });
    expect(r.status, r.out + r.err).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      `ok ${path.join('out', 'alpha', 'policy.hujson')} with ${path.join('out', 'alpha', 'devices.json')}: 6 assertions, all passed`,
      `ok ${path.join('out', 'beta', 'policy.hujson')} with ${path.join('out', 'beta', 'devices.json')}: 6 assertions, all passed`,
    ]);
    const empty = cli(['test'], { cwd: tmpDir('empty') });
    expect(empty.status).toBe(2);
    expect(empty.err).toContain('run tailnet-cdk synth, or name a policy file');
  });
});
