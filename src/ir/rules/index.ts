import type { Diagnostic } from '../../core/diagnostics';
import type { StackIr } from '../types';
import { authMethodsNeedTailscale, duplicateServices } from './auth-methods';
import { headscaleConfigProblems, headscaleTerraformNotice } from './headscale-config';
import { headscalePolicyProblems } from './headscale-policy';
import {
  controlServerLimits,
  operatorRules,
  secretReferences,
  sharedStateSecrets,
  workloadPlacement,
} from './kubernetes';
import { nixosGrantZoneConflicts } from './nixos-access';
import { nixosPortConflicts, nixosZoneReferences } from './nixos-hosts';
import { undeclaredReferences } from './references';
import { systemdUnitConflicts } from './systemd-units';
import { accessDefaultConflicts, duplicateNames } from './uniqueness';
import { wireguardProblems } from './wireguard';

/** Whole-tailnet checks over the IR (phase 4), as a table: each rule is a pure function of the IR. */
export interface IrRule {
  readonly name: string;
  check(ir: StackIr): Diagnostic[];
}

export const IR_RULES: readonly IrRule[] = [
  { name: 'undeclared-references', check: undeclaredReferences },
  { name: 'duplicate-names', check: duplicateNames },
  { name: 'access-default', check: accessDefaultConflicts },
  { name: 'kubernetes-workload-placement', check: workloadPlacement },
  { name: 'kubernetes-secret-references', check: secretReferences },
  { name: 'kubernetes-shared-state', check: sharedStateSecrets },
  { name: 'kubernetes-control-server-limits', check: controlServerLimits },
  { name: 'kubernetes-operator', check: operatorRules },
  { name: 'headscale-config', check: headscaleConfigProblems },
  { name: 'headscale-policy', check: headscalePolicyProblems },
  { name: 'headscale-terraform', check: headscaleTerraformNotice },
  { name: 'nixos-port-conflicts', check: nixosPortConflicts },
  { name: 'nixos-zone-references', check: nixosZoneReferences },
  { name: 'nixos-grants-vs-zones', check: nixosGrantZoneConflicts },
  { name: 'systemd-unit-conflicts', check: systemdUnitConflicts },
  { name: 'wireguard', check: wireguardProblems },
  { name: 'auth-methods-and-services-need-tailscale', check: authMethodsNeedTailscale },
  { name: 'duplicate-services', check: duplicateServices },
];

export function runIrRules(ir: StackIr, rules: readonly IrRule[] = IR_RULES): Diagnostic[] {
  return rules.flatMap((r) => r.check(ir));
}
