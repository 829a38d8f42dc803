import type { CompiledPolicy } from './compile';
import type { SshUnit } from './compile-ssh';
import { loginAllowed, postureOk, sameOwner } from './evaluate';
import type { ChangedUnits, DeviceClasses, Versions } from './plan-classes';

/**
 * The SSH part of `plan`: per device-class pair, which login gets accept, check or nothing (§7: check beats
 * accept), before and after. Logins are compared as atoms: root, every literal login any rule names, the source
 * user's `localpart:` login, and "any other non-root login" (what autogroup:nonroot grants), written `*`.
 */
export type SshAction = 'accept' | 'check' | 'deny';

export interface SshLoginChange {
  readonly login: string;
  readonly before: SshAction;
  readonly after: SshAction;
}

export interface SshPairDiff {
  readonly changes: readonly SshLoginChange[];
  /** `before:ssh:0`, `after:ssh:2`: changed rules that match the pair in their version. */
  readonly rules: readonly string[];
}

/** A login no rule can name literally: stands for every non-root login not listed anywhere. */
const OTHER = '\u0000other';

export function sshDiffs(
  v: Versions,
  classes: DeviceClasses,
  changed: ChangedUnits,
  visit: (src: number, dst: number, diff: SshPairDiff) => void,
): void {
  const flags = { before: changed.ssh.before, after: changed.ssh.after };
  if (!flags.before.includes(1) && !flags.after.includes(1)) return;
  const literals = new Set<string>();
  for (const u of [...v.before.sshUnits, ...v.after.sshUnits]) for (const l of u.logins.literals) literals.add(l);
  const pairs = candidatePairs(v, classes, flags);
  for (const [s, dsts] of [...pairs].sort((a, b) => a[0] - b[0])) {
    const src = classes.members[s][0];
    const fromBefore = unitsFrom(v.before, src);
    const fromAfter = unitsFrom(v.after, src);
    const logins = [...new Set(['root', ...[...literals].sort(), ...localparts(v, src), OTHER])];
    for (const d of [...dsts].sort((a, b) => a - b)) {
      const dst = classes.members[d][0];
      const mb = fromBefore.filter(({ u }) => reaches(v.before, u, src, dst));
      const ma = fromAfter.filter(({ u }) => reaches(v.after, u, src, dst));
      const user = v.after.devices[src].user;
      const changes = logins.flatMap((login) => {
        const before = action(mb, login, user);
        const after = action(ma, login, user);
        return before === after ? [] : [{ login: login === OTHER ? '*' : login, before, after }];
      });
      if (changes.length === 0) continue;
      const rules = [
        ...mb.filter(({ i }) => flags.before[i]).map(({ i }) => `before:ssh:${i}`),
        ...ma.filter(({ i }) => flags.after[i]).map(({ i }) => `after:ssh:${i}`),
      ];
      visit(s, d, { changes, rules });
    }
  }
}

function candidatePairs(
  v: Versions,
  classes: DeviceClasses,
  flags: { before: Uint8Array; after: Uint8Array },
): Map<number, Set<number>> {
  const pairs = new Map<number, Set<number>>();
  const byOwner = new Map<string, number[]>();
  classes.members.forEach((m, c) => {
    const user = v.after.devices[m[0]].user;
    if (user) byOwner.set(user, [...(byOwner.get(user) ?? []), c]);
  });
  const classesIn = (devices: Iterable<number>) => new Set([...devices].map((d) => classes.classOf[d]));
  for (const version of ['before', 'after'] as const) {
    v[version].sshUnits.forEach((u, i) => {
      if (!flags[version][i]) return;
      const dsts = classesIn(u.dst);
      for (const s of classesIn(u.src)) {
        const set = pairs.get(s) ?? new Set<number>();
        pairs.set(s, set);
        for (const d of dsts) set.add(d);
        // autogroup:self and the localpart quirk reach the source user's own devices.
        const user = v.after.devices[classes.members[s][0]].user;
        if (user && (u.dstSelf || u.logins.localpartDomains.length > 0))
          for (const d of byOwner.get(user) ?? []) set.add(d);
      }
    });
  }
  return pairs;
}

function unitsFrom(c: CompiledPolicy, src: number): { u: SshUnit; i: number }[] {
  const attrs = c.devices[src].postureAttrs;
  return c.sshUnits.flatMap((u, i) => (u.src.has(src) && postureOk(u.postures, attrs) ? [{ u, i }] : []));
}

/** sshAccess's destination test, including the localpart self-access quirk (§7). */
function reaches(c: CompiledPolicy, u: SshUnit, s: number, d: number): boolean {
  if (u.dst.has(d) || (u.dstSelf && sameOwner(c, s, d))) return true;
  return u.logins.localpartDomains.length > 0 && u.src.has(d) && sameOwner(c, s, d);
}

function action(matched: readonly { u: SshUnit }[], login: string, user: string | undefined): SshAction {
  let accept = false;
  for (const { u } of matched) {
    if (!loginAllowed(u, login, user)) continue;
    if (u.action === 'check') return 'check';
    accept = true;
  }
  return accept ? 'accept' : 'deny';
}

/** The `localpart:*@domain` login of the source's user, when some rule could grant it. */
function localparts(v: Versions, src: number): string[] {
  const user = v.after.devices[src].user;
  if (!user) return [];
  const at = user.lastIndexOf('@');
  const domain = user.slice(at + 1);
  const used = [...v.before.sshUnits, ...v.after.sshUnits].some((u) => u.logins.localpartDomains.includes(domain));
  return used ? [user.slice(0, at)] : [];
}
