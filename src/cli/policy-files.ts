import * as fs from 'node:fs';
import * as path from 'node:path';
import { type HujsonDocument, HujsonSyntaxError, parseHujson } from '../core/canonical/hujson';
import type { Diagnostic } from '../core/diagnostics';
import { CORE_CODES, diag } from '../core/errors';
import {
  type Dialect,
  type Inventory,
  type InventoryParse,
  type PolicyValidation,
  parseInventory,
  type RuleRef,
  validatePolicy,
} from '../policy';
import { POLICY_CODES } from '../policy/codes';
import { positionLabel, rawPath, type ValueSource } from '../policy/source';
import { UsageError } from './exit';

/**
 * Reading the inputs of the policy commands (validate, test, explain, plan, lint): policy files, device inventories
 * and the stacks under out/, and naming rules the way a reviewer finds them again: `file:line:col` plus the
 * construct path from the provenance comment synth writes above every rule (`// kernelcore/AdminsSsh`).
 */
export interface LoadedPolicy {
  readonly file: string;
  readonly validation: PolicyValidation;
  readonly locate: RuleLocator;
}

export interface RuleLocation {
  /** `file:line:col` of the rule (or test) element. */
  readonly at: string;
  /** Construct path from the provenance comment above the element, for synthesized policies. */
  readonly construct?: string;
}

export type RuleLocator = (ref: { readonly section: string; readonly index: number }) => RuleLocation;

/** A file the user named that cannot be read is a usage problem (wrong path), reported with TN9005. */
export function readInputFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new UsageError(`${CORE_CODES.fileUnreadable.code} cannot read ${file}: ${reason}`);
  }
}

export function loadPolicyText(text: string, file: string, dialect: Dialect = 'tailscale'): LoadedPolicy {
  // Without comments there are no provenance comments to read: the validator's native-JSON fast path will do, and
  // positions are worked out only if a diagnostic or a rule location needs them.
  if (!text.includes('//') && !text.includes('/*')) {
    const validation = validatePolicy({ text, file }, { dialect });
    return { file, validation, locate: ruleLocator(validation.source, undefined) };
  }
  let document: HujsonDocument | undefined;
  try {
    document = parseHujson(text, file);
  } catch (e) {
    if (!(e instanceof HujsonSyntaxError)) throw e;
  }
  // A syntax error is reported by validatePolicy itself (TN5001 with its position).
  const validation = document
    ? validatePolicy({ value: document.value, file, locate: (p) => document.locate(p) }, { dialect })
    : validatePolicy({ text, file }, { dialect });
  return { file, validation, locate: ruleLocator(validation.source, document) };
}

export function loadPolicyFile(file: string, dialect: Dialect = 'tailscale'): LoadedPolicy {
  return loadPolicyText(readInputFile(file), file, dialect);
}

export function loadInventoryText(text: string, file: string): InventoryParse {
  return parseInventory({ text, file });
}

export function loadInventoryFile(file: string): InventoryParse {
  return loadInventoryText(readInputFile(file), file);
}

export const EMPTY_INVENTORY: Inventory = { devices: [] };

/** Rule and test positions, and the construct path of synthesized rules. */
export function ruleLocator(source: ValueSource | undefined, document: HujsonDocument | undefined): RuleLocator {
  return (ref) => {
    if (!source) return { at: '?' };
    const canonical = [ref.section, ref.index];
    const construct = document?.commentsBefore(rawPath(source.value, canonical)).find(isConstructPath);
    return { at: positionLabel(source, canonical), ...(construct ? { construct } : {}) };
  };
}

/** Provenance comments are a bare construct path: `stack/Child/Grand`, no spaces, not a URL. */
function isConstructPath(comment: string): boolean {
  return /^[^\s/:]+(\/[^\s/]+)+$/.test(comment);
}

/** `grants[1] out/kernelcore/policy.hujson:33:3 (kernelcore/ClientsReachServerPorts)`. */
export function formatRule(ref: RuleRef | { section: string; index: number }, loc: RuleLocation): string {
  if (ref.index < 0) return 'implicit allow-all (no acls or grants section)';
  return `${ref.section}[${ref.index}] ${loc.at}${loc.construct ? ` (${loc.construct})` : ''}`;
}

export function ruleJson(
  ref: RuleRef | { section: string; index: number },
  loc: RuleLocation,
): Record<string, unknown> {
  return { section: ref.section, index: ref.index, at: loc.at, ...(loc.construct ? { construct: loc.construct } : {}) };
}

export interface StackFiles {
  readonly stack: string;
  readonly policy: string;
  /** devices.json beside the policy, when synth wrote one. */
  readonly devices?: string;
}

/** Every `out/<stack>/policy.hujson`, sorted by stack name. */
export function stacksUnder(outDir: string): StackFiles[] {
  if (!fs.existsSync(outDir)) return [];
  return fs
    .readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(outDir, e.name, 'policy.hujson')))
    .map((e) => e.name)
    .sort()
    .map((stack) => {
      const devices = path.join(outDir, stack, 'devices.json');
      return {
        stack,
        policy: path.join(outDir, stack, 'policy.hujson'),
        ...(fs.existsSync(devices) ? { devices } : {}),
      };
    });
}

/** `devices.json` next to a policy file (what synth writes), if there is one. */
export function siblingDevices(policyFile: string): string | undefined {
  const candidate = path.join(path.dirname(policyFile), 'devices.json');
  return fs.existsSync(candidate) ? candidate : undefined;
}

/**
 * The Tailscale Services beside a policy (`services.json`, API list format `{"vipServices":[{name, addrs}]}`) as
 * the engine's `services` option, so tests naming `svc:` destinations resolve; undefined when there is none.
 */
export function siblingServices(policyFile: string): Record<string, string[]> | undefined {
  const candidate = path.join(path.dirname(policyFile), 'services.json');
  if (!fs.existsSync(candidate)) return undefined;
  const body = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { vipServices?: { name: string; addrs?: string[] }[] };
  return Object.fromEntries((body.vipServices ?? []).map((s) => [s.name, [...(s.addrs ?? [])]]));
}

/** An inventory that failed to parse: its diagnostics, with the file named. */
export function inventoryProblem(parse: InventoryParse, file: string): Diagnostic[] {
  return parse.diagnostics.length > 0
    ? parse.diagnostics
    : [diag(POLICY_CODES.invalidInventory, file, 'device inventory could not be read')];
}
