import { KUBERNETES_CODES } from '../../constructs/kubernetes/codes';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import { renderPolicyHujson } from '../../emit/policy';
import { validatePolicy } from '../../policy';
import type { StackIr } from '../types';
import { selectorUses } from './references';

/**
 * A Headscale stack's policy must load in Headscale (facts/kubernetes-headscale.md §4.3, tailscale-policy.md §15):
 * Headscale rejects unknown keys and features it lacks at load time, so the server would keep its old policy (or
 * not start). First a table of those features, each reported at the construct that uses it; when none is found,
 * the rendered `headscale/policy.hujson` goes through the policy engine's Headscale dialect as a second line.
 */
export const HEADSCALE_POLICY_FILE = 'headscale/policy.hujson';

/** Autogroups Headscale knows (types.go `autogroups`); role autogroups such as autogroup:admin are rejected. */
const HEADSCALE_AUTOGROUPS = new Set([
  'autogroup:member',
  'autogroup:tagged',
  'autogroup:self',
  'autogroup:internet',
  'autogroup:danger-all',
  'autogroup:nonroot',
]);

/** Policy keys with no counterpart in Headscale's `Policy` struct (strict unmarshal: "unknown field"). */
const UNSUPPORTED_SETTINGS: Record<string, string> = {
  derpMap: 'derpMap (configure DERP in config.yaml `derp` instead)',
  disableIPv4: 'disableIPv4 (use config.yaml `prefixes` instead)',
  OneCGNATRoute: 'OneCGNATRoute',
};

const HINT = 'Headscale rejects the whole policy file at load: remove the feature, or use ControlServer.tailscale()';

function unsupported(path: string, what: string, hint = HINT): Diagnostic {
  return diag(KUBERNETES_CODES.headscaleUnsupported, path, `${what} is not supported by Headscale`, hint);
}

function sectionFeatures(ir: StackIr): Diagnostic[] {
  const p = ir.policy;
  const out: Diagnostic[] = [
    ...p.ipsets.map((s) => unsupported(s.source.path, `IP set "${s.name}"`)),
    ...p.postures.map((s) => unsupported(s.source.path, `device posture "${s.name}"`)),
    ...[...p.grants, ...p.acls, ...p.ssh]
      .filter((r) => (r.srcPosture ?? []).length > 0)
      .map((r) => unsupported(r.source.path, 'srcPosture')),
    ...p.autoApprovers
      .filter((a) => a.kind === 'service')
      .map((a) => unsupported(a.source.path, `autoApprovers.services ("${a.target}")`)),
  ];
  if (p.defaultSrcPosture) out.push(unsupported(ir.source.path, 'defaultSrcPosture'));
  for (const [key, what] of Object.entries(UNSUPPORTED_SETTINGS)) {
    if ((p.settings as Record<string, unknown>)[key] !== undefined)
      out.push(unsupported(ir.source.path, `settings.${what}`));
  }
  for (const n of p.nodeAttrs) {
    if (n.ipPool) out.push(unsupported(n.source.path, 'nodeAttrs ipPool'));
    if ((n.attr ?? []).includes('funnel')) out.push(unsupported(n.source.path, 'the funnel node attribute (Funnel)'));
  }
  return out;
}

function selectorFeatures(ir: StackIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const use of selectorUses(ir)) {
    const s = use.selector;
    if (s.startsWith('autogroup:') && !HEADSCALE_AUTOGROUPS.has(s)) {
      out.push(
        unsupported(
          use.path,
          `${use.field}: "${s}"`,
          `Headscale knows only ${[...HEADSCALE_AUTOGROUPS].join(', ')}; name a group of users instead`,
        ),
      );
    } else if (s.startsWith('user:*@')) {
      out.push(unsupported(use.path, `${use.field}: the domain wildcard "${s}"`, 'list the users, or a group of them'));
    } else if (s.startsWith('svc:')) {
      out.push(
        unsupported(
          use.path,
          `${use.field}: Tailscale Service "${s}"`,
          'Headscale has no Tailscale Services; target the devices by tag',
        ),
      );
    }
  }
  return out;
}

/** TN3008 per construct using a feature Headscale lacks; TN3017 for anything else the Headscale dialect rejects. */
export function headscalePolicyProblems(ir: StackIr): Diagnostic[] {
  if (ir.controlServer.kind !== 'headscale') return [];
  const features = [...sectionFeatures(ir), ...selectorFeatures(ir)];
  if (features.length > 0) return features;
  const result = validatePolicy(
    { text: renderPolicyHujson(ir), file: HEADSCALE_POLICY_FILE },
    { dialect: 'headscale' },
  );
  return result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) =>
      diag(
        KUBERNETES_CODES.headscalePolicyRejected,
        ir.source.path,
        `${d.path}: ${d.message}`,
        d.hint ?? "change the stack so the policy fits Headscale's dialect (facts §4.3)",
      ),
    );
}
