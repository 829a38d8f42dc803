import type { Construct } from 'constructs';
import { Ip, NixosHost, Secret, TailnetStack, Transport, User, WireguardPeer } from '../src';

/**
 * The Clawbernetes GPU cluster at an air-gapped site: no Tailscale control plane can be reached, so the same hosts
 * and access rules compile to a WireGuard mesh (10.77.0.0/24 on wg0) whose access control is nftables, computed by
 * the policy engine from the grants below (docs/wireguard.md). Host names and tags are those of the Tailscale-mode
 * clawbernetes stack: two gateways (tag:clawbernetes) schedule work on two GPU providers (tag:gpu-provider); an
 * admin workstation (a plain Linux machine with wg-quick, no fixed address, so no endpoint) administers them.
 *
 * Public keys are public; private keys stay on the hosts (sops-nix on the NixOS machines, a root-only file on the
 * workstation). Endpoints are the hosts' addresses on the site's server LAN.
 */
export class ClawbernetesAirgappedStack extends TailnetStack {
  constructor(scope: Construct, id = 'clawbernetes-airgapped') {
    super(scope, id, {
      tailnetDomain: 'clawbernetes.example',
      transport: Transport.wireguard({ cidr: '10.77.0.0/24', listenPort: 51820, interfaceName: 'wg0' }),
    });

    const alice = User.fromLogin('alice@clawbernetes.example');
    const admins = this.addGroup('Admins', { members: [alice] });
    const owners = [admins];
    const gateway = this.addTag('Clawbernetes', { owners });
    const provider = this.addTag('GpuProvider', { owners });

    const hosts: [string, string, typeof gateway, string][] = [
      ['gateway-1', 'DwPXo/HvGO3i6TnYOB9nqoXPgRw8A0HcuYn3iuj5zQU=', gateway, '192.168.50.11'],
      ['gateway-2', 'cq/MkcBxkNTGWiQh/zeWCjwQQG0rKRP6hnqtIkQlvxw=', gateway, '192.168.50.12'],
      ['gpu-1', 'kfwxo6ODlg4G32JLhJrDhucMUU1+ArpHdO1U3SF5TxY=', provider, '192.168.50.21'],
      ['gpu-2', 'yG/YuySjiS9QINYIVHV8YbgN8qNH1Y754un8v9KH21A=', provider, '192.168.50.22'],
    ];
    for (const [hostname, publicKey, tag, lan] of hosts) {
      const host = new NixosHost(this, hostname, { hostname, tags: [tag] });
      WireguardPeer.of(host, {
        publicKey,
        privateKey: Secret.sops(`wireguard/${hostname}`),
        endpoint: `${lan}:51820`,
      });
    }
    const workstation = this.addDevice('AdminWorkstation', { hostname: 'admin-ws', user: alice.selector });
    WireguardPeer.of(workstation, {
      publicKey: 'gj913Ngu8+wvGV7D0Qx6H1GMxbOMHqE3f0rr6Ar9LzY=',
      privateKey: Secret.file('/etc/wireguard/admin-ws.key'),
      // a fixed address, so the site's jump rules can name it
      address: '10.77.0.10',
    });

    // Gateways schedule work on the providers' agent API; providers report back to the gateways' heartbeat port.
    this.addGrant('GatewayToProviders', { src: [gateway], dst: [provider], ip: [Ip.tcp(8443)] });
    this.addGrant('ProviderHeartbeats', { src: [provider], dst: [gateway], ip: [Ip.tcp(8080)] });
    // The gateways gossip cluster state among themselves.
    this.addGrant('GatewayGossip', { src: [gateway], dst: [gateway], ip: [Ip.tcp(7946), Ip.udp(7946)] });
    // Admins log in everywhere (OpenSSH: Tailscale SSH needs tailscaled) and use the gateways' dashboard.
    this.addGrant('AdminSsh', { src: [admins], dst: [gateway, provider], ip: [Ip.tcp(22)] });
    this.addGrant('AdminDashboard', { src: [admins], dst: [gateway], ip: [Ip.tcp(443)] });

    this.expect(gateway).canReach(provider, 8443).canReach(gateway, 7946).cannotReach(provider, 22);
    this.expect(provider).canReach(gateway, 8080).cannotReach(provider, 8443).cannotReach(gateway, 22);
    this.expect(admins).canReach(provider, 22).canReach(gateway, 22).canReach(gateway, 443).cannotReach(provider, 8443);
  }
}
