import { Construct } from 'constructs';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import type { MonitoringIr, ScrapeJobIr } from '../../ir/nixos';
import type { Device } from '../device';
import { Grant } from '../grant';
import type { LinuxHost } from '../linux-host';
import { Ip } from '../ports';
import { report } from '../private/report';
import type { Selector } from '../selector';
import { NIXOS_CODES } from './codes';
import { NixosHost } from './host';
import { type SecretSource, secretProblem, secretRef } from './secrets';

export interface HealthCheckOptions {
  /** Devices pinged over Tailscale (`tailscale ping`) from every target. */
  readonly peers: readonly (NixosHost | Device)[];
  /** How often (systemd time span). @default '5min' */
  readonly interval?: string;
  /** Pings per peer and run. @default 5 */
  readonly count?: number;
  /** Average round trip above this is unhealthy. @default 200 */
  readonly maxLatencyMs?: number;
  /** Lost pings above this share are unhealthy. @default 20 */
  readonly maxLossPercent?: number;
}

export interface MonitoringProps {
  /** The host running Prometheus; it scrapes targets by their MagicDNS names, so it must accept the tailnet's DNS. */
  readonly prometheus: NixosHost;
  /** Hosts running the node exporter, reached over the tailnet. */
  readonly targets: readonly NixosHost[];
  /** @default 9100 */
  readonly nodeExporterPort?: number;
  /** @default 9090 */
  readonly prometheusPort?: number;
  /** @default '30s' */
  readonly scrapeInterval?: string;
  /** A timer on every target running `tailscale ping`/`netcheck`, exported through the textfile collector. @default - none */
  readonly healthCheck?: HealthCheckOptions;
  /** Grafana on the Prometheus host, with Prometheus provisioned as its datasource by MagicDNS URL. @default - none */
  readonly grafana?: GrafanaOptions;
}

export interface GrafanaOptions {
  /** @default 3000 */
  readonly port?: number;
  /** Who may open Grafana: a grant to the Prometheus host's Grafana port. @default - no grant */
  readonly viewers?: readonly Selector<'src'>[];
  /**
   * File with Grafana's `secret_key` (read through `$__file{…}`, readable by the grafana user). NixOS 26.05 removed
   * the module's built-in default (nixpkgs#484374), so without one the configuration must set it elsewhere.
   * @default - none (a warning)
   */
  readonly secretKey?: SecretSource;
}

/** A scrape job besides the node exporters; targets are reached by MagicDNS name. */
export interface ScrapeTarget {
  /** Prometheus `job_name`; targets added under one name join one job. */
  readonly job: string;
  readonly port: number;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  readonly host: NixosHost | LinuxHost;
}

const SPAN = /^\d+(ms|s|sec|min|m|h|d)$/;

/**
 * Monitoring over the tailnet: node exporter on each target, Prometheus on one host scraping them by MagicDNS
 * name, the grant that lets it, and an optional health check of tailnet paths with latency and loss thresholds.
 */
export class Monitoring extends Construct implements ILowerable {
  readonly props: MonitoringProps;
  private readonly jobs = new Map<string, { path: string; port: number; metricsPath: string; targets: Set<string> }>();
  /** Scrape grants made so far, by destination and port: targets sharing a tag share one grant. */
  private readonly scrapeGrants = new Set<string>();

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    this.check();
    const targets = props.targets.flatMap((t) => t.destination);
    const src = props.prometheus.identity as Selector<'src'>[];
    if (targets.length > 0 && src.length > 0) {
      new Grant(this, 'Scrape', {
        src,
        dst: uniqueSelectors(targets),
        ip: [Ip.tcp(this.nodeExporterPort)],
        comment: `Prometheus on ${props.prometheus.hostname} scrapes node exporters`,
      });
    }
    const viewers = props.grafana?.viewers ?? [];
    if (viewers.length > 0) {
      new Grant(this, 'GrafanaViewers', {
        src: [...viewers],
        dst: props.prometheus.destination,
        ip: [Ip.tcp(this.grafanaPort)],
        comment: `Grafana on ${props.prometheus.hostname}`,
      });
    }
  }

  get grafanaPort(): number {
    return this.props.grafana?.port ?? 3000;
  }

  /**
   * Scrapes `host:port` under job `job`, and grants the Prometheus host that port (one grant per destination and
   * port). `scope` is the construct asking, reported when the job's port disagrees.
   */
  addScrapeTarget(scope: Construct, target: ScrapeTarget): void {
    const metricsPath = target.metricsPath ?? '/metrics';
    const job = this.jobs.get(target.job);
    if (job && (job.port !== target.port || job.metricsPath !== metricsPath)) {
      report(
        scope,
        NIXOS_CODES.invalidMonitoring,
        `scrape job "${target.job}" already scrapes port ${job.port} path ${job.metricsPath}, not ${target.port} ${metricsPath}`,
        'give targets with other ports their own job name',
      );
      return;
    }
    if (job) job.targets.add(target.host.hostname);
    else
      this.jobs.set(target.job, {
        path: scope.node.path,
        port: target.port,
        metricsPath,
        targets: new Set([target.host.hostname]),
      });
    const src = this.props.prometheus.identity as Selector<'src'>[];
    const dst = target.host.destination;
    const key = `${dst.map((d) => d.selector).join(' ')}|${target.port}`;
    if (src.length === 0 || dst.length === 0 || this.scrapeGrants.has(key)) return;
    this.scrapeGrants.add(key);
    // `ScrapeJobAgent`, then `ScrapeJobAgent2` … for the job's targets with other identities
    const base = `Scrape${target.job.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_m, _s, c: string) => c.toUpperCase())}`;
    const taken = new Set(this.node.children.map((c) => c.node.id));
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
    new Grant(this, id, {
      src,
      dst,
      ip: [Ip.tcp(target.port)],
      comment: `Prometheus on ${this.props.prometheus.hostname} scrapes ${target.job}`,
    });
  }

  get nodeExporterPort(): number {
    return this.props.nodeExporterPort ?? 9100;
  }

  private check(): void {
    const p = this.props;
    if (!NixosHost.isNixosHost(p.prometheus))
      this.fail('prometheus: not a NixosHost', 'give the NixosHost that runs Prometheus');
    else if (p.prometheus.props.acceptDns === false) {
      this.fail(
        `prometheus: host "${p.prometheus.hostname}" has acceptDns: false, so it cannot resolve the MagicDNS names it scrapes`,
        'set acceptDns: true on the Prometheus host',
      );
    }
    if (p.targets.length === 0) this.fail('targets is empty', 'list the hosts to scrape');
    for (const [field, port] of [
      ['nodeExporterPort', this.nodeExporterPort],
      ['prometheusPort', p.prometheusPort ?? 9090],
      ['grafana.port', this.grafanaPort],
    ] as const) {
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        this.fail(`${field}: ${port} is outside 1-65535`, 'pick a free port');
    }
    if (p.scrapeInterval !== undefined && !/^\d+(ms|s|m|h)$/.test(p.scrapeInterval)) {
      this.fail(`scrapeInterval: "${p.scrapeInterval}" is not a Prometheus duration`, 'e.g. 30s');
    }
    if (p.healthCheck) this.checkHealth(p.healthCheck);
    if (p.grafana) this.checkGrafana(p.grafana);
  }

  private checkGrafana(g: GrafanaOptions): void {
    if (g.secretKey === undefined) {
      report(
        this,
        NIXOS_CODES.grafanaSecretKey,
        'grafana: no secretKey file; NixOS 26.05 no longer defaults services.grafana.settings.security.secret_key (nixpkgs#484374)',
        "give grafana.secretKey (e.g. Secret.sops('grafana/secret-key')), or set secret_key in the host's own configuration",
      );
      return;
    }
    const problem = secretProblem('grafana.secretKey', g.secretKey);
    if (problem)
      report(
        this,
        NIXOS_CODES.invalidSecret,
        problem,
        'use Secret.sops(name), Secret.agenix(name) or Secret.file(path)',
      );
  }

  private checkHealth(h: HealthCheckOptions): void {
    if (h.peers.length === 0) this.fail('healthCheck.peers is empty', 'list the devices to ping');
    if (h.interval !== undefined && !SPAN.test(h.interval))
      this.fail(`healthCheck.interval: "${h.interval}" is not a systemd time span`, 'e.g. 5min');
    if (h.count !== undefined && (!Number.isInteger(h.count) || h.count < 1 || h.count > 100)) {
      this.fail(`healthCheck.count: ${h.count} is not 1-100`, 'e.g. 5');
    }
    if (h.maxLatencyMs !== undefined && !(h.maxLatencyMs > 0))
      this.fail(`healthCheck.maxLatencyMs: ${h.maxLatencyMs} is not positive`, 'e.g. 200');
    if (h.maxLossPercent !== undefined && !(h.maxLossPercent >= 0 && h.maxLossPercent <= 100)) {
      this.fail(`healthCheck.maxLossPercent: ${h.maxLossPercent} is not 0-100`, 'e.g. 20');
    }
  }

  private fail(message: string, hint: string): void {
    report(this, NIXOS_CODES.invalidMonitoring, message, hint);
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const h = p.healthCheck;
    const value: MonitoringIr = {
      source: { path: this.node.path },
      prometheusHost: p.prometheus.hostname,
      prometheusPort: p.prometheusPort ?? 9090,
      scrapeInterval: p.scrapeInterval ?? '30s',
      nodeExporterPort: this.nodeExporterPort,
      targets: [...new Set(p.targets.map((t) => t.hostname))].sort(),
      ...(h
        ? {
            healthCheck: {
              peers: [...new Set(h.peers.map((x) => x.hostname))].sort(),
              interval: h.interval ?? '5min',
              count: h.count ?? 5,
              maxLatencyMs: h.maxLatencyMs ?? 200,
              maxLossPercent: h.maxLossPercent ?? 20,
            },
          }
        : {}),
      jobs: this.scrapeJobs(),
      ...(p.grafana
        ? {
            grafana: {
              source: { path: this.node.path },
              port: this.grafanaPort,
              ...(p.grafana.secretKey ? { secretKey: secretRef(p.grafana.secretKey, 'grafana') } : {}),
            },
          }
        : {}),
    };
    return [{ kind: 'nixosMonitoring', value }];
  }

  private scrapeJobs(): ScrapeJobIr[] {
    return [...this.jobs]
      .map(([name, j]) => ({
        source: { path: j.path },
        name,
        port: j.port,
        metricsPath: j.metricsPath,
        targets: [...j.targets].sort(),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function uniqueSelectors<T extends { selector: string }>(xs: readonly T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(x.selector) && seen.add(x.selector));
}
