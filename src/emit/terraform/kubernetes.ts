// Submodule imports only: the package index loads every resource class and takes seconds.

import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { type TerraformStack, TerraformVariable } from 'cdktf';
import { terraformId } from '../../core/names';
import type { AuthKeyIr, FederatedIdentityIr, OperatorIr, WorkloadIr } from '../../ir/kubernetes';
import type { StackIr } from '../../ir/types';
import { commonLabels, sidecarRbacName, sidecarRoleRules } from '../kubernetes/rbac';
import { TailscaleFederatedIdentity, TailscaleOauthClient, TailscaleTailnetKey } from './l1/keys';

/**
 * The Kubernetes part of a stack's Terraform (@cdktf/provider-kubernetes, hashicorp/kubernetes 2.38): the sidecars'
 * RBAC objects and, on Tailscale's control plane, one `tailscale_tailnet_key` per generated key written into a
 * `kubernetes_secret_v1` (its `data` is sensitive in the provider, and nothing outputs it), plus the operator's
 * OAuth client and Secret. With Headscale only the RBAC objects remain: Headscale has no Tailscale API, so its
 * keys come from headscale/bootstrap.sh.
 */

/** Scopes the operator's OAuth client needs to mint proxy auth keys and manage devices (KB 1236). */
const OPERATOR_OAUTH_SCOPES = ['auth_keys', 'devices:core'];

export function hasKubernetesTerraform(ir: StackIr): boolean {
  const k = ir.kubernetes;
  const operatorClient = ir.controlServer.kind === 'tailscale' && k.operators.some((o) => o.manageOAuthClient);
  return k.workloads.some((w) => w.sidecar) || operatorClient;
}

export function addKubernetesTerraform(ir: StackIr, stack: TerraformStack): void {
  if (!hasKubernetesTerraform(ir)) return;
  addProvider(stack);
  for (const w of ir.kubernetes.workloads.filter((x) => x.sidecar)) addRbac(stack, w);
  if (ir.controlServer.kind !== 'tailscale') return;
  for (const k of ir.kubernetes.authKeys) addAuthKey(stack, k);
  for (const f of ir.kubernetes.federatedIdentities) addFederatedIdentity(stack, f);
  const operator = ir.kubernetes.operators[0];
  if (operator?.manageOAuthClient) addOperatorClient(stack, operator, ir.kubernetes.serviceIngresses.length > 0);
}

/** Cluster credentials from variables: a kubeconfig path and context, never inline certificates or tokens. */
function addProvider(stack: TerraformStack): void {
  const configPath = new TerraformVariable(stack, 'kubernetes_config_path', {
    type: 'string',
    description: 'kubeconfig file of the cluster the sidecars run in',
    default: '~/.kube/config',
    nullable: false,
  });
  const configContext = new TerraformVariable(stack, 'kubernetes_config_context', {
    type: 'string',
    description: 'kubeconfig context to use; empty for the current context',
    default: '',
    nullable: false,
  });
  new KubernetesProvider(stack, 'kubernetes', {
    configPath: configPath.stringValue,
    configContext: configContext.stringValue,
  });
}

function metadata(w: WorkloadIr, name: string) {
  return { name, namespace: w.namespace, labels: commonLabels(w) };
}

function addRbac(stack: TerraformStack, w: WorkloadIr): void {
  const id = terraformId(`${w.namespace}_${w.name}`);
  const name = sidecarRbacName(w);
  if (w.serviceAccount.create) {
    new ServiceAccountV1(stack, `${id}_service_account`, { metadata: metadata(w, w.serviceAccount.name) });
  }
  new RoleV1(stack, `${id}_role`, {
    metadata: metadata(w, name),
    rule: sidecarRoleRules(w).map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      verbs: [...r.verbs],
    })),
  });
  new RoleBindingV1(stack, `${id}_role_binding`, {
    metadata: metadata(w, name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subject: [{ kind: 'ServiceAccount', name: w.serviceAccount.name, namespace: w.namespace }],
  });
}

/** The API allows 50 letters, digits, spaces and hyphens in a key description (facts tailscale-api §2.3). */
function keyDescription(k: AuthKeyIr): string {
  return `${k.namespace} ${k.workload} sidecar`.replace(/[^A-Za-z0-9 -]/g, '-').slice(0, 50);
}

function addAuthKey(stack: TerraformStack, k: AuthKeyIr): void {
  const id = terraformId(`${k.namespace}_${k.secretName}`);
  const key = new TailscaleTailnetKey(stack, `${id}_key`, {
    reusable: k.reusable,
    ephemeral: k.ephemeral,
    preauthorized: k.preauthorized,
    tags: [...k.tags],
    expiry: k.expirySeconds,
    description: keyDescription(k),
  });
  workloadSecret(stack, id, k, key.key);
}

/** The Secret a sidecar reads its credential from, labelled as ours and as part of its workload. */
function workloadSecret(
  stack: TerraformStack,
  id: string,
  s: { readonly secretName: string; readonly namespace: string; readonly workload: string; readonly secretKey: string },
  value: string,
): void {
  new SecretV1(stack, `${id}_secret`, {
    metadata: {
      name: s.secretName,
      namespace: s.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'tailnet-cdk', 'app.kubernetes.io/part-of': s.workload },
    },
    type: 'Opaque',
    data: { [s.secretKey]: value },
  });
}

/** The operator's OAuth client, minted by Terraform and handed over in the Secret the chart reads (facts §3.3). */
function addOperatorClient(stack: TerraformStack, o: OperatorIr, services: boolean): void {
  const namespace = new NamespaceV1(stack, 'tailscale_operator_namespace', { metadata: { name: o.namespace } });
  const client = new TailscaleOauthClient(stack, 'tailscale_operator_oauth_client', {
    // Tailscale Services on ProxyGroups are created through the API's services scope (KB 1236)
    scopes: [...OPERATOR_OAUTH_SCOPES, ...(services ? ['services'] : [])],
    tags: [...o.tags],
    description: 'tailscale-operator',
  });
  new SecretV1(stack, 'tailscale_operator_oauth_secret', {
    metadata: {
      name: o.oauthSecretName,
      namespace: o.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'tailnet-cdk' },
    },
    type: 'Opaque',
    data: { client_id: client.id, client_secret: client.key },
    dependsOn: [namespace],
  });
}

/**
 * Workload identity federation of a sidecar: the federated identity trusts exactly the pod's service account
 * (`system:serviceaccount:<ns>:<name>`, the `sub` of Kubernetes tokens) for the projected token's audience, may
 * mint auth keys with the sidecar's tags, and its client ID (not a secret, but only known after apply) goes into
 * the Secret the pod reads `TS_CLIENT_ID` from.
 */
function addFederatedIdentity(stack: TerraformStack, f: FederatedIdentityIr): void {
  const id = terraformId(`${f.namespace}_${f.secretName}`);
  const identity = new TailscaleFederatedIdentity(stack, `${id}_federated_identity`, {
    issuer: f.issuer,
    subject: `system:serviceaccount:${f.namespace}:${f.serviceAccount}`,
    audience: f.audience,
    scopes: ['auth_keys'],
    tags: [...f.tags],
    description: `${f.namespace} ${f.workload} sidecar`.replace(/[^A-Za-z0-9 -]/g, '-').slice(0, 50),
  });
  workloadSecret(stack, id, f, identity.id);
}
