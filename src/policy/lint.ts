import { type Diagnostic, sortDiagnostics } from '../core/diagnostics';
import { type CodeInfo, diag } from '../core/errors';
import { LINT_CODES } from './codes';
import type { Inventory } from './inventory';
import { lintRules } from './lint-rules';
import { lintTests } from './lint-tests';
import type { PolicyFile } from './model';
import { classifySelector, type Dialect, splitAclDestination, splitTestDestination, tagKey } from './selectors';
import { type JsonPath, positionLabel, type ValueSource } from './source';

/**
 * `tailnet-cdk lint`: findings on a *valid* policy that Tailscale would accept but that are probably not what the
 * author meant — definitions nothing uses, rules that do nothing or repeat a broader rule, `*` → `*` access,
 * exit-node use granted as a side effect of `*`, tags only admins can apply, tests that exercise no rule.
 * Checks that need devices (rules matching no device, redundancy judged on real device sets) run only with an
 * inventory; without one, redundancy is judged on the selectors as written.
 */
export interface LintOptions {
  readonly dialect?: Dialect;
  /** The tailnet's devices. Without it, device-dependent checks are skipped. */
  readonly inventory?: Inventory;
  /**
   * Devices known to exist without being all of them (a stack's declared inventory: its servers, not its users'
   * own devices). Tags they carry count as used; the device-dependent checks stay off.
   */
  readonly declaredDevices?: Inventory;
}

export interface LintInput {
  readonly policy: PolicyFile;
  readonly source: ValueSource;
}

/** Reports at a canonical JSON path of the policy file. */
export type LintReport = (code: CodeInfo, path: JsonPath, message: string, hint?: string) => void;

export function lintPolicy(input: LintInput, options: LintOptions = {}): Diagnostic[] {
  const dialect = options.dialect ?? 'tailscale';
  const diagnostics: Diagnostic[] = [];
  const report: LintReport = (code, path, message, hint) =>
    diagnostics.push(diag(code, positionLabel(input.source, path), message, hint));
  const devices = options.inventory ?? options.declaredDevices;
  lintDefinitions(input.policy, dialect, report, devices);
  lintTagOwnership(input.policy, dialect, report);
  lintRules(input.policy, { dialect, inventory: options.inventory }, report, (path) =>
    positionLabel(input.source, path),
  );
  lintTests(input.policy, { dialect, inventory: options.inventory }, report);
  return sortDiagnostics(diagnostics);
}

interface References {
  readonly groups: Set<string>;
  readonly tags: Set<string>;
  readonly hosts: Set<string>;
  readonly ipsets: Set<string>;
  readonly postures: Set<string>;
}

/** Every name the policy refers to, outside its own definition (a tag owning itself, an ipset including itself). */
function collectReferences(policy: PolicyFile, dialect: Dialect): References {
  const refs: References = {
    groups: new Set(),
    tags: new Set(),
    hosts: new Set(),
    ipsets: new Set(),
    postures: new Set(),
  };
  const selector = (text: string, self?: string) => {
    const sel = classifySelector(text);
    if (sel.kind === 'group') refs.groups.add(sel.name);
    else if (sel.kind === 'tag' && tagKey(sel.name, dialect) !== self) refs.tags.add(tagKey(sel.name, dialect));
    else if (sel.kind === 'host') refs.hosts.add(sel.name);
    else if (sel.kind === 'ipset' && sel.name !== self) refs.ipsets.add(sel.name);
  };
  const all = (texts: readonly string[] | null | undefined) => {
    for (const t of texts ?? []) selector(t);
  };
  const postures = (names: readonly string[] | null | undefined) => {
    for (const n of names ?? []) refs.postures.add(n.trim());
  };
  for (const acl of policy.acls ?? []) {
    all(acl.src);
    all(acl.dst.map(aclHost));
    postures(acl.srcPosture);
  }
  for (const g of [...(policy.grants ?? []), ...(policy.ssh ?? [])]) {
    all(g.src);
    all(g.dst);
    postures(g.srcPosture);
    if ('via' in g) all(g.via);
  }
  for (const [tag, owners] of Object.entries(policy.tagOwners ?? {}))
    for (const o of owners) selector(o, tagKey(tag, dialect));
  collectApproverReferences(policy, all);
  for (const n of policy.nodeAttrs ?? []) all(n.target);
  for (const t of policy.tests ?? []) {
    selector(t.src);
    all([...(t.accept ?? []), ...(t.deny ?? [])].map(testHost));
  }
  for (const t of policy.sshTests ?? []) all([t.src, ...t.dst]);
  for (const [name, ops] of Object.entries(policy.ipsets ?? {})) {
    for (const op of ops) {
      const target = op.trim().replace(/^(add|remove)\s+/, '');
      if (target.startsWith('host:')) refs.hosts.add(target.slice(5));
      else selector(target, name.trim());
    }
  }
  postures(policy.defaultSrcPosture);
  return refs;
}

function aclHost(dst: string): string {
  const split = splitAclDestination(dst);
  return split.ok ? split.value.host : dst;
}

function testHost(dst: string): string {
  const split = splitTestDestination(dst);
  return split.ok ? split.value.host : dst;
}

function collectApproverReferences(policy: PolicyFile, all: (texts: readonly string[]) => void): void {
  const approvers = policy.autoApprovers ?? {};
  for (const list of Object.values(approvers.routes ?? {})) all(list);
  all(approvers.exitNode ?? []);
  for (const [key, list] of Object.entries(approvers.services ?? {})) all([key, ...list]);
}

function lintDefinitions(policy: PolicyFile, dialect: Dialect, report: LintReport, devices?: Inventory): void {
  const refs = collectReferences(policy, dialect);
  // A tag devices carry is in use as their identity, even when no rule names it.
  for (const d of devices?.devices ?? []) for (const t of d.tags) refs.tags.add(tagKey(t, dialect));
  const unused = (
    section: keyof PolicyFile,
    used: Set<string>,
    code: CodeInfo,
    what: string,
    norm = (k: string) => k.trim(),
  ) => {
    for (const name of Object.keys((policy[section] as Record<string, unknown> | undefined) ?? {})) {
      if (used.has(norm(name))) continue;
      report(
        code,
        [section, name],
        `${what} "${name}" is defined but nothing refers to it`,
        `remove it, or use it in a rule`,
      );
    }
  };
  unused('groups', refs.groups, LINT_CODES.unusedGroup, 'group');
  unused('hosts', refs.hosts, LINT_CODES.unusedHost, 'host');
  unused('ipsets', refs.ipsets, LINT_CODES.unusedIpset, 'IP set');
  unused('postures', refs.postures, LINT_CODES.unusedPosture, 'posture');
  for (const tag of Object.keys(policy.tagOwners ?? {})) {
    if (refs.tags.has(tagKey(tag, dialect))) continue;
    report(
      LINT_CODES.unusedTag,
      ['tagOwners', tag],
      `tag "${tag}" is defined but ${devices ? 'no device carries it and ' : ''}no rule, auto-approver, node attribute, test or other tag refers to it`,
      'use it in a rule, or remove it',
    );
  }
}

/**
 * §8.2: `[]` means admins only, by choice. A non-empty owner list whose every owner is an empty group or a tag that no
 * user can apply either (cycles included) leaves the tag to admins by accident.
 */
function lintTagOwnership(policy: PolicyFile, dialect: Dialect, report: LintReport): void {
  const owners = new Map(Object.entries(policy.tagOwners ?? {}).map(([t, o]) => [tagKey(t, dialect), o]));
  const ownable = new Set<string>();
  const ownerWorks = (o: string): boolean => {
    const sel = classifySelector(o);
    if (sel.kind === 'group') return (policy.groups?.[sel.name] ?? []).length > 0;
    if (sel.kind === 'tag') return ownable.has(tagKey(sel.name, dialect));
    return sel.kind === 'user' || sel.kind === 'autogroup' || sel.kind === 'domainUsers';
  };
  // Fixpoint: a tag becomes ownable once one of its owners is; tag chains are short, so a few passes suffice.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [tag, list] of owners) {
      if (ownable.has(tag) || !(list.length === 0 || list.some(ownerWorks))) continue;
      ownable.add(tag);
      changed = true;
    }
  }
  for (const tag of Object.keys(policy.tagOwners ?? {})) {
    if (ownable.has(tagKey(tag, dialect))) continue;
    report(
      LINT_CODES.unownableTag,
      ['tagOwners', tag],
      `tag "${tag}" can be applied only by admins: its owners (${policy.tagOwners![tag].join(', ')}) are empty groups or tags no user can apply`,
      'add a user, a group with members or an autogroup as owner, or write [] to say "admins only"',
    );
  }
}
