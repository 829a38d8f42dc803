import { type IResolvable, listMapper, listMapperHcl, Token, Tokenization } from 'cdktf';

/**
 * Field tables: the one place where a typed camelCase config property is tied to its Terraform (snake_case)
 * attribute name and type. cdktf does not snake-case resource attributes (facts/terraform.md §3.5), so every
 * L1 class synthesizes through these tables, for JSON (`synthesizeFields`) and HCL (`synthesizeHclFields`) alike.
 */

/** Terraform attribute types used by the Tailscale provider (every collection holds strings). */
export type FieldKind = 'string' | 'bool' | 'number' | 'list' | 'set' | 'map';

export interface AttributeField {
  /** Terraform attribute name, exactly as in the provider schema. */
  readonly tf: string;
  readonly kind: FieldKind;
  /**
   * The value is user text, never a Terraform expression (a policy file, a JSON credential blob): literal `${`
   * and `%{` are escaped with {@link escapeTemplate}; embedded cdktf tokens still resolve.
   */
  readonly literal?: boolean;
}

export interface BlockField {
  readonly tf: string;
  readonly kind: 'block';
  /** `list` keeps order, `set` does not (provider schema `nesting`). */
  readonly nesting: 'list' | 'set';
  // biome-ignore lint/suspicious/noExplicitAny: element tables are checked where they are declared (see block()).
  readonly fields: FieldTable<any>;
}

export type Field = AttributeField | BlockField;

/** One field per config property; `-?` makes forgetting a property a compile error. */
export type FieldTable<T> = { readonly [K in keyof T]-?: Field };

export const str = (tf: string, options: { literal?: boolean } = {}): AttributeField => ({
  tf,
  kind: 'string',
  ...options,
});
export const bool = (tf: string): AttributeField => ({ tf, kind: 'bool' });
export const num = (tf: string): AttributeField => ({ tf, kind: 'number' });
export const list = (tf: string): AttributeField => ({ tf, kind: 'list' });
export const set = (tf: string): AttributeField => ({ tf, kind: 'set' });
export const map = (tf: string): AttributeField => ({ tf, kind: 'map' });

/** A nested block whose elements are typed `E`; `fields` must cover every property of `E`. */
export function block<E>(tf: string, nesting: 'list' | 'set', fields: FieldTable<E>): BlockField {
  return { tf, kind: 'block', nesting, fields };
}

/** Value types of config properties, by Terraform type. Booleans may be tokens (`IResolvable`). */
export type BoolValue = boolean | IResolvable;
/**
 * Nested blocks: a list of plain objects, or one token standing for the whole list (e.g. a dynamic iterator).
 * A single plain object is accepted too and written as a one-element array.
 */
export type BlockValue<E> = readonly E[] | IResolvable;

/** cdktf's string-token marker (`${TfToken[TOKEN.12]}`), see cdktf/lib/tokens/private/encoding. */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * Makes literal text safe inside a Terraform JSON string, where every string is a template: `${` → `$${`,
 * `%{` → `%%{` (facts/terraform.md §3.3). cdktf tokens embedded in the text (references, variables) are kept
 * as they are, so `escapeTemplate(\`a ${variable.stringValue}\`)` still interpolates the variable. `$` signs right
 * before a token would glue onto the token's `${` and turn it into an escape, so they are written as `${"$"}`.
 * Not idempotent by design: it maps text to the template that evaluates to exactly that text.
 */
export function escapeTemplate(text: string): string {
  if (!Token.isUnresolved(text)) return escapeLiteral(text);
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(STRING_TOKEN)) {
    const index = match.index ?? 0;
    parts.push(escapeLiteral(text.slice(last, index), true), match[0]);
    last = index + match[0].length;
  }
  parts.push(escapeLiteral(text.slice(last)));
  return parts.join('');
}

function escapeLiteral(text: string, beforeToken = false): string {
  // Function replacers: in a replacement *string*, `$$` would collapse to `$`.
  const escaped = text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  // `$` (or `$$`…) right before a token would form `$${` with the token's own `${`: interpolate it instead.
  return beforeToken ? escaped.replace(/\$+$/, (run) => `\${"${run}"}`) : escaped;
}

type Values = Readonly<Record<string, unknown>>;

/** Config object → Terraform JSON attributes (snake_case), omitting `undefined`/`null`. */
export function synthesizeFields<T extends object>(fields: FieldTable<T>, values: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields) as [string, Field][]) {
    const value = (values as Values)[key];
    if (value === undefined || value === null) continue;
    out[field.tf] = toTerraformValue(field, value);
  }
  return out;
}

function toTerraformValue(field: Field, value: unknown): unknown {
  if (field.kind === 'block') {
    const elements = asBlockList(value);
    return listMapper((element) => mapBlockElement(element, (e) => synthesizeFields(field.fields, e)), true)(elements);
  }
  return field.literal && typeof value === 'string' ? escapeTemplate(value) : value;
}

/** A lone plain object (e.g. `account: { email }` of `tailscale_contacts`) becomes a one-element list. */
function asBlockList(value: unknown): unknown {
  return isPlainObject(value) && !Tokenization.isResolvable(value) ? [value] : value;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function mapBlockElement(element: unknown, map: (e: object) => unknown): unknown {
  return Tokenization.isResolvable(element) || typeof element !== 'object' || element === null ? element : map(element);
}

/** The `{ value, isBlock, type, storageClassType }` shape cdktf's HCL renderer expects. */
export interface HclAttribute {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: 'simple' | 'list' | 'set' | 'map';
  readonly storageClassType: string;
}

const HCL_SHAPES: Record<FieldKind, Pick<HclAttribute, 'type' | 'storageClassType'>> = {
  string: { type: 'simple', storageClassType: 'string' },
  bool: { type: 'simple', storageClassType: 'boolean' },
  number: { type: 'simple', storageClassType: 'number' },
  list: { type: 'list', storageClassType: 'stringList' },
  set: { type: 'set', storageClassType: 'stringList' },
  map: { type: 'map', storageClassType: 'stringMap' },
};

/** Config object → attributes for `cdktf synth --hcl` (the HashiCorp-recommended way off cdktf). */
export function synthesizeHclFields<T extends object>(fields: FieldTable<T>, values: T): Record<string, HclAttribute> {
  const out: Record<string, HclAttribute> = {};
  for (const [key, field] of Object.entries(fields) as [string, Field][]) {
    const value = (values as Values)[key];
    if (value === undefined || value === null) continue;
    out[field.tf] = toHclAttribute(field, value);
  }
  return out;
}

function toHclAttribute(field: Field, value: unknown): HclAttribute {
  if (field.kind === 'block') {
    const elements = asBlockList(value);
    const mapped = listMapperHcl(
      (e) => mapBlockElement(e, (o) => synthesizeHclFields(field.fields, o)),
      true,
    )(elements);
    return { value: mapped, isBlock: true, type: field.nesting, storageClassType: `${field.tf}List` };
  }
  const rendered = toTerraformValue(field, value);
  const safe = field.literal && typeof rendered === 'string' ? hclQuoteSafe(rendered) : rendered;
  return { value: safe, isBlock: false, ...HCL_SHAPES[field.kind] };
}

/**
 * cdktf's HCL renderer writes one-line strings as `"…"` but skips escaping quotes when the text contains `${`,
 * which an escaped policy does (`$${`); multi-line strings become heredocs and need nothing. So one-line literal
 * text without tokens is escaped here (`\` and `"`); the renderer leaves an already escaped quote alone.
 */
function hclQuoteSafe(text: string): string {
  if (/[\r\n]/.test(text) || Token.isUnresolved(text)) return text;
  return text.replace(/[\\"]/g, (c) => `\\${c}`);
}
