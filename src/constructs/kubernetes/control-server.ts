import { brand, hasBrand } from '../../core/brand';
import type { ControlServerIr, HeadscaleControlIr, TailscaleDnsIr } from '../../ir/control-server';

/** DNS settings of a tailnet on Tailscale's control plane, written as `tailscale_dns_configuration`. */
export interface TailscaleDnsOptions {
  /** MagicDNS names (`<host>.<tailnet>.ts.net`). @default true */
  readonly magicDns?: boolean;
  /** Devices use the global nameservers instead of their own resolvers. @default false */
  readonly overrideLocalDns?: boolean;
  /** Global nameservers, in the order clients try them. @default - none */
  readonly nameservers?: readonly string[];
  /** Split DNS: domain → nameservers used only for that domain. @default - none */
  readonly splitDns?: Readonly<Record<string, readonly string[]>>;
  /** Extra search domains (the tailnet domain comes first with MagicDNS). @default - none */
  readonly searchPaths?: readonly string[];
}

export interface TailscaleControlOptions {
  /** DNS of the tailnet; without it the stack leaves DNS as it is in the admin console. @default - unmanaged */
  readonly dns?: TailscaleDnsOptions;
}

/** Headscale's embedded DERP relay (`derp.server.*`; needs an https server URL and UDP `stunListenAddr`). */
export interface HeadscaleEmbeddedDerp {
  /** @default 999 */
  readonly regionId?: number;
  /** @default 'headscale' */
  readonly regionCode?: string;
  /** @default 'Headscale Embedded DERP' */
  readonly regionName?: string;
  /** @default '0.0.0.0:3478' */
  readonly stunListenAddr?: string;
  /** @default true */
  readonly verifyClients?: boolean;
  /** Public IPv4 put into the DERP map. @default - none */
  readonly ipv4?: string;
  /** Public IPv6 put into the DERP map. @default - none */
  readonly ipv6?: string;
}

export interface HeadscaleDerpOptions {
  /** DERP maps fetched by the server. @default ['https://controlplane.tailscale.com/derpmap/default'] */
  readonly urls?: readonly string[];
  /** Local YAML DERP maps. @default - none */
  readonly paths?: readonly string[];
  /** Refresh the fetched maps. @default true */
  readonly autoUpdate?: boolean;
  /** @default '3h' */
  readonly updateFrequency?: string;
  /** Run Headscale's own DERP relay. @default - off */
  readonly embedded?: HeadscaleEmbeddedDerp;
}

export interface HeadscaleOidcOptions {
  readonly issuer: string;
  readonly clientId: string;
  /** File holding the client secret, read by the server (the secret itself never enters the stack). */
  readonly clientSecretPath: string;
  /** @default - any domain */
  readonly allowedDomains?: readonly string[];
  /** OIDC groups allowed to log in (they cannot be used in the policy, facts §4.1). @default - any */
  readonly allowedGroups?: readonly string[];
  /** @default true */
  readonly pkce?: boolean;
}

export interface HeadscaleProps {
  /** `server_url`: the URL clients and `--login-server` use, http:// or https://. */
  readonly url: string;
  /** `dns.base_domain`: MagicDNS names are `<host>.<base domain>`; must not contain the server's host. */
  readonly magicDnsBaseDomain: string;
  /** `dns.magic_dns`. @default true */
  readonly magicDns?: boolean;
  /** `dns.nameservers`. @default - global: Cloudflare's 1.1.1.1, 1.0.0.1 and their IPv6 twins (Headscale's example) */
  readonly nameservers?: {
    readonly global?: readonly string[];
    readonly split?: Readonly<Record<string, readonly string[]>>;
  };
  /** `dns.override_local_dns`; true needs global nameservers or Headscale will not start. @default true */
  readonly overrideLocalDns?: boolean;
  /** `dns.search_domains`. @default - none */
  readonly searchDomains?: readonly string[];
  /** `dns.extra_records`. @default - none */
  readonly extraRecords?: readonly { readonly name: string; readonly type: 'A' | 'AAAA'; readonly value: string }[];
  /** `prefixes`; give `v4: null` or `v6: null` to turn a family off. @default 100.64.0.0/10 and fd7a:115c:a1e0::/48 */
  readonly prefixes?: {
    readonly v4?: string | null;
    readonly v6?: string | null;
    readonly allocation?: 'sequential' | 'random';
  };
  /** `derp`. @default - Tailscale's public DERP map */
  readonly derp?: HeadscaleDerpOptions;
  /** Headscale release the server runs (`major.minor`): picks bootstrap.sh's default CLI dialect. @default '0.29' */
  readonly version?: string;
  /** `listen_addr`. @default '0.0.0.0:8080' */
  readonly listenAddr?: string;
  /** `metrics_listen_addr`. @default '127.0.0.1:9090' */
  readonly metricsListenAddr?: string;
  /** `grpc_listen_addr`. @default '127.0.0.1:50443' */
  readonly grpcListenAddr?: string;
  /** `noise.private_key_path`. @default '/var/lib/headscale/noise_private.key' */
  readonly noisePrivateKeyPath?: string;
  /** `database.sqlite.path`. @default '/var/lib/headscale/db.sqlite' */
  readonly databasePath?: string;
  /** `policy.path`: where headscale/policy.hujson is mounted. @default '/etc/headscale/policy.hujson' */
  readonly policyPath?: string;
  /** `log.level`. @default 'info' */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** `node.expiry` (Go duration, "0" = never). @default '0' */
  readonly nodeExpiry?: string;
  /** `node.ephemeral.inactivity_timeout`, more than 65s. @default '30m' */
  readonly ephemeralInactivityTimeout?: string;
  /** `trusted_proxies`: CIDRs of reverse proxies whose forwarded headers count. @default - none */
  readonly trustedProxies?: readonly string[];
  /** `oidc`. @default - no OIDC (pre-auth keys and CLI registration only) */
  readonly oidc?: HeadscaleOidcOptions;
}

const CONTROL_SERVER_BRAND = Symbol.for('tailnet-cdk.ControlServer');

/** Headscale's example resolvers (config-example.yaml `dns.nameservers.global`). */
const DEFAULT_GLOBAL_NAMESERVERS = ['1.1.1.1', '1.0.0.1', '2606:4700:4700::1111', '2606:4700:4700::1001'];

/**
 * The control server a stack's devices log in to: a stack-level setting (`TailnetStackProps.controlServer`).
 * `ControlServer.tailscale()` is Tailscale's own control plane; `ControlServer.headscale({ url, … })` a
 * self-hosted Headscale, which adds `headscale/` artifacts and switches the policy to Headscale's dialect.
 */
export class ControlServer {
  static isControlServer(x: unknown): x is ControlServer {
    return hasBrand(x, CONTROL_SERVER_BRAND);
  }

  static tailscale(options: TailscaleControlOptions = {}): ControlServer {
    return new ControlServer('tailscale', (path) => ({
      kind: 'tailscale',
      ...(options.dns ? { dns: tailscaleDns(options.dns, path) } : {}),
    }));
  }

  static headscale(props: HeadscaleProps): ControlServer {
    return new ControlServer('headscale', (path) => headscaleIr(props, path));
  }

  private constructor(
    readonly kind: 'tailscale' | 'headscale',
    private readonly lower: (stackPath: string) => ControlServerIr,
  ) {
    brand(this, CONTROL_SERVER_BRAND);
  }

  /** @internal */
  _lower(stackPath: string): ControlServerIr {
    return this.lower(stackPath);
  }
}

function tailscaleDns(dns: TailscaleDnsOptions, path: string): TailscaleDnsIr {
  return {
    source: { path },
    magicDns: dns.magicDns ?? true,
    overrideLocalDns: dns.overrideLocalDns ?? false,
    nameservers: [...(dns.nameservers ?? [])],
    splitDns: splitEntries(dns.splitDns),
    searchPaths: [...(dns.searchPaths ?? [])],
  };
}

function splitEntries(split: Readonly<Record<string, readonly string[]>> = {}) {
  return Object.keys(split)
    .sort()
    .map((domain) => ({ domain, nameservers: [...split[domain]] }));
}

function headscaleIr(p: HeadscaleProps, path: string): HeadscaleControlIr {
  const v4 = p.prefixes?.v4 === undefined ? '100.64.0.0/10' : p.prefixes.v4;
  const v6 = p.prefixes?.v6 === undefined ? 'fd7a:115c:a1e0::/48' : p.prefixes.v6;
  return {
    kind: 'headscale',
    source: { path },
    url: p.url,
    version: p.version ?? '0.29',
    listenAddr: p.listenAddr ?? '0.0.0.0:8080',
    metricsListenAddr: p.metricsListenAddr ?? '127.0.0.1:9090',
    grpcListenAddr: p.grpcListenAddr ?? '127.0.0.1:50443',
    noisePrivateKeyPath: p.noisePrivateKeyPath ?? '/var/lib/headscale/noise_private.key',
    prefixes: { ...(v4 ? { v4 } : {}), ...(v6 ? { v6 } : {}), allocation: p.prefixes?.allocation ?? 'sequential' },
    derp: headscaleDerp(p.derp),
    dns: {
      magicDns: p.magicDns ?? true,
      baseDomain: p.magicDnsBaseDomain,
      overrideLocalDns: p.overrideLocalDns ?? true,
      globalNameservers: [...(p.nameservers?.global ?? DEFAULT_GLOBAL_NAMESERVERS)],
      splitNameservers: splitEntries(p.nameservers?.split),
      searchDomains: [...(p.searchDomains ?? [])],
      extraRecords: [...(p.extraRecords ?? [])].sort((a, b) =>
        `${a.name}\0${a.type}\0${a.value}` < `${b.name}\0${b.type}\0${b.value}` ? -1 : 1,
      ),
    },
    sqlitePath: p.databasePath ?? '/var/lib/headscale/db.sqlite',
    policyPath: p.policyPath ?? '/etc/headscale/policy.hujson',
    logLevel: p.logLevel ?? 'info',
    nodeExpiry: p.nodeExpiry ?? '0',
    ephemeralInactivityTimeout: p.ephemeralInactivityTimeout ?? '30m',
    trustedProxies: [...(p.trustedProxies ?? [])].sort(),
    ...(p.oidc ? { oidc: headscaleOidc(p.oidc) } : {}),
  };
}

function headscaleDerp(d: HeadscaleDerpOptions = {}): HeadscaleControlIr['derp'] {
  const e = d.embedded;
  return {
    urls: [...(d.urls ?? ['https://controlplane.tailscale.com/derpmap/default'])],
    paths: [...(d.paths ?? [])],
    autoUpdate: d.autoUpdate ?? true,
    updateFrequency: d.updateFrequency ?? '3h',
    ...(e
      ? {
          server: {
            regionId: e.regionId ?? 999,
            regionCode: e.regionCode ?? 'headscale',
            regionName: e.regionName ?? 'Headscale Embedded DERP',
            stunListenAddr: e.stunListenAddr ?? '0.0.0.0:3478',
            verifyClients: e.verifyClients ?? true,
            ...(e.ipv4 ? { ipv4: e.ipv4 } : {}),
            ...(e.ipv6 ? { ipv6: e.ipv6 } : {}),
          },
        }
      : {}),
  };
}

function headscaleOidc(o: HeadscaleOidcOptions): NonNullable<HeadscaleControlIr['oidc']> {
  return {
    issuer: o.issuer,
    clientId: o.clientId,
    clientSecretPath: o.clientSecretPath,
    allowedDomains: [...(o.allowedDomains ?? [])].sort(),
    allowedGroups: [...(o.allowedGroups ?? [])].sort(),
    pkce: o.pkce ?? true,
  };
}
