import * as fs from 'node:fs';
import Handlebars from 'handlebars';
import { type NixAttrs, nix } from '../../core/canonical/nix';
import { templatePath } from '../../core/templates';
import type { HealthCheckIr, MonitoringIr, NixosHostIr } from '../../ir/nixos';
import type { StackIr } from '../../ir/types';
import { grafanaDatasources, scrapeConfigs } from '../prometheus/config';
import { fqdn } from './tailscale';

/**
 * Monitoring parts of a host's module (facts/nixos.md §5): the node exporter on targets, Prometheus on the
 * Prometheus host scraping the targets by MagicDNS name, and the health-check timer whose results the node
 * exporter's textfile collector exports.
 */
export const TEXTFILE_DIR = '/var/lib/prometheus-node-exporter-text';
const TEMPLATE = templatePath('nixos', 'tailscale-health.sh.hbs');
let compiled: Handlebars.TemplateDelegate | undefined;

export interface MonitoringPart {
  readonly sources: readonly string[];
  /** `services.prometheus` (exporters.node and/or the server) */
  readonly prometheus: NixAttrs;
  /** `services.grafana` on the Prometheus host, if asked for */
  readonly grafana?: NixAttrs;
  readonly systemd: NixAttrs;
  /** TCP ports remote peers must reach on the Tailscale interface */
  readonly tailnetPorts: readonly number[];
}

export function monitoringPart(ir: StackIr, host: NixosHostIr): MonitoringPart | undefined {
  const asTarget = ir.nixos.monitoring.filter((m) => m.targets.includes(host.name));
  const asPrometheus = ir.nixos.monitoring.filter((m) => m.prometheusHost === host.name);
  if (asTarget.length === 0 && asPrometheus.length === 0) return undefined;
  const health = asTarget.find((m) => m.healthCheck);
  const grafana = asPrometheus.find((m) => m.grafana);
  return {
    sources: [...asTarget, ...asPrometheus].map((m) => m.source.path).filter((p, i, all) => all.indexOf(p) === i),
    prometheus: {
      ...(asTarget.length > 0 ? { exporters: { node: nodeExporter(host, asTarget[0]) } } : {}),
      ...(asPrometheus.length > 0 ? prometheus(ir, asPrometheus) : {}),
    },
    ...(grafana ? { grafana: grafanaOptions(ir, host, grafana) } : {}),
    systemd: {
      ...(asTarget.length > 0 ? { tmpfiles: { rules: [`d ${TEXTFILE_DIR} 0755 root root -`] } } : {}),
      ...(health?.healthCheck ? healthCheckUnits(ir, host, health, health.healthCheck) : {}),
    },
    tailnetPorts: [
      ...(asTarget.length > 0 ? [asTarget[0].nodeExporterPort] : []),
      ...(grafana?.grafana ? [grafana.grafana.port] : []),
    ],
  };
}

/**
 * Bound to the host's Tailscale address when the stack declares it; otherwise to every address, and the firewall
 * keeps it to the tailnet (zones or nixos-fw drop the port elsewhere). Binding to an address that tailscaled has
 * not configured yet fails at boot (facts/nixos.md §7.3), hence the ordering after autoconnect.
 */
function nodeExporter(host: NixosHostIr, m: MonitoringIr): NixAttrs {
  const bindTailnet = host.tailscaleIpv4 !== undefined && host.tailscale.authKey !== undefined;
  const address = bindTailnet
    ? (host.tailscaleIpv4 as string)
    : nix.comment(
        ['every address: the firewall keeps the port to the tailnet (declare tailscaleIpv4 to bind it)'],
        '0.0.0.0',
      );
  return {
    enable: true,
    port: m.nodeExporterPort,
    listenAddress: address,
    enabledCollectors: ['systemd', 'textfile'],
    extraFlags: [`--collector.textfile.directory=${TEXTFILE_DIR}`],
  };
}

export function nodeExporterOrdering(host: NixosHostIr, part: MonitoringPart | undefined): NixAttrs {
  const exporter = part !== undefined && 'exporters' in part.prometheus;
  if (!exporter || !host.tailscaleIpv4 || !host.tailscale.authKey) return {};
  const after = ['tailscaled-autoconnect.service'];
  return { 'prometheus-node-exporter': { after, wants: after } };
}

function prometheus(ir: StackIr, all: readonly MonitoringIr[]): NixAttrs {
  const m = all[0];
  return {
    enable: true,
    port: m.prometheusPort,
    globalConfig: { scrape_interval: m.scrapeInterval },
    // MagicDNS names: the scrape follows a host to a new address, and needs the host to accept the tailnet's DNS
    scrapeConfigs: scrapeConfigs(ir, all).map((c) => ({
      ...c,
      static_configs: c.static_configs.map((s) => ({ ...s })),
    })),
  };
}

/**
 * Grafana with Prometheus provisioned as its datasource, by MagicDNS URL (the same document as
 * grafana/datasources.yaml). It listens on every address and the firewall keeps its port to the tailnet, like the
 * node exporter without a declared address.
 */
function grafanaOptions(ir: StackIr, host: NixosHostIr, m: MonitoringIr): NixAttrs {
  const port = m.grafana?.port ?? 3000;
  const address = host.tailscaleIpv4 && host.tailscale.authKey ? host.tailscaleIpv4 : '0.0.0.0';
  return {
    enable: true,
    settings: {
      server: { http_addr: address, http_port: port },
      // Grafana's file provider reads the key at start; the module never sees the secret
      ...(m.grafana?.secretKey ? { security: { secret_key: `$__file{${m.grafana.secretKey.path}}` } } : {}),
    },
    provision: { enable: true, datasources: { settings: grafanaDatasources(ir, m) as unknown as NixAttrs } },
  };
}

function healthCheckUnits(ir: StackIr, host: NixosHostIr, m: MonitoringIr, h: HealthCheckIr): NixAttrs {
  const peers = h.peers.filter((p) => p !== host.name).map((p) => fqdn(ir, p));
  if (peers.length === 0) return {};
  return {
    services: {
      'tailscale-health': nix.comment([m.source.path], {
        description: 'Tailnet health check (tailscale ping, netcheck) for Prometheus',
        after: ['tailscaled.service'],
        wants: ['tailscaled.service'],
        path: [
          nix.ref('config', 'services', 'tailscale', 'package'),
          nix.ref('pkgs', 'jq'),
          nix.ref('pkgs', 'gawk'),
          nix.ref('pkgs', 'coreutils'),
        ],
        serviceConfig: { Type: 'oneshot' },
        script: healthScript(host, m, h, peers),
      }),
    },
    timers: {
      'tailscale-health': {
        wantedBy: ['timers.target'],
        timerConfig: { OnBootSec: '2min', OnUnitActiveSec: h.interval },
      },
    },
  };
}

export function healthScript(host: NixosHostIr, m: MonitoringIr, h: HealthCheckIr, peers: readonly string[]): string {
  compiled ??= Handlebars.compile(fs.readFileSync(TEMPLATE, 'utf8'), { noEscape: true, strict: true });
  return compiled({
    host: host.name,
    source: m.source.path,
    textfileDir: TEXTFILE_DIR,
    peers,
    count: h.count,
    timeout: '2s',
    maxLatencyMs: h.maxLatencyMs,
    maxLossPercent: h.maxLossPercent,
    maxLatencySeconds: trimNumber(h.maxLatencyMs / 1000),
    maxLossRatio: trimNumber(h.maxLossPercent / 100),
  });
}

function trimNumber(n: number): string {
  return String(Number(n.toFixed(6)));
}
