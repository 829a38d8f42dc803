import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Types and loader for the machine-readable schema of the Tailscale provider (facts/tf-tailscale-schema.json,
 * provider v0.29.2). The repo keeps its own copy at test/fixtures/terraform/tf-tailscale-schema.json so neither
 * the checker nor the tests need the shared facts folder at run time; a unit test keeps the two equal when the
 * facts folder is present.
 */

export interface SchemaAttribute {
  /** `string | bool | number | list(string) | set(string) | map(string)`. */
  readonly type: string;
  readonly required: boolean;
  readonly optional: boolean;
  /** With `optional`: the provider fills it when unset. Alone: read-only output. */
  readonly computed: boolean;
  readonly sensitive?: boolean;
  /** Changing the value replaces the resource. */
  readonly forceNew?: boolean;
  /** Number attribute backed by an integer type. */
  readonly integer?: boolean;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Names of attributes of which exactly one must be set (this one included). */
  readonly exactlyOneOf?: readonly string[];
  readonly description?: string;
}

export interface SchemaBody {
  readonly attributes: Readonly<Record<string, SchemaAttribute>>;
  readonly blocks?: Readonly<Record<string, SchemaBlock>>;
  readonly description?: string;
}

export interface SchemaBlock extends SchemaBody {
  /** `list` keeps order, `set` does not. */
  readonly nesting: 'list' | 'set';
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Output of a data source; must not be configured. */
  readonly readOnly?: boolean;
}

export interface TailscaleProviderSchema {
  /** e.g. `v0.29.2`. */
  readonly providerVersion: string;
  readonly suggestedVersionConstraint: string;
  readonly provider: SchemaBody;
  readonly resources: Readonly<Record<string, SchemaBody>>;
  readonly dataSources: Readonly<Record<string, SchemaBody>>;
}

/** From src/emit/terraform/l1/ to the repo root, then the fixture. */
export const TAILSCALE_SCHEMA_FILE = path.resolve(
  __dirname,
  '../../../../test/fixtures/terraform/tf-tailscale-schema.json',
);

let cached: TailscaleProviderSchema | undefined;

/** Reads (and caches) the schema; pass `file` to read another copy, e.g. the shared facts file. */
export function loadTailscaleSchema(file: string = TAILSCALE_SCHEMA_FILE): TailscaleProviderSchema {
  const read = () => JSON.parse(readFileSync(file, 'utf8')) as TailscaleProviderSchema;
  if (file !== TAILSCALE_SCHEMA_FILE) return read();
  cached ??= read();
  return cached;
}

/** Attribute that may appear in configuration (required, optional, or optional + computed). */
export function isConfigurable(attribute: SchemaAttribute): boolean {
  return attribute.required || attribute.optional;
}

/** Names a configuration may use in a body: configurable attributes and blocks that are not read-only. */
export function configurableNames(body: SchemaBody): string[] {
  const attributes = Object.entries(body.attributes).filter(([, a]) => isConfigurable(a));
  const blocks = Object.entries(body.blocks ?? {}).filter(([, b]) => !b.readOnly);
  return [...attributes, ...blocks].map(([name]) => name).sort();
}
