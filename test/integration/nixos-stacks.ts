import {
  AuthKey,
  Autogroup,
  Monitoring,
  NixosHost,
  Priority,
  Reach,
  Secret,
  Tag,
  TailnetApp,
  TailnetStack,
  Tls,
  TuningPreset,
} from '../../src';
import type { StackSynthesis } from '../../src/core/synth';
import { ClawbernetesStack } from '../../stacks/clawbernetes';
import { KernelcoreStack } from '../../stacks/kernelcore';
import { tmpDir } from '../helpers';

/**
 * Stacks whose NixOS, nginx and nftables artifacts the real tools check: the kernelcore example and a stack using
 * every other feature (agenix, ACME, a Tailscale Service, basic auth, own ports, every zone preset, forced values).
 * HTTP/3 is its own stack: only nginx ≥ 1.25 built with http_v3 can check it.
 */
export function synthStacks(build: (app: TailnetApp) => void): StackSynthesis[] {
  const app = new TailnetApp({ outdir: tmpDir('it-out'), cdktfOutdir: tmpDir('it-cdktf') });
  build(app);
  return app.synthesize();
}

export function exampleStacks(): StackSynthesis[] {
  return synthStacks((app) => {
    new KernelcoreStack(app);
    new ClawbernetesStack(app); // issue 6: Services (serve module and HTTPS unit), OAuth authKeyParameters
    features(app);
  });
}

function features(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'features', { magicDnsSuffix: 'feat.ts.net' });
  const owners = [Autogroup.ADMIN];
  const server = new Tag(stack, 'Server', { owners });
  const client = new Tag(stack, 'Client', { owners });
  const edge = new NixosHost(stack, 'Edge', {
    tags: [server],
    loginServer: 'https://hs.example.com',
    authKey: AuthKey.agenix('tailscale-authkey', { file: '/etc/nixos/secrets/tailscale-authkey.age' }),
    exitNode: { clients: [client] },
    interfaces: ['lan0', 'iot0'],
    options: {
      'services.openssh.enable': true,
      'networking.firewall.logRefusedConnections': Priority.default(true),
      'networking.firewall.interfaces."docker0".allowedTCPPorts': [5000],
    },
  });
  edge.addProxy('Chat', {
    upstreamPort: 3000,
    reach: Reach.customDomain('chat.example.com'),
    tls: Tls.acme({ email: 'ops@example.com' }),
    websockets: true,
    basicAuthFile: Secret.agenix('chat-htpasswd', { file: '/etc/nixos/secrets/chat-htpasswd.age' }),
    clients: [client],
  });
  edge.addProxy('Api', {
    upstreamPort: 3001,
    reach: Reach.port(8443),
    rateLimit: { rate: '100r/m', burst: 5, status: 503 },
  });
  edge.addProxy('Llm', { upstreamPort: 8080, reach: Reach.service('llm', { localPort: 18080 }), clients: [client] });
  edge.addZone('Dmz', { preset: 'dmz', interfaces: ['lan0'], tcp: [443, 80], udp: [443] });
  edge.addZone('Iot', { preset: 'isolated', interfaces: ['iot0'], defaultPolicy: 'reject' });
  edge.addZone('Internal', { preset: 'internal', services: ['ssh', 'api'] });
  edge.addZone('Admin', { preset: 'admin' });
  edge.addTuning('Net', { presets: [TuningPreset.BBR] });
  edge.addTuning('Swap', { settings: { 'vm.swappiness': 10 }, priority: 'force' });
  const laptop = new NixosHost(stack, 'Laptop', { user: 'alice@example.com', useExitNode: edge, acceptRoutes: true });
  new Monitoring(stack, 'Monitoring', {
    prometheus: edge,
    targets: [edge, laptop],
    healthCheck: { peers: [edge, laptop] },
  });
}

export function quicStack(): StackSynthesis[] {
  return synthStacks((app) => {
    const stack = new TailnetStack(app, 'quic', { magicDnsSuffix: 'quic.ts.net' });
    const server = new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
    const h = new NixosHost(stack, 'H3', { tags: [server] });
    h.addProxy('A', { upstreamPort: 3000, reach: Reach.path('/a/'), http3: true });
    h.addProxy('B', { upstreamPort: 3001, reach: Reach.port(8443), http3: true });
  });
}

/** Every file of the given syntheses whose path matches, keyed `<stack>/<path>`. */
export function artifacts(results: readonly StackSynthesis[], pattern: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of results) for (const [p, c] of r.files) if (pattern.test(p)) out.set(`${r.stack}/${p}`, c);
  return out;
}
