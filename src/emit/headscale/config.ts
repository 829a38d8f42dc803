import type { HeadscaleControlIr } from '../../ir/control-server';
import { type HeadscaleConfig, HeadscaleConfigSchema } from './config-schema';

/**
 * `headscale/config.yaml` for Headscale 0.29 (facts §4.1): sections in the order of config-example.yaml, so the
 * file reads like the upstream example. TLS is left to the reverse proxy or Ingress in front of the server (which
 * must pass WebSocket upgrades on POST, docs/ref/integration/reverse-proxy.md); no secret is ever written here
 * (OIDC reads its secret from `client_secret_path`).
 */
export function headscaleConfig(h: HeadscaleControlIr): HeadscaleConfig {
  const config = {
    server_url: h.url,
    listen_addr: h.listenAddr,
    metrics_listen_addr: h.metricsListenAddr,
    grpc_listen_addr: h.grpcListenAddr,
    grpc_allow_insecure: false,
    ...(h.trustedProxies.length > 0 ? { trusted_proxies: [...h.trustedProxies] } : {}),
    noise: { private_key_path: h.noisePrivateKeyPath },
    prefixes: {
      ...(h.prefixes.v4 ? { v4: h.prefixes.v4 } : {}),
      ...(h.prefixes.v6 ? { v6: h.prefixes.v6 } : {}),
      allocation: h.prefixes.allocation,
    },
    derp: derp(h),
    disable_check_updates: true,
    node: { expiry: h.nodeExpiry, ephemeral: { inactivity_timeout: h.ephemeralInactivityTimeout } },
    database: { type: 'sqlite' as const, sqlite: { path: h.sqlitePath, write_ahead_log: true } },
    tls_cert_path: '',
    tls_key_path: '',
    log: { level: h.logLevel, format: 'text' as const },
    policy: { mode: 'file' as const, path: h.policyPath },
    dns: dns(h),
    unix_socket: '/var/run/headscale/headscale.sock',
    unix_socket_permission: '0770',
    ...(h.oidc ? { oidc: oidc(h.oidc) } : {}),
    logtail: { enabled: false },
  };
  // An emitter bug, not user input: the IR rules already refused what Headscale would refuse.
  return HeadscaleConfigSchema.parse(config);
}

function derp(h: HeadscaleControlIr): HeadscaleConfig['derp'] {
  const s = h.derp.server;
  const server = s
    ? {
        enabled: true,
        region_id: s.regionId,
        region_code: s.regionCode,
        region_name: s.regionName,
        verify_clients: s.verifyClients,
        stun_listen_addr: s.stunListenAddr,
        private_key_path: '/var/lib/headscale/derp_server_private.key',
        automatically_add_embedded_derp_region: true,
        ...(s.ipv4 ? { ipv4: s.ipv4 } : {}),
        ...(s.ipv6 ? { ipv6: s.ipv6 } : {}),
      }
    : { enabled: false };
  return {
    server,
    urls: [...h.derp.urls],
    paths: [...h.derp.paths],
    auto_update_enabled: h.derp.autoUpdate,
    update_frequency: h.derp.updateFrequency,
  };
}

function dns(h: HeadscaleControlIr): HeadscaleConfig['dns'] {
  const d = h.dns;
  return {
    magic_dns: d.magicDns,
    base_domain: d.baseDomain,
    override_local_dns: d.overrideLocalDns,
    nameservers: {
      global: [...d.globalNameservers],
      split: Object.fromEntries(d.splitNameservers.map((s) => [s.domain, [...s.nameservers]])),
    },
    search_domains: [...d.searchDomains],
    ...(d.extraRecords.length > 0 ? { extra_records: d.extraRecords.map((r) => ({ ...r })) } : {}),
  };
}

function oidc(o: NonNullable<HeadscaleControlIr['oidc']>): NonNullable<HeadscaleConfig['oidc']> {
  return {
    only_start_if_oidc_is_available: true,
    issuer: o.issuer,
    client_id: o.clientId,
    client_secret_path: o.clientSecretPath,
    scope: ['openid', 'profile', 'email'],
    ...(o.allowedDomains.length > 0 ? { allowed_domains: [...o.allowedDomains] } : {}),
    ...(o.allowedGroups.length > 0 ? { allowed_groups: [...o.allowedGroups] } : {}),
    pkce: { enabled: o.pkce, method: 'S256' as const },
  };
}
