import type { Diagnostic } from '../../core/diagnostics';
import { CORE_CODES } from '../../core/errors';
import type { StackIr } from '../../ir/types';
import { checkPolicy, lazyLocate, type PolicyCheck, parseInventory } from '../../policy';
import { INVENTORY_FILE } from '../inventory';
import { serviceAddresses } from '../services';

/**
 * What the policy engine is asked about one stack: its policy and declared inventory as synth is about to write
 * them, plus what the engine needs from the IR. Plain data, so the job can cross to a worker thread.
 */
export interface SynthesizedPolicy {
  /** The stack's name (`ir.name`) and construct path (`ir.source.path`), to attribute findings. */
  readonly stack: string;
  readonly stackPath: string;
  /** policy.hujson */
  readonly policy: string;
  /** policy.json, the same value (a tested property): read with JSON.parse, positions from the HuJSON if needed */
  readonly policyJson?: string;
  /** devices.json */
  readonly devices?: string;
  readonly services?: Readonly<Record<string, readonly string[]>>;
  readonly tailnetDomain?: string;
}

/** The policy files of an emitted stack; undefined when it writes no policy. */
export function synthesizedPolicy(ir: StackIr, files: ReadonlyMap<string, string>): SynthesizedPolicy | undefined {
  const policy = files.get('policy.hujson');
  if (policy === undefined) return undefined;
  const policyJson = files.get('policy.json');
  const devices = files.get(INVENTORY_FILE);
  return {
    stack: ir.name,
    stackPath: ir.source.path,
    policy,
    ...(policyJson !== undefined ? { policyJson } : {}),
    ...(devices !== undefined ? { devices } : {}),
    ...(ir.services.length > 0 ? { services: serviceAddresses(ir) } : {}),
    ...(ir.tailnetDomain ? { tailnetDomain: ir.tailnetDomain } : {}),
  };
}

/**
 * The synthesized policy goes through the same validator and test runner as any policy file (what Tailscale does
 * on save), against the stack's declared inventory. Findings point at the construct that produced the rule: the
 * provenance comment above it (`// <stack>/<path>`) maps a policy line back to its construct.
 */
export function checkSynthesizedPolicy(input: SynthesizedPolicy, file = 'policy.hujson'): SynthesizedPolicyCheck {
  const { inventory } = parseInventory({ text: input.devices ?? '{"devices":[]}', file: INVENTORY_FILE });
  // Positions are relative to the stack's folder, as the report in that folder shows them; messages on the
  // terminal get the out/<stack>/ prefix (`attribute`).
  const policyInput =
    input.policyJson === undefined
      ? { text: input.policy, file }
      : { value: JSON.parse(input.policyJson) as unknown, file, locate: lazyLocate(input.policy, file) };
  const check = checkPolicy(policyInput, inventory ?? { devices: [] }, {
    dialect: 'tailscale',
    representativeDevices: true,
    lint: true,
    ...(input.services ? { services: input.services } : {}),
    ...(input.tailnetDomain ? { tailnetDomains: [input.tailnetDomain] } : {}),
  });
  const lines = input.policy.split('\n');
  return { diagnostics: check.diagnostics.map((d) => attribute(input, d, lines)), check };
}

export interface SynthesizedPolicyCheck {
  /** Findings attributed to the constructs that produced the rules. */
  readonly diagnostics: Diagnostic[];
  /** The engine's own result (positions in the policy file), for the report. */
  readonly check: PolicyCheck;
}

function attribute(input: SynthesizedPolicy, d: Diagnostic, lines: readonly string[]): Diagnostic {
  const line = Number(/:(\d+):\d+$/.exec(d.path)?.[1] ?? 0);
  const construct = constructAbove(lines, line, `${input.stack}/`) ?? input.stackPath;
  return {
    ...d,
    // Validation (TN5) and lint (TN6) codes stay; anything else the engine reports is a rejection of the policy.
    code: d.severity === 'error' && !/^TN[56]/.test(d.code) ? CORE_CODES.policyRejected.code : d.code,
    path: construct,
    related: [
      { path: `out/${input.stack}/${d.path}`, message: 'in the synthesized policy' },
      ...(d.related ?? []).map((r) => ({ ...r, path: `out/${input.stack}/${r.path}` })),
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
