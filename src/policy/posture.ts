import type { ParseResult } from './selectors';

/**
 * Device posture conditions (§8.5): `node:os IN ['macos', 'linux']`, `node:tsVersion >= '1.40'`, …
 * All conditions of a posture must hold; an attribute the device does not have fails the condition whatever
 * the operator (even `!=`), except `NOT SET`.
 */
export type PostureOperator = '==' | '!=' | 'IN' | 'NOT IN' | 'IS SET' | 'NOT SET' | '<' | '<=' | '>=' | '>';
export type PostureValue = string | number | boolean;

export interface PostureCondition {
  readonly attribute: string;
  readonly operator: PostureOperator;
  readonly values: readonly PostureValue[];
}

export type AttributeValues = Readonly<Record<string, PostureValue>>;

const CONDITION_RE = /^\s*([A-Za-z][\w-]*:[\w.:-]+)\s+(==|!=|<=|>=|<|>|NOT\s+IN|IN|IS\s+SET|NOT\s+SET)\s*(.*?)\s*$/;
const ORDERED_ATTRIBUTES = new Set(['node:osVersion', 'node:tsVersion']);

export function parsePostureCondition(text: string): ParseResult<PostureCondition> {
  const m = CONDITION_RE.exec(text);
  if (!m) return { ok: false, error: `posture condition "${text}" must read "<attribute> <operator> <value>"` };
  const operator = m[2].replace(/\s+/g, ' ') as PostureOperator;
  const rest = m[3];
  if (operator === 'IS SET' || operator === 'NOT SET') {
    return rest === '' ? { ok: true, value: { attribute: m[1], operator, values: [] } } : fail(text, 'takes no value');
  }
  const values = operator === 'IN' || operator === 'NOT IN' ? parseList(rest) : parseScalar(rest);
  if (!values) return fail(text, 'has a malformed value (quote strings with single quotes)');
  return { ok: true, value: { attribute: m[1], operator, values } };
}

function fail(text: string, why: string): ParseResult<PostureCondition> {
  return { ok: false, error: `posture condition "${text}" ${why}` };
}

function parseScalar(text: string): PostureValue[] | undefined {
  const quoted = /^'([^']*)'$/.exec(text) ?? /^"([^"]*)"$/.exec(text);
  if (quoted) return [quoted[1]];
  if (text === 'true' || text === 'false') return [text === 'true'];
  if (/^-?\d+(\.\d+)?$/.test(text)) return [Number(text)];
  return undefined;
}

function parseList(text: string): PostureValue[] | undefined {
  const m = /^\[(.*)\]$/.exec(text);
  if (!m) return undefined;
  const items = m[1].trim() === '' ? [] : m[1].split(',').map((s) => parseScalar(s.trim()));
  return items.every((i) => i !== undefined) ? items.map((i) => i![0]) : undefined;
}

/** Numeric-aware comparison: `1.40.2` > `1.9`; plain numbers compare as numbers. */
function compareValues(a: PostureValue, b: PostureValue, ordered: boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (!ordered) return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  const pa = String(a)
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  const pb = String(b)
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function equal(a: PostureValue, b: PostureValue): boolean {
  return String(a) === String(b);
}

export function conditionHolds(c: PostureCondition, attrs: AttributeValues | undefined): boolean {
  const actual = attrs?.[c.attribute];
  if (c.operator === 'NOT SET') return actual === undefined;
  if (actual === undefined) return false;
  const ordered = ORDERED_ATTRIBUTES.has(c.attribute) || typeof actual === 'number';
  const v = c.values[0];
  switch (c.operator) {
    case 'IS SET':
      return true;
    case '==':
      return equal(actual, v);
    case '!=':
      return !equal(actual, v);
    case 'IN':
      return c.values.some((x) => equal(actual, x));
    case 'NOT IN':
      return !c.values.some((x) => equal(actual, x));
    case '<':
      return compareValues(actual, v, ordered) < 0;
    case '<=':
      return compareValues(actual, v, ordered) <= 0;
    case '>':
      return compareValues(actual, v, ordered) > 0;
    case '>=':
      return compareValues(actual, v, ordered) >= 0;
  }
}

export function postureHolds(conditions: readonly PostureCondition[], attrs: AttributeValues | undefined): boolean {
  return conditions.every((c) => conditionHolds(c, attrs));
}
