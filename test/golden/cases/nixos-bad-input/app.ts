import { Autogroup, NixosHost, Reach, Tag, type TailnetApp, TailnetStack } from '../../../../src';

/**
 * Issue 4 §8 in one stack: every construct-level NixOS mistake is reported in one run, sorted by path (port
 * conflicts and unknown zone interfaces/services are IR rules, reported once these are fixed: phases stop at the
 * first failing phase, see the nixos-bad-zones case).
 */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'broken', { magicDnsSuffix: 'tail4a2b9c.ts.net' });
  const server = new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
  const host = new NixosHost(stack, 'Kernelcore', {
    tags: [server],
    options: { 'services.tailscale.loginServer': 'https://hs.example.com', 'services.tailscale.extraSetFlag': [] },
  });
  host.addProxy('Ollama', {
    upstreamPort: 11434,
    reach: Reach.path('/ollama/'),
    rateLimit: '20/sec',
    maxBodySize: '500 MB',
  });
  host.addProxy('Llamacpp', { upstreamPort: 8080 });
  host.addProxy('Webui', { upstreamPort: 3000, reach: Reach.customDomain('webui.kernelcore.tail4a2b9c.ts.net') });
}
