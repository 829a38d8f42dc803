import { HujsonSyntaxError, parseHujson, standardizeHujsonFast } from '../core/canonical/hujson';
import { type Diagnostic, hasErrors, sortDiagnostics } from '../core/diagnostics';
import { diag } from '../core/errors';
import { POLICY_CODES } from './codes';
import type { AclRule, Grant, NodeAttr, PolicyFile, SectionName, SshRule, SshTest } from './model';
import type { Locate, ValueSource } from './source';
import { collectDefinitions, type ValidateOptions, ValidationContext } from './validate-context';
import {
  validateAutoApprovers,
  validateGroups,
  validateHosts,
  validateIpsets,
  validateNodeAttr,
  validatePostures,
  validateTagOwners,
} from './validate-defs';
import { validateAcl, validateGrant } from './validate-rules';
import { validateSshRule, validateSshTest } from './validate-ssh';
import { parseStructure } from './validate-structure';

export type { ValidateOptions } from './validate-context';

export type PolicyInput =
  | { readonly text: string; readonly file: string }
  | { readonly value: unknown; readonly file: string; readonly locate?: Locate };

export interface PolicyValidation {
  /** Present only when the file has no errors. */
  readonly policy?: PolicyFile;
  readonly diagnostics: Diagnostic[];
  /** The parsed value with positions (absent on a syntax error), for later diagnostics about the same file. */
  readonly source?: ValueSource;
}

/** Parses HuJSON text into a positioned source, or a TN5001 diagnostic. */
export function readPolicySource(input: PolicyInput): ValueSource | Diagnostic {
  if (!('text' in input)) return input;
  const plain = parsePlainJson(input.text);
  if (plain !== undefined) return { value: plain, file: input.file, locate: lazyLocate(input.text, input.file) };
  try {
    const doc = parseHujson(input.text, input.file);
    return { value: doc.value, file: input.file, locate: (path) => doc.locate(path) };
  } catch (e) {
    if (!(e instanceof HujsonSyntaxError)) throw e;
    return diag(
      POLICY_CODES.syntax,
      `${e.file}:${e.line}:${e.col}`,
      e.reason,
      'fix the HuJSON syntax (JSON plus comments and trailing commas)',
    );
  }
}

/**
 * Plain JSON (device lists, policy.json), and HuJSON made standard, goes through the native parser, several times faster than the HuJSON
 * parser on large files; positions are only needed for diagnostics, so the HuJSON parse that gives them runs on
 * the first `locate` (issue 9). Duplicate keys keep the last value here, as Go's encoding/json (and so Tailscale)
 * does.
 */
function parsePlainJson(text: string): unknown {
  // HuJSON (comments, trailing commas) is first made standard JSON in one pass, offsets kept
  const standard =
    text.includes('//') || text.includes('/*') || /,\s*[\]}]/.test(text) ? standardizeHujsonFast(text) : text;
  if (standard === undefined) return undefined;
  try {
    return JSON.parse(standard) as unknown;
  } catch {
    return undefined;
  }
}

/** A `locate` that parses the text for positions on first use. */
export function lazyLocate(text: string, file: string): Locate {
  let doc: ReturnType<typeof parseHujson> | undefined;
  return (path) => {
    doc ??= parseHujson(text, file);
    return doc.locate(path);
  };
}

/**
 * Validates a policy file with Tailscale's rules (or headscale's, §15) and reports every problem at once,
 * with `file:line:col` positions and SaaS wording where known (§12).
 */
export function validatePolicy(input: PolicyInput, options: ValidateOptions): PolicyValidation {
  const source = readPolicySource(input);
  if (!('value' in source)) return { diagnostics: [source] };
  const bootstrap = new ValidationContext(source, options, collectDefinitions({}, options.dialect));
  const structure = parseStructure(bootstrap, source.value);
  const ctx = new ValidationContext(source, options, collectDefinitions(structure.policy, options.dialect));
  validateSemantics(ctx, structure.policy, structure.elements);
  const diagnostics = sortDiagnostics([...bootstrap.diagnostics, ...ctx.diagnostics]);
  return hasErrors(diagnostics) ? { diagnostics, source } : { policy: structure.policy, diagnostics, source };
}

function validateSemantics(
  ctx: ValidationContext,
  policy: PolicyFile,
  elements: ReadonlyMap<SectionName, ReadonlyArray<readonly [number, unknown]>>,
): void {
  const each = <T>(section: SectionName, check: (ctx: ValidationContext, element: T, index: number) => void) => {
    for (const [index, element] of elements.get(section) ?? []) check(ctx, element as T, index);
  };
  if (policy.groups) validateGroups(ctx, policy.groups);
  if (policy.tagOwners) validateTagOwners(ctx, policy.tagOwners);
  if (policy.hosts) validateHosts(ctx, policy.hosts);
  if (policy.ipsets) validateIpsets(ctx, policy);
  validatePostures(ctx, policy);
  if (policy.autoApprovers) validateAutoApprovers(ctx, policy.autoApprovers);
  each<AclRule>('acls', validateAcl);
  each<Grant>('grants', validateGrant);
  each<SshRule>('ssh', validateSshRule);
  each<NodeAttr>('nodeAttrs', validateNodeAttr);
  each<SshTest>('sshTests', validateSshTest);
}
