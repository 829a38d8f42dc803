import { describe, expect, it } from 'vitest';
import { AuthKey, ControlServer, Device, Ip } from '../../../src';
import { IrTemplate } from '../../../src/core/testing';
import { setFlags, upFlags } from '../../../src/emit/nixos/tailscale';
import { fixture, host, synth } from './helpers';

/** Issue 4 §1: a NixOS host lowers to a device, auto-approvers, grants and the NixOS IR the module is printed from. */
describe('NixosHost', () => {
  it('is a declared device (devices.json) with its tags, routes and exit node', () => {
    const f = fixture();
    host(f, { advertiseRoutes: ['192.168.15.0/24'], exitNode: true });
    const t = new IrTemplate(synth(f).ir);
    t.has('devices', {
      name: 'web',
      tags: ['tag:server'],
      advertisedRoutes: ['0.0.0.0/0', '192.168.15.0/24', '::/0'],
      exitNode: true,
      source: { path: 'test/Web/Device' },
    });
  });

  it('auto-approves its routes and exit node for its own tags', () => {
    const f = fixture();
    host(f, { tags: [f.server, f.admin], advertiseRoutes: ['172.17.0.0/16'], exitNode: true });
    const t = new IrTemplate(synth(f).ir);
    t.has('autoApprovers', { kind: 'route', target: '172.17.0.0/16', approvers: ['tag:admin', 'tag:server'] });
    t.has('autoApprovers', { kind: 'exitNode', approvers: ['tag:admin', 'tag:server'] });
    expect(t.countOf('autoApprovers')).toBe(2);
  });

  it('approves the routes of an untagged host for its owner', () => {
    const f = fixture();
    host(f, { tags: [], user: 'alice@example.com', advertiseRoutes: ['10.1.0.0/16'] });
    new IrTemplate(synth(f).ir).has('autoApprovers', { kind: 'route', approvers: ['alice@example.com'] });
  });

  it('grants exit-node clients the internet, and the LAN routes with allowLanAccess', () => {
    const f = fixture();
    host(f, { advertiseRoutes: ['192.168.15.0/24'], exitNode: { clients: [f.client], allowLanAccess: true } });
    new IrTemplate(synth(f).ir).hasGrant({
      source: { path: 'test/Web/ExitNodeClients' },
      src: ['tag:client'],
      dst: ['autogroup:internet', '192.168.15.0/24'],
      ip: ['*'],
    });
  });

  it('lowers Tailscale settings to the NixOS IR, sorted and defaulted', () => {
    const f = fixture();
    host(f, {
      authKey: AuthKey.sops('tailscale/authkey'),
      advertiseRoutes: ['192.168.15.0/24', '172.17.0.0/16'],
      ssh: true,
      interfaces: ['enp6s0', 'docker0', 'tailscale0'],
    });
    const [h] = synth(f).ir.nixos.hosts;
    expect(h).toMatchObject({
      name: 'web',
      tags: ['tag:server'],
      interfaces: ['docker0', 'enp6s0'],
      tailscale: {
        interfaceName: 'tailscale0',
        port: 41641,
        authKey: { kind: 'sops', name: 'tailscale/authkey', path: '/run/secrets/tailscale/authkey' },
        acceptDns: true,
        ssh: true,
        advertiseRoutes: ['172.17.0.0/16', '192.168.15.0/24'],
        advertiseExitNode: false,
      },
    });
  });

  it('writes every flag as one shell word, settings on every boot and up-only flags at login', () => {
    const f = fixture();
    host(f, {
      loginServer: 'https://hs.example.com',
      advertiseRoutes: ['10.0.0.0/8'],
      acceptDns: false,
      operator: 'alice',
    });
    const { ir } = synth(f);
    const h = ir.nixos.hosts[0];
    const set = setFlags(h);
    expect(set).toEqual([
      '--hostname=web',
      '--accept-dns=false',
      '--accept-routes=false',
      '--advertise-exit-node=false',
      '--advertise-routes=10.0.0.0/8',
      '--exit-node=',
      '--exit-node-allow-lan-access=false',
      '--ssh=false',
      '--operator=alice',
    ]);
    const up = upFlags(ir, h);
    expect(up.slice(0, 2)).toEqual(['--login-server=https://hs.example.com', '--advertise-tags=tag:server']);
    expect(up.slice(2)).toEqual(set);
    for (const flag of [...set, ...up]) expect(flag).not.toMatch(/\s/);
  });

  it("takes the stack's Headscale URL as login server when the host names none", () => {
    const f = fixture({
      controlServer: ControlServer.headscale({
        url: 'https://headscale.example.com',
        magicDnsBaseDomain: 'hs.example.net',
      }),
    });
    host(f);
    const { ir } = synth(f);
    expect(upFlags(ir, ir.nixos.hosts[0])[0]).toBe('--login-server=https://headscale.example.com');
  });

  it('derives useRoutingFeatures: server for routers, client for exit-node users, both', () => {
    const f = fixture();
    const router = host(f, { exitNode: true }, 'Router');
    const user = host(f, { useExitNode: router }, 'User');
    const both = host(f, { advertiseRoutes: ['10.2.0.0/16'], acceptRoutes: true }, 'Both');
    expect([router.routingFeatures, user.routingFeatures, both.routingFeatures]).toEqual(['server', 'client', 'both']);
    const { files } = synth(f);
    expect(files.get('nixos/user/default.nix')).toContain('useRoutingFeatures = "client";');
    expect(files.get('nixos/user/default.nix')).toContain('"--exit-node=router"');
  });

  it('targets its declared Tailscale address in grants, else its tags', () => {
    const f = fixture();
    const a = host(f, { tailscaleIpv4: '100.101.102.103' }, 'A');
    const b = host(f, {}, 'B');
    expect(a.destination.map((s) => s.selector)).toEqual(['100.101.102.103']);
    expect(b.destination.map((s) => s.selector)).toEqual(['tag:server']);
  });

  it('rejects a useExitNode target that does not advertise an exit node', () => {
    const f = fixture();
    const plain = new Device(f.stack, 'Plain', { tags: [f.server] });
    host(f, { useExitNode: plain });
    expect(() => synth(f)).toThrow(/"plain" does not advertise an exit node/);
  });

  it('produces the same module whatever the order parts are declared in', () => {
    const build = (reverse: boolean) => {
      const f = fixture();
      const h = host(f, { interfaces: ['lan0'] });
      const steps = [
        () => h.addZone('Dmz', { preset: 'dmz', interfaces: ['lan0'], tcp: [443, 80] }),
        () => h.addZone('Internal', { preset: 'internal', services: ['ssh'] }),
        () => f.stack.addGrant('Ssh', { src: [f.admin], dst: [f.server], ip: [Ip.tcp(22)] }),
        () => h.addTuning('Net', { settings: { 'net.core.somaxconn': 4096, 'net.ipv4.tcp_fastopen': 3 } }),
      ];
      for (const s of reverse ? steps.reverse() : steps) s();
      return synth(f).files.get('nixos/web/default.nix');
    };
    expect(build(true)).toBe(build(false));
  });
});
