import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers';
import { requireTool } from '../../integration/tools';
import { files, fixture, HEADSCALE, workload } from '../kubernetes/helpers';

/**
 * bootstrap.sh run for real against stub `headscale` and `kubectl` commands that log their arguments and keep
 * what a real server and cluster would (users, Secrets) in a state folder.
 */
const HEADSCALE_STUB = `#!/usr/bin/env bash
echo "headscale $*" >>"$LOG"
case "$1 $2" in
  "version "*) echo "v$FAKE_VERSION" ;;
  "users list") if [ -f "$STATE/users" ]; then echo '[{"id": 7, "name": "apps"}]'; else echo '[]'; fi ;;
  "users create") touch "$STATE/users" ;;
  "preauthkeys create") echo "hskey-auth-fake-$RANDOM$RANDOM" ;;
esac
`;

const KUBECTL_STUB = `#!/usr/bin/env bash
echo "kubectl $*" >>"$LOG"
case "$1 $2" in
  "get secret") [ -f "$STATE/secret-$3" ] ;;
  "create secret") cat >"$STATE/secret-$4"; echo "kind: Secret" ;;
  "create namespace") echo "kind: Namespace" ;;
  "apply -f") cat >/dev/null ;;
esac
`;

function script(): string {
  const f = fixture({ controlServer: HEADSCALE() });
  workload(f, { sidecar: { authKey: { expiryDays: 180 } } });
  workload(f, { name: 'worker', sidecar: { authKey: { ephemeral: true, reusable: false } } }, 'Worker');
  return files(f).get('headscale/bootstrap.sh')!;
}

function runner() {
  const dir = tmpDir('bootstrap');
  const bin = path.join(dir, 'bin');
  const state = path.join(dir, 'state');
  fs.mkdirSync(bin);
  fs.mkdirSync(state);
  fs.writeFileSync(path.join(bin, 'headscale'), HEADSCALE_STUB, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'kubectl'), KUBECTL_STUB, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'bootstrap.sh'), script());
  const log = path.join(dir, 'log');
  const run = (env: Record<string, string> = {}) => {
    fs.writeFileSync(log, '');
    const result = spawnSync('bash', ['bootstrap.sh'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, LOG: log, STATE: state, FAKE_VERSION: '0.29.2', ...env },
    });
    return { ...result, calls: fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  };
  return { dir, state, run };
}

describe('headscale/bootstrap.sh', () => {
  it('is valid bash', () => {
    const dir = tmpDir('bootstrap-syntax');
    fs.writeFileSync(path.join(dir, 'bootstrap.sh'), script());
    const result = spawnSync('bash', ['-n', path.join(dir, 'bootstrap.sh')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('is shellcheck-clean', () => {
    if (!requireTool('shellcheck')) return;
    const dir = tmpDir('bootstrap-shellcheck');
    fs.writeFileSync(path.join(dir, 'bootstrap.sh'), script());
    const result = spawnSync('shellcheck', ['--shell=bash', path.join(dir, 'bootstrap.sh')], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('creates users and tags-only keys on 0.29 and pipes each key into its Secret', () => {
    const { dir, state, run } = runner();
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.calls).toContain('headscale users create apps');
    expect(first.calls).toContain('headscale preauthkeys create --expiration 180d --tags tag:svc --reusable');
    expect(first.calls).toContain('headscale preauthkeys create --expiration 90d --tags tag:svc --ephemeral');
    expect(first.calls).toContain(
      'kubectl create secret generic api-tailscale-auth -n apps --from-file=TS_AUTHKEY=/dev/stdin --dry-run=client -o yaml',
    );
    const key = fs.readFileSync(path.join(state, 'secret-api-tailscale-auth'), 'utf8');
    expect(key).toMatch(/^hskey-auth-fake-\d+$/);
    // The key went through a pipe: it is in no argument and in no file of the working folder.
    expect(first.calls.join('\n')).not.toContain(key);
    expect(fs.readFileSync(path.join(dir, 'bootstrap.sh'), 'utf8')).not.toContain(key);
  });

  it('is idempotent: a second run keeps existing users and Secrets, ROTATE=1 replaces keys', () => {
    const { run } = runner();
    run();
    const second = run();
    expect(second.status).toBe(0);
    expect(second.calls.filter((c) => c.startsWith('headscale preauthkeys create'))).toEqual([]);
    expect(second.calls.filter((c) => c.startsWith('headscale users create'))).toEqual([]);
    expect(second.stdout).toContain('secret apps/api-tailscale-auth: exists, key kept');
    const rotated = run({ ROTATE: '1' });
    expect(rotated.calls.filter((c) => c.startsWith('headscale preauthkeys create'))).toHaveLength(2);
  });

  it('speaks each CLI dialect: user names up to 0.25, numeric IDs on 0.26-0.27', () => {
    const old = runner().run({ FAKE_VERSION: '0.25.1' });
    expect(old.calls).toContain('headscale preauthkeys create --user apps --expiration 180d --tags tag:svc --reusable');
    if (!requireTool('jq')) return;
    const mid = runner().run({ HEADSCALE_VERSION: '0.26' });
    expect(mid.stderr).toBe('');
    expect(mid.calls).toContain('headscale preauthkeys create --user 7 --expiration 180d --tags tag:svc --reusable');
  });
});
