/**
 * Positions of policy/inventory values. A policy arrives as HuJSON text (positions from the HuJSON parser) or as a
 * plain value (positions optional). Diagnostics carry `file:line:col` when a position is known, else
 * `file:/json/pointer`.
 */
export type JsonPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

export type Locate = (path: JsonPath) => Position | undefined;

export interface ValueSource {
  readonly value: unknown;
  readonly file: string;
  readonly locate?: Locate;
}

/** Canonical key → other spellings accepted for it (legacy aliases, §2). */
const KEY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  src: ['users'],
  dst: ['ports'],
  accept: ['allow'],
};

/**
 * Finds the key actually present in `obj` for a canonical key: exact, then case-insensitive (keys are matched
 * case-insensitively, §1), then a legacy alias.
 */
export function findKey(obj: Record<string, unknown>, canonical: string): string | undefined {
  if (Object.hasOwn(obj, canonical)) return canonical;
  const lower = canonical.toLowerCase();
  const candidates = [lower, ...(KEY_ALIASES[canonical] ?? [])];
  return Object.keys(obj).find((k) => candidates.includes(k.toLowerCase()));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Translates a canonical path into the raw value's own keys, stopping where the value ends. */
export function rawPath(value: unknown, path: JsonPath): JsonPath {
  const out: (string | number)[] = [];
  let cur = value;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) break;
      out.push(seg);
      cur = cur[seg];
    } else {
      if (!isRecord(cur)) break;
      const key = findKey(cur, seg);
      if (key === undefined) break;
      out.push(key);
      cur = cur[key];
    }
  }
  return out;
}

export function valueAt(value: unknown, path: JsonPath): unknown {
  let cur = value;
  for (const seg of rawPath(value, path)) cur = (cur as Record<string | number, unknown>)[seg];
  return cur;
}

export function jsonPointer(path: JsonPath): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** `file:line:col` (or `file:/pointer` without positions) of a canonical path. */
export function positionLabel(source: ValueSource, path: JsonPath): string {
  const raw = rawPath(source.value, path);
  const pos = source.locate?.(raw);
  return pos ? `${source.file}:${pos.line}:${pos.col}` : `${source.file}:${jsonPointer(raw)}`;
}

/** `acls[0].src[1]`: how a path reads in a message. */
export function describePath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
