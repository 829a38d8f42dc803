import type { Diagnostic } from '../core/diagnostics';
import { type CodeInfo, diag } from '../core/errors';
import { POLICY_CODES } from './codes';
import type { PolicyFile } from './model';
import { type Dialect, tagKey } from './selectors';
import { type JsonPath, positionLabel, type ValueSource } from './source';

export interface ValidateOptions {
  readonly dialect: Dialect;
  /**
   * The tailnet's domains (`example.com`, …). When given, `user:*@d` and `localpart:*@d` must use one of them (§7);
   * when omitted that check is skipped because the validator cannot know the tailnet's domains.
   */
  readonly tailnetDomains?: readonly string[];
}

/** Names the policy defines, gathered before rules are checked so every reference can be resolved. */
export interface Definitions {
  /** Tag keys (lower-cased on Tailscale, §3.3). */
  readonly tags: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly hosts: ReadonlyMap<string, string>;
  readonly ipsets: ReadonlySet<string>;
  readonly postures: ReadonlySet<string>;
}

export function collectDefinitions(policy: PolicyFile, dialect: Dialect): Definitions {
  return {
    tags: new Set(Object.keys(policy.tagOwners ?? {}).map((t) => tagKey(t, dialect))),
    groups: new Set(Object.keys(policy.groups ?? {}).map((g) => g.trim())),
    hosts: new Map(Object.entries(policy.hosts ?? {}).map(([k, v]) => [k.trim(), v])),
    ipsets: new Set(Object.keys(policy.ipsets ?? {}).map((k) => k.trim())),
    postures: new Set(Object.keys(policy.postures ?? {}).map((k) => k.trim())),
  };
}

/** Collects every diagnostic of one validation run (all errors, not just the first, unlike SaaS §12). */
export class ValidationContext {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly source: ValueSource,
    readonly options: ValidateOptions,
    readonly defs: Definitions,
  ) {}

  get dialect(): Dialect {
    return this.options.dialect;
  }

  get codes(): typeof POLICY_CODES {
    return POLICY_CODES;
  }

  at(path: JsonPath): string {
    return positionLabel(this.source, path);
  }

  error(code: CodeInfo, path: JsonPath, message: string, hint?: string): void {
    this.diagnostics.push(diag(code, this.at(path), message, hint));
  }

  hasTag(tag: string): boolean {
    return this.defs.tags.has(tagKey(tag, this.dialect));
  }

  /** §7: `user:*@d` / `localpart:*@d` domains must belong to the tailnet (only checked when domains are known). */
  isForeignDomain(domain: string): boolean {
    const domains = this.options.tailnetDomains;
    if (!domains || domain === 'passkey') return false;
    return !domains.includes(domain);
  }
}
