import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { kebab } from '../../core/names';
import { TailnetStack } from '../../core/stack';
import type { ProxyIr, ProxyReachIr, ProxyTlsIr } from '../../ir/nixos';
import { proxyListenPorts } from '../../ir/nixos-services';
import { ServiceRef } from '../address';
import { Grant } from '../grant';
import { AutoApprover } from '../policy-extras';
import { Ip, type IpCapability } from '../ports';
import { report } from '../private/report';
import { addressProblem } from '../private/syntax';
import type { Selector } from '../selector';
import { NIXOS_CODES } from './codes';
import { checkUniquePart, type MutableHostIr, markHostPart, type NixosHost } from './host';
import { type SecretSource, secretProblem, secretRef } from './secrets';

/**
 * How clients reach a proxy. MagicDNS answers for device names and Service names only, never for names below them
 * (`ollama.kernelcore.<tailnet>.ts.net` is NXDOMAIN: tailscale/tailscale#1196, open; the `dns-subdomain-resolve`
 * node capability of tailscale/tailscale#18258 is not enabled on Tailscale's control plane, per the support answer
 * quoted there in 2026-08). So the name is an explicit choice.
 */
export type ProxyReach = ProxyReachIr;

export const Reach = {
  /** `https://<host>.<tailnet>.ts.net/<path>/`: a location on the host's shared web server. */
  path: (path: string): ProxyReach => ({ kind: 'path', path }),
  /** `https://<host>.<tailnet>.ts.net:<port>/`: a server of its own on this port. */
  port: (port: number): ProxyReach => ({ kind: 'port', port }),
  /**
   * A Tailscale Service `svc:<name>` (`http://<name>.<tailnet>.ts.net:<port>/`): `tailscale serve` forwards the
   * Service's port to nginx on `127.0.0.1:<localPort>`. The host must be tagged.
   */
  service: (name: string, options: { readonly port?: number; readonly localPort: number }): ProxyReach => ({
    kind: 'service',
    service: name.startsWith('svc:') ? name : `svc:${name}`,
    port: options.port ?? 80,
    localPort: options.localPort,
  }),
  /** A domain of your own; the tailnet must resolve it (split DNS to a nameserver holding the record). */
  customDomain: (domain: string): ProxyReach => ({ kind: 'customDomain', domain }),
};

export type ProxyTls = ProxyTlsIr;

export const Tls = {
  /** Plain HTTP (WireGuard already encrypts tailnet traffic). */
  none: (): ProxyTls => ({ kind: 'none' }),
  /** The host's `*.ts.net` certificate from `tailscale cert`, renewed by a daily timer (HTTPS must be enabled in the tailnet). */
  tailscale: (): ProxyTls => ({ kind: 'tailscale' }),
  /** ACME (Let's Encrypt) through `security.acme`; custom domains only. */
  acme: (options: { readonly email?: string } = {}): ProxyTls => ({ kind: 'acme', ...options }),
};

export interface RateLimitOptions {
  /** Requests per client address, `20r/s` or `300r/m` (nginx `limit_req_zone … rate=`). */
  readonly rate: string;
  /** Requests over the rate served at once before rejecting (`burst=`, with `nodelay`). @default - one second's worth */
  readonly burst?: number;
  /** Status of rejected requests (`limit_req_status`). @default 429 */
  readonly status?: 429 | 503;
}

export interface NginxProxyProps {
  /** Port the proxied service listens on. */
  readonly upstreamPort: number;
  /** Address the proxied service listens on. @default '127.0.0.1' */
  readonly upstreamHost?: string;
  /** How clients reach it (required: see `Reach`). */
  readonly reach?: ProxyReach;
  /** Who may reach it: a grant to this host's web ports. @default - no grant */
  readonly clients?: readonly Selector<'src'>[];
  /** Rate limit per client address: `'20r/s'` or `{ rate, burst, status }`. @default - none */
  readonly rateLimit?: string | RateLimitOptions;
  /** Largest request body (`client_max_body_size`), e.g. `'500M'`. @default - nginx's 1m (NixOS: 10m) */
  readonly maxBodySize?: string;
  /** Pass WebSocket upgrades through. @default false */
  readonly websockets?: boolean;
  /** htpasswd file for HTTP basic auth. @default - none */
  readonly basicAuthFile?: SecretSource;
  /** TLS. @default Tls.tailscale() for path and port reach, Tls.none() otherwise */
  readonly tls?: ProxyTls;
  /** HTTP/2. @default true */
  readonly http2?: boolean;
  /** HTTP/3 over QUIC (needs TLS and nginx ≥ 1.25 built with http_v3). @default false */
  readonly http3?: boolean;
  /** Addresses nginx listens on. @default - every address (the firewall zones decide who gets in) */
  readonly listenAddresses?: readonly string[];
  /** Upstream read/send timeout, nginx time (`600s`) — long for streaming model output. @default - nginx's 60s */
  readonly timeout?: string;
  /** Buffer upstream responses; turn off to stream tokens as they come. @default true */
  readonly buffering?: boolean;
  /** Name (limit_req zone, location, service). @default - the construct id in kebab case */
  readonly name?: string;
}

const RATE = /^([1-9]\d*)r\/(s|m)$/;
const SIZE = /^\d+[kKmMgG]?$/;
const TIME = /^\d+(ms|s|m|h|d)?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PROXY_BRAND = Symbol.for('tailnet-cdk.NginxProxy');

/** An nginx reverse proxy on a NixOS host, in front of a local service. */
export class NginxProxy extends Construct {
  static isNginxProxy(x: unknown): x is NginxProxy {
    return hasBrand(x, PROXY_BRAND);
  }

  readonly name: string;
  readonly props: NginxProxyProps;
  private readonly host: NixosHost;

  constructor(host: NixosHost, id: string, props: NginxProxyProps) {
    const taken = host.node.children.filter(NginxProxy.isNginxProxy).map((p) => p.name);
    super(host, id);
    brand(this, PROXY_BRAND);
    markHostPart(this);
    this.host = host;
    this.props = props;
    this.name = props.name ?? kebab(id);
    checkUniquePart(this, 'proxy', this.name, taken);
    if (!/^[a-z][a-z0-9-]*$/.test(this.name)) this.fail(`name: "${this.name}" is not a lower-case name`, 'e.g. ollama');
    this.checkUpstream();
    this.checkReach();
    this.checkLimits();
    this.addAccess();
  }

  private checkUpstream(): void {
    const p = this.props;
    if (!isPort(p.upstreamPort))
      this.fail(`upstreamPort: ${p.upstreamPort} is outside 1-65535`, 'the port the service listens on');
    if (p.upstreamHost !== undefined && addressProblem(p.upstreamHost) && !/^[a-z0-9.-]+$/.test(p.upstreamHost)) {
      this.fail(`upstreamHost: "${p.upstreamHost}" is not an address or host name`, 'e.g. 127.0.0.1');
    }
    for (const a of this.props.listenAddresses ?? []) {
      if (addressProblem(a) || a.includes('/'))
        this.fail(`listenAddresses: "${a}" is not an IP address`, 'e.g. 127.0.0.1');
    }
  }

  private checkReach(): void {
    const reach = this.props.reach;
    if (reach === undefined) {
      report(
        this,
        NIXOS_CODES.missingReach,
        `proxy "${this.name}" has no reachable name: MagicDNS resolves device and Service names only, never a name below a device (tailscale/tailscale#1196)`,
        'choose one: Reach.path("/name/") on the host name, Reach.port(n), Reach.service("name", { localPort }), or Reach.customDomain("name.example.com") with split DNS',
      );
      return;
    }
    if (reach.kind === 'path' && !/^\/([A-Za-z0-9._~-]+\/)*$/.test(reach.path)) {
      this.fail(`reach: path "${reach.path}" must start and end with "/"`, 'e.g. Reach.path("/ollama/")');
    }
    if (reach.kind === 'port' && !isPort(reach.port))
      this.fail(`reach: port ${reach.port} is outside 1-65535`, 'pick a free port');
    if (reach.kind === 'service') this.checkService(reach.service, reach.port, reach.localPort);
    if (reach.kind === 'customDomain') this.checkDomain(reach.domain);
    this.checkTls(reach);
  }

  private checkService(service: string, port: number, localPort: number): void {
    if (!/^svc:[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(service)) {
      this.fail(`reach: "${service}" is not a Service name`, 'e.g. Reach.service("ollama", { localPort: 18080 })');
    }
    if (!isPort(port) || !isPort(localPort))
      this.fail('reach: Service ports must be 1-65535', 'e.g. { port: 80, localPort: 18080 }');
    if ((this.host.props.tags ?? []).length === 0) {
      this.fail('reach: a Tailscale Service is hosted by tagged devices only', 'give the host tags');
    }
  }

  /** A custom domain must be a domain, and not a name inside the tailnet's MagicDNS zone. */
  private checkDomain(domain: string): void {
    if (!DOMAIN.test(domain)) {
      this.fail(`reach: "${domain}" is not a lower-case domain name`, 'e.g. ollama.ai.example.com');
      return;
    }
    const suffix = TailnetStack.of(this).props.magicDnsSuffix ?? 'tailnet.ts.net';
    const zones = [suffix, 'ts.net'];
    const zone = zones.find((z) => domain.endsWith(`.${z}`));
    if (zone === undefined) return;
    const below = domain.slice(0, -(zone.length + 1));
    const message = below.includes('.')
      ? `reach: "${domain}" is below the MagicDNS name of device "${below.split('.').pop()}"; MagicDNS does not resolve names below a device name (tailscale/tailscale#1196)`
      : `reach: "${domain}" is inside the MagicDNS zone ${zone}, where only devices and Tailscale Services have names`;
    report(
      this,
      NIXOS_CODES.magicDnsSubdomain,
      message,
      `use Reach.path("/${this.name}/") or Reach.port(n) on ${this.host.hostname}.${suffix}, Reach.service("${this.name}", …), or a domain of your own with split DNS`,
    );
  }

  private checkTls(reach: ProxyReach): void {
    const tls = this.tls;
    if (tls.kind === 'tailscale' && (reach.kind === 'service' || reach.kind === 'customDomain')) {
      this.fail(
        "tls: the Tailscale certificate covers the host's own MagicDNS name only",
        'use Tls.none() or, for a custom domain, Tls.acme()',
      );
    }
    if (tls.kind === 'acme' && reach.kind !== 'customDomain') {
      this.fail('tls: ACME cannot issue certificates for MagicDNS names', 'use Tls.tailscale() for the host name');
    }
    if (reach.kind === 'service' && tls.kind !== 'none') {
      this.fail('tls: services.tailscale.serve forwards plain HTTP/TCP only (NixOS/nixpkgs#530174)', 'use Tls.none()');
    }
    if (this.props.http3 && tls.kind === 'none') this.fail('http3: HTTP/3 needs TLS', 'give tls, or drop http3');
  }

  private checkLimits(): void {
    const p = this.props;
    const rate = typeof p.rateLimit === 'string' ? { rate: p.rateLimit } : p.rateLimit;
    if (rate && !RATE.test(rate.rate)) {
      report(
        this,
        NIXOS_CODES.invalidRate,
        `rateLimit: "${rate.rate}" is not a rate`,
        'write requests per second or minute, e.g. 20r/s or 300r/m',
      );
    }
    if (rate?.burst !== undefined && (!Number.isInteger(rate.burst) || rate.burst < 0)) {
      report(
        this,
        NIXOS_CODES.invalidRate,
        `rateLimit: burst ${rate.burst} is not a whole number ≥ 0`,
        'e.g. burst: 40',
      );
    }
    if (p.maxBodySize !== undefined && !SIZE.test(p.maxBodySize)) {
      report(
        this,
        NIXOS_CODES.invalidSize,
        `maxBodySize: "${p.maxBodySize}" is not an nginx size`,
        'write a number with an optional k, m or g suffix, e.g. 500M',
      );
    }
    if (p.timeout !== undefined && !TIME.test(p.timeout)) {
      this.fail(`timeout: "${p.timeout}" is not an nginx time`, 'e.g. 600s or 10m');
    }
    const authProblem = p.basicAuthFile ? secretProblem('basicAuthFile', p.basicAuthFile) : undefined;
    if (authProblem)
      report(
        this,
        NIXOS_CODES.invalidSecret,
        authProblem,
        'use Secret.sops(name), Secret.agenix(name) or Secret.file(path)',
      );
  }

  /** The grant letting the declared clients reach this proxy; a Service also needs its host approved. */
  private addAccess(): void {
    const reach = this.props.reach;
    const clients = this.props.clients ?? [];
    if (reach?.kind === 'service' && this.host.identity.length > 0) {
      new AutoApprover(this, 'ServiceHost', { approvers: this.host.identity, services: [reach.service] });
    }
    if (clients.length === 0 || reach === undefined) return;
    const ports = reach.kind === 'service' ? { tcp: [reach.port], udp: [] } : proxyListenPorts(this._ir());
    const ip: IpCapability[] = [...ports.tcp.map((x) => Ip.tcp(x)), ...ports.udp.map((x) => Ip.udp(x))];
    if (reach.kind === 'path') {
      this.host._grantWebAccess(this.name, clients, ip);
      return;
    }
    new Grant(this, 'Clients', {
      src: clients,
      dst: reach.kind === 'service' ? [ServiceRef.fromName(reach.service)] : this.host.destination,
      ip,
      comment: `${this.name} proxy on ${this.host.hostname}`,
    });
  }

  get tls(): ProxyTls {
    const kind = this.props.reach?.kind;
    return this.props.tls ?? (kind === 'path' || kind === 'port' ? Tls.tailscale() : Tls.none());
  }

  private fail(message: string, hint: string): void {
    report(this, NIXOS_CODES.invalidProxy, message, hint);
  }

  /** @internal */
  _ir(): ProxyIr {
    const p = this.props;
    const rate = typeof p.rateLimit === 'string' ? { rate: p.rateLimit } : p.rateLimit;
    const perUnit = Number(RATE.exec(rate?.rate ?? '')?.[1] ?? 0);
    const reach = p.reach ?? Reach.path(`/${this.name}/`);
    return {
      source: { path: this.node.path },
      name: this.name,
      upstream: { host: p.upstreamHost ?? '127.0.0.1', port: p.upstreamPort },
      reach,
      listenAddresses: reach.kind === 'service' ? ['127.0.0.1'] : [...(p.listenAddresses ?? [])],
      tls: this.tls,
      http2: p.http2 ?? true,
      http3: p.http3 ?? false,
      ...(rate ? { rateLimit: { rate: rate.rate, burst: rate.burst ?? perUnit, status: rate.status ?? 429 } } : {}),
      ...(p.maxBodySize ? { maxBodySize: p.maxBodySize } : {}),
      websockets: p.websockets ?? false,
      ...(p.basicAuthFile ? { basicAuth: secretRef(p.basicAuthFile, 'nginx') } : {}),
      ...(p.timeout ? { timeout: p.timeout } : {}),
      buffering: p.buffering ?? true,
      clients: [...new Set((p.clients ?? []).map((c) => c.selector))],
    };
  }

  /** @internal */
  _contribute(ir: MutableHostIr): void {
    ir.proxies.push(this._ir());
  }
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
