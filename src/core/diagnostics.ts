/**
 * One diagnostic type for every phase: construct validation, IR rules, policy-file validation, CLI input.
 * `path` is a construct path (`kernelcore/Grants/ClientsToServer`) or a file position (`policy.hujson:12:5`).
 */
export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  readonly path: string;
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code from the catalogue in errors.ts, e.g. `TN1003`. */
  readonly code: string;
  /** Construct path or `file:line:col`. */
  readonly path: string;
  /** Lowercase, no final period; shows the value received and what is allowed. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: severity, then path, code and message, so diagnostics.txt can be a golden file. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    comparePaths(a.path, b.path) ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

/** Code-point order (not locale order): the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `file:9:1` sorts before `file:10:1`: numeric parts compare as numbers. */
function comparePaths(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const numeric = i % 2 === 1;
    return numeric ? Number(pa[i]) - Number(pb[i]) : compareStrings(pa[i], pb[i]);
  }
  return pa.length - pb.length;
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.severity}\0${d.code}\0${d.path}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(d);
  }
  return unique.sort(compareDiagnostics);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `error TN1003 [kernelcore/Grants/X] message` + indented hint and related lines. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.severity} ${d.code} [${d.path}] ${d.message}`];
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  for (const r of d.related ?? []) lines.push(`  related [${r.path}]: ${r.message}`);
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n');
}

/** Thrown once per failed phase with every error of that phase; its message is the whole report. */
export class SynthError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], what = 'synthesis') {
    const sorted = sortDiagnostics(diagnostics);
    const errors = sorted.filter((d) => d.severity === 'error').length;
    super(`${what} failed with ${errors} error${errors === 1 ? '' : 's'}:\n${sorted.map(formatDiagnostic).join('\n')}`);
    this.name = 'SynthError';
    this.diagnostics = sorted;
    // Stack traces are noise for input errors; keep them only when debugging the tool itself.
    if (process.env.TAILNET_DEBUG !== '1') this.stack = `${this.name}: ${this.message}`;
  }

  static isSynthError(x: unknown): x is SynthError {
    return x instanceof Error && (x as { name?: string }).name === 'SynthError';
  }
}

/** Collects diagnostics of one phase; `throwIfErrors` throws them all at once. */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.items.push(d);
  }

  get all(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }

  get hasErrors(): boolean {
    return hasErrors(this.items);
  }

  throwIfErrors(what?: string): void {
    if (this.hasErrors) throw new SynthError(this.items, what);
  }
}
