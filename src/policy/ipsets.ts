import { INTERNET, type IpRange, parseIpRange, parsePrefix, RangeSet } from './ip';

/**
 * `ipsets` (§8.4): `"ipset:x": ["add <target>", "remove <target>", …]`, applied in order. Targets are CIDRs, IPs,
 * ranges `a-b`, `host:<name>`, `autogroup:internet` and other ipsets (no cycles). A bare target means `add`, but
 * only in sets that never remove.
 */
export interface IpsetProblem {
  readonly name: string;
  /** Entry index, or undefined for a problem of the whole set (a cycle). */
  readonly index?: number;
  readonly message: string;
}

export interface IpsetEntry {
  readonly op: 'add' | 'remove';
  readonly target: string;
  readonly bare: boolean;
}

export function parseIpsetEntry(text: string): IpsetEntry {
  const m = /^\s*(add|remove)\s+(.+?)\s*$/.exec(text);
  return m
    ? { op: m[1] as 'add' | 'remove', target: m[2], bare: false }
    : { op: 'add', target: text.trim(), bare: true };
}

export function evaluateIpsets(
  ipsets: Readonly<Record<string, readonly string[]>>,
  hosts: Readonly<Record<string, string>>,
): { sets: Map<string, RangeSet>; problems: IpsetProblem[] } {
  const sets = new Map<string, RangeSet>();
  const problems: IpsetProblem[] = [];
  const visiting = new Set<string>();

  const targetSet = (owner: string, index: number, target: string): RangeSet | undefined => {
    const problem = (message: string) => {
      problems.push({ name: owner, index, message });
      return undefined;
    };
    if (target === 'autogroup:internet') return INTERNET;
    if (target.startsWith('autogroup:'))
      return problem(`"${target}": autogroup:internet is the only autogroup allowed in ipsets`);
    if (target.startsWith('ipset:')) {
      if (!Object.hasOwn(ipsets, target)) return problem(`ipset not found: "${target}"`);
      return evaluate(target);
    }
    if (target.startsWith('host:')) {
      const value = hosts[target.slice(5)];
      if (value === undefined) return problem(`host not found: "${target.slice(5)}"`);
      const range = parsePrefix(value);
      return range ? new RangeSet([range]) : problem(`"${target}": invalid address "${value}"`);
    }
    const range: IpRange | undefined = target.includes('-') ? parseIpRange(target) : parsePrefix(target);
    return range
      ? new RangeSet([range])
      : problem(`"${target}": not an IP, CIDR, range, host:, ipset: or autogroup:internet`);
  };

  const evaluate = (name: string): RangeSet => {
    const done = sets.get(name);
    if (done) return done;
    if (visiting.has(name)) {
      problems.push({ name, message: `${name}: ipsets cannot refer to themselves (circular reference)` });
      return RangeSet.EMPTY;
    }
    visiting.add(name);
    const entries = ipsets[name].map(parseIpsetEntry);
    const removes = entries.some((e) => e.op === 'remove');
    let result = RangeSet.EMPTY;
    entries.forEach((entry, index) => {
      if (entry.bare && removes) {
        problems.push({
          name,
          index,
          message: `"${entry.target}": write "add ${entry.target}" in an ipset that also removes`,
        });
      }
      const set = targetSet(name, index, entry.target);
      if (set) result = entry.op === 'add' ? result.union(set) : result.subtract(set);
    });
    visiting.delete(name);
    sets.set(name, result);
    return result;
  };

  for (const name of Object.keys(ipsets)) evaluate(name);
  return { sets, problems };
}
