import { KUBERNETES_CODES } from '../../constructs/kubernetes/codes';
import type { Diagnostic } from '../../core/diagnostics';
import { CORE_CODES, diag } from '../../core/errors';
import type { StackIr } from '../types';

/**
 * TN3080: OAuth client secrets and workload identity federation are Tailscale API trust credentials; Headscale has
 * neither (facts/kubernetes-headscale.md §2.5: `?ephemeral=` parameters and `TS_CLIENT_ID`/WIF rely on the Tailscale
 * API). TN3082: Tailscale Services are a feature of Tailscale's control plane as well.
 */
export function authMethodsNeedTailscale(ir: StackIr): Diagnostic[] {
  if (ir.controlServer.kind !== 'headscale') return [];
  const hint = 'log in with a Headscale pre-auth key (AuthKey.sops/agenix/file, or a generated key on Kubernetes)';
  const hosts = ir.nixos.hosts
    .filter((h) => h.tailscale.authKeyParameters)
    .map((h) =>
      diag(
        KUBERNETES_CODES.authNeedsTailscaleApi,
        h.source.path,
        `authKey: host "${h.name}" logs in with an OAuth client secret, which Headscale does not issue or accept`,
        hint,
      ),
    );
  const sidecars = ir.kubernetes.workloads.flatMap((w) => {
    const s = w.sidecar;
    if (!s || s.authMethod === 'authKey') return [];
    const what = s.authMethod === 'oauthClient' ? 'an OAuth client secret' : 'workload identity federation';
    return [
      diag(
        KUBERNETES_CODES.authNeedsTailscaleApi,
        s.source.path,
        `authKey: the sidecar of "${w.name}" logs in with ${what}, a Tailscale API credential Headscale does not have`,
        hint,
      ),
    ];
  });
  const services = ir.services.map((s) =>
    diag(
      KUBERNETES_CODES.servicesNeedTailscale,
      s.source.path,
      `${s.name}: Tailscale Services are a feature of Tailscale's control plane, and this stack uses Headscale`,
      'reach the service on its host name instead (e.g. NginxProxy with Reach.port)',
    ),
  );
  return [...hosts, ...sidecars, ...services];
}

/** TN1013: two TailscaleService constructs with one name would fight over one `tailscale_service`. */
export function duplicateServices(ir: StackIr): Diagnostic[] {
  const first = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const s of ir.services) {
    const earlier = first.get(s.name);
    if (earlier === undefined) {
      first.set(s.name, s.source.path);
      continue;
    }
    out.push({
      ...diag(
        CORE_CODES.duplicateName,
        s.source.path,
        `${s.name} is declared twice`,
        'declare the Service once and let every host join it',
      ),
      related: [{ path: earlier, message: 'first declared here' }],
    });
  }
  return out;
}
