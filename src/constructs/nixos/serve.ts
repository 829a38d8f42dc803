import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { CORE_CODES } from '../../core/errors';
import { report } from '../private/report';
import type { TailscaleService } from '../service';
import { checkUniquePart, type MutableHostIr, markHostPart, type NixosHost } from './host';

const HOSTED_BRAND = Symbol.for('tailnet-cdk.HostedService');

/**
 * A NixOS host serving a `TailscaleService`: the host's module forwards each of the Service's ports to its target
 * (`services.tailscale.serve`, or `tailscale serve --service` when a port needs HTTPS; src/emit/nixos/serve.ts).
 * Tailscale only lets tagged devices host a Service, and only devices with one of its host tags are auto-approved.
 */
export class HostedService extends Construct {
  static isHostedService(x: unknown): x is HostedService {
    return hasBrand(x, HOSTED_BRAND);
  }

  readonly service: TailscaleService;

  constructor(host: NixosHost, service: TailscaleService) {
    const taken = host.node.children.filter(HostedService.isHostedService).map((s) => s.service.name);
    super(host, service.label);
    brand(this, HOSTED_BRAND);
    markHostPart(this);
    this.service = service;
    checkUniquePart(this, 'service', service.name, taken);
    const tags = (host.props.tags ?? []).map((t) => t.selector);
    if (tags.length === 0) {
      report(
        this,
        CORE_CODES.untaggedServiceHost,
        `host "${host.hostname}" is untagged; Tailscale Services (${service.name}) are hosted by tagged devices only`,
        `give the host tags: [${service.hostTags[0] ?? 'tag:…'}]`,
      );
    } else if (!service.hostTags.some((t) => tags.includes(t))) {
      report(
        this,
        CORE_CODES.untaggedServiceHost,
        `host "${host.hostname}" carries none of the host tags of ${service.name} (${service.hostTags.join(', ')}), so it is never approved as a host`,
        `add ${service.hostTags[0] ?? 'one of them'} to the host's tags, or to the Service's hosts`,
      );
    }
  }

  /** @internal */
  _contribute(ir: MutableHostIr): void {
    for (const p of this.service.ports) {
      ir.hostedServices.push({ source: { path: this.node.path }, service: this.service.name, ...p });
    }
  }
}
