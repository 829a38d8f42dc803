import { type NixAttrs, type NixValue, nix } from '../../core/canonical/nix';
import { secretPathRef } from '../nixos/secrets';
import {
  altSvc,
  directiveText,
  limitZoneLines,
  type NginxLocation,
  type NginxModel,
  type NginxServer,
  TAILSCALE_CERT_DIR,
} from './model';

/**
 * `services.nginx` (and what it needs around it) from the same model the standalone nginx.conf is rendered from.
 * Option names and types: facts/nixos.md §2. The proxies' directives NixOS has no option for go into each
 * location's `extraConfig`; the rate-limit zones into `commonHttpConfig`, which NixOS places before the servers.
 */
export function nginxNixOptions(model: NginxModel): NixAttrs {
  const zones = limitZoneLines(model);
  return {
    enable: true,
    recommendedProxySettings: true,
    recommendedTlsSettings: model.servers.some((s) => s.tls.kind !== 'none'),
    ...(zones.length > 0 ? { commonHttpConfig: `${zones.join('\n')}\n` } : {}),
    virtualHosts: Object.fromEntries(model.servers.map((s) => [s.key, virtualHost(s)])),
  };
}

function virtualHost(s: NginxServer): NixValue {
  const sources = [...new Set(s.locations.map((l) => l.source))];
  const attrs: Record<string, NixValue> = {
    serverName: s.serverName,
    ...(s.aliases.length > 0 ? { serverAliases: [...s.aliases] } : {}),
    ...sslMode(s),
    ...certificate(s),
    ...(s.http2 ? {} : { http2: false }),
    ...(s.http3 ? { quic: true, http3: true, ...(s.reuseport ? { reuseport: true } : {}) } : {}),
    ...(s.http3 ? { extraConfig: `${directiveText(altSvc(s))}\n` } : {}),
    ...listen(s),
    locations: Object.fromEntries(s.locations.map((l) => [l.path, location(l)])),
  };
  return nix.comment(sources, attrs);
}

function sslMode(s: NginxServer): NixAttrs {
  if (s.tls.kind === 'none') return {};
  return s.redirectPort !== undefined ? { forceSSL: true } : { onlySSL: true };
}

function certificate(s: NginxServer): NixAttrs {
  if (s.tls.kind === 'acme') return { enableACME: true };
  if (s.tls.kind !== 'tailscale') return {};
  return {
    sslCertificate: `${TAILSCALE_CERT_DIR}/${s.tls.fqdn}.crt`,
    sslCertificateKey: `${TAILSCALE_CERT_DIR}/${s.tls.fqdn}.key`,
  };
}

/**
 * NixOS listens on 80/443 of every address by default; a server on its own port or on chosen addresses lists its
 * listeners (`listen` overrides the port logic of forceSSL/onlySSL, so the redirect port is listed too).
 */
function listen(s: NginxServer): NixAttrs {
  const defaultPorts = s.port === (s.tls.kind === 'none' ? 80 : 443);
  if (defaultPorts && s.listenAddresses.length === 0) return {};
  const addrs =
    s.listenAddresses.length > 0 ? s.listenAddresses.map((a) => (a.includes(':') ? `[${a}]` : a)) : ['0.0.0.0', '[::]'];
  const ssl = s.tls.kind !== 'none';
  return {
    listen: addrs.flatMap((addr) => [
      { addr, port: s.port, ssl },
      ...(s.redirectPort !== undefined ? [{ addr, port: s.redirectPort, ssl: false }] : []),
    ]),
  };
}

function location(l: NginxLocation): NixValue {
  const extra = l.directives.map(directiveText);
  return {
    proxyPass: l.proxyPass,
    recommendedProxySettings: true,
    ...(l.websockets ? { proxyWebsockets: true } : {}),
    ...(l.basicAuth ? { basicAuthFile: secretPathRef(l.basicAuth) } : {}),
    ...(extra.length > 0 ? { extraConfig: `${extra.join('\n')}\n` } : {}),
  };
}

/**
 * The host's `*.ts.net` certificate for nginx: `tailscale cert` daily (certificates last 90 days), the files made
 * readable by nginx's group, nginx reloaded; nginx waits for the first fetch at boot.
 */
export function tailscaleCertUnits(fqdns: readonly string[], sources: readonly string[] = []): NixAttrs {
  if (fqdns.length === 0) return {};
  const fetch = fqdns.map(
    (f) => `tailscale cert --cert-file ${TAILSCALE_CERT_DIR}/${f}.crt --key-file ${TAILSCALE_CERT_DIR}/${f}.key ${f}`,
  );
  const script = [
    ...fetch,
    `chgrp nginx ${TAILSCALE_CERT_DIR}/*.crt ${TAILSCALE_CERT_DIR}/*.key`,
    `chmod 0640 ${TAILSCALE_CERT_DIR}/*.crt ${TAILSCALE_CERT_DIR}/*.key`,
    'systemctl try-reload-or-restart nginx.service || true',
  ];
  return {
    services: {
      'tailscale-cert': nix.comment([...new Set(sources)], {
        description: 'Fetch the Tailscale HTTPS certificate for nginx',
        after: ['tailscaled.service', 'tailscaled-autoconnect.service'],
        wants: ['tailscaled.service'],
        path: [
          nix.ref('config', 'services', 'tailscale', 'package'),
          nix.ref('pkgs', 'coreutils'),
          nix.ref('pkgs', 'systemd'),
        ],
        serviceConfig: { Type: 'oneshot', StateDirectory: 'tailscale-cert' },
        script: `${script.join('\n')}\n`,
      }),
      nginx: { after: ['tailscale-cert.service'], wants: ['tailscale-cert.service'] },
    },
    timers: {
      'tailscale-cert': {
        wantedBy: ['timers.target'],
        timerConfig: { OnCalendar: 'daily', Persistent: true, RandomizedDelaySec: '1h' },
      },
    },
  };
}
