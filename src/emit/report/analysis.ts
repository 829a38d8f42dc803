import type { Diagnostic } from '../../core/diagnostics';
import { startGraphviz } from '../graph';
import { INVENTORY_FILE } from '../inventory';
import { checkSynthesizedPolicy, type SynthesizedPolicy } from '../policy/check';
import { startReport } from './build';
import { type ReportBody, renderReportBody } from './html';

/**
 * What synth learns from the policy engine about one stack: the check of its policy (validation, tests, lint),
 * findings attributed to constructs, and the report's body, which reuses that check (the access map, its SVG, the
 * matrix). The engine's compiled policy never leaves this function, so its answer is plain data and the whole
 * analysis can run on a worker thread while the other emitters and Terraform run (src/core/policy-analysis.ts).
 */
export interface PolicyAnalysis {
  readonly diagnostics: Diagnostic[];
  readonly report: ReportBody;
}

/** Starts what the first analysis will need and can get ready meanwhile: Graphviz (its wasm compiles in 0.1 s). */
export function prepareAnalysis(): void {
  startGraphviz();
}

export function analyzeStackPolicy(input: SynthesizedPolicy): PolicyAnalysis {
  const checked = checkSynthesizedPolicy(input);
  const report = startReport(
    {
      title: input.stack,
      policy: { text: input.policy, file: 'policy.hujson' },
      ...(input.devices !== undefined ? { devices: { text: input.devices, file: INVENTORY_FILE } } : {}),
      validate: { dialect: 'tailscale', ...(input.tailnetDomain ? { tailnetDomains: [input.tailnetDomain] } : {}) },
    },
    checked.check,
  );
  return { diagnostics: checked.diagnostics, report: renderReportBody(report) };
}
