import {
  Autogroup,
  Ip,
  NixosHost,
  Reach,
  Secret,
  type TailnetApp,
  TailnetStack,
  Transport,
  WireguardPeer,
} from '../../../../src';

/**
 * WireGuard mode with Tailscale-only features and bad mesh settings at once: every finding in one run, with its
 * code (TN2090–TN2099), construct path and hint.
 */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'airgap', { transport: Transport.wireguard({ cidr: '10.77.0.0/30' }) });
  const server = stack.addTag('Server', { owners: [Autogroup.ADMIN] });
  const client = stack.addTag('Client', { owners: [Autogroup.ADMIN] });
  const key = (n: number) => Buffer.alloc(32, n).toString('base64');
  const a = new NixosHost(stack, 'A', { tags: [server], ssh: true, advertiseRoutes: ['10.77.0.0/16'] });
  WireguardPeer.of(a, { publicKey: key(1), privateKey: Secret.sops('wireguard/a') });
  const b = new NixosHost(stack, 'B', { tags: [client] });
  WireguardPeer.of(b, { publicKey: key(2), privateKey: Secret.sops('wireguard/b') });
  const c = new NixosHost(stack, 'C', { tags: [client] });
  WireguardPeer.of(c, { publicKey: key(3), privateKey: Secret.sops('wireguard/c'), endpoint: '192.0.2.3:51820' });
  new NixosHost(stack, 'D', { tags: [client] });
  a.addProxy('Web', { upstreamPort: 3000, reach: Reach.path('/web/'), clients: [client] });
  stack.addGrant('ClientsToServer', { src: [client], dst: [server], ip: [Ip.tcp(443)] });
}
