import type { z } from 'zod';
import {
  HEADSCALE_SECTIONS,
  LEGACY_ACL_FIELDS,
  type PolicyFile,
  SECTION_NAMES,
  SECTION_SCHEMAS,
  type SectionName,
} from './model';
import type { Dialect } from './selectors';
import { describePath, type JsonPath } from './source';
import type { ValidationContext } from './validate-context';

/**
 * First validation pass: JSON types and unknown fields (Tailscale and headscale both reject unknown fields, §2/§15).
 * Each array element is parsed on its own, so one malformed rule does not hide the problems of the others, and
 * elements keep their file index (rule references stay valid).
 */
export interface StructuredPolicy {
  /** Sections that parsed; arrays hold only their well-formed elements. */
  readonly policy: PolicyFile;
  /** For array sections: [file index, element] of each well-formed element. */
  readonly elements: ReadonlyMap<SectionName, ReadonlyArray<readonly [number, unknown]>>;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function jsonType(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x;
}

/** Maps case variants (§1) and, for Tailscale, legacy aliases (§2) onto the schema's canonical keys. */
function canonicalKeys(
  obj: Record<string, unknown>,
  schema: z.ZodType,
  section: SectionName,
  dialect: Dialect,
): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const byLower = new Map(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    // headscale ignores `#`-prefixed keys in ACL rules (headscale-admin metadata, §15).
    if (dialect === 'headscale' && section === 'acls' && key.startsWith('#')) continue;
    let canonical = byLower.get(key.toLowerCase()) ?? key;
    if (dialect === 'tailscale' && section === 'acls' && LEGACY_ACL_FIELDS[key.toLowerCase()]) {
      canonical = LEGACY_ACL_FIELDS[key.toLowerCase()];
    }
    if (dialect === 'tailscale' && section === 'tests' && key.toLowerCase() === 'allow') canonical = 'accept';
    out[Object.hasOwn(out, canonical) ? key : canonical] = value;
  }
  return out;
}

function reportIssues(
  ctx: ValidationContext,
  issues: readonly z.core.$ZodIssue[],
  base: JsonPath,
  input: unknown,
): void {
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        ctx.error(
          ctx.codes.unknownField,
          [...path, key],
          `unknown field: "${key}"`,
          unknownFieldHint(ctx.dialect, key),
        );
      }
      continue;
    }
    const actual = valueAtLocal(input, issue.path as (string | number)[]);
    if (issue.code === 'invalid_type' && actual === undefined) {
      const field = path[path.length - 1];
      ctx.error(
        ctx.codes.wrongType,
        path.slice(0, -1),
        `${describePath(path.slice(0, -1))}: missing required field "${field}"`,
      );
      continue;
    }
    const expected = issue.code === 'invalid_type' ? issue.expected : undefined;
    const message = expected
      ? `${describePath(path)}: expected ${expected}, got ${jsonType(actual)}`
      : `${describePath(path)}: ${issue.message}`;
    ctx.error(ctx.codes.wrongType, path, message);
  }
}

function valueAtLocal(input: unknown, path: readonly (string | number)[]): unknown {
  let cur = input;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function unknownFieldHint(dialect: Dialect, key: string): string {
  if (dialect === 'headscale' && (SECTION_NAMES as string[]).includes(key))
    return `headscale does not support "${key}"`;
  if (dialect === 'headscale' && (key === 'users' || key === 'ports'))
    return 'headscale removed the legacy ACL fields: use src and dst';
  return 'check the spelling; see the policy file reference for the allowed fields';
}

function sectionFor(key: string, dialect: Dialect): SectionName | undefined {
  const section =
    SECTION_NAMES.find((s) => s === key) ?? SECTION_NAMES.find((s) => s.toLowerCase() === key.toLowerCase());
  if (!section) return undefined;
  return dialect === 'headscale' && !HEADSCALE_SECTIONS.has(section) ? undefined : section;
}

export function parseStructure(ctx: ValidationContext, raw: unknown): StructuredPolicy {
  const policy: Record<string, unknown> = {};
  const elements = new Map<SectionName, Array<readonly [number, unknown]>>();
  if (!isRecord(raw)) {
    ctx.error(ctx.codes.wrongType, [], `policy must be a JSON object, got ${jsonType(raw)}`);
    return { policy, elements };
  }
  for (const [key, value] of Object.entries(raw)) {
    const section = sectionFor(key, ctx.dialect);
    if (!section) {
      ctx.error(ctx.codes.unknownField, [key], `unknown field: "${key}"`, unknownFieldHint(ctx.dialect, key));
      continue;
    }
    const spec = SECTION_SCHEMAS[section];
    if ('element' in spec) {
      const parsed = parseElements(ctx, section, value, spec.element);
      if (parsed) {
        elements.set(section, parsed);
        policy[section] = parsed.map(([, v]) => v);
      }
    } else {
      const input =
        isRecord(value) && section === 'autoApprovers' ? canonicalKeys(value, spec.whole, section, ctx.dialect) : value;
      if (ctx.dialect === 'headscale' && section === 'autoApprovers' && isRecord(input) && 'services' in input) {
        ctx.error(
          ctx.codes.unknownField,
          [section, 'services'],
          'unknown field: "services"',
          'headscale does not support autoApprovers.services',
        );
        delete input.services;
      }
      const result = spec.whole.safeParse(input);
      if (result.success) policy[section] = result.data;
      else reportIssues(ctx, result.error.issues, [section], input);
    }
  }
  return { policy: policy as PolicyFile, elements };
}

function parseElements(
  ctx: ValidationContext,
  section: SectionName,
  value: unknown,
  schema: z.ZodType,
): Array<readonly [number, unknown]> | undefined {
  if (value === null) return [];
  if (!Array.isArray(value)) {
    ctx.error(ctx.codes.wrongType, [section], `${section}: expected array, got ${jsonType(value)}`);
    return undefined;
  }
  const out: Array<readonly [number, unknown]> = [];
  value.forEach((element, i) => {
    const input = isRecord(element) ? canonicalKeys(element, schema, section, ctx.dialect) : element;
    const result = schema.safeParse(input);
    if (result.success) out.push([i, result.data]);
    else reportIssues(ctx, result.error.issues, [section, i], input);
  });
  return out;
}
