import type { Construct } from 'constructs';
import {
  Address,
  ANY,
  AuthKey,
  Autogroup,
  Ip,
  Monitoring,
  NixosHost,
  Reach,
  SshUser,
  type Tag,
  TailnetStack,
  TuningPreset,
} from '../src';

/**
 * The NixOS desktop scenario: a desktop server (kernelcore) reached by clients and laptops on its web, AI and
 * database ports, administered over Tailscale SSH by admin devices. Kernelcore runs NixOS: exit node and subnet
 * router for its LAN and Docker network, nginx in front of ollama and llama.cpp, nftables zones, sysctl tuning and
 * Prometheus; the laptop (NixOS too) routes through it.
 */
export class KernelcoreStack extends TailnetStack {
  constructor(scope: Construct, id = 'kernelcore') {
    super(scope, id, { tailnetDomain: 'example.com', magicDnsSuffix: 'tail4a2b9c.ts.net' });

    const owners = [Autogroup.ADMIN];
    const server = this.addTag('Server', { name: 'tag:server', owners });
    const client = this.addTag('Client', { name: 'tag:client', owners });
    const laptop = this.addTag('Laptop', { name: 'tag:laptop', owners });
    const admin = this.addTag('Admin', { name: 'tag:admin', owners });
    const desktop = this.addTag('Desktop', { name: 'tag:desktop', owners });

    this.addGrant('AdminsReachEverything', { src: [admin], dst: [ANY], ip: [Ip.ALL] });
    // "*" already includes exit-node use; saying so keeps it deliberate (and the linter's TN6021 quiet)
    this.addGrant('AdminsUseExitNodes', { src: [admin], dst: [Autogroup.INTERNET], ip: [Ip.ALL] });
    this.addGrant('ClientsReachServerPorts', {
      src: [client, laptop],
      dst: [server],
      ip: [Ip.tcp(80), Ip.tcp(443), Ip.tcp(11434), Ip.tcp(8080), Ip.tcp(5432)],
      comment: 'web, HTTPS, ollama, llama.cpp and PostgreSQL',
    });
    this.addSshRule('AdminsSshIntoServers', {
      action: 'accept',
      src: [admin],
      dst: [server],
      users: [SshUser.ROOT, 'kernelcore'],
    });

    const workstation = this.addDevice('Workstation', { tags: [client] });
    const adminConsole = this.addDevice('AdminConsole', { hostname: 'admin-console', tags: [admin] });
    const { kernelcore, laptopHost } = this.addNixosHosts({ server, desktop, client, laptop });
    new Monitoring(this, 'Monitoring', {
      prometheus: kernelcore,
      targets: [kernelcore, laptopHost],
      healthCheck: { peers: [laptopHost, workstation, adminConsole], maxLatencyMs: 150, maxLossPercent: 10 },
    });

    // The scenario's source wrote "clients must not reach SSH" as an ACL rule with action "reject", which
    // Tailscale does not have (deny is the default): here it is a test that fails if a rule ever opens port 22.
    for (const src of [client, laptop]) {
      this.expect(src).canReach(server, 443).canReach(server, 11434).cannotReach(server, 22);
    }
    this.expect(admin).canReach(server, 22);
    this.expect(laptop).canReach(Address.of('192.168.15.20'), 80);
    this.expect(server).canReach(laptop, 9100);
    this.expectSsh('AdminsAsRoot', { src: admin, dst: [server], accept: [SshUser.ROOT, 'kernelcore'] });
    this.expectSsh('ClientsNoSsh', { src: client, dst: [server], deny: [SshUser.ROOT, 'kernelcore'] });
  }

  /** kernelcore (desktop server, exit node, subnet router) and the laptop that uses it. */
  private addNixosHosts(tags: Record<'server' | 'desktop' | 'client' | 'laptop', Tag>): {
    kernelcore: NixosHost;
    laptopHost: NixosHost;
  } {
    const clients = [tags.client, tags.laptop];
    const kernelcore = new NixosHost(this, 'Kernelcore', {
      tags: [tags.server, tags.desktop],
      authKey: AuthKey.sops('tailscale/authkey'),
      advertiseRoutes: ['192.168.15.0/24', '172.17.0.0/16'],
      exitNode: { clients, allowLanAccess: true },
      ssh: true,
      interfaces: ['enp6s0', 'docker0'],
    });
    const ai = { clients, timeout: '600s', buffering: false } as const;
    kernelcore.addProxy('Ollama', {
      ...ai,
      upstreamPort: 11434,
      reach: Reach.path('/ollama/'),
      rateLimit: '20r/s',
      maxBodySize: '500M',
    });
    kernelcore.addProxy('Llamacpp', { ...ai, upstreamPort: 8080, reach: Reach.path('/llamacpp/'), rateLimit: '10r/s' });
    kernelcore.addZone('Dmz', { preset: 'dmz', interfaces: ['enp6s0'], tcp: [80, 443], udp: [443] });
    kernelcore.addZone('Internal', { preset: 'internal', services: ['ssh', 'postgresql', 'ollama'] });
    kernelcore.addZone('Admin', { preset: 'admin', sources: ['100.64.0.0/10'] });
    kernelcore.addTuning('Network', { presets: [TuningPreset.NETWORK_THROUGHPUT, TuningPreset.WEB_PROXY] });
    const laptopHost = new NixosHost(this, 'KernelcoreLaptop', {
      tags: [tags.laptop],
      useExitNode: kernelcore,
      exitNodeAllowLanAccess: true,
      acceptRoutes: true,
    });
    return { kernelcore, laptopHost };
  }
}
