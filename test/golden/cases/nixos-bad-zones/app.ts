import { Autogroup, Ip, NixosHost, Reach, Tag, type TailnetApp, TailnetStack } from '../../../../src';

/**
 * Issue 4 §8, the IR-rule half: a port used twice on one host, zones naming an interface and a service the host
 * does not have, plus the policy cross-checks (a grant to a port the zones drop: warning; a port opened on
 * tailscale0 that no grant allows: info).
 */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'zones', { magicDnsSuffix: 'tail4a2b9c.ts.net' });
  const server = new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
  const client = new Tag(stack, 'Client', { owners: [Autogroup.ADMIN] });
  const host = new NixosHost(stack, 'Kernelcore', { tags: [server], interfaces: ['enp6s0'] });
  host.addProxy('Ollama', { upstreamPort: 11434, reach: Reach.port(11434) });
  host.addZone('Dmz', { preset: 'dmz', interfaces: ['eth0'], tcp: [443] });
  host.addZone('Internal', { preset: 'internal', services: ['ssh', 'postgres'] });
  stack.addGrant('ClientsToServer', { src: [client], dst: [server], ip: [Ip.tcp(443), Ip.tcp(5432)] });
}
