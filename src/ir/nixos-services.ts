import type { NixosHostIr, PortRange, ProxyIr, ZoneIr } from './nixos';

/**
 * What a firewall zone's named services and a host's proxies mean in ports. One table and one resolver, read by the
 * zone IR rules (unknown service, grant cross-checks) and by the nftables emitter, so a name can never mean one
 * port to the checks and another to the firewall.
 */
export interface ServicePorts {
  readonly tcp: readonly PortRange[];
  readonly udp: readonly PortRange[];
}

const tcp = (...ports: number[]): ServicePorts => ({ tcp: ports.map((p) => ({ from: p, to: p })), udp: [] });
const udp = (...ports: number[]): ServicePorts => ({ tcp: [], udp: ports.map((p) => ({ from: p, to: p })) });
const both = (...ports: number[]): ServicePorts => ({ tcp: tcp(...ports).tcp, udp: udp(...ports).udp });

/** Well-known services by the name zones use (IANA ports, or the project's documented default). */
export const KNOWN_SERVICES: Readonly<Record<string, ServicePorts>> = {
  ssh: tcp(22),
  dns: both(53),
  http: tcp(80),
  https: tcp(443),
  http3: udp(443),
  ntp: udp(123),
  smb: tcp(445),
  nfs: tcp(2049),
  mdns: udp(5353),
  postgresql: tcp(5432),
  mysql: tcp(3306),
  redis: tcp(6379),
  prometheus: tcp(9090),
  'node-exporter': tcp(9100),
  grafana: tcp(3000),
  ollama: tcp(11434),
  'llama-cpp': tcp(8080),
  'home-assistant': tcp(8123),
  jellyfin: tcp(8096),
  wireguard: udp(51820),
  tailscale: udp(41641),
  mosh: { tcp: [], udp: [{ from: 60000, to: 61000 }] },
  syncthing: {
    tcp: [{ from: 22000, to: 22000 }],
    udp: [
      { from: 21027, to: 21027 },
      { from: 22000, to: 22000 },
    ],
  },
};

/** HTTP(S) ports a proxy's nginx server listens on (the Tailscale Service case listens on loopback only). */
export function proxyListenPorts(p: ProxyIr): { tcp: number[]; udp: number[] } {
  const quic = (port: number) => (p.http3 && p.tls.kind !== 'none' ? [port] : []);
  switch (p.reach.kind) {
    case 'port':
      return { tcp: [p.reach.port], udp: quic(p.reach.port) };
    case 'service':
      return { tcp: [p.reach.localPort], udp: [] };
    default:
      // host name + path, custom domain: the shared web ports; with TLS, port 80 redirects to HTTPS
      return p.tls.kind === 'none' ? { tcp: [80], udp: [] } : { tcp: [80, 443], udp: quic(443) };
  }
}

/** Ports of a proxy as seen from the tailnet interface (a Tailscale Service is reached through tailscaled). */
function proxyTailnetPorts(p: ProxyIr): ServicePorts {
  if (p.reach.kind === 'service') return { tcp: [], udp: [] };
  const { tcp: t, udp: u } = proxyListenPorts(p);
  return { tcp: t.map((x) => ({ from: x, to: x })), udp: u.map((x) => ({ from: x, to: x })) };
}

/** A zone's service name: the host's proxy of that name first (it is how the service is exposed), then the table. */
export function resolveService(host: NixosHostIr, name: string): ServicePorts | undefined {
  const proxy = host.proxies.find((p) => p.name === name);
  if (proxy) return proxyTailnetPorts(proxy);
  return KNOWN_SERVICES[name];
}

/** Every port a zone accepts: its own ports plus its services' (unknown services are an IR-rule error). */
export function zonePorts(host: NixosHostIr, zone: ZoneIr): ServicePorts {
  const services = zone.services.map((s) => resolveService(host, s)).filter((s): s is ServicePorts => !!s);
  return {
    tcp: mergeRanges([...zone.tcp, ...services.flatMap((s) => s.tcp)]),
    udp: mergeRanges([...zone.udp, ...services.flatMap((s) => s.udp)]),
  };
}

/** Sorted, overlapping and adjacent ranges joined. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) out[out.length - 1] = { from: last.from, to: Math.max(last.to, r.to) };
    else out.push(r);
  }
  return out;
}

export function rangeText(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

/** The interfaces a host has: its declared ones, Tailscale's, and loopback. */
export function hostInterfaces(host: NixosHostIr): Set<string> {
  return new Set([...host.interfaces, host.tailscale.interfaceName, 'lo']);
}
