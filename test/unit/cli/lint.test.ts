import { describe, expect, it } from 'vitest';
import { cli, fixture } from './run-cli';

/** `tailnet-cdk lint`: TN6xxx findings, exit 1 on warnings, 0 when clean, `--json`. */
describe('tailnet-cdk lint', () => {
  it('a clean policy exits 0', () => {
    const r = cli(['lint', fixture('base.hujson'), '--devices', fixture('devices.json')]);
    expect(r.status, r.out + r.err).toBe(0);
    expect(r.out).toBe('lint test/fixtures/policy/base.hujson: 0 errors, 0 warnings, 0 infos\n');
  });

  it('findings print with codes and positions; warnings exit 1', () => {
    const r = cli(['lint', fixture('lint.hujson'), '--devices', fixture('devices.json')]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(
      'warning TN6021 [test/fixtures/policy/lint.hujson:29:3] dst "*" also lets group:eng use exit nodes',
    );
    expect(r.out).toContain(
      'warning TN6010 [test/fixtures/policy/lint.hujson:53:3] src tag:orphan matches no device of the inventory',
    );
    expect(r.out).toMatch(/: 0 errors, 8 warnings, 2 infos\n$/);
  });

  it('--json lists the findings; invalid policies report validation errors', () => {
    const json = JSON.parse(cli(['lint', fixture('lint.hujson'), '--json']).out);
    expect(json.clean).toBe(false);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual([
      'TN6001',
      'TN6030',
      'TN6003',
      'TN6004',
      'TN6005',
      'TN6021',
      'TN6011',
      'TN6012',
      'TN6040',
    ]);
    const invalid = cli(['lint', fixture('invalid.hujson')]);
    expect(invalid.status).toBe(1);
    expect(invalid.out).toContain('error TN5008');
  });
});
