import { describe, expect, it } from 'vitest';
import { compilePolicy, runPolicyTests, validatePolicy } from '../../../src/policy';
import { makeDevice } from '../../../src/policy/inventory';

/**
 * The scale the engine is built for: 10,000 devices, 500 users, 200 groups, 300 tags, 2,000 rules and 10,000 test
 * assertions. The whole `tests` run must stay well under a second.
 */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function generate() {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const users = Array.from({ length: 500 }, (_, i) => `user${i}@example.com`);
  const tags = Array.from({ length: 300 }, (_, i) => `tag:t${i}`);
  const groups = Object.fromEntries(
    Array.from({ length: 200 }, (_, i) => [`group:g${i}`, Array.from({ length: 10 }, () => pick(users))]),
  );
  const groupNames = Object.keys(groups);
  const devices = Array.from({ length: 10_000 }, (_, i) => {
    const ip4 = `100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    const ip6 = `fd7a:115c:a1e0::${i.toString(16)}`;
    const tagged = i >= 7_000;
    const router = i >= 9_900 && i < 9_950;
    const exit = i >= 9_995;
    return makeDevice({
      name: `d${i}.example.ts.net`,
      user: tagged ? null : users[i % users.length],
      tags: tagged ? [pick(tags), ...(rand() < 0.5 ? [pick(tags)] : [])] : [],
      addresses: [ip4, ip6],
      advertisedRoutes: router ? [`10.${i - 9_900}.0.0/16`] : exit ? ['0.0.0.0/0', '::/0'] : [],
      enabledRoutes: router ? [`10.${i - 9_900}.0.0/16`] : exit ? ['0.0.0.0/0', '::/0'] : [],
    });
  });
  const src = () => pick([pick(users), pick(groupNames), pick(tags), pick(tags)]);
  const dst = () => pick([pick(tags), pick(tags), pick(groupNames), `10.${Math.floor(rand() * 50)}.0.0/16`]);
  const port = () => pick(['22', '443', '5432', '8000-8100', '*']);
  const grants = Array.from({ length: 1_000 }, () => ({
    src: [src(), src()],
    dst: [dst(), dst()],
    ip: [port(), `tcp:${port()}`],
  }));
  const acls = Array.from({ length: 1_000 }, () => ({
    action: 'accept',
    src: [src()],
    dst: [`${dst()}:${port()}`, `${pick(tags)}:22`],
  }));
  const testDst = () => `${pick([pick(tags), pick(users), pick(groupNames)])}:${pick([22, 443, 5432, 8080])}`;
  const tests = Array.from({ length: 1_000 }, () => ({
    src: pick([pick(users), pick(groupNames), pick(tags)]),
    accept: Array.from({ length: 5 }, testDst),
    deny: Array.from({ length: 5 }, testDst),
  }));
  const policy = { groups, tagOwners: Object.fromEntries(tags.map((t) => [t, []])), grants, acls, tests };
  return { policy, devices };
}

describe('scale', () => {
  // Correctness at size only: the time it takes is measured by `npm run bench`, not asserted here.
  it('validates, compiles and runs 10,000 test assertions over 10,000 devices', () => {
    const { policy, devices } = generate();
    const validated = validatePolicy({ value: policy, file: 'big.json' }, { dialect: 'tailscale' });
    expect(validated.diagnostics).toEqual([]);
    const compiled = compilePolicy(validated.policy!, { devices });
    const results = runPolicyTests(compiled);
    expect(results).toHaveLength(10_000);
    expect(results.some((r) => r.passed)).toBe(true);
    expect(results.some((r) => !r.passed)).toBe(true);
  });
});
