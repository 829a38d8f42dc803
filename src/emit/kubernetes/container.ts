import type { ControlServerIr } from '../../ir/control-server';
import type { SidecarIr, WorkloadIr } from '../../ir/kubernetes';

/**
 * The sidecar container and the pod-spec additions it needs, as plain Kubernetes objects. Environment variables
 * and their meaning: facts/kubernetes-headscale.md §1.2 (containerboot v1.102.3), layout after §2.3, §2.4, §2.7.
 */

export type EnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly valueFrom: Record<string, unknown> };

type K8sObject = Record<string, unknown>;

export const SIDECAR_CONTAINER = 'tailscale';
export const HEALTH_PORT = 9002;
const SERVE_DIR = '/etc/tailscale/serve';
const STATE_DIR = '/var/lib/tailscale';

const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
const plain = (name: string, value: string): EnvVar => ({ name, value });

/** ConfigMap holding the serve config of a workload (mounted at /etc/tailscale/serve). */
export function serveConfigMapName(w: WorkloadIr): string {
  return `${w.name}-tailscale-serve`;
}

/** The control server URL the sidecar logs in to, when it is not Tailscale's default. */
export function loginServer(control: ControlServerIr): string | undefined {
  return control.kind === 'headscale' ? control.url : undefined;
}

/** `TS_EXTRA_ARGS`: containerboot has no login-server variable, so Headscale's URL goes here (facts §2.5). */
function extraArgs(s: SidecarIr, control: ControlServerIr): string {
  const server = loginServer(control);
  return [
    ...(server ? [`--login-server=${server}`] : []),
    ...(s.tags.length > 0 ? [`--advertise-tags=${s.tags.join(',')}`] : []),
    ...s.extraArgs,
  ].join(' ');
}

/** TS_KUBE_SECRET (+ TS_STATE_DIR): one Secret per pod, never shared (facts §2.6). */
function stateEnv(s: SidecarIr): EnvVar[] {
  if (s.state.kind === 'emptyDir') return [plain('TS_KUBE_SECRET', ''), plain('TS_STATE_DIR', STATE_DIR)];
  if (s.state.perPod) return [fieldRef('TS_KUBE_SECRET', 'metadata.name')];
  return [plain('TS_KUBE_SECRET', s.state.secretNames[0])];
}

function sidecarEnv(s: SidecarIr, control: ControlServerIr): EnvVar[] {
  const bool = (b: boolean) => (b ? 'true' : 'false');
  const args = extraArgs(s, control);
  return [
    ...stateEnv(s),
    plain('TS_USERSPACE', bool(s.userspace)),
    // The reference kernel-mode sidecar pins the firewall detection (facts §1.2, docs/k8s/sidecar.yaml).
    ...(s.userspace ? [] : [plain('TS_DEBUG_FIREWALL_MODE', 'auto')]),
    s.hostname !== undefined ? plain('TS_HOSTNAME', s.hostname) : fieldRef('TS_HOSTNAME', 'metadata.name'),
    plain('TS_AUTH_ONCE', bool(s.authOnce)),
    plain('TS_ACCEPT_DNS', bool(s.acceptDns)),
    ...(args ? [plain('TS_EXTRA_ARGS', args)] : []),
    ...(s.routes.length > 0 ? [plain('TS_ROUTES', s.routes.join(','))] : []),
    ...(s.serveConfig !== undefined ? [plain('TS_SERVE_CONFIG', `${SERVE_DIR}/serve.json`)] : []),
    ...(s.socks5Server ? [plain('TS_SOCKS5_SERVER', s.socks5Server)] : []),
    ...(s.outboundHttpProxy ? [plain('TS_OUTBOUND_HTTP_PROXY_LISTEN', s.outboundHttpProxy)] : []),
    ...(s.healthCheck
      ? [plain('TS_ENABLE_HEALTH_CHECK', 'true'), plain('TS_LOCAL_ADDR_PORT', `[::]:${HEALTH_PORT}`)]
      : []),
    ...authEnv(s),
    // With POD_NAME and POD_UID containerboot records pod_uid and emits Events to the pod (facts §1.5).
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_UID', 'metadata.uid'),
  ];
}

/**
 * TS_AUTHKEY from a secretKeyRef. Not `optional` (unlike the upstream recipe): a missing Secret then holds the pod
 * in CreateContainerConfigError until Terraform or bootstrap.sh creates it, instead of silently waiting for an
 * interactive login nobody sees.
 */
function authKeyEnv(s: SidecarIr, name = 'TS_AUTHKEY'): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: s.authKey.name, key: s.authKey.key, optional: false } } };
}

/** Where the projected service-account token for workload identity is mounted. */
const ID_TOKEN_DIR = '/var/run/secrets/tailscale/serviceaccount';
const OAUTH_SECRET_VAR = 'TAILSCALE_OAUTH_CLIENT_SECRET';

/**
 * The login variables of the sidecar's auth method (facts §1.2, tailscale-api §1):
 * - an OAuth client secret is used as the auth key with key parameters appended, through Kubernetes' `$(VAR)`
 *   expansion of an earlier variable, so the secret stays in its Secret; `--advertise-tags` is in TS_EXTRA_ARGS;
 * - workload identity: `TS_CLIENT_ID` (from the Secret Terraform writes) and `TS_ID_TOKEN=file:` the projected
 *   service-account token (containerboot ≥ 1.94 passes them to `tailscale up --client-id --id-token`).
 */
function authEnv(s: SidecarIr): EnvVar[] {
  switch (s.authMethod) {
    case 'oauthClient': {
      const p = s.oauthParameters ?? { ephemeral: false, preauthorized: true };
      return [
        authKeyEnv(s, OAUTH_SECRET_VAR),
        plain('TS_AUTHKEY', `$(${OAUTH_SECRET_VAR})?ephemeral=${p.ephemeral}&preauthorized=${p.preauthorized}`),
      ];
    }
    case 'workloadIdentity':
      return [authKeyEnv(s, 'TS_CLIENT_ID'), plain('TS_ID_TOKEN', `file:${ID_TOKEN_DIR}/token`)];
    default:
      return [authKeyEnv(s)];
  }
}

/** Userspace needs no privileges (§2.4); kernel mode needs `privileged` since runc 1.2 (§2.3, tailscale#14256). */
export function securityContext(s: SidecarIr): K8sObject {
  if (!s.userspace) return { privileged: true };
  return {
    runAsUser: 1000,
    runAsGroup: 1000,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  };
}

/** The full sidecar container, as a chart renders it with `toYaml` and `kubectl patch` merges it by name. */
export function sidecarContainer(s: SidecarIr, control: ControlServerIr): K8sObject {
  const mounts = [
    ...(s.serveConfig !== undefined ? [{ name: 'tailscale-serve', mountPath: SERVE_DIR, readOnly: true }] : []),
    ...(s.state.kind === 'emptyDir' ? [{ name: 'tailscale-state', mountPath: STATE_DIR }] : []),
    ...(s.authMethod === 'workloadIdentity'
      ? [{ name: 'tailscale-id-token', mountPath: ID_TOKEN_DIR, readOnly: true }]
      : []),
  ];
  return {
    name: SIDECAR_CONTAINER,
    image: s.image,
    imagePullPolicy: s.imagePullPolicy,
    env: sidecarEnv(s, control),
    resources: s.resources,
    securityContext: securityContext(s),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    ...(s.healthCheck ? healthProbe() : {}),
  };
}

/**
 * `/healthz` answers 200 once the node has a tailnet IP (facts §1.2). A liveness probe restarts only the sidecar
 * after a long loss; there is deliberately no readiness probe, so in-cluster traffic to the app never depends on
 * the tailnet.
 */
function healthProbe(): K8sObject {
  return {
    ports: [{ name: 'ts-health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
    livenessProbe: {
      httpGet: { path: '/healthz', port: HEALTH_PORT },
      initialDelaySeconds: 60,
      periodSeconds: 30,
      failureThreshold: 4,
      timeoutSeconds: 5,
    },
  };
}

/** Kernel-mode routing needs IP forwarding, set by a privileged init container as in docs/k8s/proxy.yaml (§2.3). */
function forwardingInitContainer(s: SidecarIr): K8sObject {
  return {
    name: 'tailscale-sysctl',
    image: s.image,
    imagePullPolicy: s.imagePullPolicy,
    command: ['/bin/sh', '-c', 'sysctl -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1'],
    securityContext: { privileged: true },
  };
}

/** Everything the sidecar adds to `spec.template.spec` of the workload. */
export function podSpecAdditions(w: WorkloadIr, s: SidecarIr, control: ControlServerIr): K8sObject {
  const volumes = [
    ...(s.serveConfig !== undefined ? [{ name: 'tailscale-serve', configMap: { name: serveConfigMapName(w) } }] : []),
    ...(s.state.kind === 'emptyDir' ? [{ name: 'tailscale-state', emptyDir: {} }] : []),
    ...(s.authMethod === 'workloadIdentity' ? [idTokenVolume(s)] : []),
  ];
  const needsForwarding = !s.userspace && s.routes.length > 0;
  return {
    serviceAccountName: w.serviceAccount.name,
    containers: [sidecarContainer(s, control)],
    ...(needsForwarding ? { initContainers: [forwardingInitContainer(s)] } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
  };
}

/** A service-account token for the federated identity's audience; the kubelet renews it before it expires. */
function idTokenVolume(s: SidecarIr): K8sObject {
  const audience = s.idTokenAudience ?? 'tailscale';
  return {
    name: 'tailscale-id-token',
    projected: { sources: [{ serviceAccountToken: { audience, expirationSeconds: 3600, path: 'token' } }] },
  };
}
