import type { WorkloadIr } from '../../ir/kubernetes';

/**
 * RBAC of a Tailscale sidecar, exactly the verbs of the upstream recipe (facts §2.1, docs/k8s/role.yaml):
 * `create` on secrets (it cannot be restricted to a name), `get`/`update`/`patch` on the state Secret(s) — get and
 * update are required by containerboot's access check, patch lets it delete the used auth key (§1.5) — and
 * `get`/`create`/`patch` on events. With emptyDir state no Secret is touched, so only the events rule remains.
 */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

export function sidecarRbacName(w: WorkloadIr): string {
  return `${w.name}-tailscale`;
}

export function sidecarRoleRules(w: WorkloadIr): PolicyRule[] {
  const state = w.sidecar?.state;
  // An empty resourceNames list would mean every Secret of the namespace: no names (0 replicas), no rule.
  const secretRules: PolicyRule[] =
    state?.kind === 'kubeSecret' && state.secretNames.length > 0
      ? [
          { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: state.secretNames,
            verbs: ['get', 'update', 'patch'],
          },
        ]
      : [];
  return [...secretRules, { apiGroups: [''], resources: ['events'], verbs: ['get', 'create', 'patch'] }];
}

export function commonLabels(w: WorkloadIr): Record<string, string> {
  return {
    'app.kubernetes.io/component': 'tailscale',
    'app.kubernetes.io/managed-by': 'tailnet-cdk',
    'app.kubernetes.io/part-of': w.name,
  };
}

function metadata(w: WorkloadIr, name: string): Record<string, unknown> {
  return { name, namespace: w.namespace, labels: commonLabels(w) };
}

/** ServiceAccount (unless the workload brings its own), Role and RoleBinding as manifests. */
export function sidecarRbacObjects(w: WorkloadIr): Record<string, unknown>[] {
  const name = sidecarRbacName(w);
  const serviceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(w, w.serviceAccount.name) };
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: metadata(w, name),
    rules: sidecarRoleRules(w),
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: metadata(w, name),
    subjects: [{ kind: 'ServiceAccount', name: w.serviceAccount.name, namespace: w.namespace }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
  };
  return [...(w.serviceAccount.create ? [serviceAccount] : []), role, binding];
}
