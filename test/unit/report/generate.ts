import type { CompiledPolicy } from '../../../src/policy';
import { compilePolicy, validatePolicy } from '../../../src/policy';
import { makeDevice } from '../../../src/policy/inventory';

/**
 * A generated tailnet for scale tests: `devices` devices (a quarter tagged with one or two of 40 tags, the rest
 * owned by 60 users in 10 groups), two subnet routers and an exit node, and 30 grants plus 8 SSH rules shaped like
 * real ones (a few sources, a few destinations, a handful of ports). Deterministic for a given seed; the rules do
 * not depend on the device count.
 */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

export interface GeneratedTailnet {
  readonly policy: Record<string, unknown>;
  readonly compiled: CompiledPolicy;
  readonly rulePairs: number;
}

export function generateTailnet(devices = 500, seed = 7): GeneratedTailnet {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const some = <T>(xs: readonly T[], max: number) => [
    ...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(xs))),
  ];
  const users = Array.from({ length: 60 }, (_, i) => `user${i}@example.com`);
  const tags = Array.from({ length: 40 }, (_, i) => `tag:t${i}`);
  const groups = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`group:g${i}`, users.filter((_, u) => u % 10 === i)]),
  );
  const principals = [...Object.keys(groups), ...tags, ...users.slice(0, 10)];
  const destinations = [...tags, '10.1.0.0/16', '10.2.0.0/16', 'autogroup:internet'];
  const ports = ['tcp:22', 'tcp:443', 'tcp:5432', 'udp:53', 'tcp:8000-8100', '*', 'tcp:9100', 'tcp:6443'];
  const grants = Array.from({ length: 30 }, () => ({
    src: some(principals, 3),
    dst: some(destinations, 3),
    ip: some(ports, 4),
  }));
  const ssh = Array.from({ length: 8 }, () => ({
    action: 'accept',
    src: some(Object.keys(groups), 2),
    dst: some(tags, 2),
    users: ['root', 'autogroup:nonroot'],
  }));
  const policy = { groups, tagOwners: Object.fromEntries(tags.map((t) => [t, []])), grants, ssh };
  // Devices come after the rules, so the same seed gives the same rules whatever the device count.
  const inventory = Array.from({ length: devices }, (_, i) => {
    const tagged = i % 4 === 0;
    const routes = i === 4 ? ['10.1.0.0/16'] : i === 8 ? ['10.2.0.0/16'] : i === 12 ? ['0.0.0.0/0', '::/0'] : [];
    return makeDevice({
      name: `d${i}.example.ts.net`,
      user: tagged ? null : users[i % users.length],
      tags: tagged ? some(tags, 2) : [],
      addresses: [`100.64.${i >> 8}.${i & 255}`, `fd7a:115c:a1e0::${i.toString(16)}`],
      advertisedRoutes: routes,
      enabledRoutes: routes,
    });
  });
  const validation = validatePolicy({ value: policy, file: 'generated.json' }, { dialect: 'tailscale' });
  if (!validation.policy) throw new Error(validation.diagnostics.map((d) => d.message).join('\n'));
  const compiled = compilePolicy(validation.policy, { devices: inventory }, { dialect: 'tailscale' });
  const rulePairs = [...grants, ...ssh].reduce((n, r) => n + r.src.length * r.dst.length, 0);
  return { policy, compiled, rulePairs };
}
