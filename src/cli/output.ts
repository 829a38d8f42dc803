import { printJson } from '../core/canonical/json';
import type { Diagnostic, Severity } from '../core/diagnostics';

/**
 * Output helpers shared by the commands: colour (only on a terminal, never with NO_COLOR), plural words, Markdown
 * escaping, JSON on stdout and diagnostics in the one format every command prints.
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

type Stream = { readonly isTTY?: boolean };

/**
 * https://no-color.org: NO_COLOR set to anything non-empty disables colour. FORCE_COLOR turns it on where there is
 * no terminal (CI logs that render ANSI, and the tests that check colour is emitted at all).
 */
export function colourEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const identity = (text: string) => text;

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

export function styleFor(stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): Style {
  if (!colourEnabled(stream, env)) {
    return {
      enabled: false,
      bold: identity,
      dim: identity,
      red: identity,
      green: identity,
      yellow: identity,
      cyan: identity,
    };
  }
  return {
    enabled: true,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/** A style that never colours: for files and Markdown. */
export const PLAIN: Style = styleFor({ isTTY: false }, { NO_COLOR: '1' });

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `--json` output: canonical JSON (2-space indent, final newline) on stdout. */
export function outJson(value: unknown): void {
  process.stdout.write(printJson(value));
}

/** `1 device`, `2 devices`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

const SEVERITY_COLOUR: Record<Severity, keyof Pick<Style, 'red' | 'yellow' | 'cyan'>> = {
  error: 'red',
  warning: 'yellow',
  info: 'cyan',
};

/** Same layout as formatDiagnostic (core/diagnostics.ts), with the severity coloured when colour is on. */
export function formatDiagnosticStyled(d: Diagnostic, style: Style): string {
  const lines = [`${style[SEVERITY_COLOUR[d.severity]](d.severity)} ${d.code} [${d.path}] ${d.message}`];
  if (d.hint) lines.push(style.dim(`  hint: ${d.hint}`));
  for (const r of d.related ?? []) lines.push(style.dim(`  related [${r.path}]: ${r.message}`));
  return lines.join('\n');
}

/** Diagnostics as plain JSON objects (a stable shape for `--json`). */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    path: d.path,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.related && d.related.length > 0 ? { related: d.related } : {}),
  };
}

/** Text for a Markdown table cell: pipes escaped, newlines flattened. */
export function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks inside the text. */
export function mdCode(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

/** Escapes the characters HTML would interpret (for `<summary>` and friends). */
export function htmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `a, b, c and 4 more`. */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
