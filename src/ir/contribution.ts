import { hasBrand } from '../core/brand';
import type {
  AuthKeyIr,
  ConnectorIr,
  ExposedServiceIr,
  FederatedIdentityIr,
  OperatorIr,
  ProxyClassIr,
  ServiceIngressIr,
  WorkloadIr,
} from './kubernetes';
import type { MonitoringIr, NixosHostIr } from './nixos';
import type { TailscaleServiceIr } from './services';
import type { SshHostIr } from './ssh-config';
import type { SystemdUnitIr } from './systemd';
import type {
  AclIr,
  AutoApproverIr,
  DeviceIr,
  GrantIr,
  Group,
  Host,
  IpSet,
  NodeAttrIr,
  PolicyTestIr,
  Posture,
  SshRuleIr,
  SshTestIr,
  TagOwner,
} from './types';
import type { WireguardPeerIr } from './wireguard';

/** What one construct contributes to the IR when lowered. The lowering driver gathers and sorts them. */
export type IrContribution =
  | { readonly kind: 'group'; readonly value: Group }
  | { readonly kind: 'tagOwner'; readonly value: TagOwner }
  | { readonly kind: 'host'; readonly value: Host }
  | { readonly kind: 'ipset'; readonly value: IpSet }
  | { readonly kind: 'posture'; readonly value: Posture }
  | { readonly kind: 'grant'; readonly value: GrantIr }
  | { readonly kind: 'acl'; readonly value: AclIr }
  | { readonly kind: 'ssh'; readonly value: SshRuleIr }
  | { readonly kind: 'nodeAttr'; readonly value: NodeAttrIr }
  | { readonly kind: 'autoApprover'; readonly value: AutoApproverIr }
  | { readonly kind: 'test'; readonly value: PolicyTestIr }
  | { readonly kind: 'sshTest'; readonly value: SshTestIr }
  | { readonly kind: 'device'; readonly value: DeviceIr }
  | { readonly kind: 'workload'; readonly value: WorkloadIr }
  | { readonly kind: 'authKey'; readonly value: AuthKeyIr }
  | { readonly kind: 'operator'; readonly value: OperatorIr }
  | { readonly kind: 'proxyClass'; readonly value: ProxyClassIr }
  | { readonly kind: 'connector'; readonly value: ConnectorIr }
  | { readonly kind: 'exposedService'; readonly value: ExposedServiceIr }
  | { readonly kind: 'nixosHost'; readonly value: NixosHostIr }
  | { readonly kind: 'nixosMonitoring'; readonly value: MonitoringIr }
  | { readonly kind: 'sshHost'; readonly value: SshHostIr }
  | { readonly kind: 'systemdUnit'; readonly value: SystemdUnitIr }
  | { readonly kind: 'wireguardPeer'; readonly value: WireguardPeerIr }
  | { readonly kind: 'tailscaleService'; readonly value: TailscaleServiceIr }
  | { readonly kind: 'federatedIdentity'; readonly value: FederatedIdentityIr }
  | { readonly kind: 'serviceIngress'; readonly value: ServiceIngressIr };

export type IrContributionKind = IrContribution['kind'];

/** Implemented by every construct that lowers to the IR. */
export interface ILowerable {
  /** @internal */
  _lower(): IrContribution[];
}

const LOWERABLE = Symbol.for('tailnet-cdk.lowerable');

export function markLowerable(x: object): void {
  Object.defineProperty(x, LOWERABLE, { value: true, enumerable: false });
}

export function isLowerable(x: unknown): x is ILowerable {
  return hasBrand(x, LOWERABLE);
}
