import { printJson } from '../src/core/canonical/json';

/**
 * A generated tailnet at the scale the policy engine is built for (issue 3, item 8): by default 10,000 devices,
 * 500 users, 200 groups, 300 tags, 2,000 rules (1,000 grants, 1,000 ACLs), 100 SSH rules and 10,000 test
 * assertions. Deterministic (seeded), so two runs and two machines benchmark the same files. `changedRules`
 * rewrites that many grants, for `plan` between two versions.
 */
export interface GenerateOptions {
  readonly devices?: number;
  readonly seed?: number;
  readonly changedRules?: number;
}

export interface GeneratedTailnet {
  readonly policy: Record<string, unknown>;
  readonly inventory: { devices: Record<string, unknown>[] };
}

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

export function generateTailnet(options: GenerateOptions = {}): GeneratedTailnet {
  const count = options.devices ?? 10_000;
  const rand = rng(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const users = Array.from({ length: 500 }, (_, i) => `user${i}@example.com`);
  const tags = Array.from({ length: 300 }, (_, i) => `tag:t${i}`);
  const groups = Object.fromEntries(
    Array.from({ length: 200 }, (_, i) => [`group:g${i}`, [...new Set(Array.from({ length: 10 }, () => pick(users)))]]),
  );
  const groupNames = Object.keys(groups);
  const devices = Array.from({ length: count }, (_, i) => device(i, count, users, () => pick(tags), rand));
  const src = () => pick([pick(users), pick(groupNames), pick(tags), pick(tags)]);
  const dst = () => pick([pick(tags), pick(tags), pick(groupNames), `10.${Math.floor(rand() * 50)}.0.0/16`]);
  const port = () => pick(['22', '443', '5432', '8000-8100', '*']);
  const grant = () => ({ src: [src(), src()], dst: [dst(), dst()], ip: [port(), `tcp:${port()}`] });
  const grants = Array.from({ length: 1_000 }, grant);
  const acls = Array.from({ length: 1_000 }, () => ({
    action: 'accept',
    src: [src()],
    dst: [`${dst()}:${port()}`, `${pick(tags)}:22`],
  }));
  const ssh = Array.from({ length: 100 }, () => ({
    action: pick(['accept', 'check']),
    src: [pick([pick(users), pick(groupNames), pick(tags)])],
    dst: [pick(tags)],
    users: [pick(['root', 'autogroup:nonroot', 'deploy'])],
  }));
  const testDst = () => `${pick([pick(tags), pick(users), pick(groupNames)])}:${pick([22, 443, 5432, 8080])}`;
  const tests = Array.from({ length: 1_000 }, () => ({
    src: pick([pick(users), pick(groupNames), pick(tags)]),
    accept: Array.from({ length: 5 }, testDst),
    deny: Array.from({ length: 5 }, testDst),
  }));
  // The second version: the same file with `changedRules` grants replaced (a different seed stream).
  for (let k = 0; k < (options.changedRules ?? 0); k++) grants[(k * 19) % grants.length] = grant();
  const tagOwners = Object.fromEntries(tags.map((t) => [t, ['autogroup:admin']]));
  return { policy: { groups, tagOwners, grants, acls, ssh, tests }, inventory: { devices } };
}

function device(
  i: number,
  count: number,
  users: readonly string[],
  tag: () => string,
  rand: () => number,
): Record<string, unknown> {
  const tagged = i >= count * 0.7;
  const router = i >= count - 100 && i < count - 50;
  const exit = i >= count - 5;
  const routes = router ? [`10.${i - (count - 100)}.0.0/16`] : exit ? ['0.0.0.0/0', '::/0'] : [];
  return {
    addresses: [`100.${64 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, `fd7a:115c:a1e0::${i.toString(16)}`],
    name: `d${i}.example.ts.net`,
    user: tagged ? '' : users[i % users.length],
    ...(tagged ? { tags: [...new Set([tag(), ...(rand() < 0.5 ? [tag()] : [])])] } : {}),
    advertisedRoutes: routes,
    enabledRoutes: routes,
  };
}

export function policyText(t: GeneratedTailnet): string {
  return printJson(t.policy);
}

export function inventoryText(t: GeneratedTailnet): string {
  return printJson(t.inventory);
}
