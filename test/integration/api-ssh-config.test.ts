import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers';
import { requireTool } from './tools';

/**
 * The committed `out/homelabcmd/ssh/config` read by the real OpenSSH client: `ssh -G` prints the configuration it
 * would use for a host without connecting, so each managed machine resolves to its MagicDNS name, the managing
 * login and the key path. Hosts outside the file keep ssh's defaults.
 */
const CONFIG = path.join(REPO_ROOT, 'out', 'homelabcmd', 'ssh', 'config');

function resolved(host: string): Map<string, string> {
  const r = spawnSync('ssh', ['-G', '-F', CONFIG, host], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return new Map(r.stdout.split('\n').map((line) => [line.split(' ')[0], line.slice(line.indexOf(' ') + 1)]));
}

describe.runIf(requireTool('ssh', 'openssh-client'))('ssh/config with OpenSSH', () => {
  it.each(['homeserver', 'mediaserver', 'studypc'])('%s resolves to its MagicDNS name as homelabcmd', (host) => {
    const c = resolved(host);
    expect(c.get('hostname')).toBe(`${host}.tail7c3e1d.ts.net`);
    expect(c.get('user')).toBe('homelabcmd');
    expect(c.get('identityfile')).toMatch(/\/\.ssh\/id_ed25519_homelabcmd$/);
    expect(c.get('identitiesonly')).toBe('yes');
  });

  it('also matches the full MagicDNS name, and leaves other hosts alone', () => {
    expect(resolved('homeserver.tail7c3e1d.ts.net').get('user')).toBe('homelabcmd');
    expect(resolved('elsewhere.example').get('hostname')).toBe('elsewhere.example');
    expect(resolved('elsewhere.example').get('user')).not.toBe('homelabcmd');
  });

  it('holds no key material', () => {
    expect(fs.readFileSync(CONFIG, 'utf8')).not.toMatch(/PRIVATE KEY|tskey-/);
  });
});
