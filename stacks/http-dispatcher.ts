import type { Construct } from 'constructs';
import {
  AuthKey,
  Autogroup,
  Coordinator,
  LinuxHost,
  Monitoring,
  NixosHost,
  Secret,
  SshUser,
  TailnetStack,
} from '../src';

/**
 * The HTTP job dispatcher scenario: a coordinator on a NixOS host hands out jobs over HTTP; two agents poll it by
 * its MagicDNS name — one on NixOS (environment set in its module), one on a Debian box (a systemd drop-in). A
 * NixOS monitoring host runs Prometheus, scraping the node exporters and the dispatcher's metrics across the
 * tailnet, and Grafana with that Prometheus provisioned. Agents reach the coordinator's API port and nothing else;
 * only admins get SSH.
 */
export class HttpDispatcherStack extends TailnetStack {
  constructor(scope: Construct, id = 'http-dispatcher') {
    super(scope, id, { tailnetDomain: 'example.com', magicDnsSuffix: 'tail7d3e1f.ts.net' });

    const owners = [Autogroup.ADMIN];
    const coordinatorTag = this.addTag('CoordinatorTag', { name: 'tag:coordinator', owners });
    const agentTag = this.addTag('AgentTag', { name: 'tag:agent', owners });
    const monitoringTag = this.addTag('MonitoringTag', { name: 'tag:monitoring', owners });
    const admin = this.addTag('Admin', { name: 'tag:admin', owners });

    this.addSshRule('AdminsSsh', {
      action: 'accept',
      src: [admin],
      dst: [coordinatorTag, agentTag, monitoringTag],
      users: [SshUser.ROOT],
    });

    const authKey = AuthKey.sops('tailscale/authkey');
    const coordinatorHost = new NixosHost(this, 'Coordinator', { tags: [coordinatorTag], authKey, ssh: true });
    const builder = new NixosHost(this, 'AgentBuilder', {
      hostname: 'agent-builder',
      tags: [agentTag],
      authKey,
      ssh: true,
    });
    const debian = new LinuxHost(this, 'AgentDebian', { hostname: 'agent-debian', tags: [agentTag] });
    const monitoringHost = new NixosHost(this, 'Monitor', { tags: [monitoringTag], authKey });
    this.addDevice('AdminConsole', { hostname: 'admin-console', tags: [admin] });

    const monitoring = new Monitoring(this, 'Monitoring', {
      prometheus: monitoringHost,
      targets: [coordinatorHost, builder, monitoringHost],
      grafana: { viewers: [admin], secretKey: Secret.sops('grafana/secret-key') },
    });
    const coordinator = new Coordinator(this, 'Dispatcher', { host: coordinatorHost, port: 8080, monitoring });
    coordinator.addAgent('Builder', { host: builder });
    coordinator.addAgent('Debian', { host: debian });

    this.expect(agentTag).canReach(coordinatorTag, 8080).cannotReach(coordinatorTag, 22);
    this.expect(monitoringTag)
      .canReach(coordinatorTag, coordinator.metricsPort)
      .canReach(agentTag, 9103)
      .canReach(coordinatorTag, 9100)
      .cannotReach(coordinatorTag, 8080)
      .cannotReach(coordinatorTag, 22);
    this.expect(admin).canReach(monitoringTag, 3000);
  }
}
