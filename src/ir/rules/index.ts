import type { Diagnostic } from '../../core/diagnostics';
import type { StackIr } from '../types';
import { undeclaredReferences } from './references';
import { accessDefaultConflicts, duplicateNames } from './uniqueness';

/** Whole-tailnet checks over the IR (phase 4), as a table: each rule is a pure function of the IR. */
export interface IrRule {
  readonly name: string;
  check(ir: StackIr): Diagnostic[];
}

export const IR_RULES: readonly IrRule[] = [
  { name: 'undeclared-references', check: undeclaredReferences },
  { name: 'duplicate-names', check: duplicateNames },
  { name: 'access-default', check: accessDefaultConflicts },
];

export function runIrRules(ir: StackIr, rules: readonly IrRule[] = IR_RULES): Diagnostic[] {
  return rules.flatMap((r) => r.check(ir));
}
