import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { kebab } from '../../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import type { DeviceIr } from '../../ir/types';
import { report } from '../private/report';
import { addressProblem, dnsLabelProblem } from '../private/syntax';
import type { Selector, TagPosition } from '../selector';
import { checkImage, checkName, quantityProblem } from './checks';
import { KUBERNETES_CODES } from './codes';
import type { SidecarResources } from './sidecar';

/**
 * Objects the Tailscale operator reconciles (facts §3.1, §3.2): ProxyClass and Connector custom resources, and
 * Services exposed through `tailscale.com/*` annotations. Connectors and exposed Services are tailnet devices,
 * so they lower to declared devices too.
 */

const PROXY_CLASS_BRAND = Symbol.for('tailnet-cdk.ProxyClass');

function sortedTags(tags: readonly Selector<TagPosition>[] = []): string[] {
  return [...new Set(tags.map((t) => t.selector))].sort();
}

function checkTags(scope: Construct, tags: readonly Selector<TagPosition>[] | undefined): void {
  if (!tags || tags.length === 0) {
    report(
      scope,
      KUBERNETES_CODES.invalidSidecar,
      'tags: at least one tag is needed',
      'devices the operator creates are tagged, e.g. tags: [k8sTag]',
    );
  }
  for (const t of (tags ?? []).filter((x) => x.kind !== 'tag')) {
    report(scope, KUBERNETES_CODES.invalidSidecar, `tags: "${t.selector}" is not a tag`, 'list Tag constructs');
  }
}

function checkHostname(scope: Construct, hostname: string): void {
  const problem = dnsLabelProblem(hostname);
  if (problem) report(scope, KUBERNETES_CODES.invalidName, `hostname: ${problem}`, 'use a DNS label like june-idp');
}

function deviceIr(path: string, name: string, tags: string[], routes: string[] = [], exitNode = false): DeviceIr {
  return { source: { path }, name, tags, ipv4: '', ipv6: '', os: 'linux', advertisedRoutes: routes, exitNode };
}

export interface ProxyClassProps {
  /** Cluster-scoped name. @default - the construct id in kebab case */
  readonly name?: string;
  /** `spec.tailscale.acceptRoutes`. @default - the operator's default (false) */
  readonly acceptRoutes?: boolean;
  /** Resources of the proxies' tailscale container. @default - the operator's defaults */
  readonly resources?: SidecarResources;
  /** Proxy image, pinned. @default - the operator's `proxyConfig.image` */
  readonly image?: string;
  /** `spec.metrics.enable` (metrics on `<pod-ip>:9002/metrics`). @default false */
  readonly metrics?: boolean;
  /** Labels on the proxy pods. @default - none */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** A `ProxyClass`: settings shared by the proxies the operator creates. */
export class ProxyClass extends Construct implements ILowerable {
  static isProxyClass(x: unknown): x is ProxyClass {
    return hasBrand(x, PROXY_CLASS_BRAND);
  }

  readonly proxyClassName: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ProxyClassProps = {},
  ) {
    super(scope, id);
    brand(this, PROXY_CLASS_BRAND);
    markLowerable(this);
    this.proxyClassName = props.name ?? kebab(id);
    checkName(this, 'name', this.proxyClassName, 'subdomain');
    if (props.image !== undefined) checkImage(this, 'image', props.image);
    for (const [kind, values] of Object.entries(props.resources ?? {})) {
      for (const [name, value] of Object.entries((values ?? {}) as Record<string, string>)) {
        const problem = quantityProblem(value);
        if (problem)
          report(
            this,
            KUBERNETES_CODES.invalidQuantity,
            `resources.${kind}.${name}: ${problem}`,
            'write e.g. 100m or 128Mi',
          );
      }
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const labels = p.podLabels ?? {};
    const value = {
      source: { path: this.node.path },
      name: this.proxyClassName,
      ...(p.acceptRoutes !== undefined ? { acceptRoutes: p.acceptRoutes } : {}),
      ...(p.resources
        ? { resources: { requests: { ...(p.resources.requests ?? {}) }, limits: { ...(p.resources.limits ?? {}) } } }
        : {}),
      ...(p.image ? { image: p.image } : {}),
      metrics: p.metrics ?? false,
      podLabels: Object.fromEntries(
        Object.keys(labels)
          .sort()
          .map((k) => [k, labels[k]]),
      ),
    };
    return [{ kind: 'proxyClass', value }];
  }
}

export interface ConnectorProps {
  /** Cluster-scoped name. @default - the construct id in kebab case */
  readonly name?: string;
  /** Tailnet machine name. @default - `<name>-connector` (the operator's default) */
  readonly hostname?: string;
  /** Tags of the Connector's device (immutable once created). */
  readonly tags: readonly Selector<TagPosition>[];
  /** `spec.subnetRouter.advertiseRoutes`. @default - not a subnet router */
  readonly routes?: readonly string[];
  /** `spec.exitNode`. @default false */
  readonly exitNode?: boolean;
  /** ProxyClass for the Connector's pods. @default - the operator's default class */
  readonly proxyClass?: ProxyClass;
  /** @default 1 */
  readonly replicas?: number;
}

/** A `Connector`: an in-cluster subnet router and/or exit node run by the operator. */
export class Connector extends Construct implements ILowerable {
  readonly connectorName: string;
  readonly hostname: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ConnectorProps,
  ) {
    super(scope, id);
    markLowerable(this);
    this.connectorName = props.name ?? kebab(id);
    this.hostname = props.hostname ?? `${this.connectorName}-connector`;
    checkName(this, 'name', this.connectorName, 'subdomain');
    checkHostname(this, this.hostname);
    checkTags(this, props.tags);
    for (const r of props.routes ?? []) {
      const problem = addressProblem(r);
      if (problem) report(this, KUBERNETES_CODES.invalidSidecar, `routes: ${problem}`, 'write routes as CIDRs');
    }
    if ((props.routes ?? []).length === 0 && !props.exitNode) {
      report(
        this,
        KUBERNETES_CODES.invalidSidecar,
        'a Connector needs routes, exitNode: true, or both',
        'give routes: ["10.96.0.0/12"] or exitNode: true',
      );
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const path = this.node.path;
    const routes = [...new Set(p.routes ?? [])].sort();
    const value = {
      source: { path },
      name: this.connectorName,
      hostname: this.hostname,
      tags: sortedTags(p.tags),
      routes,
      exitNode: p.exitNode ?? false,
      ...(p.proxyClass ? { proxyClass: p.proxyClass.proxyClassName } : {}),
      replicas: p.replicas ?? 1,
    };
    const exitRoutes = p.exitNode ? ['0.0.0.0/0', '::/0'] : [];
    const device = deviceIr(
      path,
      this.hostname,
      value.tags,
      [...new Set([...routes, ...exitRoutes])].sort(),
      value.exitNode,
    );
    return [
      { kind: 'connector', value },
      { kind: 'device', value: device },
    ];
  }
}

export interface ExposedServiceProps {
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Name of the existing Service. @default - the construct id in kebab case */
  readonly service?: string;
  /** `tailscale.com/hostname`. @default - `<namespace>-<service>` (the operator's default) */
  readonly hostname?: string;
  /** `tailscale.com/tags`. */
  readonly tags: readonly Selector<TagPosition>[];
  /** `tailscale.com/proxy-class` label. @default - the operator's default class */
  readonly proxyClass?: ProxyClass;
}

/** An existing Service exposed on the tailnet by the operator (`tailscale.com/expose: "true"`). */
export class ExposedService extends Construct implements ILowerable {
  readonly service: string;
  readonly hostname: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ExposedServiceProps,
  ) {
    super(scope, id);
    markLowerable(this);
    this.service = props.service ?? kebab(id);
    this.hostname = props.hostname ?? `${props.namespace}-${this.service}`;
    checkName(this, 'namespace', props.namespace);
    checkName(this, 'service', this.service);
    checkHostname(this, this.hostname);
    checkTags(this, props.tags);
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const path = this.node.path;
    const value = {
      source: { path },
      namespace: p.namespace,
      service: this.service,
      hostname: this.hostname,
      tags: sortedTags(p.tags),
      ...(p.proxyClass ? { proxyClass: p.proxyClass.proxyClassName } : {}),
    };
    return [
      { kind: 'exposedService', value },
      { kind: 'device', value: deviceIr(path, this.hostname, value.tags) },
    ];
  }
}
