import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canReach,
  compilePolicy,
  type Device,
  makeDevice,
  type PolicyFile,
  sshAccess,
  validatePolicy,
} from '../../src/policy';
import { protocolNumber } from '../../src/policy/evaluate';
import { reachableSources } from '../../src/policy/evaluate-batch';
import { explainAccess } from '../../src/policy/explain';
import { ReferenceEvaluator } from './policy-reference';

/**
 * The optimized engine (bitsets, inverted indexes, batch evaluation) must agree with the naive reference
 * evaluator on random policies and random tailnets: network decisions (allowed, deciding node, matched rules),
 * SSH decisions, and the batch path used by `tests`.
 */
const USERS = ['u1@example.com', 'u2@example.com', 'u3@example.com', 'x@example.org'];
const TAGS = ['tag:a', 'tag:b', 'tag:c', 'tag:Mixed'];
const ROUTES = ['10.1.0.0/16', '10.1.2.0/24', '192.168.0.0/24', '0.0.0.0/0', '::/0'];
const EXTERNAL = [
  '10.1.2.5',
  '10.1.9.9',
  '192.168.0.7',
  '8.8.8.8',
  '172.20.0.1',
  '2001:db8::1',
  '100.64.0.1',
  'fd7a:115c:a1e0::2',
  '100.64.9.9',
];

const subset = <T>(xs: readonly T[], min = 0) => fc.subarray([...xs], { minLength: min });

const deviceArb = (i: number) =>
  fc
    .record({
      owner: fc.oneof(
        fc.constantFrom(...USERS).map((u) => ({ user: u, tags: [] as string[] })),
        subset(TAGS, 1).map((tags) => ({ user: null, tags })),
      ),
      ipv6: fc.boolean(),
      advertised: subset(ROUTES),
      approveMask: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      os: fc.constantFrom(undefined, 'macos', 'linux'),
    })
    .map(({ owner, ipv6, advertised, approveMask, os }) =>
      makeDevice({
        name: `d${i}`,
        user: owner.user,
        tags: owner.tags,
        addresses: [`100.64.0.${i + 1}`, ...(ipv6 ? [`fd7a:115c:a1e0::${i + 1}`] : [])],
        advertisedRoutes: advertised,
        enabledRoutes: advertised.filter((_, k) => approveMask[k]),
        ...(os ? { postureAttrs: { 'node:os': os } } : {}),
      }),
    );

const devicesArb = fc
  .integer({ min: 2, max: 7 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => deviceArb(i))));

const SRC = [
  '*',
  ...USERS,
  'group:g1',
  'group:g2',
  ...TAGS,
  'autogroup:member',
  'autogroup:tagged',
  'autogroup:danger-all',
  'user:*@example.com',
  'h1',
  'h2',
  '10.1.0.0/16',
  '100.64.0.0/29',
  '100.64.0.2',
  'ipset:s',
];
const DST = [
  '*',
  ...USERS,
  'group:g1',
  ...TAGS,
  'autogroup:member',
  'autogroup:tagged',
  'autogroup:internet',
  'autogroup:self',
  'h1',
  'h2',
  '10.1.0.0/16',
  '10.1.2.128/25',
  '8.8.0.0/16',
  '100.64.0.3',
  'ipset:s',
];
const IP = ['*', '22', '80-443', 'tcp:22', 'udp:53', 'sctp:*', 'gre:*', 'icmp:*', '1-65535', '53'];
const PORTS = ['*', '22', '80,443', '1-1024', '53'];
const USER_LIKE = new Set([...USERS, 'group:g1', 'group:g2', 'autogroup:member', 'user:*@example.com']);

const grantArb = fc.record({
  src: subset(SRC, 1),
  dst: subset(DST, 1),
  ip: subset(IP, 1),
  via: fc.constantFrom(undefined, ['tag:a'], ['tag:b', 'tag:c']),
  srcPosture: fc.constantFrom(undefined, ['posture:mac'], ['posture:mac', 'posture:lin']),
});

const aclArb = fc
  .record({
    src: subset(SRC, 1),
    proto: fc.constantFrom(undefined, 'tcp', 'udp', 'gre', 'icmp', '17'),
    hosts: subset(DST, 1),
    ports: fc.array(fc.constantFrom(...PORTS), { minLength: 6, maxLength: 6 }),
  })
  .map(({ src, proto, hosts, ports }) => ({
    action: 'accept',
    src,
    ...(proto ? { proto } : {}),
    dst: hosts.map((h, k) => `${h}:${proto && !['tcp', 'udp', '17'].includes(proto) ? '*' : ports[k % ports.length]}`),
  }));

const sshArb = fc.record({
  action: fc.constantFrom('accept', 'check'),
  src: subset([...USERS.slice(0, 2), 'group:g1', 'autogroup:member', ...TAGS.slice(0, 2), 'autogroup:tagged'], 1),
  dst: subset(['tag:a', 'tag:b', 'autogroup:tagged', 'autogroup:self', 'u1@example.com'], 1),
  users: subset(['root', 'autogroup:nonroot', 'alice', 'deploy', 'localpart:*@example.com'], 1),
});

const policyArb = fc
  .record({
    g1: subset(USERS),
    g2: subset(USERS),
    h1: fc.constantFrom('100.64.0.1', '10.1.2.5', 'fd7a:115c:a1e0::2'),
    h2: fc.constantFrom('10.1.0.0/16', '100.64.0.0/30', '8.8.8.8'),
    ipset: fc.constantFrom(
      ['10.1.0.0/16'],
      ['add 10.1.0.0/16', 'remove 10.1.2.0/24'],
      ['add 100.64.0.0/29', 'remove host:h1', 'add autogroup:internet'],
    ),
    grants: fc.option(fc.array(grantArb, { maxLength: 5 }), { nil: undefined }),
    acls: fc.option(fc.array(aclArb, { maxLength: 4 }), { nil: undefined }),
    ssh: fc.array(sshArb, { maxLength: 4 }),
    defaultSrcPosture: fc.constantFrom(undefined, ['posture:lin']),
  })
  .map((p) => ({
    groups: { 'group:g1': p.g1, 'group:g2': p.g2 },
    tagOwners: Object.fromEntries(TAGS.map((t) => [t, []])),
    hosts: { h1: p.h1, h2: p.h2 },
    ipsets: { 'ipset:s': p.ipset },
    postures: { 'posture:mac': ["node:os == 'macos'"], 'posture:lin': ["node:os == 'linux'"] },
    ...(p.defaultSrcPosture ? { defaultSrcPosture: p.defaultSrcPosture } : {}),
    ...(p.grants ? { grants: p.grants.map((g) => JSON.parse(JSON.stringify(g))) } : {}),
    ...(p.acls ? { acls: p.acls } : {}),
    ssh: p.ssh,
  }));

/** Random policies are filtered to valid ones: the engine's contract starts after validation. */
function validOrUndefined(raw: object): PolicyFile | undefined {
  return validatePolicy({ value: raw, file: 'p.json' }, { dialect: 'tailscale', tailnetDomains: ['example.com'] })
    .policy;
}

type RawPolicy = {
  grants?: { src: string[]; dst: string[] }[];
  acls?: { src: string[]; dst: string[] }[];
  ssh: { src: string[]; dst: string[] }[];
};

const TAG_LIKE = (s: string) => s.startsWith('tag:') || s === 'autogroup:tagged';

/**
 * Steers random policies away from combinations the validator rejects (autogroup:self needs user sources; SSH
 * security model), so few runs are wasted; anything still invalid is skipped with fc.pre.
 */
function repair<T extends RawPolicy>(raw: T): T {
  for (const g of raw.grants ?? []) if (g.dst.includes('autogroup:self')) g.src = g.src.filter((s) => USER_LIKE.has(s));
  for (const a of raw.acls ?? [])
    if (a.dst.some((d) => d.startsWith('autogroup:self'))) a.src = a.src.filter((s) => USER_LIKE.has(s) || s === '*');
  for (const r of raw.ssh) {
    if (r.dst.includes('u1@example.com')) r.src = ['u1@example.com'];
    else if (r.src.some(TAG_LIKE)) r.dst = r.dst.filter(TAG_LIKE).length > 0 ? r.dst.filter(TAG_LIKE) : ['tag:a'];
  }
  return raw;
}

const queryArb = (devices: Device[]) =>
  fc.record({
    src: fc.constantFrom(...devices.map((d) => d.name), ...EXTERNAL.slice(0, 5)),
    dst: fc.constantFrom(...devices.map((d) => d.name), ...EXTERNAL),
    proto: fc.constantFrom('tcp', 'udp', 'icmp', 'sctp', 'gre'),
    port: fc.constantFrom(0, 22, 53, 80, 443, 1000),
  });

const scenarioArb = fc.tuple(policyArb.map(repair), devicesArb).chain(([raw, devices]) =>
  fc.record({
    raw: fc.constant(raw),
    devices: fc.constant(devices as Device[]),
    queries: fc.array(queryArb(devices as Device[]), { minLength: 20, maxLength: 20 }),
    logins: fc.array(fc.constantFrom('root', 'alice', 'u1', 'deploy', 'x'), { minLength: 5, maxLength: 5 }),
  }),
);

describe('policy engine vs naive reference', () => {
  it('agrees on network decisions, deciding node and matched rules', () => {
    fc.assert(
      fc.property(scenarioArb, ({ raw, devices, queries }) => {
        const policy = validOrUndefined(raw);
        fc.pre(policy !== undefined);
        const compiled = compilePolicy(policy!, { devices });
        const reference = new ReferenceEvaluator(policy!, devices);
        for (const q of queries) {
          const got = canReach(compiled, q);
          const want = reference.canReach(q.src, q.dst, protocolNumber(q.proto)!, q.port);
          const gotRules = got.matchedRules.map((r) => `${r.section}:${r.index}`).sort();
          expect({ q, allowed: got.allowed, enforcedBy: got.enforcedBy, rules: gotRules }).toEqual({
            q,
            allowed: want.allowed,
            enforcedBy: want.enforcedBy,
            rules: want.rules.sort(),
          });
        }
      }),
      { numRuns: 500, seed: 20261123 },
    );
  });

  it('explain: skipping rules that name neither endpoint never changes the explanation', () => {
    fc.assert(
      fc.property(scenarioArb, ({ raw, devices, queries }) => {
        const policy = validOrUndefined(raw);
        fc.pre(policy !== undefined);
        const compiled = compilePolicy(policy!, { devices });
        for (const q of queries) {
          for (const limit of [1, 3]) {
            expect(explainAccess(compiled, q, limit)).toEqual(explainAccess(compiled, q, limit, true));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on SSH decisions', () => {
    fc.assert(
      fc.property(scenarioArb, ({ raw, devices, logins }) => {
        const policy = validOrUndefined(raw);
        fc.pre(policy !== undefined);
        const compiled = compilePolicy(policy!, { devices });
        const reference = new ReferenceEvaluator(policy!, devices);
        for (const s of devices) {
          for (const d of devices) {
            for (const login of logins) {
              expect({
                s: s.name,
                d: d.name,
                login,
                action: sshAccess(compiled, { src: s.name, dst: d.name, login }).action,
              }).toEqual({
                s: s.name,
                d: d.name,
                login,
                action: reference.ssh(s.name, d.name, login),
              });
            }
          }
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('the batch evaluator used by tests agrees with pairwise canReach', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), ({ raw, devices }, picks) => {
        const policy = validOrUndefined(raw);
        fc.pre(policy !== undefined);
        const compiled = compilePolicy(policy!, { devices });
        const n = devices.length;
        const sources = devices.map((_, i) => i);
        const destinations = [...new Set([picks[2] % n, picks[3] % n])];
        void picks[0];
        for (const [proto, port] of [
          ['tcp', 22],
          ['udp', 53],
          ['tcp', 443],
          ['gre', 0],
          ['icmp', 0],
        ] as const) {
          const batch = reachableSources(compiled, sources, destinations, [protocolNumber(proto)!], port);
          const pairwise = sources.map((s) =>
            destinations.some(
              (d) => canReach(compiled, { src: devices[s].name, dst: devices[d].name, proto, port }).allowed,
            ),
          );
          expect(batch.allowed).toEqual(pairwise);
        }
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
