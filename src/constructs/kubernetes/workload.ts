import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { kebab } from '../../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import { report } from '../private/report';
import { checkName } from './checks';
import { KUBERNETES_CODES } from './codes';
import { TailscaleSidecar, type TailscaleSidecarProps } from './sidecar';

const WORKLOAD_BRAND = Symbol.for('tailnet-cdk.KubernetesWorkload');

export interface KubernetesWorkloadProps {
  /** Name of the Deployment or StatefulSet (a DNS-1123 label). @default - the construct id in kebab case */
  readonly name?: string;
  /** Namespace the workload runs in (a DNS-1123 label). */
  readonly namespace: string;
  /** The controller that runs the pods. @default 'Deployment' */
  readonly kind?: 'Deployment' | 'StatefulSet';
  /** Pods the controller runs. @default 1 */
  readonly replicas?: number;
  /**
   * ServiceAccount the pods use. Give the workload's existing account to bind the sidecar's Role to it; the
   * artifacts then do not create one. @default - `<name>-tailscale`, created by the artifacts
   */
  readonly serviceAccountName?: string;
  /** Shorthand for `addTailscaleSidecar(sidecar)`. @default - no sidecar */
  readonly sidecar?: TailscaleSidecarProps;
}

/**
 * An existing Kubernetes workload (the chart that deploys it stays yours) that joins the tailnet through a
 * Tailscale sidecar. The stack emits the sidecar container, its RBAC and its auth key, never the app itself.
 */
export class KubernetesWorkload extends Construct implements ILowerable {
  static isKubernetesWorkload(x: unknown): x is KubernetesWorkload {
    return hasBrand(x, WORKLOAD_BRAND);
  }

  readonly workloadName: string;
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly replicas: number;
  readonly serviceAccountName: string;
  private readonly createsServiceAccount: boolean;
  private tailscale?: TailscaleSidecar;

  constructor(scope: Construct, id: string, props: KubernetesWorkloadProps) {
    super(scope, id);
    brand(this, WORKLOAD_BRAND);
    markLowerable(this);
    this.workloadName = props.name ?? kebab(id);
    this.namespace = props.namespace;
    this.kind = props.kind ?? 'Deployment';
    this.replicas = props.replicas ?? 1;
    this.createsServiceAccount = props.serviceAccountName === undefined;
    this.serviceAccountName = props.serviceAccountName ?? `${this.workloadName}-tailscale`;
    checkName(this, 'name', this.workloadName);
    checkName(this, 'namespace', this.namespace);
    if (props.serviceAccountName !== undefined)
      checkName(this, 'serviceAccountName', props.serviceAccountName, 'subdomain');
    if (!Number.isInteger(this.replicas) || this.replicas < 0) {
      report(
        this,
        KUBERNETES_CODES.invalidSidecar,
        `replicas: ${this.replicas} is not a whole number ≥ 0`,
        'give replicas: 1',
      );
    }
    if (props.sidecar) this.addTailscaleSidecar(props.sidecar);
  }

  /** The sidecar, if one was added. */
  get sidecar(): TailscaleSidecar | undefined {
    return this.tailscale;
  }

  /** Adds the Tailscale sidecar (`<workload>/Tailscale`); a workload has at most one. */
  addTailscaleSidecar(props: TailscaleSidecarProps = {}): TailscaleSidecar {
    if (this.tailscale) {
      report(
        this,
        KUBERNETES_CODES.invalidSidecar,
        'the workload already has a Tailscale sidecar',
        'add one sidecar per workload',
      );
      return this.tailscale;
    }
    this.tailscale = new TailscaleSidecar(this, 'Tailscale', props);
    return this.tailscale;
  }

  /** @internal */
  _lower(): IrContribution[] {
    const value = {
      source: { path: this.node.path },
      name: this.workloadName,
      namespace: this.namespace,
      kind: this.kind,
      replicas: this.replicas,
      serviceAccount: { name: this.serviceAccountName, create: this.createsServiceAccount },
      ...(this.tailscale ? { sidecar: this.tailscale._sidecarIr() } : {}),
    };
    return [{ kind: 'workload', value }];
  }
}
