import { KUBERNETES_CODES } from '../../constructs/kubernetes/codes';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import type { WorkloadIr } from '../kubernetes';
import type { StackIr } from '../types';

/** Cross-construct checks of the Kubernetes part of a stack (phase 4). */

/** Tailscale's API caps an auth key's life at 90 days (admin console and `expirySeconds`, facts tailscale-api §2.3). */
const TAILSCALE_MAX_KEY_SECONDS = 90 * 86400;

const related = (path: string, message: string) => [{ path, message }];

/** TN3016 same name twice in a namespace; TN3006 one workload name in two namespaces (Helm values, hostnames clash). */
export function workloadPlacement(ir: StackIr): Diagnostic[] {
  const first = new Map<string, WorkloadIr>();
  const out: Diagnostic[] = [];
  for (const w of ir.kubernetes.workloads) {
    const earlier = first.get(w.name);
    if (!earlier) {
      first.set(w.name, w);
    } else if (earlier.namespace === w.namespace) {
      out.push({
        ...diag(
          KUBERNETES_CODES.duplicateWorkload,
          w.source.path,
          `workload "${w.namespace}/${w.name}" is declared twice`,
          'rename one of them',
        ),
        related: related(earlier.source.path, 'first declared here'),
      });
    } else {
      out.push({
        ...diag(
          KUBERNETES_CODES.workloadInTwoNamespaces,
          w.source.path,
          `workload "${w.name}" is declared in namespaces "${earlier.namespace}" and "${w.namespace}"`,
          'one workload lives in one namespace: its Helm values, Secrets and tailnet hostname are keyed by its name; rename one',
        ),
        related: related(earlier.source.path, `declared in namespace "${earlier.namespace}" here`),
      });
    }
  }
  return out;
}

/** TN3003 / TN3015: every secretKeyRef must point at a key the stack produces, in the pod's own namespace. */
export function secretReferences(ir: StackIr): Diagnostic[] {
  // On Tailscale's control plane generated keys are Terraform resources: without Terraform nothing produces them.
  const producing = ir.controlServer.kind === 'headscale' || ir.terraform.enabled;
  const keys = producing ? ir.kubernetes.authKeys : [];
  // federated identities' client IDs come from Terraform on Tailscale only (Headscale is reported: TN3080)
  const identities =
    ir.terraform.enabled && ir.controlServer.kind === 'tailscale' ? ir.kubernetes.federatedIdentities : [];
  const produced = [...keys, ...identities].map((k) => ({ ns: k.namespace, name: k.secretName, key: k.secretKey }));
  const out: Diagnostic[] = producing ? [] : operatorSecretUnproduced(ir);
  for (const w of ir.kubernetes.workloads) {
    const ref = w.sidecar?.authKey;
    if (!w.sidecar || !ref || ref.external) continue;
    const same = produced.filter((p) => p.name === ref.name && p.key === ref.key);
    if (same.some((p) => p.ns === w.namespace)) continue;
    const elsewhere = same.find((p) => p.ns !== w.namespace);
    out.push(
      elsewhere
        ? diag(
            KUBERNETES_CODES.secretInOtherNamespace,
            w.sidecar.source.path,
            `authKey: secret "${ref.name}" is produced in namespace "${elsewhere.ns}", but the pod runs in "${w.namespace}"`,
            'a secretKeyRef cannot cross namespaces: let this sidecar generate its own key',
          )
        : diag(
            KUBERNETES_CODES.unknownSecretRef,
            w.sidecar.source.path,
            `authKey: no construct produces key "${ref.key}" of secret "${ref.name}" in namespace "${w.namespace}"`,
            producing
              ? `reference another sidecar's authKeyRef, or declare a Secret you manage with SecretKeyRef.external("${ref.name}", "${ref.key}")`
              : `generated keys come from Terraform, which this stack turns off: enable it, or use SecretKeyRef.external("${ref.name}", "${ref.key}")`,
          ),
    );
  }
  return out;
}

/** TN3003: the operator's OAuth Secret is Terraform's to create; with Terraform off nothing does. */
function operatorSecretUnproduced(ir: StackIr): Diagnostic[] {
  return ir.kubernetes.operators
    .filter((o) => o.manageOAuthClient)
    .map((o) =>
      diag(
        KUBERNETES_CODES.unknownSecretRef,
        o.source.path,
        `manageOAuthClient: Terraform is turned off, so nothing creates secret "${o.oauthSecretName}" in namespace "${o.namespace}"`,
        'enable Terraform, or give manageOAuthClient: false and create the Secret (client_id, client_secret) yourself',
      ),
    );
}

/** TN3007: two workloads naming the same state Secret would clone one machine key. */
export function sharedStateSecrets(ir: StackIr): Diagnostic[] {
  const owners = new Map<string, WorkloadIr>();
  const out: Diagnostic[] = [];
  for (const w of ir.kubernetes.workloads) {
    const state = w.sidecar?.state;
    if (state?.kind !== 'kubeSecret') continue;
    for (const name of state.secretNames) {
      const key = `${w.namespace}/${name}`;
      const earlier = owners.get(key);
      if (!earlier) {
        owners.set(key, w);
        continue;
      }
      out.push({
        ...diag(
          KUBERNETES_CODES.sharedStateSecret,
          w.sidecar!.source.path,
          `state secret "${key}" is already used by workload "${earlier.name}"`,
          'every pod needs its own state Secret (tailscale/tailscale#4837): give stateSecretName',
        ),
        related: related(earlier.source.path, 'uses it first'),
      });
    }
  }
  return out;
}

/** TN3014 (keys longer than Tailscale allows), TN3013 (HTTPS serve handlers Headscale cannot back). */
export function controlServerLimits(ir: StackIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (ir.controlServer.kind === 'tailscale') {
    for (const k of ir.kubernetes.authKeys.filter((k) => k.expirySeconds > TAILSCALE_MAX_KEY_SECONDS)) {
      out.push(
        diag(
          KUBERNETES_CODES.keyExpiryTooLong,
          k.source.path,
          `authKey.expiryDays: ${k.expirySeconds / 86400} days is more than the 90 days Tailscale allows`,
          'give expiryDays: 90 or less; Terraform re-creates reusable keys once they expire',
        ),
      );
    }
    return out;
  }
  for (const w of ir.kubernetes.workloads) {
    if (w.sidecar?.serveConfig !== undefined && /"HTTPS"\s*:\s*true/.test(JSON.stringify(w.sidecar.serveConfig))) {
      out.push(
        diag(
          KUBERNETES_CODES.serveHttpsSkipped,
          w.sidecar.source.path,
          'serve: HTTPS handlers are skipped by containerboot with Headscale, which issues no certificates',
          'serve plain TCP/HTTP, or terminate TLS in the app (facts §2.5)',
        ),
      );
    }
  }
  return out;
}

/** TN3011 operator on Headscale, TN3021 two operators, TN3018 proxy tags the operator cannot apply. */
export function operatorRules(ir: StackIr): Diagnostic[] {
  const [first, ...rest] = ir.kubernetes.operators;
  if (!first) return [];
  const out = rest.map((o) =>
    diag(
      KUBERNETES_CODES.duplicateOperator,
      o.source.path,
      'a stack installs one Tailscale operator',
      'keep one TailscaleOperator per stack (one per cluster)',
    ),
  );
  if (ir.controlServer.kind === 'headscale') {
    out.push(
      diag(
        KUBERNETES_CODES.operatorNeedsTailscale,
        first.source.path,
        'the Tailscale operator needs the Tailscale API (OAuth clients, /api/v2), which Headscale does not offer',
        'use TailscaleSidecar on KubernetesWorkload with Headscale (facts §3.5, juanfont/headscale#2442)',
      ),
    );
    return out;
  }
  const owners = new Map(ir.policy.tagOwners.map((t) => [t.name.toLowerCase(), t.owners]));
  const applied = [
    ...first.proxyTags.map((tag) => ({ tag, path: first.source.path })),
    ...ir.kubernetes.connectors.flatMap((c) => c.tags.map((tag) => ({ tag, path: c.source.path }))),
    ...ir.kubernetes.exposedServices.flatMap((s) => s.tags.map((tag) => ({ tag, path: s.source.path }))),
  ];
  for (const { tag, path } of applied) {
    const tagOwners = owners.get(tag.toLowerCase());
    if (tagOwners === undefined || first.tags.some((t) => tagOwners.includes(t))) continue;
    out.push(
      diag(
        KUBERNETES_CODES.operatorTagOwner,
        path,
        `tag "${tag}" is not owned by the operator's tags (${first.tags.join(', ')}), so its proxies cannot use it`,
        `add the operator tag to the owners of ${tag} (facts §3.4)`,
      ),
    );
  }
  return out;
}
