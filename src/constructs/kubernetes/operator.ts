import { Construct } from 'constructs';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import type { OperatorIr } from '../../ir/kubernetes';
import { report } from '../private/report';
import { dnsLabelProblem } from '../private/syntax';
import type { Selector, TagPosition } from '../selector';
import type { TailscaleService } from '../service';
import { checkName } from './checks';
import { KUBERNETES_CODES } from './codes';
import {
  Connector,
  type ConnectorProps,
  ExposedService,
  type ExposedServiceProps,
  ProxyClass,
  type ProxyClassProps,
} from './operator-resources';
import { OperatorServiceHost, type OperatorServiceHostProps } from './service-ingress';

/** Operator release read for facts §3 (chart and CRDs of tailscale/tailscale v1.102.3). */
export const DEFAULT_OPERATOR_VERSION = 'v1.102.3';

export interface TailscaleOperatorProps {
  /** Namespace the chart is installed into. @default 'tailscale' */
  readonly namespace?: string;
  /** `operatorConfig.hostname`. @default 'tailscale-operator' */
  readonly hostname?: string;
  /** `operatorConfig.defaultTags`: the operator's own device tags (its OAuth client must own them). */
  readonly tags: readonly Selector<TagPosition>[];
  /** `proxyConfig.defaultTags`: tags of the proxies it creates; owned by the operator's tags (facts §3.4). */
  readonly proxyTags: readonly Selector<TagPosition>[];
  /**
   * Secret with keys `client_id` and `client_secret` the operator reads its OAuth client from. The chart finds
   * `operator-oauth` by itself; another name is mounted through `oauthSecretVolume`. @default 'operator-oauth'
   */
  readonly oauthSecretName?: string;
  /**
   * Terraform creates the OAuth client (`tailscale_oauth_client`) and writes it into the Secret, so no credential
   * is ever typed in. @default true
   */
  readonly manageOAuthClient?: boolean;
  /** Release of the operator and proxy images. @default 'v1.102.3' */
  readonly version?: string;
  /** `proxyConfig.firewallMode`. @default 'auto' */
  readonly firewallMode?: 'auto' | 'nftables' | 'iptables';
  /** `proxyConfig.defaultProxyClass`. @default - none */
  readonly defaultProxyClass?: ProxyClass;
  /** `apiServerProxyConfig.mode`. @default 'false' */
  readonly apiServerProxy?: 'false' | 'true' | 'noauth';
  /** `operatorConfig.logging`. @default 'info' */
  readonly logging?: 'info' | 'debug' | 'dev';
}

/**
 * The Tailscale Kubernetes operator, installed with the `tailscale-operator` chart. Needs Tailscale's control
 * plane: it creates auth keys and deletes devices through the Tailscale API, which Headscale ≤ 0.29 lacks
 * (facts §3.5).
 */
export class TailscaleOperator extends Construct implements ILowerable {
  readonly namespace: string;
  readonly hostname: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: TailscaleOperatorProps,
  ) {
    super(scope, id);
    markLowerable(this);
    this.namespace = props.namespace ?? 'tailscale';
    this.hostname = props.hostname ?? 'tailscale-operator';
    checkName(this, 'namespace', this.namespace);
    if (props.oauthSecretName !== undefined) checkName(this, 'oauthSecretName', props.oauthSecretName, 'subdomain');
    const problem = dnsLabelProblem(this.hostname);
    if (problem) report(this, KUBERNETES_CODES.invalidName, `hostname: ${problem}`, 'use a DNS label');
    for (const [field, tags] of [
      ['tags', props.tags],
      ['proxyTags', props.proxyTags],
    ] as const) {
      if ((tags ?? []).length === 0)
        report(
          this,
          KUBERNETES_CODES.invalidSidecar,
          `${field}: at least one tag is needed`,
          'e.g. tag:k8s-operator and tag:k8s (facts §3.4)',
        );
      for (const t of (tags ?? []).filter((x) => x.kind !== 'tag')) {
        report(this, KUBERNETES_CODES.invalidSidecar, `${field}: "${t.selector}" is not a tag`, 'list Tag constructs');
      }
    }
  }

  /** A ProxyClass (`<operator>/<id>`). */
  addProxyClass(id: string, props: ProxyClassProps = {}): ProxyClass {
    return new ProxyClass(this, id, props);
  }

  /** A Connector: subnet router and/or exit node (`<operator>/<id>`). */
  addConnector(id: string, props: ConnectorProps): Connector {
    return new Connector(this, id, props);
  }

  /** Exposes an existing Service on the tailnet through operator annotations (`<operator>/<id>`). */
  exposeService(id: string, props: ExposedServiceProps): ExposedService {
    return new ExposedService(this, id, props);
  }

  /** Hosts a Tailscale Service on an ingress ProxyGroup of this operator (`<operator>/<id>`). */
  hostService(id: string, service: TailscaleService, props: OperatorServiceHostProps): OperatorServiceHost {
    return new OperatorServiceHost(this, id, service, props);
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const version = p.version ?? DEFAULT_OPERATOR_VERSION;
    const tags = [...new Set(p.tags.map((t) => t.selector))].sort();
    const value: OperatorIr = {
      source: { path: this.node.path },
      namespace: this.namespace,
      hostname: this.hostname,
      tags,
      proxyTags: [...new Set(p.proxyTags.map((t) => t.selector))].sort(),
      oauthSecretName: p.oauthSecretName ?? 'operator-oauth',
      manageOAuthClient: p.manageOAuthClient ?? true,
      image: { repository: 'tailscale/k8s-operator', tag: version },
      proxyImage: { repository: 'tailscale/tailscale', tag: version },
      firewallMode: p.firewallMode ?? 'auto',
      ...(p.defaultProxyClass ? { defaultProxyClass: p.defaultProxyClass.proxyClassName } : {}),
      apiServerProxy: p.apiServerProxy ?? 'false',
      logging: p.logging ?? 'info',
    };
    const device = {
      source: { path: this.node.path },
      name: this.hostname,
      tags,
      ipv4: '',
      ipv6: '',
      os: 'linux',
      advertisedRoutes: [],
      exitNode: false,
    };
    return [
      { kind: 'operator', value },
      { kind: 'device', value: device },
    ];
  }
}
