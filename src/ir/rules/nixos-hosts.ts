import { NIXOS_CODES } from '../../constructs/nixos/codes';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import type { NixosHostIr } from '../nixos';
import { hostInterfaces, KNOWN_SERVICES, proxyListenPorts, resolveService } from '../nixos-services';
import type { StackIr } from '../types';

/**
 * Per-host checks of NixOS hosts: a port bound twice, zones naming interfaces or services the host does not have.
 * They need the whole host (proxies, zones, monitoring), so they run on the IR, not in the constructs.
 */

/** Something listening on a port of the host. */
interface Listener {
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  /** listen address, `*` for every address */
  readonly address: string;
  readonly what: string;
  readonly path: string;
  /** nginx server name: nginx servers on one port share it unless they have the same name */
  readonly nginxServer?: string;
  readonly sharesServer?: boolean;
  readonly tls?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function proxyListeners(host: NixosHostIr, suffix: string): Listener[] {
  return host.proxies.flatMap((p) => {
    const ports = proxyListenPorts(p);
    const addresses = p.listenAddresses.length > 0 ? p.listenAddresses : ['*'];
    const server =
      p.reach.kind === 'customDomain'
        ? p.reach.domain
        : p.reach.kind === 'service'
          ? p.reach.service
          : `${host.name}.${suffix}`;
    const base = {
      what: `proxy "${p.name}"`,
      path: p.source.path,
      nginxServer: server,
      sharesServer: p.reach.kind === 'path' || p.reach.kind === 'customDomain',
      tls: p.tls.kind !== 'none',
    };
    return addresses.flatMap((address) => [
      ...ports.tcp.map((port): Listener => ({ ...base, proto: 'tcp', port, address })),
      ...ports.udp.map((port): Listener => ({ ...base, proto: 'udp', port, address })),
    ]);
  });
}

/** Proxied services that run on this host itself (upstream on loopback). */
function upstreamListeners(host: NixosHostIr): Listener[] {
  const seen = new Set<string>();
  return host.proxies
    .filter((p) => LOOPBACK.has(p.upstream.host) || p.upstream.host === host.tailscaleIpv4)
    .filter(
      (p) => !seen.has(`${p.upstream.host}:${p.upstream.port}`) && !!seen.add(`${p.upstream.host}:${p.upstream.port}`),
    )
    .map((p) => ({
      proto: 'tcp',
      port: p.upstream.port,
      address: p.upstream.host,
      what: `the service behind proxy "${p.name}"`,
      path: p.source.path,
    }));
}

function monitoringListeners(ir: StackIr, host: NixosHostIr): Listener[] {
  return ir.nixos.monitoring.flatMap((m): Listener[] => [
    ...(m.targets.includes(host.name)
      ? [
          {
            proto: 'tcp' as const,
            port: m.nodeExporterPort,
            address: '*',
            what: 'the node exporter',
            path: m.source.path,
          },
        ]
      : []),
    ...(m.prometheusHost === host.name
      ? [{ proto: 'tcp' as const, port: m.prometheusPort, address: '*', what: 'Prometheus', path: m.source.path }]
      : []),
    ...(m.prometheusHost === host.name && m.grafana
      ? [{ proto: 'tcp' as const, port: m.grafana.port, address: '*', what: 'Grafana', path: m.grafana.source.path }]
      : []),
  ]);
}

/** Services constructs run on the host (job dispatcher), on the ports they serve to the tailnet. */
function unitListeners(ir: StackIr, host: NixosHostIr): Listener[] {
  return ir.systemdUnits
    .filter((u) => u.platform === 'nixos' && u.host === host.name)
    .flatMap((u) =>
      u.tailnetPorts.map((port) => ({
        proto: 'tcp' as const,
        port,
        address: '*',
        what: `${u.unit}.service`,
        path: u.source.path,
      })),
    );
}

function tailscaleListener(host: NixosHostIr): Listener[] {
  const port = host.tailscale.port;
  return port === 0 ? [] : [{ proto: 'udp', port, address: '*', what: 'tailscaled', path: host.source.path }];
}

function clash(a: Listener, b: Listener): boolean {
  if (a.proto !== b.proto || a.port !== b.port) return false;
  if (a.address !== '*' && b.address !== '*' && a.address !== b.address) return false;
  if (a.nginxServer !== undefined && b.nginxServer !== undefined) {
    // nginx serves several names on one port; one name twice is a clash unless both are locations of one server
    // with the same TLS mode (a plain-HTTP server and an HTTPS redirect cannot share port 80)
    return a.nginxServer === b.nginxServer && !(a.sharesServer && b.sharesServer && a.tls === b.tls);
  }
  return a.path !== b.path || a.what !== b.what;
}

/** TN2007: one port bound twice on a host (or one proxy path used twice on one server). */
export function nixosPortConflicts(ir: StackIr): Diagnostic[] {
  const suffix = ir.magicDnsSuffix ?? 'tailnet.ts.net';
  const out: Diagnostic[] = [];
  for (const host of ir.nixos.hosts) {
    const listeners = [
      ...tailscaleListener(host),
      ...monitoringListeners(ir, host),
      ...unitListeners(ir, host),
      ...upstreamListeners(host),
      ...proxyListeners(host, suffix),
    ];
    const reported = new Set<string>();
    listeners.forEach((b, i) => {
      const a = listeners.slice(0, i).find((x) => clash(x, b));
      const key = `${b.proto}/${b.port}/${b.path}`;
      if (!a || reported.has(key)) return;
      reported.add(key);
      out.push({
        ...diag(
          NIXOS_CODES.portConflict,
          b.path,
          `${b.proto} port ${b.port} is used twice on host "${host.name}": by ${a.what} and by ${b.what}`,
          'give one of them another port (Reach.port, upstreamPort, nodeExporterPort) or listen address',
        ),
        related: [{ path: a.path, message: `${a.what} uses ${b.proto} port ${b.port}` }],
      });
    });
    out.push(...duplicatePaths(host));
  }
  return out;
}

function duplicatePaths(host: NixosHostIr): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const p of host.proxies) {
    if (p.reach.kind !== 'path') continue;
    const first = seen.get(p.reach.path);
    if (first) {
      out.push(
        diag(
          NIXOS_CODES.portConflict,
          p.source.path,
          `path "${p.reach.path}" is used twice on host "${host.name}"`,
          'give each proxy its own path',
        ),
      );
    } else seen.set(p.reach.path, p.source.path);
  }
  return out;
}

/** TN2008/TN2009: zones naming an interface or a service the host does not have. */
export function nixosZoneReferences(ir: StackIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const host of ir.nixos.hosts) {
    const interfaces = hostInterfaces(host);
    for (const zone of host.zones) {
      for (const name of zone.interfaces.filter((i) => !interfaces.has(i))) {
        out.push(
          diag(
            NIXOS_CODES.unknownInterface,
            zone.source.path,
            `zone "${zone.name}" names interface "${name}", which host "${host.name}" does not have (it has ${[...interfaces].sort().join(', ')})`,
            `declare it in the host's interfaces, or use ${host.tailscale.interfaceName}`,
          ),
        );
      }
      for (const name of zone.services.filter((s) => resolveService(host, s) === undefined)) {
        out.push(
          diag(
            NIXOS_CODES.unknownService,
            zone.source.path,
            `zone "${zone.name}" names service "${name}", which is neither a proxy on host "${host.name}" nor a known service`,
            serviceHint(host, name),
          ),
        );
      }
    }
  }
  return out;
}

/** The closest known name (a prefix either way, e.g. postgres → postgresql), else every name. */
function serviceHint(host: NixosHostIr, name: string): string {
  const known = [...new Set([...host.proxies.map((p) => p.name), ...Object.keys(KNOWN_SERVICES)])].sort();
  const close = known.find((k) => k.startsWith(name) || name.startsWith(k));
  return close
    ? `did you mean "${close}"? Or list the port in tcp/udp`
    : `use one of ${known.join(', ')}, or list the port in tcp/udp`;
}
