import { Construct } from 'constructs';
import { brand, hasBrand } from '../core/brand';
import { CORE_CODES } from '../core/errors';
import { kebab } from '../core/names';
import { TailnetStack } from '../core/stack';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import type { ServicePortIr, TailscaleServiceIr } from '../ir/services';
import { ServiceRef } from './address';
import { Grant } from './grant';
import { AutoApprover } from './policy-extras';
import { Ip } from './ports';
import { report } from './private/report';
import { dnsLabelProblem, portProblem } from './private/syntax';
import type { Selector, TagPosition } from './selector';

/** One port of a Service: what clients connect to, and the local target every host forwards it to. */
export type ServicePortSpec = ServicePortIr;

const TARGET = /^(https?|https\+insecure|tcp):\/\/[^\s/]+(\/\S*)?$/;

export const ServicePort = {
  /** HTTPS on `port`, TLS terminated by tailscaled with the Service's `*.ts.net` certificate. */
  https: (port: number, target: string): ServicePortSpec => ({ port, protocol: 'https', target }),
  /** Plain HTTP on `port` (WireGuard already encrypts tailnet traffic). */
  http: (port: number, target: string): ServicePortSpec => ({ port, protocol: 'http', target }),
  /** Raw TCP forwarded to `target` (`tcp://127.0.0.1:5432`). */
  tcp: (port: number, target: string): ServicePortSpec => ({ port, protocol: 'tcp', target }),
};

export interface TailscaleServiceProps {
  /** Service name without or with `svc:`; the rest must be a DNS label. @default - the construct id in kebab case */
  readonly name?: string;
  /** Ports the Service exposes and where each host forwards them (`ServicePort.https(443, 'http://127.0.0.1:8080')`). */
  readonly ports: readonly ServicePortSpec[];
  /** Tags of the devices that host it: they are its auto-approvers. Services are hosted by tagged devices only. */
  readonly hosts: readonly Selector<TagPosition>[];
  /** Who may reach it: a grant from them to `svc:<name>` on its ports. @default - no grant */
  readonly clients?: readonly Selector<'src'>[];
  /** ACL tags on the Service itself (`tailscale_service.tags`). @default - none */
  readonly tags?: readonly Selector<TagPosition>[];
  /** Comment on the Service and its grant. @default - none */
  readonly comment?: string;
}

const SERVICE_BRAND = Symbol.for('tailnet-cdk.TailscaleService');

/**
 * A Tailscale Service `svc:<name>` (facts/tailscale-api.md §5): a virtual IP pair and MagicDNS name served by one
 * or more tagged hosts. It contributes the `tailscale_service` resource, `autoApprovers.services` for its host tags
 * and the grant to its clients; hosts join with `NixosHost.addService(service)` (or the generated serve commands).
 */
export class TailscaleService extends Construct implements ILowerable {
  static isTailscaleService(x: unknown): x is TailscaleService {
    return hasBrand(x, SERVICE_BRAND);
  }

  readonly props: TailscaleServiceProps;
  /** `svc:<label>` */
  readonly name: string;
  /** The DNS label, e.g. `clawbernetes-gateway`. */
  readonly label: string;
  /** MagicDNS name clients use: `<label>.<tailnet suffix>`. */
  readonly dnsName: string;

  constructor(scope: Construct, id: string, props: TailscaleServiceProps) {
    super(scope, id);
    brand(this, SERVICE_BRAND);
    markLowerable(this);
    this.props = props;
    const raw = props.name ?? kebab(id);
    this.label = raw.startsWith('svc:') ? raw.slice(4) : raw;
    this.name = `svc:${this.label}`;
    this.dnsName = `${this.label}.${TailnetStack.of(this).props.magicDnsSuffix ?? 'tailnet.ts.net'}`;
    this.validate();
    if (this.hostTags.length > 0) {
      new AutoApprover(this, 'HostApproval', { approvers: [...props.hosts], services: [this.name] });
    }
    if ((props.clients ?? []).length > 0) {
      new Grant(this, 'Clients', {
        src: [...(props.clients ?? [])],
        dst: [this.selector],
        ip: this.ports.map((p) => Ip.tcp(p.port)),
        comment: props.comment ?? `clients of ${this.name}`,
      });
    }
  }

  /** The Service as a grant destination or test destination. */
  get selector(): Selector<'dst' | 'testDst'> {
    return ServiceRef.fromName(this.name);
  }

  /** Host tags as the policy writes them, sorted. */
  get hostTags(): string[] {
    return [...new Set(this.props.hosts.filter((h) => h.kind === 'tag').map((h) => h.selector))].sort();
  }

  /** Ports sorted by number. */
  get ports(): ServicePortSpec[] {
    return [...this.props.ports].sort((a, b) => a.port - b.port);
  }

  private validate(): void {
    const problem = dnsLabelProblem(this.label);
    if (problem) {
      report(
        this,
        CORE_CODES.invalidServiceName,
        `name: ${problem}; a Service is named svc:<dns-label>`,
        'e.g. name: "clawbernetes-gateway" (becomes svc:clawbernetes-gateway)',
      );
    }
    if (this.props.hosts.length === 0) {
      report(
        this,
        CORE_CODES.untaggedServiceHost,
        'hosts: no host tag given; Tailscale Services are hosted by tagged devices only',
        'give hosts: [tag] and log the hosting devices in with that tag',
      );
    }
    for (const h of this.props.hosts.filter((x) => x.kind !== 'tag')) {
      report(
        this,
        CORE_CODES.untaggedServiceHost,
        `hosts: "${h.selector}" is not a tag; Tailscale Services are hosted by tagged devices only`,
        'list Tag constructs, and tag the devices that host the Service',
      );
    }
    this.validatePorts();
  }

  private validatePorts(): void {
    const fail = (message: string, hint: string) => report(this, CORE_CODES.invalidService, message, hint);
    if (this.props.ports.length === 0)
      fail('ports: a Service needs at least one port', 'e.g. ServicePort.https(443, …)');
    const seen = new Set<number>();
    for (const p of this.props.ports) {
      const problem = portProblem(p.port);
      if (problem) fail(`ports: ${problem}`, 'a port is 1-65535');
      if (seen.has(p.port)) fail(`ports: port ${p.port} is given twice`, 'give each port once');
      seen.add(p.port);
      if (!TARGET.test(p.target)) {
        fail(
          `ports: target "${p.target}" of port ${p.port} is not an http://, https://, https+insecure:// or tcp:// address`,
          'e.g. http://127.0.0.1:8080',
        );
      }
      if (p.protocol === 'tcp' && !p.target.startsWith('tcp://')) {
        fail(`ports: TCP port ${p.port} must forward to a tcp:// target`, `e.g. tcp://127.0.0.1:${p.port}`);
      }
    }
  }

  /** @internal */
  _ir(): TailscaleServiceIr {
    return {
      source: { path: this.node.path },
      name: this.name,
      dnsName: this.dnsName,
      ports: this.ports,
      hostTags: this.hostTags,
      tags: [...new Set((this.props.tags ?? []).map((t) => t.selector))].sort(),
      ...(this.props.comment !== undefined ? { comment: this.props.comment } : {}),
    };
  }

  /** @internal */
  _lower(): IrContribution[] {
    return [{ kind: 'tailscaleService', value: this._ir() }];
  }
}
