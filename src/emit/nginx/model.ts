import type { NixosHostIr, ProxyIr, SecretRefIr } from '../../ir/nixos';
import { proxyListenPorts } from '../../ir/nixos-services';

/**
 * What nginx does on one host, decided once: rate-limit zones, servers, their listeners and TLS, locations and the
 * directives inside them. Two renderers read it — `conf.ts` (a complete nginx.conf for hosts without NixOS) and
 * `nixos.ts` (`services.nginx` options) — so the two can only differ in syntax, never in behaviour.
 */
export type Directive = readonly string[];

export interface LimitZone {
  readonly name: string;
  readonly rate: string;
  /** shared memory for client addresses: 10m holds about 160 000 IPv4 states (nginx docs) */
  readonly size: string;
}

export interface NginxLocation {
  readonly source: string;
  readonly path: string;
  readonly proxyPass: string;
  readonly websockets: boolean;
  readonly basicAuth?: SecretRefIr;
  /** directives NixOS has no option for, in this order (NixOS: the location's `extraConfig`) */
  readonly directives: readonly Directive[];
}

export type ServerTls =
  | { readonly kind: 'none' }
  | { readonly kind: 'tailscale'; readonly fqdn: string }
  | { readonly kind: 'acme'; readonly domain: string; readonly email?: string };

export interface NginxServer {
  /** NixOS `virtualHosts` attribute name */
  readonly key: string;
  readonly serverName: string;
  readonly aliases: readonly string[];
  readonly port: number;
  /** plain-HTTP port redirecting to HTTPS (NixOS forceSSL), if any */
  readonly redirectPort?: number;
  /** empty: every IPv4 and IPv6 address */
  readonly listenAddresses: readonly string[];
  readonly tls: ServerTls;
  readonly http2: boolean;
  readonly http3: boolean;
  /** `reuseport` on the QUIC listener: once per port (nginx refuses it twice) */
  readonly reuseport: boolean;
  readonly locations: readonly NginxLocation[];
}

export interface NginxModel {
  readonly host: string;
  readonly limitZones: readonly LimitZone[];
  readonly servers: readonly NginxServer[];
}

export function nginxModel(host: NixosHostIr, magicDnsSuffix: string): NginxModel {
  const fqdn = `${host.name}.${magicDnsSuffix}`;
  const servers = new Map<string, NginxServer>();
  for (const p of host.proxies) {
    const server = serverFor(p, host.name, fqdn);
    const existing = servers.get(server.key);
    servers.set(
      server.key,
      existing ? { ...existing, locations: [...existing.locations, ...server.locations] } : server,
    );
  }
  return {
    host: host.name,
    limitZones: host.proxies.flatMap((p) =>
      p.rateLimit ? [{ name: p.name, rate: p.rateLimit.rate, size: '10m' }] : [],
    ),
    servers: withReuseport([...servers.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))),
  };
}

function serverFor(p: ProxyIr, shortName: string, fqdn: string): NginxServer {
  const ports = proxyListenPorts(p);
  const ssl = p.tls.kind !== 'none';
  const mainPort = ssl ? Math.max(...ports.tcp) : ports.tcp[0];
  const name = p.reach.kind === 'customDomain' ? p.reach.domain : fqdn;
  const shared = p.reach.kind === 'path' || p.reach.kind === 'customDomain';
  const tls: ServerTls =
    p.tls.kind === 'tailscale'
      ? { kind: 'tailscale', fqdn }
      : p.tls.kind === 'acme'
        ? { kind: 'acme', domain: name, ...(p.tls.email ? { email: p.tls.email } : {}) }
        : { kind: 'none' };
  return {
    key: shared ? name : p.name,
    serverName: name,
    aliases: name === fqdn ? [shortName] : [],
    port: mainPort,
    ...(ssl && shared ? { redirectPort: 80 } : {}),
    listenAddresses: [...p.listenAddresses],
    tls,
    http2: p.http2,
    http3: p.http3 && ssl,
    reuseport: false,
    locations: [location(p)],
  };
}

/** Only the first server with QUIC on a port gets `reuseport`. */
function withReuseport(servers: NginxServer[]): NginxServer[] {
  const taken = new Set<number>();
  return servers.map((s) => {
    if (!s.http3 || taken.has(s.port)) return s;
    taken.add(s.port);
    return { ...s, reuseport: true };
  });
}

function location(p: ProxyIr): NginxLocation {
  const path = p.reach.kind === 'path' ? p.reach.path : '/';
  // With a path, the trailing slash of proxy_pass replaces the location prefix: /ollama/api → /api upstream.
  const proxyPass = `http://${p.upstream.host}:${p.upstream.port}${path === '/' ? '' : '/'}`;
  return {
    source: p.source.path,
    path,
    proxyPass,
    websockets: p.websockets,
    ...(p.basicAuth ? { basicAuth: p.basicAuth } : {}),
    directives: locationDirectives(p),
  };
}

function locationDirectives(p: ProxyIr): Directive[] {
  const out: Directive[] = [];
  if (p.rateLimit) {
    const burst = p.rateLimit.burst > 0 ? [`burst=${p.rateLimit.burst}`, 'nodelay'] : [];
    out.push(['limit_req', `zone=${p.name}`, ...burst], ['limit_req_status', String(p.rateLimit.status)]);
  }
  if (p.maxBodySize) out.push(['client_max_body_size', p.maxBodySize]);
  if (p.timeout) out.push(['proxy_read_timeout', p.timeout], ['proxy_send_timeout', p.timeout]);
  if (!p.buffering) out.push(['proxy_buffering', 'off']);
  return out;
}

export function directiveText(d: Directive): string {
  return `${d.join(' ')};`;
}

/** `limit_req_zone` lines of the http block (NixOS: `commonHttpConfig`, placed before the servers using them). */
export function limitZoneLines(model: NginxModel): string[] {
  return model.limitZones.map((z) =>
    directiveText(['limit_req_zone', '$binary_remote_addr', `zone=${z.name}:${z.size}`, `rate=${z.rate}`]),
  );
}

/** NixOS path of a host's Tailscale certificate; the standalone config keeps it relative to nginx's prefix. */
export const TAILSCALE_CERT_DIR = '/var/lib/tailscale-cert';

/** `Alt-Svc` advertises HTTP/3; the NixOS module no longer adds it (facts/nixos.md §2 `quic`). */
export function altSvc(server: NginxServer): Directive {
  return ['add_header', 'Alt-Svc', `'h3=":${server.port}"; ma=86400'`, 'always'];
}
