import { z } from 'zod';
import { compareStrings } from '../core/diagnostics';

/**
 * IR of the Kubernetes artifact family: workloads with Tailscale sidecars, the auth keys they log in with, and the
 * Tailscale operator's objects. Plain data; every node has `source.path`. Lists are sorted where their order has no
 * meaning (each says by what); `extraArgs` keeps declaration order because `tailscale up` reads it in order.
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();
const strings = z.array(z.string()).readonly();
const quantities = z.record(z.string(), z.string()).readonly();

export const SecretKeyRefSchema = z
  .object({
    name: z.string(),
    key: z.string(),
    /** declared as managed outside this stack (`SecretKeyRef.external`), so no construct needs to produce it */
    external: z.boolean(),
  })
  .readonly();

export const ResourcesSchema = z.object({ requests: quantities, limits: quantities }).readonly();

/** Where tailscaled keeps its state (facts §1.3, §2.6). */
export const SidecarStateSchema = z.discriminatedUnion('kind', [
  /** one Secret per pod: a fixed name (single-pod Deployment) or the pod name (StatefulSet) */
  z
    .object({ kind: z.literal('kubeSecret'), perPod: z.boolean(), secretNames: strings })
    .readonly(),
  /** `TS_KUBE_SECRET=""` + `TS_STATE_DIR` on an emptyDir: a new device whenever a pod is replaced */
  z
    .object({ kind: z.literal('emptyDir') })
    .readonly(),
]);

export const SidecarSchema = z
  .object({
    source: SourceSchema,
    /** fixed TS_HOSTNAME, or absent when each pod uses its own name (StatefulSet with several replicas) */
    hostname: z.string().optional(),
    /** sorted */
    tags: strings,
    userspace: z.boolean(),
    image: z.string(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']),
    resources: ResourcesSchema,
    acceptDns: z.boolean(),
    /** sorted */
    routes: strings,
    serveConfig: z.unknown().optional(),
    healthCheck: z.boolean(),
    authOnce: z.boolean(),
    state: SidecarStateSchema,
    /** the Secret key holding the auth key, the OAuth client secret or the federated identity's client ID */
    authKey: SecretKeyRefSchema,
    /** how `authKey` is used: `TS_AUTHKEY`, an OAuth secret with key parameters, or `TS_CLIENT_ID` + `TS_ID_TOKEN` */
    authMethod: z.enum(['authKey', 'oauthClient', 'workloadIdentity']).default('authKey'),
    oauthParameters: z.object({ ephemeral: z.boolean(), preauthorized: z.boolean() }).readonly().optional(),
    /** audience of the projected service-account token (workload identity) */
    idTokenAudience: z.string().optional(),
    socks5Server: z.string().optional(),
    outboundHttpProxy: z.string().optional(),
    /** declaration order (passed to `tailscale up` as given) */
    extraArgs: strings,
  })
  .readonly();

/** Workloads: sorted by (namespace, name). */
export const WorkloadSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    namespace: z.string(),
    kind: z.enum(['Deployment', 'StatefulSet']),
    replicas: z.number().int(),
    serviceAccount: z.object({ name: z.string(), create: z.boolean() }).readonly(),
    sidecar: SidecarSchema.optional(),
  })
  .readonly();

/** Auth keys the stack produces (Terraform on Tailscale, bootstrap.sh on Headscale): sorted by (namespace, secret). */
export const AuthKeySchema = z
  .object({
    source: SourceSchema,
    namespace: z.string(),
    secretName: z.string(),
    secretKey: z.string(),
    /** the workload the key is for, named in descriptions */
    workload: z.string(),
    reusable: z.boolean(),
    ephemeral: z.boolean(),
    preauthorized: z.boolean(),
    expirySeconds: z.number().int(),
    /** sorted */
    tags: strings,
    /** Headscale user owning the key (needed by Headscale < 0.28, facts §4.2) */
    user: z.string(),
  })
  .readonly();

/**
 * Workload identity federation of a sidecar: Terraform creates the `tailscale_federated_identity` trusting the
 * pod's service account and writes its client ID into a Secret. Sorted by (namespace, secret).
 */
export const FederatedIdentitySchema = z
  .object({
    source: SourceSchema,
    namespace: z.string(),
    workload: z.string(),
    serviceAccount: z.string(),
    secretName: z.string(),
    secretKey: z.string(),
    issuer: z.string(),
    audience: z.string(),
    /** sorted */
    tags: strings,
  })
  .readonly();

/** Tailscale Services hosted by an ingress ProxyGroup of the operator: sorted by (namespace, hostname). */
export const ServiceIngressSchema = z
  .object({
    source: SourceSchema,
    namespace: z.string(),
    /** `svc:<label>` */
    service: z.string(),
    /** the label: Ingress name and TLS host */
    hostname: z.string(),
    /** sorted; `tailscale.com/tags` of the Service */
    serviceTags: strings,
    proxyGroup: z.string(),
    /** sorted */
    proxyGroupTags: strings,
    replicas: z.number().int(),
    backend: z.object({ service: z.string(), port: z.number().int() }).readonly(),
  })
  .readonly();

export const OperatorSchema = z
  .object({
    source: SourceSchema,
    namespace: z.string(),
    hostname: z.string(),
    /** sorted */
    tags: strings,
    /** sorted */
    proxyTags: strings,
    oauthSecretName: z.string(),
    manageOAuthClient: z.boolean(),
    image: z.object({ repository: z.string(), tag: z.string() }).readonly(),
    proxyImage: z.object({ repository: z.string(), tag: z.string() }).readonly(),
    firewallMode: z.enum(['auto', 'nftables', 'iptables']),
    defaultProxyClass: z.string().optional(),
    apiServerProxy: z.enum(['false', 'true', 'noauth']),
    logging: z.enum(['info', 'debug', 'dev']),
  })
  .readonly();

/** ProxyClasses: sorted by name. */
export const ProxyClassSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    acceptRoutes: z.boolean().optional(),
    resources: ResourcesSchema.optional(),
    image: z.string().optional(),
    metrics: z.boolean(),
    /** sorted by key */
    podLabels: z.record(z.string(), z.string()).readonly(),
  })
  .readonly();

/** Connectors (subnet routers / exit nodes run by the operator): sorted by name. */
export const ConnectorSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    hostname: z.string(),
    /** sorted */
    tags: strings,
    /** sorted */
    routes: strings,
    exitNode: z.boolean(),
    proxyClass: z.string().optional(),
    replicas: z.number().int(),
  })
  .readonly();

/** Services exposed on the tailnet through operator annotations: sorted by (namespace, service). */
export const ExposedServiceSchema = z
  .object({
    source: SourceSchema,
    namespace: z.string(),
    service: z.string(),
    hostname: z.string(),
    /** sorted */
    tags: strings,
    proxyClass: z.string().optional(),
  })
  .readonly();

export const KubernetesSchema = z
  .object({
    workloads: z.array(WorkloadSchema).readonly(),
    authKeys: z.array(AuthKeySchema).readonly(),
    /** sorted by path; at most one is valid (an IR rule says so) */
    operators: z.array(OperatorSchema).readonly(),
    proxyClasses: z.array(ProxyClassSchema).readonly(),
    connectors: z.array(ConnectorSchema).readonly(),
    exposedServices: z.array(ExposedServiceSchema).readonly(),
    federatedIdentities: z.array(FederatedIdentitySchema).readonly().default([]),
    serviceIngresses: z.array(ServiceIngressSchema).readonly().default([]),
  })
  .readonly();

export type SecretKeyRefIr = z.infer<typeof SecretKeyRefSchema>;
export type ResourcesIr = z.infer<typeof ResourcesSchema>;
export type SidecarIr = z.infer<typeof SidecarSchema>;
export type WorkloadIr = z.infer<typeof WorkloadSchema>;
export type AuthKeyIr = z.infer<typeof AuthKeySchema>;
export type FederatedIdentityIr = z.infer<typeof FederatedIdentitySchema>;
export type ServiceIngressIr = z.infer<typeof ServiceIngressSchema>;
export type OperatorIr = z.infer<typeof OperatorSchema>;
export type ProxyClassIr = z.infer<typeof ProxyClassSchema>;
export type ConnectorIr = z.infer<typeof ConnectorSchema>;
export type ExposedServiceIr = z.infer<typeof ExposedServiceSchema>;
export type KubernetesIr = z.infer<typeof KubernetesSchema>;

export const EMPTY_KUBERNETES: KubernetesIr = {
  workloads: [],
  authKeys: [],
  operators: [],
  proxyClasses: [],
  connectors: [],
  exposedServices: [],
  federatedIdentities: [],
  serviceIngresses: [],
};

type Parts = { -readonly [K in keyof KubernetesIr]: KubernetesIr[K][number][] };

/** Sorts the gathered Kubernetes contributions by their documented keys (lowering, phase 3). */
export function assembleKubernetes(parts: Parts): KubernetesIr {
  const byNsName =
    <T extends { namespace: string; source: { path: string } }>(name: (x: T) => string) =>
    (a: T, b: T) =>
      compareStrings(a.namespace, b.namespace) ||
      compareStrings(name(a), name(b)) ||
      compareStrings(a.source.path, b.source.path);
  const byName = <T extends { name: string; source: { path: string } }>(a: T, b: T) =>
    compareStrings(a.name, b.name) || compareStrings(a.source.path, b.source.path);
  return {
    workloads: parts.workloads.sort(byNsName((w) => w.name)),
    authKeys: parts.authKeys.sort(byNsName((k) => k.secretName)),
    operators: parts.operators.sort((a, b) => compareStrings(a.source.path, b.source.path)),
    proxyClasses: parts.proxyClasses.sort(byName),
    connectors: parts.connectors.sort(byName),
    exposedServices: parts.exposedServices.sort(byNsName((s) => s.service)),
    federatedIdentities: parts.federatedIdentities.sort(byNsName((f) => f.secretName)),
    serviceIngresses: parts.serviceIngresses.sort(byNsName((s) => s.hostname)),
  };
}
