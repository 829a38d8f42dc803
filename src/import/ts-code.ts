/**
 * Writing TypeScript source: literals, identifiers and a small pretty-printer for nested calls, objects and
 * arrays (inline when the line fits, one element per line otherwise), so generated stacks read like hand-written
 * ones without depending on a formatter being installed.
 */
export type Expr =
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly Expr[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Expr[] };

export const raw = (text: string): Expr => ({ kind: 'raw', text });
export const arr = (items: readonly Expr[]): Expr => ({ kind: 'array', items });
export const obj = (entries: readonly (readonly [string, Expr | undefined])[]): Expr => ({
  kind: 'object',
  entries: entries.filter((e): e is readonly [string, Expr] => e[1] !== undefined),
});
export const call = (callee: string, ...args: Expr[]): Expr => ({ kind: 'call', callee, args });
export const str = (value: string): Expr => raw(quote(value));
export const strs = (values: readonly string[]): Expr => arr(values.map(str));

const LINE_WIDTH = 110;
const INDENT = '  ';

/** A TypeScript string literal: single quotes, or double quotes when that avoids escaping (as biome writes it). */
export function quote(value: string): string {
  const q = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value.replace(/[\\'"\n\r\t\u2028\u2029]/g, (c) =>
    c === '\\'
      ? '\\\\'
      : c === '"' || c === "'"
        ? c === q
          ? `\\${c}`
          : c
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${q}${escaped}${q}`;
}

/** Any JSON value as a TypeScript literal (app capabilities, derpMap, posture attributes). */
export function jsonExpr(value: unknown): Expr {
  if (Array.isArray(value)) return arr(value.map(jsonExpr));
  if (value !== null && typeof value === 'object') {
    return obj(Object.entries(value as Record<string, unknown>).map(([k, v]) => [propertyName(k), jsonExpr(v)]));
  }
  return typeof value === 'string' ? str(value) : raw(JSON.stringify(value));
}

/** `src`, `'example.com/cap/x'`: an object key, quoted only when it must be. */
export function propertyName(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key);
}

/** Renders an expression starting at `column` with the given indentation of its first line. */
export function render(expr: Expr, indent: string, column = indent.length): string {
  const inline = renderInline(expr);
  if (column + inline.length <= LINE_WIDTH || expr.kind === 'raw') return inline;
  const inner = indent + INDENT;
  switch (expr.kind) {
    case 'array':
      return `[\n${expr.items.map((i) => `${inner}${render(i, inner)},`).join('\n')}\n${indent}]`;
    case 'object':
      return `{\n${expr.entries.map(([k, v]) => `${inner}${k}: ${render(v, inner, inner.length + k.length + 2)},`).join('\n')}\n${indent}}`;
    case 'call': {
      // `f(a, { … })`: only the last argument breaks, which is how construct calls are usually laid out.
      const head = expr.args.slice(0, -1).map(renderInline);
      const last = expr.args.at(-1);
      if (!last) return inline;
      const prefix = `${expr.callee}(${head.map((h) => `${h}, `).join('')}`;
      return `${prefix}${render(last, indent, column + prefix.length)})`;
    }
  }
}

function renderInline(expr: Expr): string {
  switch (expr.kind) {
    case 'raw':
      return expr.text;
    case 'array':
      return `[${expr.items.map(renderInline).join(', ')}]`;
    case 'object':
      return expr.entries.length === 0
        ? '{}'
        : `{ ${expr.entries.map(([k, v]) => `${k}: ${renderInline(v)}`).join(', ')} }`;
    case 'call':
      return `${expr.callee}(${expr.args.map(renderInline).join(', ')})`;
  }
}

/** `// …` lines for comment text (which may span lines); `*\/` needs no escaping in line comments. */
export function commentLines(comments: readonly string[], indent: string): string[] {
  return comments
    .flatMap((c) => c.split(/\r?\n/))
    .map((line) => `${indent}//${line.trim() ? ` ${line.trimEnd()}` : ''}`);
}

/** Words of a name: `group:eng-team` → [eng, team]; `alice@example.com` → [alice]; `10.0.0.0/8` → [10, 0, 0, 0, 8]. */
export function words(name: string): string[] {
  const body = name.replace(/^(group|tag|ipset|posture|autogroup|svc|host):/, '').replace(/@.*$/, '');
  return body
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

export function pascal(name: string): string {
  return words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await scope id owners'
  ).split(' '),
);

/** Hands out unique identifiers (variables or construct ids) from names. */
export class NamePool {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = RESERVED) {
    for (const r of reserved) this.used.add(r);
  }

  /** `OfficeLan` as an id; `officeLan` with `camel`. A name starting with a digit gets `prefix` in front. */
  take(name: string, options: { camel?: boolean; prefix?: string } = {}): string {
    let base = pascal(name) || 'X';
    if (/^[0-9]/.test(base)) base = `${options.prefix ?? 'N'}${base}`;
    if (options.camel) base = base[0].toLowerCase() + base.slice(1);
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${base}${n}`;
    this.used.add(candidate);
    return candidate;
  }

  reserve(name: string): void {
    this.used.add(name);
  }
}
