import { Bitset } from './bitset';
import type { RuleRef, SshRule } from './model';
import type { PostureCondition } from './posture';
import type { Resolver } from './resolve';
import { classifySelector } from './selectors';

/**
 * SSH rules (§7) compiled per rule: source and destination device sets plus the login map.
 * `users` semantics: `root` only if listed; `autogroup:nonroot` = any login except root; `localpart:*@d` = the
 * local part of the source user's login when it is in domain d; anything else is a literal login.
 */
export interface SshLoginMap {
  readonly root: boolean;
  readonly nonroot: boolean;
  readonly literals: ReadonlySet<string>;
  readonly localpartDomains: readonly string[];
}

export interface SshUnit {
  readonly ref: RuleRef;
  readonly action: 'accept' | 'check';
  readonly src: Bitset;
  readonly postures?: readonly (readonly PostureCondition[])[];
  readonly dst: Bitset;
  readonly dstSelf: boolean;
  readonly logins: SshLoginMap;
}

export function compileSshRule(
  rule: SshRule,
  index: number,
  resolver: Resolver,
  postures: PostureCondition[][] | undefined,
): SshUnit {
  const src = new Bitset(resolver.size);
  for (const s of rule.src) src.orWith(resolver.identityOf(classifySelector(s)));
  const dst = new Bitset(resolver.size);
  let dstSelf = false;
  for (const d of rule.dst) {
    const sel = classifySelector(d);
    if (sel.kind === 'autogroup' && sel.name === 'autogroup:self') dstSelf = true;
    else dst.orWith(resolver.identityOf(sel));
  }
  return {
    ref: { section: 'ssh', index },
    action: rule.action?.trim() === 'check' ? 'check' : 'accept',
    src,
    ...(postures ? { postures } : {}),
    dst,
    dstSelf,
    logins: compileLogins(rule.users ?? []),
  };
}

function compileLogins(users: readonly string[]): SshLoginMap {
  const literals = new Set<string>();
  const localpartDomains: string[] = [];
  let root = false;
  let nonroot = false;
  for (const raw of users) {
    const u = raw.trim();
    if (u === 'root') root = true;
    else if (u === 'autogroup:nonroot') nonroot = true;
    else if (u.startsWith('localpart:*@')) localpartDomains.push(u.slice('localpart:*@'.length));
    else if (u !== '' && u !== '*') literals.add(u);
  }
  return { root, nonroot, literals, localpartDomains };
}
