import { lowerStack } from '../ir/lower';
import type { StackIr } from '../ir/types';
import { hasBrand } from './brand';
import type { TailnetStack } from './stack';

/**
 * A small `Template`/`Match` helper (after aws-cdk's assertions) for asserting on the IR: tests state the part
 * they care about, and a mismatch names the path where it differs.
 */
type Matcher = { readonly [MATCHER]: true; test(actual: unknown, at: string): string | undefined };
const MATCHER = Symbol('matcher');

function matcher(test: Matcher['test']): Matcher {
  return { [MATCHER]: true, test };
}

function isMatcher(x: unknown): x is Matcher {
  return hasBrand(x, MATCHER);
}

/** Compares `actual` against a pattern: plain values must be equal, objects may have more keys (objectLike). */
function matchValue(pattern: unknown, actual: unknown, at: string): string | undefined {
  if (isMatcher(pattern)) return pattern.test(actual, at);
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length)
      return `${at}: expected ${JSON.stringify(pattern)}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < pattern.length; i++) {
      const problem = matchValue(pattern[i], actual[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (pattern !== null && typeof pattern === 'object')
    return Match.objectLike(pattern as Record<string, unknown>).test(actual, at);
  return Object.is(pattern, actual)
    ? undefined
    : `${at}: expected ${JSON.stringify(pattern)}, got ${JSON.stringify(actual)}`;
}

export const Match = {
  objectLike(pattern: Record<string, unknown>): Matcher {
    return matcher((actual, at) => {
      if (actual === null || typeof actual !== 'object')
        return `${at}: expected an object, got ${JSON.stringify(actual)}`;
      for (const [k, v] of Object.entries(pattern)) {
        const problem = matchValue(v, (actual as Record<string, unknown>)[k], `${at}.${k}`);
        if (problem) return problem;
      }
      return undefined;
    });
  },
  arrayWith(items: readonly unknown[]): Matcher {
    return matcher((actual, at) => {
      if (!Array.isArray(actual)) return `${at}: expected an array, got ${JSON.stringify(actual)}`;
      const missing = items.find((item) => !actual.some((a, i) => matchValue(item, a, `${at}[${i}]`) === undefined));
      return missing === undefined ? undefined : `${at}: no element matches ${JSON.stringify(missing)}`;
    });
  },
  absent(): Matcher {
    return matcher((actual, at) =>
      actual === undefined ? undefined : `${at}: expected absent, got ${JSON.stringify(actual)}`,
    );
  },
  anyValue(): Matcher {
    return matcher((actual, at) => (actual === undefined ? `${at}: expected a value` : undefined));
  },
  exact(value: unknown): Matcher {
    return matcher((actual, at) =>
      JSON.stringify(actual) === JSON.stringify(value)
        ? undefined
        : `${at}: expected exactly ${JSON.stringify(value)}, got ${JSON.stringify(actual)}`,
    );
  },
};

type PolicyListKey =
  | 'groups'
  | 'tagOwners'
  | 'hosts'
  | 'ipsets'
  | 'postures'
  | 'grants'
  | 'acls'
  | 'ssh'
  | 'nodeAttrs'
  | 'autoApprovers'
  | 'tests'
  | 'sshTests';

export class IrTemplate {
  static fromStack(stack: TailnetStack): IrTemplate {
    return new IrTemplate(lowerStack(stack));
  }

  constructor(readonly ir: StackIr) {}

  /** The elements of a policy list matching the pattern. */
  find(list: PolicyListKey | 'devices', pattern: Record<string, unknown>): unknown[] {
    const items: readonly unknown[] = list === 'devices' ? this.ir.devices : this.ir.policy[list];
    return items.filter((item) => Match.objectLike(pattern).test(item, list) === undefined);
  }

  /** Throws, naming the closest mismatch, unless some element of the list matches. */
  has(list: PolicyListKey | 'devices', pattern: Record<string, unknown>): void {
    if (this.find(list, pattern).length > 0) return;
    const items: readonly unknown[] = list === 'devices' ? this.ir.devices : this.ir.policy[list];
    const reasons = items.map((item, i) => Match.objectLike(pattern).test(item, `${list}[${i}]`));
    throw new Error(
      `no element of ${list} matches ${JSON.stringify(pattern)}${reasons.length ? `:\n  ${reasons.join('\n  ')}` : ` (${list} is empty)`}`,
    );
  }

  hasGrant(pattern: Record<string, unknown>): void {
    this.has('grants', pattern);
  }

  countOf(list: PolicyListKey | 'devices'): number {
    return list === 'devices' ? this.ir.devices.length : this.ir.policy[list].length;
  }
}
