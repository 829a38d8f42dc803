import { Document, isScalar, parse, Scalar, visit } from 'yaml';

/**
 * Canonical YAML for Kubernetes manifests, Helm values and Headscale's config. Rules (facts/construct-style.md
 * "Determinism"): the YAML 1.1 schema pinned, as cdk8s does, because Kubernetes (sigs.k8s.io/yaml, go-yaml v2) and
 * Helm still read YAML 1.1, where `yes`, `on`, `off`, `y`, `0755`, `1_000`, `12:30` are not strings; every string
 * that either YAML 1.1 or 1.2 would read as something else is double-quoted; no line folding (`lineWidth: 0`);
 * 2-space indent, LF, one final newline; `null`/`undefined` members are dropped.
 *
 * Key order: `keys: 'sorted'` (default) sorts every map, except that `apiVersion`, `kind`, `metadata`, `name` and
 * `namespace` come first where present, so manifests read as people expect. `keys: 'given'` keeps the caller's
 * order (for files where order carries meaning to a reader, such as Headscale's config sections).
 */
export interface YamlOptions {
  readonly keys?: 'sorted' | 'given';
  /** Comment lines printed above the document. @default - none */
  readonly header?: readonly string[];
}

/** Keys that lead a map, in this order, when keys are sorted. */
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

export function printYaml(value: unknown, options: YamlOptions = {}): string {
  const data = (options.keys ?? 'sorted') === 'sorted' ? orderKeys(dropNulls(value)) : dropNulls(value);
  return commentLines(options.header) + (printSimpleYaml(data) ?? printWithLibrary(data));
}

/** The yaml library's printing of prepared data (keys ordered, nulls dropped), with our quoting rules. */
export function printWithLibrary(data: unknown): string {
  const doc = new Document(data, { version: '1.1' });
  visit(doc, {
    Pair(_key, pair) {
      // As a map key, `<<` is YAML 1.1's merge key; the yaml library prints it plain even when asked to quote it,
      // so it gets an explicit string tag.
      if (isScalar(pair.key) && pair.key.value === '<<') {
        const key = doc.createNode('<<');
        key.type = Scalar.QUOTE_DOUBLE;
        key.tag = 'tag:yaml.org,2002:str';
        pair.key = key;
      }
    },
    Scalar(_key, node) {
      quoteIfAmbiguous(node);
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true });
}

/** Several documents in one file, separated by `---` (the form `kubectl apply -f` reads). */
export function printYamlStream(values: readonly unknown[], options: YamlOptions = {}): string {
  const docs = values.map((v) => printYaml(v, { ...options, header: [] }));
  return commentLines(options.header) + docs.join('---\n');
}

function commentLines(lines: readonly string[] = []): string {
  return lines.map((line) => (line === '' ? '#\n' : `# ${line}\n`)).join('');
}

/** Parses YAML the way Kubernetes and Helm read it (1.1), for tests and round-trip checks. */
export function parseYaml(text: string): unknown {
  return parse(text, { version: '1.1' });
}

function quoteIfAmbiguous(node: Scalar): void {
  if (!isScalar(node) || typeof node.value !== 'string') return;
  const text = node.value;
  if (text.includes('\n')) return; // printed as a block scalar, which is always a string
  if (readsAsOtherThan(text, '1.1') || readsAsOtherThan(text, '1.2')) node.type = Scalar.QUOTE_DOUBLE;
}

/**
 * Answers by YAML schema, memoized: manifests repeat the same strings (labels, image, env names) across hundreds
 * of workloads, and a full parse per scalar dominated the Kubernetes emitter at 300 workloads.
 */
const AMBIGUITY: Record<'1.1' | '1.2', Map<string, boolean>> = { '1.1': new Map(), '1.2': new Map() };

const LETTER_FIRST_WORD = /^[A-DF-Za-df-z_/][A-Za-z0-9_./@%+=-]*$/;
/** YAML 1.1 booleans and the null of both schemas, lower-cased; these go to the parser, which knows their casings. */
const SCHEMA_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);

/** True when the plain scalar `text` would not read back as exactly that string. */
function readsAsOtherThan(text: string, version: '1.1' | '1.2'): boolean {
  if (text === '' || text.trim() !== text) return true;
  // Names, images, paths (first a letter, `_` or `/`): only a boolean or null word (yes, Off, NULL …) among these
  // reads as anything but itself;
  // every number, timestamp and special float starts with a digit, a sign, a dot or `~`, except that the yaml
  // library reads a bare exponent (`E0`, `e5`) as a YAML 1.1 float (found by test/property/yaml-fast.test.ts).
  if (LETTER_FIRST_WORD.test(text) && !SCHEMA_WORDS.has(text.toLowerCase())) return false;
  const known = AMBIGUITY[version].get(text);
  if (known !== undefined) return known;
  let ambiguous: boolean;
  try {
    ambiguous = parse(text, { version, logLevel: 'silent' }) !== text;
  } catch {
    ambiguous = true;
  }
  AMBIGUITY[version].set(text, ambiguous);
  return ambiguous;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropNulls);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    return Object.fromEntries(entries.map(([k, v]) => [k, dropNulls(v)]));
  }
  return value;
}

function orderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(orderKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareKeys(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, orderKeys(v)]));
  }
  return value;
}

function compareKeys(a: string, b: string): number {
  const ra = LEADING_KEYS.indexOf(a);
  const rb = LEADING_KEYS.indexOf(b);
  if (ra >= 0 || rb >= 0) return (ra < 0 ? LEADING_KEYS.length : ra) - (rb < 0 ? LEADING_KEYS.length : rb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The common case without the yaml library's Document: maps, sequences, booleans, safe integers and strings of
 * "word" characters, printed exactly as the library prints them with our options (a differential property test,
 * test/property/yaml-fast.test.ts, holds the two to the same bytes). Building and visiting a Document per manifest
 * was most of the Kubernetes emitter's time at 300 workloads. Anything else (other strings, floats, block
 * scalars) returns undefined and goes through the library.
 */
export function printSimpleYaml(data: unknown): string | undefined {
  if (isCollection(data)) {
    if (isEmpty(data)) return Array.isArray(data) ? '[]\n' : '{}\n';
    const lines = Array.isArray(data) ? seqLines(data, '') : mapLines(data as Record<string, unknown>, '');
    return lines === undefined ? undefined : `${lines.join('\n')}\n`;
  }
  const text = scalarText(data);
  return text === undefined ? undefined : `${text}\n`;
}

/** Characters that never need escaping and never start a comment or a mapping inside a block-context scalar. */
const SIMPLE_STRING = /^[A-Za-z0-9_./@%+=,:~[\]{}!&*-]+$/;
/** A plain scalar cannot start with these (YAML indicators), so the library double-quotes such strings. */
const INDICATOR_FIRST = /^[[\]{}@%!&*,]/;
/** First characters after which the library keeps a string plain (unless it reads as another type). */
const PLAIN_FIRST = /^([A-Za-z0-9_./]|-.)/;

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  if (v === '' || v === '-') return `"${v}"`;
  if (!SIMPLE_STRING.test(v) || v.endsWith(':')) return undefined;
  // none of these characters needs escaping inside double quotes
  if (INDICATOR_FIRST.test(v)) return `"${v}"`;
  if (!PLAIN_FIRST.test(v)) return undefined;
  return readsAsOtherThan(v, '1.1') || readsAsOtherThan(v, '1.2') ? `"${v}"` : v;
}

/** A scalar or an empty collection, written on its key's or dash's line. */
function inlineText(v: unknown): string | undefined {
  return isCollection(v) ? (Array.isArray(v) ? '[]' : '{}') : scalarText(v);
}

function isCollection(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isEmpty(v: object): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

function mapLines(map: Record<string, unknown>, indent: string): string[] | undefined {
  const out: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    const key = scalarText(k);
    if (key === undefined) return undefined;
    const nested = valueLines(v, indent, `${indent}${key}:`);
    if (nested === undefined) return undefined;
    out.push(...nested);
  }
  return out;
}

/** A map entry's value: on the key's line when scalar or empty, else the block below it, indented. */
function valueLines(v: unknown, indent: string, head: string): string[] | undefined {
  if (!isCollection(v) || isEmpty(v)) {
    const text = inlineText(v);
    return text === undefined ? undefined : [`${head} ${text}`];
  }
  const inner = `${indent}  `;
  const body = Array.isArray(v) ? seqLines(v, inner) : mapLines(v as Record<string, unknown>, inner);
  return body === undefined ? undefined : [head, ...body];
}

function seqLines(seq: readonly unknown[], indent: string): string[] | undefined {
  const out: string[] = [];
  for (const item of seq) {
    if (!isCollection(item) || isEmpty(item)) {
      const text = inlineText(item);
      if (text === undefined) return undefined;
      out.push(`${indent}- ${text}`);
      continue;
    }
    // a collection item starts on the dash's line, the rest aligned two columns in
    const inner = `${indent}  `;
    const body = Array.isArray(item) ? seqLines(item, inner) : mapLines(item as Record<string, unknown>, inner);
    if (body === undefined) return undefined;
    out.push(`${indent}- ${body[0].slice(inner.length)}`, ...body.slice(1));
  }
  return out;
}
