import type { MonitoringIr } from '../../ir/nixos';
import type { StackIr } from '../../ir/types';
import { fqdn } from '../nixos/tailscale';

/**
 * Prometheus configuration of one Prometheus host, shared by its NixOS module (`services.prometheus.scrapeConfigs`)
 * and `prometheus/prometheus.yml`, so both scrape exactly the same targets. Targets are MagicDNS names: a scrape
 * follows a host to a new address, and the Prometheus host must accept the tailnet's DNS.
 */
export interface ScrapeConfig {
  readonly job_name: string;
  /** only when not Prometheus's default `/metrics` */
  readonly metrics_path?: string;
  readonly static_configs: readonly { readonly targets: readonly string[] }[];
}

/** Monitoring constructs grouped by their Prometheus host, hosts sorted. */
export function byPrometheusHost(ir: StackIr): [string, MonitoringIr[]][] {
  const groups = new Map<string, MonitoringIr[]>();
  for (const m of ir.nixos.monitoring) groups.set(m.prometheusHost, [...(groups.get(m.prometheusHost) ?? []), m]);
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The node exporters as job `node`, then every further job, by name; one job per name across constructs. */
export function scrapeConfigs(ir: StackIr, all: readonly MonitoringIr[]): ScrapeConfig[] {
  const jobs = new Map<string, { path: string; targets: Set<string> }>();
  const add = (name: string, path: string, targets: readonly string[]) => {
    const job = jobs.get(name) ?? { path, targets: new Set<string>() };
    for (const t of targets) job.targets.add(t);
    jobs.set(name, job);
  };
  for (const m of all)
    add(
      'node',
      '/metrics',
      m.targets.map((t) => `${fqdn(ir, t)}:${m.nodeExporterPort}`),
    );
  for (const j of all.flatMap((m) => m.jobs))
    add(
      j.name,
      j.metricsPath,
      j.targets.map((t) => `${fqdn(ir, t)}:${j.port}`),
    );
  return [...jobs]
    .sort(([a], [b]) => (a === 'node' ? -1 : b === 'node' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([name, j]) => ({
      job_name: name,
      ...(j.path !== '/metrics' ? { metrics_path: j.path } : {}),
      static_configs: [{ targets: [...j.targets].sort() }],
    }));
}

/** `http://<prometheus host>.<suffix>:<port>`: Grafana queries Prometheus by its MagicDNS name. */
export function prometheusUrl(ir: StackIr, m: MonitoringIr): string {
  return `http://${fqdn(ir, m.prometheusHost)}:${m.prometheusPort}`;
}

/** Grafana's datasource provisioning document (apiVersion 1) with the Prometheus of `m`. */
export function grafanaDatasources(ir: StackIr, m: MonitoringIr): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: 'prometheus',
        access: 'proxy',
        url: prometheusUrl(ir, m),
        isDefault: true,
        editable: false,
        jsonData: { timeInterval: m.scrapeInterval },
      },
    ],
  };
}
