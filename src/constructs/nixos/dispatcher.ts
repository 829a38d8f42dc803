import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import type { SystemdUnitIr, UnitEnvironmentIr } from '../../ir/systemd';
import { Grant } from '../grant';
import { LinuxHost } from '../linux-host';
import { Ip } from '../ports';
import { report } from '../private/report';
import type { Selector } from '../selector';
import { NIXOS_CODES } from './codes';
import { NixosHost } from './host';
import type { Monitoring } from './monitoring';

/** A host that runs a dispatcher part: configured by its NixOS module, or by systemd drop-ins on other Linux. */
export type ServiceHost = NixosHost | LinuxHost;

export interface CoordinatorProps {
  /** The host running the coordinator. */
  readonly host: ServiceHost;
  /** Port of the coordinator's HTTP API, which agents call. @default 8080 */
  readonly port?: number;
  /** Port serving Prometheus metrics (`/metrics`). @default 9102 */
  readonly metricsPort?: number;
  /** The coordinator's systemd service, without `.service` (your package or module defines its ExecStart). @default 'job-coordinator' */
  readonly unit?: string;
  /** Variable telling the coordinator where to listen (`<address>:<port>`). @default 'LISTEN_ADDRESS' */
  readonly listenVariable?: string;
  /** Variable telling it where to serve metrics (`<address>:<metricsPort>`). @default 'METRICS_ADDRESS' */
  readonly metricsVariable?: string;
  /** Scrape the coordinator and its agents with this monitoring's Prometheus. @default - not scraped */
  readonly monitoring?: Monitoring;
  /** How long the unit may wait for tailscaled to have an address before start fails, seconds. @default 120 */
  readonly startTimeoutSec?: number;
}

export interface AgentProps {
  /** The host running the agent. */
  readonly host: ServiceHost;
  /** The coordinator the agent takes jobs from (required). */
  readonly coordinator?: Coordinator;
  /** The agent's systemd service, without `.service`. @default 'job-agent' */
  readonly unit?: string;
  /** Variable holding the coordinator URL. @default 'COORDINATOR_URL' */
  readonly urlVariable?: string;
  /** Port serving the agent's Prometheus metrics. @default 9103 */
  readonly metricsPort?: number;
  /** Variable telling the agent where to serve metrics. @default 'METRICS_ADDRESS' */
  readonly metricsVariable?: string;
}

const COORDINATOR_BRAND = Symbol.for('tailnet-cdk.Coordinator');
const UNIT = /^[A-Za-z0-9:_.-]+$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The coordinator of an HTTP job dispatcher: agents on other hosts poll it over the tailnet by its MagicDNS name.
 * It listens on the tailnet only (its Tailscale address when declared, else every address with the NixOS firewall
 * opening the port on the Tailscale interface alone), starts after tailscaled has an address, and is reachable by
 * its agents' identities on its port (a grant) and by the monitoring host on its metrics port.
 */
export class Coordinator extends Construct implements ILowerable {
  // a brand, not instanceof (construct-style): two copies of the library in one app still recognise each other
  static isCoordinator(x: unknown): x is Coordinator {
    return hasBrand(x, COORDINATOR_BRAND);
  }

  readonly props: CoordinatorProps;
  readonly host: ServiceHost;
  readonly port: number;
  readonly metricsPort: number;
  /** Agents by host name, in the order they were added. */
  private readonly agents = new Map<string, Agent>();
  /** Agent grants by source identity: agents sharing a tag share one grant. */
  private readonly agentGrants = new Set<string>();

  constructor(scope: Construct, id: string, props: CoordinatorProps) {
    super(scope, id);
    brand(this, COORDINATOR_BRAND);
    markLowerable(this);
    this.props = props;
    this.host = props.host;
    this.port = props.port ?? 8080;
    this.metricsPort = props.metricsPort ?? 9102;
    const hostOk = checkHost(this, 'host', props.host);
    checkPort(this, 'port', this.port);
    checkPort(this, 'metricsPort', this.metricsPort);
    if (this.port === this.metricsPort)
      fail(this, `metricsPort: ${this.metricsPort} is the API port too`, 'give metrics a port of their own');
    checkUnit(this, this.unit, { listenVariable: props.listenVariable, metricsVariable: props.metricsVariable });
    const timeout = props.startTimeoutSec;
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600))
      fail(this, `startTimeoutSec: ${timeout} is not 1-3600`, 'e.g. 120');
    this.checkOpen();
    // a port already reported above would only be reported again by the grant
    if (hostOk && isPort(this.metricsPort))
      props.monitoring?.addScrapeTarget(this, { job: this.unit, port: this.metricsPort, host: props.host });
  }

  get unit(): string {
    return this.props.unit ?? 'job-coordinator';
  }

  /** An agent on `host` taking jobs from this coordinator (`<path>/<id>`). */
  addAgent(id: string, props: Omit<AgentProps, 'coordinator'>): Agent {
    return new Agent(this, id, { ...props, coordinator: this });
  }

  /** @internal Registers an agent: one agent per host name, and a grant to the API port per agent identity. */
  _join(agent: Agent): void {
    const name = agent.host.hostname;
    const other = this.agents.get(name);
    if (other) {
      report(
        agent,
        NIXOS_CODES.duplicateAgent,
        `agent host "${name}" already runs agent ${other.node.path} of this coordinator`,
        'give each agent host its own hostname, or declare one agent per host',
      );
      return;
    }
    this.agents.set(name, agent);
    const src = agent.host.identity as Selector<'src'>[];
    const key = src.map((s) => s.selector).join(' ');
    if (
      !isServiceHost(this.host) ||
      src.length === 0 ||
      this.host.destination.length === 0 ||
      this.agentGrants.has(key) ||
      !isPort(this.port)
    )
      return;
    this.agentGrants.add(key);
    new Grant(this, this.agentGrants.size === 1 ? 'Agents' : `Agents${this.agentGrants.size}`, {
      src,
      dst: this.host.destination,
      ip: [Ip.tcp(this.port)],
      comment: `agents take jobs from ${this.unit} on ${this.host.hostname}`,
    });
  }

  /** Plain Linux hosts keep their own firewall: without a declared address the coordinator listens everywhere. */
  private checkOpen(): void {
    if (!LinuxHost.isLinuxHost(this.props.host) || this.props.host.props.tailscaleIpv4) return;
    report(
      this,
      NIXOS_CODES.coordinatorOpen,
      `coordinator on "${this.host.hostname}" listens on 0.0.0.0:${this.port}; tailnet-cdk manages no firewall on a non-NixOS host, so other networks may reach it`,
      "declare the host's tailscaleIpv4 so it binds the Tailscale address, or firewall the port to tailscale0",
    );
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const bind = p.host.props.tailscaleIpv4 ?? '0.0.0.0';
    const unit = serviceUnit(this, p.host, this.unit, 'job coordinator on the tailnet', [
      { kind: 'text', name: p.listenVariable ?? 'LISTEN_ADDRESS', value: `${bind}:${this.port}` },
      { kind: 'text', name: p.metricsVariable ?? 'METRICS_ADDRESS', value: `${bind}:${this.metricsPort}` },
    ]);
    return [
      {
        kind: 'systemdUnit',
        value: { ...unit, tailnetPorts: [this.port, this.metricsPort].sort((a, b) => a - b) },
      },
    ];
  }
}

/** An agent of a job dispatcher: reads the coordinator's MagicDNS URL from its unit's environment. */
export class Agent extends Construct implements ILowerable {
  readonly props: AgentProps;
  readonly host: ServiceHost;
  readonly metricsPort: number;

  constructor(scope: Construct, id: string, props: AgentProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    this.host = props.host;
    this.metricsPort = props.metricsPort ?? 9103;
    const hostOk = checkHost(this, 'host', props.host);
    checkPort(this, 'metricsPort', this.metricsPort);
    checkUnit(this, this.unit, { urlVariable: props.urlVariable, metricsVariable: props.metricsVariable });
    if (NixosHost.isNixosHost(props.host) && props.host.props.acceptDns === false) {
      fail(
        this,
        `host: "${props.host.hostname}" has acceptDns: false, so the agent cannot resolve the coordinator's MagicDNS name`,
        'set acceptDns: true on the agent host',
      );
    }
    const coordinator = props.coordinator;
    if (!Coordinator.isCoordinator(coordinator)) {
      report(
        this,
        NIXOS_CODES.agentWithoutCoordinator,
        `agent on "${props.host?.hostname ?? '?'}" names no coordinator (received ${coordinator === undefined ? 'undefined' : typeof coordinator})`,
        'create it with coordinator.addAgent(id, { host }), or pass coordinator: <Coordinator>',
      );
      return;
    }
    if (!hostOk) return;
    coordinator._join(this);
    if (isPort(this.metricsPort))
      coordinator.props.monitoring?.addScrapeTarget(this, { job: this.unit, port: this.metricsPort, host: props.host });
  }

  get unit(): string {
    return this.props.unit ?? 'job-agent';
  }

  /** @internal */
  _lower(): IrContribution[] {
    const coordinator = this.props.coordinator;
    if (!Coordinator.isCoordinator(coordinator)) return [];
    const p = this.props;
    const bind = p.host.props.tailscaleIpv4 ?? '0.0.0.0';
    const unit = serviceUnit(
      this,
      p.host,
      this.unit,
      `job agent of ${coordinator.unit} on ${coordinator.host.hostname}`,
      [
        // by MagicDNS name, so the agent follows the coordinator to a new address
        {
          kind: 'url',
          name: p.urlVariable ?? 'COORDINATOR_URL',
          host: coordinator.host.hostname,
          port: coordinator.port,
        },
        { kind: 'text', name: p.metricsVariable ?? 'METRICS_ADDRESS', value: `${bind}:${this.metricsPort}` },
      ],
    );
    return [{ kind: 'systemdUnit', value: { ...unit, tailnetPorts: [this.metricsPort] } }];
  }
}

/**
 * What both parts add to their unit. Ordering: tailscaled.service (Type=notify) is "started" once the daemon runs,
 * before it has logged in and has an address, and network-online.target only covers the host's other links; so the
 * unit also waits in ExecStartPre until `tailscale ip -4` prints an address (it exits non-zero until then). On NixOS
 * with an auth key, tailscaled-autoconnect.service is ready only when the backend is Running (facts/nixos.md §1), so
 * it is ordered after that too.
 */
function serviceUnit(
  scope: Construct,
  host: ServiceHost,
  unit: string,
  description: string,
  environment: UnitEnvironmentIr[],
): Omit<SystemdUnitIr, 'tailnetPorts'> {
  const nixos = NixosHost.isNixosHost(host);
  const autoconnect = nixos && host.props.authKey !== undefined ? ['tailscaled-autoconnect.service'] : [];
  const order = [...autoconnect, 'network-online.target', 'tailscaled.service'].sort();
  const p = Coordinator.isCoordinator(scope) ? scope.props : undefined;
  return {
    source: { path: scope.node.path },
    host: host.hostname,
    platform: nixos ? 'nixos' : 'linux',
    unit,
    description,
    after: order,
    wants: order,
    environment: environment.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    waitForTailscale: true,
    startTimeoutSec: p?.startTimeoutSec ?? 120,
  };
}

function isServiceHost(host: unknown): boolean {
  return NixosHost.isNixosHost(host) || LinuxHost.isLinuxHost(host);
}

/** Reports a host that is neither kind; false then, and the caller adds no grants or scrape targets for it. */
function checkHost(scope: Construct, field: string, host: unknown): boolean {
  if (isServiceHost(host)) return true;
  fail(scope, `${field}: not a NixosHost or LinuxHost`, 'give the host that runs it');
  return false;
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

function checkPort(scope: Construct, field: string, port: number): void {
  if (!isPort(port)) fail(scope, `${field}: ${port} is outside 1-65535`, 'pick a free TCP port, e.g. 8080');
}

function checkUnit(scope: Construct, unit: string, variables: Record<string, string | undefined>): void {
  if (!UNIT.test(unit) || unit.endsWith('.service'))
    fail(scope, `unit: "${unit}" is not a systemd service name`, 'give the name without .service, e.g. job-agent');
  for (const [field, v] of Object.entries(variables)) {
    if (v !== undefined && !VARIABLE.test(v))
      fail(
        scope,
        `${field}: "${v}" is not an environment variable name`,
        'use letters, digits and _, e.g. COORDINATOR_URL',
      );
  }
}

function fail(scope: Construct, message: string, hint: string): void {
  report(scope, NIXOS_CODES.invalidDispatcher, message, hint);
}
