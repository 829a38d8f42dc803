import type { Diagnostic } from '../../core/diagnostics';
import { CORE_CODES } from '../../core/errors';
import type { StackIr } from '../../ir/types';
import { checkPolicy, lazyLocate, type PolicyCheck, parseInventory } from '../../policy';
import { INVENTORY_FILE } from '../inventory';
import { serviceAddresses } from '../services';

/**
 * The synthesized policy goes through the same validator and test runner as any policy file (what Tailscale does
 * on save), against the stack's declared inventory. Findings point at the construct that produced the rule: the
 * provenance comment above it (`// <stack>/<path>`) maps a policy line back to its construct.
 */
export function checkSynthesizedPolicy(
  ir: StackIr,
  files: ReadonlyMap<string, string>,
  file = 'policy.hujson',
): SynthesizedPolicyCheck {
  const text = files.get(file);
  if (text === undefined) return { diagnostics: [] };
  const devicesText = files.get(INVENTORY_FILE) ?? '{"devices":[]}';
  const { inventory } = parseInventory({ text: devicesText, file: INVENTORY_FILE });
  // policy.json holds the same value (a tested property); positions come from the HuJSON only if needed.
  // Positions are relative to the stack's folder, as the report in that folder shows them; messages on the
  // terminal get the out/<stack>/ prefix (`attribute`).
  const label = file;
  const json = files.get('policy.json');
  const input =
    json === undefined
      ? { text, file: label }
      : { value: JSON.parse(json) as unknown, file: label, locate: lazyLocate(text, label) };
  const check = checkPolicy(input, inventory ?? { devices: [] }, {
    dialect: 'tailscale',
    representativeDevices: true,
    lint: true,
    ...(ir.services.length > 0 ? { services: serviceAddresses(ir) } : {}),
    ...(ir.tailnetDomain ? { tailnetDomains: [ir.tailnetDomain] } : {}),
  });
  const lines = text.split('\n');
  return { diagnostics: check.diagnostics.map((d) => attribute(ir, d, lines)), check };
}

export interface SynthesizedPolicyCheck {
  /** Findings attributed to the constructs that produced the rules. */
  readonly diagnostics: Diagnostic[];
  /** The engine's own result (positions in the policy file), for the report; absent without a policy. */
  readonly check?: PolicyCheck;
}

function attribute(ir: StackIr, d: Diagnostic, lines: readonly string[]): Diagnostic {
  const line = Number(/:(\d+):\d+$/.exec(d.path)?.[1] ?? 0);
  const construct = constructAbove(lines, line, `${ir.name}/`) ?? ir.source.path;
  return {
    ...d,
    // Validation (TN5) and lint (TN6) codes stay; anything else the engine reports is a rejection of the policy.
    code: d.severity === 'error' && !/^TN[56]/.test(d.code) ? CORE_CODES.policyRejected.code : d.code,
    path: construct,
    related: [
      { path: `out/${ir.name}/${d.path}`, message: 'in the synthesized policy' },
      ...(d.related ?? []).map((r) => ({ ...r, path: `out/${ir.name}/${r.path}` })),
    ],
  };
}

/** The provenance comment of the rule that contains `line` (1-based), searching upwards. */
function constructAbove(lines: readonly string[], line: number, prefix: string): string | undefined {
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^\t+\/\/ (\S+)$/.exec(lines[i]);
    if (m?.[1].startsWith(prefix)) return m[1];
    if (/^\t[^\t]/.test(lines[i]) && i < line - 1) return undefined; // reached a top-level section
  }
  return undefined;
}
