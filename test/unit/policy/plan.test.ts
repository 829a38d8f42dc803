import { describe, expect, it } from 'vitest';
import { canReach, compilePolicy, type Inventory, type PolicyFile, parsePrefix, sshAccess } from '../../../src/policy';
import { type AccessChange, planAccess } from '../../../src/policy/plan';
import { renderMarkdown, renderText, type StackPlan, summaryLine, totals } from '../../../src/policy/plan-render';
import { fixtureInventory, loadFixture, policyOf } from './policy-fixtures';

/**
 * `plan` on the fixture tailnet: the changes of test/fixtures/policy/changed.hujson read as one line per rule
 * change, and on random policy pairs the plan agrees exactly with pairwise canReach/sshAccess before and after.
 */
const inventory = fixtureInventory();

function plan(before: PolicyFile, after: PolicyFile, inv: Inventory = inventory) {
  return planAccess(before, after, inv);
}

function line(c: AccessChange): string {
  const what =
    c.kind === 'ssh' ? c.logins!.map((l) => `${l.login}:${l.before}>${l.after}`).join(',') : c.access!.join(',');
  return `${c.direction} ${c.src.label} -> ${c.dst.label}: ${what}`;
}

describe('plan on the fixture tailnet', () => {
  const base = loadFixture('base.hujson').policy;
  const changed = loadFixture('changed.hujson').policy;
  const result = plan(base, changed);

  it('reads a port added to a grant, a grant removed and SSH changes as one line each', () => {
    expect(result.changes.map(line)).toEqual([
      'gained group:eng (3 devices) -> tag:web (1 device): tcp:8443',
      'gained bob@example.com (1 device) -> tag:web (1 device): root:deny>accept',
      'lost tag:web (1 device) -> tag:db (1 device): tcp:5432',
      'changed group:ops (2 devices) -> tag:web (1 device): root:check>accept,deploy:check>accept,*:check>accept',
      'changed group:ops (2 devices) -> tag:prod (1 device): root:check>accept,deploy:check>accept,*:check>accept',
    ]);
    expect([result.gained, result.lost, result.changed]).toEqual([2, 1, 2]);
  });

  it('attributes each change to the rule that made it, in the right version', () => {
    expect(result.changes[0].rules).toEqual([{ version: 'after', section: 'grants', index: 0 }]);
    expect(result.changes[2].rules).toEqual([{ version: 'before', section: 'grants', index: 1 }]);
    expect(result.changes[0].src.devices).toEqual([
      'alice-laptop.example.ts.net',
      'alice-desktop.example.ts.net',
      'bob-laptop.example.ts.net',
    ]);
  });

  it('is empty for identical versions, and symmetric when the versions are swapped', () => {
    expect(plan(base, base).changes).toEqual([]);
    const back = plan(changed, base);
    expect([back.gained, back.lost, back.changed]).toEqual([1, 2, 2]);
  });

  it('names subnets and the internet by their router and exit node', () => {
    const { policy: before } = policyOf({ grants: [] });
    const { policy: after } = policyOf({
      groups: { 'group:eng': ['bob@example.com'] },
      grants: [{ src: ['group:eng'], dst: ['autogroup:internet', '10.33.1.0/24'], ip: ['tcp:443'] }],
    });
    const lines = plan(before, after).changes.map(line);
    expect(lines).toEqual([
      'gained group:eng (1 device) -> autogroup:internet through exit node exit; 10.33.1.0/24 via router: tcp:443',
    ]);
  });

  it('renders a Markdown comment with the summary first and folded details', () => {
    const stack: StackPlan = {
      name: 'fixture',
      before: 'HEAD',
      after: 'working tree',
      plan: result,
      diagnostics: [],
      notes: [],
    };
    const md = renderMarkdown([stack], () => ({ at: 'policy.hujson:1:1', construct: 'fixture/X' }));
    expect(md.split('\n')[0]).toBe('### tailnet-cdk plan: 1 stack changed: +2 grants of access, −1, ~2 changed');
    expect(md).toContain('<details><summary><b>fixture</b>: +2 −1 ~2');
    expect(md).toContain('| **+** | `group:eng` (3 devices) | `tag:web` (1 device) | tcp:8443 |');
    const text = renderText([stack], () => ({ at: 'p:1:1' }), {
      green: (s) => s,
      red: (s) => s,
      yellow: (s) => s,
      dim: (s) => s,
      bold: (s) => s,
    });
    expect(text).toContain('  − tag:web (1 device) → tag:db (1 device): tcp:5432');
    expect(summaryLine(totals([{ ...stack, plan: plan(base, base) }]))).toBe('no access changes in 1 stack');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Agreement with the pairwise evaluator on random policy pairs.

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const SRC = [
  'group:eng',
  'group:ops',
  'tag:web',
  'tag:db',
  'alice@example.com',
  'bob@example.com',
  'autogroup:member',
  '*',
];
const DST = [
  'tag:web',
  'tag:db',
  'tag:prod',
  'group:eng',
  'bob@example.com',
  'lan',
  '10.33.1.0/24',
  'autogroup:internet',
  '*',
];
const IP = ['tcp:22', 'tcp:443', '443', 'udp:53', 'tcp:8000-8100', '*'];
const DEFS = {
  groups: { 'group:eng': ['alice@example.com', 'bob@example.com'], 'group:ops': ['alice@example.com'] },
  tagOwners: Object.fromEntries(['tag:web', 'tag:db', 'tag:prod', 'tag:router', 'tag:exit'].map((t) => [t, []])),
  hosts: { lan: '10.33.0.0/16' },
  postures: { 'posture:mac': ["node:os == 'macos'"] },
};

function randomPolicy(rand: () => number): object {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const some = <T>(xs: readonly T[]) => [...new Set([pick(xs), ...(rand() < 0.4 ? [pick(xs)] : [])])];
  const grants = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
    const src = some(SRC);
    // autogroup:self needs user sources (§3.2): only with groups and users.
    const self = rand() < 0.2 && src.every((s) => s.startsWith('group:') || s.includes('@'));
    const extras = {
      ...(rand() < 0.15 ? { srcPosture: ['posture:mac'] } : {}),
      ...(rand() < 0.15 ? { via: [pick(['tag:router', 'tag:exit'])] } : {}),
    };
    return { src, dst: self ? ['autogroup:self'] : some(DST), ip: some(IP), ...extras };
  });
  const ssh =
    rand() < 0.7
      ? [
          {
            action: pick(['accept', 'check']),
            src: some(['group:eng', 'group:ops', 'bob@example.com']),
            dst: some(['tag:web', 'tag:db']),
            users: some(['root', 'deploy', 'autogroup:nonroot']),
          },
        ]
      : [];
  return { ...DEFS, grants, ssh };
}

const PROBES: [string, number][] = [
  ['tcp', 22],
  ['tcp', 443],
  ['udp', 443],
  ['udp', 53],
  ['tcp', 8050],
  ['tcp', 9000],
];
const ADDRESSES = ['10.33.1.5', '10.33.9.9', '8.8.8.8'];
const LOGINS = ['root', 'deploy', 'alice', 'zed'];

/** Does a change's access text ("tcp:80,443", "tcp+udp:53", "*") include proto/port? */
function covers(access: readonly string[], proto: string, port: number): boolean {
  return access.some((a) => {
    if (a === '*') return proto === 'tcp' || proto === 'udp';
    const [protos, ports] = a.split(':');
    if (!protos.split('+').includes(proto)) return false;
    return ports.split(',').some((r) => {
      if (r === '*') return true;
      const [lo, hi] = r.split('-').map(Number);
      return lo <= port && port <= (hi ?? lo);
    });
  });
}

function inSet(set: AccessChange['dst'], name: string): boolean {
  if (set.devices.includes(name)) return true;
  return set.addresses.some((cidr) => {
    const r = parsePrefix(cidr)!;
    const ip = parsePrefix(name);
    return ip !== undefined && ip.family === r.family && r.first <= ip.first && ip.last <= r.last;
  });
}

describe('plan agrees with pairwise evaluation', () => {
  it('on 40 random policy pairs: every network and SSH difference is one change, and nothing else is', () => {
    const rand = rng(7);
    const names = inventory.devices.map((d) => d.name);
    for (let round = 0; round < 40; round++) {
      const before = policyOf(randomPolicy(rand)).policy;
      const after = policyOf(randomPolicy(rand)).policy;
      const cb = compilePolicy(before, inventory);
      const ca = compilePolicy(after, inventory);
      const changes = plan(before, after).changes;
      // `*` in a plan stands for every non-root login that no rule of either version names literally.
      const literals = new Set([...cb.sshUnits, ...ca.sshUnits].flatMap((u) => [...u.logins.literals]));
      for (const src of names) {
        for (const dst of [...names, ...ADDRESSES]) {
          for (const [proto, port] of PROBES) {
            const was = canReach(cb, { src, dst, proto, port }).allowed;
            const now = canReach(ca, { src, dst, proto, port }).allowed;
            const planned = changes.filter(
              (c) =>
                c.kind === 'network' &&
                c.src.devices.includes(src) &&
                inSet(c.dst, dst) &&
                covers(c.access!, proto, port),
            );
            const where = `round ${round}: ${src} -> ${dst} ${proto}/${port}`;
            expect(
              planned.map((c) => c.direction),
              where,
            ).toEqual(was === now ? [] : [now ? 'gained' : 'lost']);
          }
          if (ADDRESSES.includes(dst)) continue;
          for (const login of LOGINS) {
            const was = sshAccess(cb, { src, dst, login }).action;
            const now = sshAccess(ca, { src, dst, login }).action;
            const planned = changes.flatMap((c) =>
              c.kind === 'ssh' && c.src.devices.includes(src) && c.dst.devices.includes(dst)
                ? c.logins!.filter(
                    (l) => l.login === login || (l.login === '*' && login !== 'root' && !literals.has(login)),
                  )
                : [],
            );
            const expected = was === now ? [] : [{ before: was, after: now }];
            expect(
              planned.map((l) => ({ before: l.before, after: l.after })),
              `round ${round}: ssh ${login}@${dst} from ${src}`,
            ).toEqual(expected);
          }
        }
      }
    }
  });
});
