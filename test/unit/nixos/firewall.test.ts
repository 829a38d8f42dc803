import { describe, expect, it } from 'vitest';
import { AclRule, Address, ANY, Autogroup, Ip, NixosHost, Reach, User } from '../../../src';
import { parseCapability } from '../../../src/ir/rules/nixos-access';
import { fixture, host, synth } from './helpers';

/** Issue 4 §3: zones compile to one nftables table; the IR rules cross-check them with the policy. */
describe('FirewallZone', () => {
  it('presets: internal and admin filter the Tailscale interface, admin accepts all from the tailnet ranges', () => {
    const f = fixture();
    const h = host(f);
    h.addZone('Internal', { preset: 'internal', services: ['ssh'] });
    h.addZone('Admin', { preset: 'admin' });
    const zones = synth(f).ir.nixos.hosts[0].zones;
    expect(zones.map((z) => [z.name, z.interfaces, z.allowAll, z.sources])).toEqual([
      ['admin', ['tailscale0'], true, ['100.64.0.0/10', 'fd7a:115c:a1e0::/48']],
      ['internal', ['tailscale0'], false, []],
    ]);
  });

  it('one table body feeds both the module and the .nft file', () => {
    const f = fixture();
    const h = host(f, { interfaces: ['lan0'] });
    h.addZone('Dmz', { preset: 'dmz', interfaces: ['lan0'], tcp: [80, 443, '8000-8010'], udp: [443] });
    const { files } = synth(f);
    const nft = files.get('nftables/web.nft') ?? '';
    const module = files.get('nixos/web/default.nix') ?? '';
    expect(nft).toContain(
      '  chain zone-dmz {\n    tcp dport { 80, 443, 8000-8010 } accept\n    udp dport 443 accept\n  }',
    );
    expect(module).toContain('        chain zone-dmz {\n          tcp dport { 80, 443, 8000-8010 } accept');
    expect(module).toContain('networking.firewall.trustedInterfaces = [ "lan0" ];');
    expect(module).not.toContain('ruleset');
  });

  it('lets tailscaled and DHCPv6 through on untrusted interfaces and logs drops at a limited rate', () => {
    const f = fixture();
    host(f, { interfaces: ['lan0'] }).addZone('Lan', { preset: 'dmz', interfaces: ['lan0'], tcp: [443] });
    const nft = synth(f).files.get('nftables/web.nft') ?? '';
    expect(nft).toContain('iifname "lan0" udp dport 41641 accept comment "tailscaled WireGuard"');
    expect(nft).toContain(
      'iifname "lan0" limit rate 5/minute log prefix "tailnet-zones lan drop: " level info\n    iifname "lan0" drop',
    );
  });

  it('sources and protocols: ip and ip6 rules, reject as default policy', () => {
    const f = fixture();
    host(f).addZone('Ops', {
      interfaces: ['tailscale0'],
      tcp: [22],
      sources: ['10.0.0.0/8', 'fd00::/8'],
      defaultPolicy: 'reject',
      logDropped: false,
    });
    const nft = synth(f).files.get('nftables/web.nft') ?? '';
    expect(nft).toContain('ip saddr 10.0.0.0/8 tcp dport 22 accept\n    ip6 saddr fd00::/8 tcp dport 22 accept');
    expect(nft).toContain('iifname "tailscale0" reject with icmpx type admin-prohibited');
    expect(nft).not.toContain('log prefix');
  });

  it('without a zone on tailscale0, the NixOS firewall keeps filtering it and opens what the host serves', () => {
    const f = fixture();
    host(f).addProxy('App', { upstreamPort: 3000, reach: Reach.port(8443) });
    const module = synth(f).files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain('networking.firewall.interfaces.tailscale0 = {\n    allowedTCPPorts = [ 8443 ];');
    expect(module).not.toContain('trustedInterfaces');
  });
});

describe('NixOS IR rules', () => {
  it('warns when a grant allows a port the zones drop on tailscale0, naming the rule and the ports', () => {
    const f = fixture();
    host(f).addZone('Internal', { preset: 'internal', services: ['ssh'] });
    f.stack.addGrant('ToWeb', { src: [f.client], dst: [f.server], ip: [Ip.tcp(22), Ip.tcp(8080), Ip.udp(53)] });
    expect(synth(f).diagnostics).toContain(
      'warning TN2012 [test/ToWeb] allows tcp:8080, udp:53 to host "web", but its firewall zones drop them on tailscale0',
    );
  });

  it('reports a port opened on tailscale0 that no rule allows as info', () => {
    const f = fixture();
    host(f).addZone('Internal', { preset: 'internal', services: ['ssh', 'postgresql'] });
    f.stack.addGrant('Ssh', { src: [f.admin], dst: [f.server], ip: [Ip.tcp(22)] });
    expect(synth(f).diagnostics).toEqual([
      'info TN2013 [test/Web/Internal] zone "internal" opens tcp 5432 on tailscale0, but no grant lets a tailnet device reach it on host "web"',
    ]);
  });

  it('matches hosts by *, autogroup:tagged, user, group, autogroup:member and address; ignores other tags', () => {
    const f = fixture();
    const tagged = host(f, {}, 'TaggedHost');
    const owned = new NixosHost(f.stack, 'OwnedHost', { user: 'alice@example.com', tailscaleIpv4: '100.64.0.7' });
    for (const h of [tagged, owned]) h.addZone('In', { preset: 'internal', tcp: [22] });
    const team = f.stack.addGroup('Team', { members: [User.fromLogin('alice@example.com')] });
    const grant = (id: string, dst: Parameters<typeof f.stack.addGrant>[1]['dst'], port: number) =>
      f.stack.addGrant(id, { src: [f.admin], dst, ip: [Ip.tcp(port)] });
    grant('Any', [ANY], 1001);
    grant('Tagged', [Autogroup.TAGGED], 1002);
    grant('Member', [Autogroup.MEMBER], 1003);
    grant('Group', [team], 1004);
    grant('OtherTag', [f.client], 1005);
    grant('Cidr', [Address.of('100.64.0.0/24')], 1007);
    new AclRule(f.stack, 'Acl', {
      src: [f.admin],
      dst: [{ target: User.fromLogin('alice@example.com'), ports: [1006] }],
      proto: 'tcp',
    });
    const warned = synth(f).diagnostics.filter((d) => d.startsWith('warning'));
    const pairs = warned.map((d) => /\[test\/(\w+)\] allows tcp:(\d+) to host "([\w-]+)"/.exec(d)?.slice(1).join(' '));
    expect(pairs.sort()).toEqual([
      'Acl 1006 owned-host',
      'Any 1001 owned-host',
      'Any 1001 tagged-host',
      'Cidr 1007 owned-host',
      'Group 1004 owned-host',
      'Member 1003 owned-host',
      'Tagged 1002 tagged-host',
    ]);
  });

  it('does not warn for rules with * ports, and counts them as allowing every opened port', () => {
    const f = fixture();
    host(f).addZone('Internal', { preset: 'internal', services: ['ssh'] });
    f.stack.addGrant('All', { src: [f.admin], dst: [f.server], ip: [Ip.ALL] });
    expect(synth(f).diagnostics).toEqual([]);
  });

  it('parses grant capabilities per protocol', () => {
    expect(parseCapability('tcp:22,80-90')).toEqual([
      {
        proto: 'tcp',
        ranges: [
          { from: 22, to: 22 },
          { from: 80, to: 90 },
        ],
        specific: true,
      },
    ]);
    expect(parseCapability('53').map((c) => c.proto)).toEqual(['tcp', 'udp']);
    expect(parseCapability('icmp:*')).toEqual([]);
    expect(parseCapability('*').every((c) => !c.specific)).toBe(true);
  });
});
