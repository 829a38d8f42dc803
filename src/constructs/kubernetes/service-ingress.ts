import { Construct } from 'constructs';
import { CORE_CODES } from '../../core/errors';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import type { ServiceIngressIr } from '../../ir/kubernetes';
import { report } from '../private/report';
import type { Selector, TagPosition } from '../selector';
import type { TailscaleService } from '../service';
import { checkName } from './checks';
import { KUBERNETES_CODES } from './codes';

export interface OperatorServiceHostProps {
  /** Namespace of the backend Service (and of the Ingress). */
  readonly namespace: string;
  /** The Kubernetes Service the Tailscale Service forwards to. */
  readonly backendService: string;
  /** Its port. */
  readonly backendPort: number;
  /** Ingress ProxyGroup whose pods host the Service (cluster-scoped). @default - `<service label>-ingress` */
  readonly proxyGroup?: string;
  /** ProxyGroup replicas (each pod is a host). @default 2 */
  readonly replicas?: number;
  /** Tags of the ProxyGroup pods; one must be a host tag of the Service. @default - the Service's host tags */
  readonly tags?: readonly Selector<TagPosition>[];
}

/**
 * A Tailscale Service hosted in Kubernetes by the operator (high-availability ingress): an `Ingress` with
 * `ingressClassName: tailscale` and the `tailscale.com/proxy-group` annotation makes the ingress ProxyGroup's pods
 * advertise `svc:<tls host>` (Tailscale's Kubernetes operator ingress docs; ProxyGroup CRD, facts/kubernetes-headscale
 * §3.1). An operator Ingress serves HTTPS on 443 only, with the Service's own certificate.
 */
export class OperatorServiceHost extends Construct implements ILowerable {
  readonly service: TailscaleService;
  readonly proxyGroup: string;

  constructor(
    scope: Construct,
    id: string,
    service: TailscaleService,
    private readonly props: OperatorServiceHostProps,
  ) {
    super(scope, id);
    markLowerable(this);
    this.service = service;
    this.proxyGroup = props.proxyGroup ?? `${service.label}-ingress`;
    checkName(this, 'namespace', props.namespace);
    checkName(this, 'backendService', props.backendService);
    checkName(this, 'proxyGroup', this.proxyGroup);
    const ports = service.ports;
    if (ports.length !== 1 || ports[0].port !== 443 || ports[0].protocol !== 'https') {
      report(
        this,
        KUBERNETES_CODES.operatorServicePorts,
        `${service.name}: an operator Ingress serves HTTPS on port 443 only, and the Service declares ${ports.map((p) => `${p.protocol} ${p.port}`).join(', ')}`,
        'give the Service the single port ServicePort.https(443, …), or host it on a sidecar or NixOS host',
      );
    }
    const tags = this.tags;
    if (tags.length === 0 || !service.hostTags.some((t) => tags.includes(t))) {
      report(
        this,
        CORE_CODES.untaggedServiceHost,
        `ProxyGroup "${this.proxyGroup}" carries none of the host tags of ${service.name} (${service.hostTags.join(', ')}), so its pods are never approved as hosts`,
        'leave tags unset (the Service host tags are used), or include one of them',
      );
    }
  }

  private get tags(): string[] {
    const given = this.props.tags?.map((t) => t.selector) ?? this.service.hostTags;
    return [...new Set(given)].sort();
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const path = this.node.path;
    const replicas = p.replicas ?? 2;
    const value: ServiceIngressIr = {
      source: { path },
      namespace: p.namespace,
      service: this.service.name,
      hostname: this.service.label,
      serviceTags: this.service._ir().tags,
      proxyGroup: this.proxyGroup,
      proxyGroupTags: this.tags,
      replicas,
      backend: { service: p.backendService, port: p.backendPort },
    };
    // the ProxyGroup pods (<pg>-<n>) are the tailnet devices that host the Service
    const devices = Array.from({ length: replicas }, (_, i) => ({
      kind: 'device' as const,
      value: {
        source: { path },
        name: `${this.proxyGroup}-${i}`,
        tags: this.tags,
        ipv4: '',
        ipv6: '',
        os: 'linux',
        advertisedRoutes: [],
        exitNode: false,
      },
    }));
    return [{ kind: 'serviceIngress', value }, ...devices];
  }
}
