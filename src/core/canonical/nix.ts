/**
 * Canonical Nix printer. Emitters build a plain value tree (attrsets, lists, strings, numbers, booleans, null) plus a
 * few explicit expression nodes (`config.x.y` references, `lib.mkForce`/`lib.mkDefault` calls, provenance comments),
 * and this file prints it the same way every time: attribute names sorted, single-child attrsets collapsed into
 * dotted paths, strings escaped (`\${` in "…", `''${` in ''…''), multi-line text as an indented '' string.
 *
 * Priorities (`mkForce`, `mkDefault`) are never added here: they are IR values, printed only where the IR asks.
 */
const NIX = Symbol.for('tailnet-cdk.nix');

export type NixValue = null | boolean | number | string | readonly NixValue[] | NixAttrs | NixExpr;
export interface NixAttrs {
  readonly [key: string]: NixValue;
}

type NixExpr =
  | { readonly [NIX]: 'ref'; readonly path: readonly string[] }
  | { readonly [NIX]: 'call'; readonly fn: readonly string[]; readonly arg: NixValue }
  | { readonly [NIX]: 'commented'; readonly comments: readonly string[]; readonly value: NixValue };

export const nix = {
  /** An attribute selection such as `config.sops.secrets."tailscale/authkey".path` or `pkgs.jq`. */
  ref: (...path: string[]): NixValue => ({ [NIX]: 'ref', path }),
  mkForce: (value: NixValue): NixValue => ({ [NIX]: 'call', fn: ['lib', 'mkForce'], arg: value }),
  mkDefault: (value: NixValue): NixValue => ({ [NIX]: 'call', fn: ['lib', 'mkDefault'], arg: value }),
  /** `# line` comments printed above the attribute (or list element) holding `value`. */
  comment: (comments: readonly string[], value: NixValue): NixValue =>
    comments.length === 0 ? value : { [NIX]: 'commented', comments, value },
};

export function isNixExpr(v: unknown): v is NixExpr {
  return typeof v === 'object' && v !== null && NIX in v;
}

function isAttrs(v: NixValue): v is NixAttrs {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isNixExpr(v);
}

const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const INDENT = '  ';
const INLINE_LIST_WIDTH = 100;

export function nixAttrName(key: string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) ? key : quoteString(key);
}

const NEEDS_ESCAPE = /[\\"$\n\r\t]/;

/** A "…" string: backslash, quote, `${` and control characters escaped. */
export function quoteString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`; // most names, paths and options
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, '\\${')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${body}"`;
}

/**
 * Multi-line text as ''…'' when that round-trips exactly: it must end with a newline (the closing '' sits on its own
 * line) and some non-empty line must start without spaces (Nix strips the smallest common indentation).
 */
function indentedStringFits(text: string): boolean {
  if (!text.includes('\n') || !text.endsWith('\n') || text.includes('\r')) return false;
  const lines = text.slice(0, -1).split('\n');
  return lines.some((l) => l.trim() !== '' && !/^ /.test(l));
}

function indentedString(text: string, depth: number): string {
  const pad = INDENT.repeat(depth + 1);
  const lines = text
    .slice(0, -1)
    .split('\n')
    .map(escapeIndentedLine)
    .map((l) => (l === '' ? '' : pad + l));
  return `''\n${lines.join('\n')}\n${INDENT.repeat(depth)}''`;
}

/**
 * Escapes inside ''…'': `''` → `'''`, `${` → `''${`, and a lone `'` right before `${` → `''\'` (otherwise it would
 * join the next escape's quotes: `'` + `''${` reads as `'''` + `${`).
 */
function escapeIndentedLine(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; ) {
    if (line.startsWith("''", i)) {
      out += "'''";
      i += 2;
    } else if (line[i] === "'" && line.startsWith('${', i + 1)) {
      out += "''\\'";
      i += 1;
    } else if (line.startsWith('${', i)) {
      out += "''${";
      i += 2;
    } else {
      out += line[i];
      i += 1;
    }
  }
  return out;
}

function printNumber(n: number): string {
  const text = String(n);
  if (!Number.isFinite(n) || /e/i.test(text)) throw new Error(`cannot print ${text} as a Nix number`);
  return n < 0 ? `(${text})` : text;
}

function printExpr(e: NixExpr, depth: number): string {
  if (e[NIX] === 'ref') return [e.path[0], ...e.path.slice(1).map(nixAttrName)].join('.');
  if (e[NIX] === 'call') return `${e.fn.join('.')} ${printElement(e.arg, depth)}`;
  return printNix(e.value, depth);
}

/** A value where Nix needs a single term (list element, function argument): calls are parenthesised. */
function printElement(v: NixValue, depth: number): string {
  const text = printNix(v, depth);
  return isNixExpr(v) && v[NIX] === 'call' ? `(${text})` : text;
}

export function printNix(v: NixValue, depth = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return printNumber(v);
  if (typeof v === 'string') return indentedStringFits(v) ? indentedString(v, depth) : quoteString(v);
  if (Array.isArray(v)) return printList(v as readonly NixValue[], depth);
  if (isNixExpr(v)) return printExpr(v, depth);
  return printAttrs(attrEntries(v as NixAttrs, 0), depth);
}

function printList(items: readonly NixValue[], depth: number): string {
  if (items.length === 0) return '[ ]';
  const simple = items.every((i) => !isNixExpr(i) || i[NIX] !== 'commented');
  if (simple && items.every((i) => i === null || typeof i !== 'object' || isNixExpr(i))) {
    const inline = `[ ${items.map((i) => printElement(i, depth)).join(' ')} ]`;
    if (!inline.includes('\n') && inline.length <= INLINE_LIST_WIDTH) return inline;
  }
  const pad = INDENT.repeat(depth + 1);
  const lines = items.flatMap((item) => [
    ...commentsOf(item).map((c) => `${pad}# ${c}`),
    `${pad}${printElement(uncomment(item), depth + 1)}`,
  ]);
  return `[\n${lines.join('\n')}\n${INDENT.repeat(depth)}]`;
}

function commentsOf(v: NixValue): readonly string[] {
  return isNixExpr(v) && v[NIX] === 'commented' ? v.comments : [];
}

function uncomment(v: NixValue): NixValue {
  return isNixExpr(v) && v[NIX] === 'commented' ? v.value : v;
}

type Entry = { readonly path: readonly string[]; readonly value: NixValue };

/**
 * The entries of an attrset as dotted paths: attrsets are expanded `expandDepth` levels deep (a module uses 1, so it
 * reads `services.nginx = { … };`), and chains of single-child attrsets without comments are collapsed (`a.b.c = 1;`).
 */
function attrEntries(attrs: NixAttrs, expandDepth: number): Entry[] {
  const out: Entry[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (expandDepth > 0 && isAttrs(value) && Object.keys(value).length > 0) {
      for (const e of attrEntries(value, expandDepth - 1)) out.push({ path: [key, ...e.path], value: e.value });
    } else {
      out.push(collapse([key], value));
    }
  }
  return out.sort((a, b) => comparePaths(a.path, b.path));
}

function collapse(path: string[], value: NixValue): Entry {
  if (isAttrs(value)) {
    const attrs: NixAttrs = value;
    const keys = Object.keys(attrs).filter((k) => attrs[k] !== undefined);
    if (keys.length === 1) return collapse([...path, keys[0]], attrs[keys[0]]);
  }
  return { path, value };
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

function printAttrs(entries: readonly Entry[], depth: number): string {
  if (entries.length === 0) return '{ }';
  const pad = INDENT.repeat(depth + 1);
  const lines = entries.flatMap((e) => [
    ...commentsOf(e.value).map((c) => `${pad}# ${c}`),
    `${pad}${e.path.map(nixAttrName).join('.')} = ${printNix(uncomment(e.value), depth + 1)};`,
  ]);
  return `{\n${lines.join('\n')}\n${INDENT.repeat(depth)}}`;
}

export interface NixModule {
  /** Comment lines at the top of the file. */
  readonly header: readonly string[];
  /** The module's function arguments, e.g. `['config', 'lib', 'pkgs']` (`...` is always added). */
  readonly args: readonly string[];
  readonly body: NixAttrs;
}

/** A NixOS module file: header comments, `{ config, lib, pkgs, ... }:` and the body with two-segment top paths. */
export function printNixModule(m: NixModule): string {
  const header = m.header.map((l) => (l === '' ? '#' : `# ${l}`));
  const args = `{ ${[...m.args, '...'].join(', ')} }:`;
  return `${[...header, args, printAttrs(attrEntries(m.body, 1), 0)].join('\n')}\n`;
}

/**
 * Deep merge of module fragments, the way the NixOS module system merges these option types: attrsets merge
 * recursively, lists concatenate (duplicates dropped), and for anything else the later fragment wins. Comments of
 * both sides are kept.
 */
export function mergeNixAttrs(...parts: readonly NixAttrs[]): NixAttrs {
  return parts.reduce<NixAttrs>((acc, part) => mergeValues(acc, part) as NixAttrs, {});
}

function mergeValues(a: NixValue, b: NixValue): NixValue {
  const comments = [...commentsOf(a), ...commentsOf(b)].filter((c, i, all) => all.indexOf(c) === i);
  const [x, y] = [uncomment(a), uncomment(b)];
  let merged: NixValue = y;
  if (isAttrs(x) && isAttrs(y)) {
    const out: Record<string, NixValue> = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = k in out ? mergeValues(out[k], v) : v;
    merged = out;
  } else if (Array.isArray(x) && Array.isArray(y)) {
    const seen = new Set((x as NixValue[]).map((v) => JSON.stringify(v)));
    merged = [...(x as NixValue[]), ...(y as NixValue[]).filter((v) => !seen.has(JSON.stringify(v)))];
  }
  return nix.comment(comments, merged);
}
