import type { Construct } from 'constructs';
import { ANY, Autogroup, Ip, SshUser, TailnetStack } from '../src';

/**
 * The NixOS desktop scenario, access part: a desktop server (kernelcore) reached by clients and laptops on its
 * web, AI and database ports, administered over Tailscale SSH by admin devices.
 */
export class KernelcoreStack extends TailnetStack {
  constructor(scope: Construct, id = 'kernelcore') {
    super(scope, id, { tailnetDomain: 'example.com', magicDnsSuffix: 'tail4a2b9c.ts.net' });

    const owners = [Autogroup.ADMIN];
    const server = this.addTag('Server', { name: 'tag:server', owners });
    const client = this.addTag('Client', { name: 'tag:client', owners });
    const laptop = this.addTag('Laptop', { name: 'tag:laptop', owners });
    const admin = this.addTag('Admin', { name: 'tag:admin', owners });

    this.addGrant('AdminsReachEverything', { src: [admin], dst: [ANY], ip: [Ip.ALL] });
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

    this.addDevice('Kernelcore', { tags: [server] });
    this.addDevice('Laptop', { hostname: 'kernelcore-laptop', tags: [laptop] });
    this.addDevice('Workstation', { tags: [client] });
    this.addDevice('AdminConsole', { hostname: 'admin-console', tags: [admin] });

    // The scenario's source wrote "clients must not reach SSH" as an ACL rule with action "reject", which
    // Tailscale does not have (deny is the default): here it is a test that fails if a rule ever opens port 22.
    for (const src of [client, laptop]) {
      this.expect(src).canReach(server, 443).canReach(server, 11434).cannotReach(server, 22);
    }
    this.expect(admin).canReach(server, 22);
    this.expectSsh('AdminsAsRoot', { src: admin, dst: [server], accept: [SshUser.ROOT, 'kernelcore'] });
    this.expectSsh('ClientsNoSsh', { src: client, dst: [server], deny: [SshUser.ROOT, 'kernelcore'] });
  }
}
