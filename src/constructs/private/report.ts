import type { IConstruct } from 'constructs';
import type { Diagnostic } from '../../core/diagnostics';
import { type CodeInfo, diag } from '../../core/errors';
import { type AnySelector, isAllowedIn, POSITION_NAMES, type Position, positionsOf } from '../selector';

/**
 * Construct-time validation. Problems are found when the construct is made (so the check sits next to the
 * props it reads) but only recorded; the synth driver collects every construct's diagnostics in phase 2 and
 * reports them all at once, sorted.
 */
const DIAGNOSTICS = Symbol.for('tailnet-cdk.diagnostics');

type WithDiagnostics = IConstruct & { [DIAGNOSTICS]?: Diagnostic[] };

export function report(scope: IConstruct, info: CodeInfo, message: string, hint?: string): void {
  const target = scope as WithDiagnostics;
  if (!target[DIAGNOSTICS]) {
    Object.defineProperty(target, DIAGNOSTICS, { value: [], enumerable: false });
  }
  target[DIAGNOSTICS]!.push(diag(info, scope.node.path, message, hint));
}

export function recordedDiagnostics(scope: IConstruct): readonly Diagnostic[] {
  return (scope as WithDiagnostics)[DIAGNOSTICS] ?? [];
}

/** Reports every selector of `field` that Tailscale does not allow at `position`. */
export function checkPositions(
  scope: IConstruct,
  field: string,
  selectors: readonly AnySelector[],
  position: Position,
  info: CodeInfo,
): void {
  for (const s of selectors) {
    if (isAllowedIn(s, position)) continue;
    const allowed = positionsOf(s)
      .map((p) => POSITION_NAMES[p])
      .join(', ');
    report(
      scope,
      info,
      `${field}: "${s.selector}" is not allowed in ${POSITION_NAMES[position]}`,
      allowed ? `"${s.selector}" may only be used in ${allowed}` : `remove "${s.selector}" from ${field}`,
    );
  }
}

/** Reports an empty list where Tailscale needs at least one entry. */
export function checkNonEmpty(scope: IConstruct, field: string, values: readonly unknown[], info: CodeInfo): void {
  if (values.length === 0) report(scope, info, `${field} is empty`, `give ${field} at least one entry`);
}
