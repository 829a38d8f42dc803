import { type Diagnostic, type RelatedLocation, sortDiagnostics } from '../../core/diagnostics';
import { CORE_CODES } from '../../core/errors';
import {
  configurableNames,
  isConfigurable,
  loadTailscaleSchema,
  type SchemaAttribute,
  type SchemaBlock,
  type SchemaBody,
  type TailscaleProviderSchema,
} from './l1/schema';

/**
 * Structural check of synthesized Terraform JSON against the Tailscale provider schema (v0.29.2): every
 * `provider.tailscale`, `resource.tailscale_*` and `data.tailscale_*` body, nested blocks included. It finds what
 * `terraform validate` would, without a Terraform binary: unknown attributes or blocks, missing required ones,
 * computed-only ones set, literal values of the wrong type, block counts. Strings holding `${…}` / `%{…}` are
 * expressions and accepted for any type. Values of sensitive attributes are never quoted in messages.
 */

export { loadTailscaleSchema, TAILSCALE_SCHEMA_FILE, type TailscaleProviderSchema } from './l1/schema';

export interface CheckTerraformJsonOptions {
  /** @default the repo-local copy of the schema (`TAILSCALE_SCHEMA_FILE`) */
  readonly schema?: TailscaleProviderSchema;
}

/** Checks a synthesized Terraform JSON document; returns sorted `TN4002` diagnostics, empty when it conforms. */
export function checkTerraformJson(tfJson: object, options: CheckTerraformJsonOptions = {}): Diagnostic[] {
  const checker = new Checker(options.schema ?? loadTailscaleSchema());
  checker.checkDocument(tfJson as Json);
  return sortDiagnostics(checker.diagnostics);
}

type Json = Readonly<Record<string, unknown>>;
type Kind = 'provider' | 'resource' | 'data source' | 'block';

/** Where a body sits: its JSON path, a readable name for messages, and the construct that produced it. */
interface Place {
  readonly at: string;
  readonly where: string;
  readonly related?: RelatedLocation[];
}

const META_ARGUMENTS: Record<Kind, ReadonlySet<string>> = {
  provider: new Set(['alias', 'version']),
  resource: new Set(['depends_on', 'count', 'for_each', 'provider', 'lifecycle', 'provisioner', 'connection']),
  'data source': new Set(['depends_on', 'count', 'for_each', 'provider', 'lifecycle']),
  block: new Set(),
};

const PROVIDER_SOURCES = new Set(['tailscale/tailscale', 'registry.terraform.io/tailscale/tailscale']);

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly schema: TailscaleProviderSchema) {}

  checkDocument(doc: Json): void {
    const source = asJson(asJson(asJson(doc.terraform)?.required_providers)?.tailscale)?.source;
    if (source !== undefined && !(typeof source === 'string' && PROVIDER_SOURCES.has(source))) {
      this.report(
        'terraform.required_providers.tailscale.source',
        `provider source is ${describe(source)}, expected "tailscale/tailscale"`,
      );
    }
    this.forEachBody(asJson(doc.provider)?.tailscale, 'provider.tailscale', (body, at) =>
      this.checkBody(this.schema.provider, body, at, 'provider', 'tailscale'),
    );
    this.checkSection(doc.resource, 'resource');
    this.checkSection(doc.data, 'data');
  }

  private checkSection(section: unknown, root: 'resource' | 'data'): void {
    const [kind, bodies, others] =
      root === 'resource'
        ? (['resource', this.schema.resources, this.schema.dataSources] as const)
        : (['data source', this.schema.dataSources, this.schema.resources] as const);
    forEachLabel(section, (type, instances) => {
      if (!type.startsWith('tailscale_')) return;
      const schema = bodies[type];
      if (!schema) {
        const hint =
          type in others
            ? `"${type}" is a ${root === 'resource' ? 'data source' : 'resource'}`
            : suggest(type, Object.keys(bodies));
        this.report(
          `${root}.${type}`,
          `unknown ${kind} type "${type}" in provider tailscale ${this.schema.providerVersion}`,
          hint,
        );
        return;
      }
      forEachLabel(instances, (name, value) =>
        this.forEachBody(value, `${root}.${type}.${name}`, (body, at) => this.checkBody(schema, body, at, kind, type)),
      );
    });
  }

  private checkBody(schema: SchemaBody, body: Json, at: string, kind: Kind, type: string): void {
    const place: Place = {
      at,
      where: kind === 'block' ? `block ${type}` : `${kind} ${type}`,
      related: constructOf(body),
    };
    const dynamicBlocks = this.checkDynamic(schema, body.dynamic, place);
    for (const [key, value] of Object.entries(body)) {
      if (key === '//' || key === 'dynamic' || META_ARGUMENTS[kind].has(key)) continue;
      const attribute = schema.attributes[key];
      const block = schema.blocks?.[key];
      if (attribute) this.checkAttribute(attribute, key, value, place);
      else if (block) this.checkBlock(block, key, value, place);
      else
        this.report(
          `${at}.${key}`,
          `unknown attribute or block "${key}" in ${place.where}`,
          unknownKeyHint(key, schema),
          place,
        );
    }
    this.checkPresence(schema, body, dynamicBlocks, place);
    if (kind !== 'block' && kind !== 'provider') this.checkIgnoreChanges(schema, body.lifecycle, place);
  }

  private checkAttribute(attr: SchemaAttribute, key: string, value: unknown, place: Place): void {
    const at = `${place.at}.${key}`;
    if (value === null) return;
    if (!isConfigurable(attr)) {
      this.report(
        at,
        `"${key}" is computed by the provider and cannot be set in ${place.where}`,
        'remove it; read it through the getter of the L1 class',
        place,
      );
      return;
    }
    const problem = typeProblem(attr, value);
    if (problem === undefined) return;
    const got = attr.sensitive ? '(sensitive value)' : describe(value);
    this.report(
      at,
      `"${key}" in ${place.where} must be ${attr.type}${problem.detail}, got ${got}`,
      problem.hint,
      place,
    );
  }

  private checkBlock(block: SchemaBlock, key: string, value: unknown, place: Place): void {
    const at = `${place.at}.${key}`;
    if (block.readOnly) {
      this.report(at, `block "${key}" is read-only output of ${place.where} and cannot be set`, 'remove it', place);
      return;
    }
    if (value === null) return;
    const elements = Array.isArray(value) ? value : [value];
    if (!elements.every(isJsonObject)) {
      const message = `block "${key}" in ${place.where} must be an object or an array of objects, got ${describe(value)}`;
      this.report(at, message, 'a computed list of blocks needs a dynamic block', place);
      return;
    }
    const count = elements.length;
    if (block.minItems !== undefined && count < block.minItems) {
      this.report(
        at,
        `block "${key}" in ${place.where} needs at least ${block.minItems}, got ${count}`,
        undefined,
        place,
      );
    }
    if (block.maxItems !== undefined && count > block.maxItems) {
      this.report(
        at,
        `block "${key}" in ${place.where} allows at most ${block.maxItems}, got ${count}`,
        undefined,
        place,
      );
    }
    elements.forEach((element, i) => {
      this.checkBody(block, element as Json, Array.isArray(value) ? `${at}[${i}]` : at, 'block', key);
    });
  }

  /** `dynamic.<block>.content` is checked like the block itself; returns the names of dynamic blocks. */
  private checkDynamic(schema: SchemaBody, dynamic: unknown, place: Place): Set<string> {
    const names = new Set<string>();
    for (const [name, spec] of Object.entries(asJson(dynamic) ?? {})) {
      names.add(name);
      const block = schema.blocks?.[name];
      const at = `${place.at}.dynamic.${name}`;
      if (!block || block.readOnly) {
        this.report(
          at,
          `unknown block "${name}" in dynamic block of ${place.where}`,
          unknownKeyHint(name, schema),
          place,
        );
        continue;
      }
      const content = asJson(asJson(spec)?.content);
      if (content) this.checkBody(block, content, `${at}.content`, 'block', name);
    }
    return names;
  }

  private checkPresence(schema: SchemaBody, body: Json, dynamicBlocks: ReadonlySet<string>, place: Place): void {
    const isSet = (key: string) => body[key] !== undefined && body[key] !== null;
    for (const [key, attr] of Object.entries(schema.attributes)) {
      if (attr.required && !isSet(key))
        this.report(`${place.at}.${key}`, `missing required attribute "${key}" in ${place.where}`, undefined, place);
    }
    for (const [key, block] of Object.entries(schema.blocks ?? {})) {
      if (block.readOnly || isSet(key) || dynamicBlocks.has(key) || (block.minItems ?? 0) === 0) continue;
      this.report(`${place.at}.${key}`, `missing required block "${key}" in ${place.where}`, undefined, place);
    }
    for (const group of exactlyOneOfGroups(schema)) {
      const given = group.filter(isSet).length;
      if (given !== 1)
        this.report(
          place.at,
          `exactly one of ${group.join(', ')} must be set in ${place.where}, got ${given}`,
          undefined,
          place,
        );
    }
  }

  private checkIgnoreChanges(schema: SchemaBody, lifecycle: unknown, place: Place): void {
    const ignore = asJson(lifecycle)?.ignore_changes;
    if (!Array.isArray(ignore)) return;
    ignore.forEach((entry, i) => {
      const name = typeof entry === 'string' ? entry.split(/[.[]/)[0] : undefined;
      if (name === undefined || name in schema.attributes || name in (schema.blocks ?? {})) return;
      const message = `lifecycle.ignore_changes names "${name}", which is not an attribute of ${place.where}`;
      this.report(`${place.at}.lifecycle.ignore_changes[${i}]`, message, unknownKeyHint(name, schema), place);
    });
  }

  /** A body is an object or (provider configurations, repeated labels) an array of objects. */
  private forEachBody(value: unknown, at: string, visit: (body: Json, at: string) => void): void {
    if (value === undefined) return;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const itemAt = Array.isArray(value) ? `${at}[${i}]` : at;
      if (isJsonObject(item)) visit(item, itemAt);
      else this.report(itemAt, `expected a block body (an object), got ${describe(item)}`);
    });
  }

  private report(at: string, message: string, hint?: string, place?: Place): void {
    const { code, severity } = CORE_CODES.terraformSchema;
    const related = place?.related;
    this.diagnostics.push({ severity, code, path: at, message, ...(hint && { hint }), ...(related && { related }) });
  }
}

/** Type check of one literal value; `undefined` when it fits. */
function typeProblem(attr: SchemaAttribute, value: unknown): { detail: string; hint?: string } | undefined {
  if (typeof value === 'string' && isTemplateExpression(value)) return undefined;
  switch (attr.type) {
    case 'string':
      return typeof value === 'string' ? undefined : { detail: '' };
    case 'bool':
      return typeof value === 'boolean' ? undefined : { detail: '', hint: 'write the JSON literal true or false' };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { detail: '' };
      return attr.integer && !Number.isInteger(value) ? { detail: ' (a whole number)' } : undefined;
    case 'list(string)':
    case 'set(string)':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return { detail: '' };
      if (attr.minItems !== undefined && value.length < attr.minItems)
        return { detail: ` with at least ${attr.minItems} item(s)` };
      return attr.maxItems !== undefined && value.length > attr.maxItems
        ? { detail: ` with at most ${attr.maxItems} item(s)` }
        : undefined;
    case 'map(string)':
      return isJsonObject(value) && Object.values(value).every((v) => typeof v === 'string')
        ? undefined
        : { detail: '' };
    default:
      return undefined;
  }
}

/** True when a JSON string holds a Terraform template sequence: `${` or `%{` not escaped as `$${` / `%%{`. */
export function isTemplateExpression(text: string): boolean {
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if (c !== '$' && c !== '%') continue;
    if (text[i + 1] === c && text[i + 2] === '{') i += 2;
    else if (text[i + 1] === '{') return true;
  }
  return false;
}

function exactlyOneOfGroups(schema: SchemaBody): string[][] {
  const groups = new Map<string, string[]>();
  for (const attr of Object.values(schema.attributes)) {
    if (!attr.exactlyOneOf?.length) continue;
    const group = [...attr.exactlyOneOf].sort();
    groups.set(group.join(','), group);
  }
  return [...groups.values()];
}

function unknownKeyHint(key: string, schema: SchemaBody): string {
  const names = configurableNames(schema);
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  if (snake !== key && names.includes(snake))
    return `Terraform names are snake_case: "${snake}" (cdktf does not convert resource attributes)`;
  return suggest(key, names);
}

function suggest(name: string, candidates: readonly string[]): string {
  const ranked = [...candidates]
    .sort()
    .map((c) => ({ c, d: editDistance(name, c) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 4)) || (name.length >= 4 && c.startsWith(name)))
    .sort((a, b) => a.d - b.d);
  if (ranked.length > 0) return `did you mean "${ranked[0].c}"?`;
  return candidates.length === 0 ? 'no arguments are allowed here' : `allowed: ${[...candidates].sort().join(', ')}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** cdktf writes `"//": { "metadata": { "path": "<construct path>" } }` into every body it synthesizes. */
function constructOf(body: Json): RelatedLocation[] | undefined {
  const constructPath = asJson(asJson(body['//'])?.metadata)?.path;
  return typeof constructPath === 'string'
    ? [{ path: constructPath, message: 'synthesized from this construct' }]
    : undefined;
}

/** HCL JSON allows an object or an array of objects at each label level; visits every (label, value). */
function forEachLabel(value: unknown, visit: (label: string, inner: unknown) => void): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    for (const [label, inner] of Object.entries(asJson(item) ?? {})) visit(label, inner);
  }
}

function asJson(value: unknown): Json | undefined {
  return isJsonObject(value) ? value : undefined;
}

function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'boolean' ? 'bool' : typeof value} ${String(value)}`;
}
