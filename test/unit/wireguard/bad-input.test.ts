import { describe, expect, it } from 'vitest';
import {
  Autogroup,
  Ip,
  NixosHost,
  Reach,
  Secret,
  SshUser,
  TailnetApp,
  TailnetStack,
  Transport,
  WireguardPeer,
} from '../../../src';
import type { Diagnostic } from '../../../src/core/diagnostics';
import { synthDiagnostics, tmpDir } from '../../helpers';
import { fakeKey, type Mesh, mesh, peer } from './helpers';

/** Each bad input: one error with its code, the construct path, the value received and a hint. */
function errors(m: Mesh | TailnetApp): Diagnostic[] {
  const all = synthDiagnostics('app' in m ? m.app : m).filter((d) => d.severity === 'error');
  for (const d of all) expect(d.hint, `${d.code} ${d.message}`).toBeTruthy();
  return all;
}

function only(m: Mesh): Diagnostic {
  const all = errors(m);
  expect(all, all.map((e) => `${e.code} ${e.path} ${e.message}`).join('\n')).toHaveLength(1);
  return all[0];
}

function twoHosts(m: Mesh): [NixosHost, NixosHost] {
  const a = new NixosHost(m.stack, 'A', { tags: [m.server] });
  const b = new NixosHost(m.stack, 'B', { tags: [m.client] });
  return [a, b];
}

describe('bad WireGuard input', () => {
  it('TN2090: a CIDR that is not an IPv4 network', () => {
    for (const cidr of ['10.77.0.1/24', 'fd00::/64', '10.77.0.0']) {
      const m = mesh({ cidr });
      peer(new NixosHost(m.stack, 'A', { tags: [m.server] }));
      expect(only(m)).toMatchObject({ code: 'TN2090', path: 'test', message: expect.stringContaining(`"${cidr}"`) });
    }
  });

  it('TN2090: a bad interface name or port', () => {
    const m = mesh({ interfaceName: 'wireguard-interface0', listenPort: 70000 });
    peer(new NixosHost(m.stack, 'A', { tags: [m.server] }));
    expect(errors(m).map((d) => d.code)).toEqual(['TN2090', 'TN2090']);
  });

  it('TN2091: a CIDR too small for its hosts', () => {
    const m = mesh({ cidr: '10.77.0.0/30' });
    for (const n of ['a', 'b', 'c']) peer(new NixosHost(m.stack, n, { tags: [m.server] }));
    const d = only(m);
    expect(d).toMatchObject({ code: 'TN2091', path: 'test' });
    expect(d.message).toMatch(/has 2 usable addresses for 3 peers/);
  });

  it('TN2092: the CIDR overlaps a route, the tailnet range, or another stack', () => {
    const m = mesh();
    const [a, b] = twoHosts(m);
    peer(a);
    peer(b);
    m.stack.addDevice('Lan', { tags: [m.server], advertiseRoutes: ['10.77.0.0/16'] });
    // the route itself is also a Tailscale-only feature (TN2098), and the device is no peer (TN2093)
    expect(
      errors(m)
        .map((d) => d.code)
        .sort(),
    ).toEqual(['TN2092', 'TN2093', 'TN2098']);

    const cgnat = mesh({ cidr: '100.100.0.0/24' });
    peer(new NixosHost(cgnat.stack, 'A', { tags: [cgnat.server] }));
    expect(only(cgnat)).toMatchObject({ code: 'TN2092', message: expect.stringContaining('100.64.0.0/10') });

    const app = new TailnetApp({ outdir: tmpDir('wg'), cdktfOutdir: tmpDir('wg') });
    for (const [name, cidr] of [
      ['site-a', '10.77.0.0/24'],
      ['site-b', '10.77.0.128/25'],
    ]) {
      const stack = new TailnetStack(app, name, { transport: Transport.wireguard({ cidr }) });
      const owners = [Autogroup.ADMIN];
      const tag = stack.addTag('Server', { owners });
      peer(new NixosHost(stack, 'Host', { tags: [tag] }));
    }
    expect(errors(app)).toEqual([
      expect.objectContaining({ code: 'TN2092', path: 'site-b', message: expect.stringContaining('stack "site-a"') }),
    ]);
  });

  it('TN2093: a host without a WireGuard peer, or with a malformed public key', () => {
    const m = mesh();
    const [a] = twoHosts(m);
    peer(a);
    expect(only(m)).toMatchObject({ code: 'TN2093', path: 'test/B', message: expect.stringContaining('"b"') });

    const k = mesh();
    peer(new NixosHost(k.stack, 'A', { tags: [k.server] }), { publicKey: 'not-a-key' });
    expect(only(k)).toMatchObject({ code: 'TN2093', path: 'test/A/WireGuard' });
  });

  it('TN2001: a literal private key is refused', () => {
    const m = mesh();
    const a = new NixosHost(m.stack, 'A', { tags: [m.server] });
    WireguardPeer.of(a, { publicKey: fakeKey(1), privateKey: Secret.file(fakeKey(2)) });
    expect(only(m)).toMatchObject({ code: 'TN2001', message: expect.stringContaining('literal key') });
  });

  it('TN2094: a malformed endpoint, and two peers that may talk but have no endpoint', () => {
    const m = mesh();
    const [a, b] = twoHosts(m);
    peer(a, { endpoint: '192.0.2.1' });
    peer(b);
    expect(only(m)).toMatchObject({ code: 'TN2094', message: 'endpoint: "192.0.2.1" is not host:port' });

    const n = mesh();
    const [c, d] = twoHosts(n);
    peer(c, { endpoint: null });
    peer(d, { endpoint: null });
    n.stack.addGrant('G', { src: [n.client], dst: [n.server], ip: [Ip.tcp(443)] });
    expect(only(n)).toMatchObject({ code: 'TN2094', path: 'test/B/WireGuard' });
  });

  it('TN2095: an explicit address outside the CIDR or taken twice', () => {
    const m = mesh();
    const [a, b] = twoHosts(m);
    peer(a, { address: '10.78.0.1' });
    peer(b);
    expect(only(m)).toMatchObject({ code: 'TN2095', path: 'test/A/WireGuard' });

    const n = mesh();
    const [c, d] = twoHosts(n);
    peer(c, { address: '10.77.0.5' });
    peer(d, { address: '10.77.0.5' });
    expect(only(n)).toMatchObject({ code: 'TN2095', message: expect.stringContaining('also the address of "a"') });
  });

  it('TN2096: Tailscale Services', () => {
    const m = mesh();
    const [a, b] = twoHosts(m);
    peer(a);
    peer(b);
    a.addProxy('Api', { upstreamPort: 8080, reach: Reach.service('api', { localPort: 18080 }), clients: [m.client] });
    const codes = errors(m).map((d) => d.code);
    expect(codes).toContain('TN2096');
    expect(new Set(codes)).toEqual(new Set(['TN2096']));
  });

  it('TN2097: Tailscale SSH rules and hosts running Tailscale SSH', () => {
    const m = mesh();
    const a = new NixosHost(m.stack, 'A', { tags: [m.server], ssh: true });
    peer(a);
    m.stack.addSshRule('Ssh', { action: 'accept', src: [Autogroup.MEMBER], dst: [m.server], users: [SshUser.ROOT] });
    expect(errors(m).map((d) => [d.code, d.path])).toEqual([
      ['TN2097', 'test/A'],
      ['TN2097', 'test/Ssh'],
    ]);
  });

  it('TN2098: exit nodes', () => {
    const m = mesh();
    const a = new NixosHost(m.stack, 'A', { tags: [m.server], exitNode: { clients: [m.client] } });
    peer(a);
    const codes = errors(m).map((d) => d.code);
    expect(new Set(codes)).toEqual(new Set(['TN2098']));
  });

  it('TN2099: a proxy served under the MagicDNS name', () => {
    const m = mesh();
    const [a, b] = twoHosts(m);
    peer(a);
    peer(b);
    a.addProxy('Web', { upstreamPort: 3000, reach: Reach.path('/web/'), clients: [m.client] });
    expect(only(m)).toMatchObject({ code: 'TN2099', path: 'test/A/Web' });
  });

  it('TN2090: a peer in a Tailscale-mode stack', () => {
    const app = new TailnetApp({ outdir: tmpDir('wg'), cdktfOutdir: tmpDir('wg') });
    const stack = new TailnetStack(app, 'plain');
    const tag = stack.addTag('Server', { owners: [Autogroup.ADMIN] });
    peer(new NixosHost(stack, 'A', { tags: [tag] }));
    expect(errors(app)).toEqual([expect.objectContaining({ code: 'TN2090', path: 'plain/A/WireGuard' })]);
  });

  it('the Tailscale transport is the default and writes no WireGuard artifact', () => {
    const app = new TailnetApp({ outdir: tmpDir('wg'), cdktfOutdir: tmpDir('wg') });
    const stack = new TailnetStack(app, 'plain', { transport: Transport.tailscale() });
    const tag = stack.addTag('Server', { owners: [Autogroup.ADMIN] });
    new NixosHost(stack, 'A', { tags: [tag] });
    const [r] = app.synthesize();
    expect(r.ir.wireguard).toBeUndefined();
    expect([...r.files.keys()].some((p) => p.startsWith('wireguard/'))).toBe(false);
    expect(r.files.get('nixos/a/default.nix')).toContain('services.tailscale');
  });
});
