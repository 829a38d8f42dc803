import { describe, expect, it } from 'vitest';
import { cli, fixture } from './run-cli';

/** `tailnet-cdk validate`: exit 0/1/2, every diagnostic at file:line:col, `--json`, `--dialect`. */
describe('tailnet-cdk validate', () => {
  it('accepts a valid policy with exit 0 and counts its sections', () => {
    const r = cli(['validate', fixture('base.hujson')]);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe(
      'valid test/fixtures/policy/base.hujson (tailscale): grants 7, ssh 2, groups 2, tagOwners 5, hosts 1, tests 2, sshTests 1\n',
    );
  });

  it('reports every error at file:line:col in Tailscale wording, exit 1', () => {
    const r = cli(['validate', fixture('invalid.hujson')]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('error TN5008 [test/fixtures/policy/invalid.hujson:5:4] action="deny" is not supported');
    expect(r.out).toContain(
      'error TN5004 [test/fixtures/policy/invalid.hujson:5:50] dst="tag:db:22": tag not found: "tag:db"',
    );
    expect(r.out).toContain(
      '[test/fixtures/policy/invalid.hujson:8:51] port range "0": first port must be >0, or use \'*\' for wildcard',
    );
    expect(r.out).toMatch(/invalid\.hujson: 3 errors\n$/);
  });

  it('--json gives the validity, section counts and diagnostics', () => {
    const ok = JSON.parse(cli(['validate', fixture('base.hujson'), '--json']).out);
    expect(ok).toMatchObject({ dialect: 'tailscale', valid: true, sections: { grants: 7, ssh: 2 }, diagnostics: [] });
    const bad = cli(['validate', fixture('invalid.hujson'), '--json']);
    expect(bad.status).toBe(1);
    const parsed = JSON.parse(bad.out);
    expect(parsed.valid).toBe(false);
    expect(parsed.diagnostics[0]).toEqual({
      severity: 'error',
      code: 'TN5008',
      path: 'test/fixtures/policy/invalid.hujson:5:4',
      message: 'action="deny" is not supported',
      hint: 'ACLs only allow; use "accept" (access is additive, there is no deny)',
    });
  });

  it('--dialect headscale rejects what headscale does not know', () => {
    const r = cli(['validate', fixture('lint.hujson'), '--dialect', 'headscale']);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/ipsets/);
  });

  it('usage errors exit 2: unknown dialect, missing file', () => {
    expect(cli(['validate', fixture('base.hujson'), '--dialect', 'nope']).status).toBe(2);
    const missing = cli(['validate', 'no/such/policy.hujson']);
    expect(missing.status).toBe(2);
    expect(missing.err).toContain('TN9005 cannot read no/such/policy.hujson: no such file');
  });

  it('colour only when asked for (no TTY here), and never with NO_COLOR', () => {
    expect(cli(['validate', fixture('base.hujson')], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).out).toContain(
      '\u001b[32mvalid',
    );
    expect(cli(['validate', fixture('base.hujson')], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).out).not.toContain(
      '\u001b[',
    );
  });
});
