import { type NixAttrs, nix } from '../../core/canonical/nix';
import type { NixosHostIr } from '../../ir/nixos';

/**
 * Tailscale Services a NixOS host serves, from both sources: nginx proxies reached as a Service
 * (`Reach.service`, plain HTTP to nginx on loopback) and `NixosHost.addService`. One list, printed one of two ways:
 * - `services.tailscale.serve` (nixpkgs' declarative module, `tailscale serve set-config --all`), which forwards
 *   plain HTTP/TCP only (facts/nixos.md §1, NixOS/nixpkgs#530174);
 * - as soon as one port needs HTTPS, a oneshot unit running `tailscale serve --service=… --https=…` for every
 *   endpoint instead: `set-config --all` would replace the whole serve config, so the two cannot be mixed.
 */
export interface ServeEndpoint {
  readonly service: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'http' | 'https';
  readonly target: string;
  readonly source: string;
}

export const SERVE_UNIT = 'tailscale-serve-services';

export function serveEndpoints(host: NixosHostIr): ServeEndpoint[] {
  const fromProxies = host.proxies.flatMap((p) =>
    p.reach.kind === 'service'
      ? [
          {
            service: p.reach.service,
            port: p.reach.port,
            protocol: 'http' as const,
            target: `http://127.0.0.1:${p.reach.localPort}`,
            source: p.source.path,
          },
        ]
      : [],
  );
  const hosted = (host.hostedServices ?? []).map((s) => ({
    service: s.service,
    port: s.port,
    protocol: s.protocol,
    target: s.target,
    source: s.source.path,
  }));
  return [...fromProxies, ...hosted].sort((a, b) =>
    a.service < b.service ? -1 : a.service > b.service ? 1 : a.port - b.port,
  );
}

/** The `tailscale serve` command of one endpoint (facts/tailscale-api.md §5; `--bg` is implied by `--service`). */
export function serveCommand(e: Pick<ServeEndpoint, 'service' | 'port' | 'protocol' | 'target'>): string {
  return `tailscale serve --yes --service=${e.service} --${e.protocol}=${e.port} ${e.target}`;
}

export function servePart(host: NixosHostIr): NixAttrs {
  const endpoints = serveEndpoints(host);
  if (endpoints.length === 0) return {};
  const sources = [...new Set(endpoints.map((e) => e.source))];
  if (endpoints.every((e) => e.protocol !== 'https')) {
    const byService = new Map<string, Record<string, string>>();
    for (const e of endpoints) {
      const name = e.service.replace(/^svc:/, '');
      byService.set(name, { ...byService.get(name), [`tcp:${e.port}`]: e.target });
    }
    const services: NixAttrs = Object.fromEntries(
      [...byService].map(([name, endpoints]) => [name, { endpoints, advertised: true }]),
    );
    return { services: { tailscale: { serve: { enable: true, services: nix.comment(sources, services) } } } };
  }
  return {
    systemd: {
      services: {
        [SERVE_UNIT]: nix.comment(sources, {
          description: `Serve the Tailscale Services hosted by ${host.name}`,
          after: ['tailscaled.service', 'tailscaled-autoconnect.service'],
          wants: ['tailscaled.service'],
          wantedBy: ['multi-user.target'],
          path: [nix.ref('config', 'services', 'tailscale', 'package')],
          // tailscale serve --service needs a logged-in, tagged node: retry until autoconnect has logged in
          serviceConfig: { Type: 'oneshot', RemainAfterExit: true, Restart: 'on-failure', RestartSec: '30s' },
          script: `${endpoints.map(serveCommand).join('\n')}\n`,
        }),
      },
    },
  };
}
