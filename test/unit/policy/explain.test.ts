import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canReach, compilePolicy } from '../../../src/policy';
import { explainAccess, explainInventory, explainKeeps, type NetworkExplanation } from '../../../src/policy/explain';
import { explainSsh } from '../../../src/policy/explain-ssh';
import { parseInventory, parseInventorySelected } from '../../../src/policy/inventory';
import { REPO_ROOT } from '../../helpers';
import { compileFixture, fixtureInventory, loadFixture, policyOf } from './policy-fixtures';

/**
 * `explain` on the fixture tailnet (test/fixtures/policy/base.hujson + devices.json): the decision agrees with
 * canReach, and each corner of facts §18 gets the reason a reviewer needs.
 */
const compiled = compileFixture('base.hujson');

function explain(src: string, dst: string, port: number, proto?: string): NetworkExplanation {
  const r = explainAccess(compiled, { src, dst, port, ...(proto ? { proto } : {}) });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Reasons of one near-miss rule, by grant index. */
function reasonsOf(e: NetworkExplanation, index: number): readonly string[] {
  const v = e.nearest.find((n) => n.ref.section === 'grants' && n.ref.index === index);
  expect(v, `grants[${index}] among the nearest rules`).toBeDefined();
  return v!.reasons;
}

describe('explain: accepted traffic', () => {
  it('names the granting rule and the deciding device', () => {
    const e = explain('bob-laptop', 'web', 443);
    expect(e.allowed).toBe(true);
    expect(e.grantedBy).toEqual([{ section: 'grants', index: 0 }]);
    expect(e.enforcedBy).toBe('web.example.ts.net');
    expect(e.nearest).toEqual([]);
  });

  it('accepts internet traffic through the exit node for a source with autogroup:internet', () => {
    const e = explain('alice-laptop', '8.8.8.8', 443);
    expect(e.allowed).toBe(true);
    expect(e.grantedBy).toEqual([{ section: 'grants', index: 3 }]);
    expect(e.enforcedBy).toBe('exit.example.ts.net');
  });

  it('agrees with canReach on every device pair and a few ports', () => {
    const names = compiled.devices.map((d) => d.shortName);
    for (const src of names) {
      for (const dst of names) {
        for (const [proto, port] of [
          ['tcp', 22],
          ['tcp', 443],
          ['tcp', 5432],
          ['udp', 53],
        ] as const) {
          const e = explain(src, `${dst}`, port, proto);
          expect(e.allowed, `${src} -> ${dst} ${proto}/${port}`).toBe(
            canReach(compiled, { src, dst, proto, port }).allowed,
          );
        }
      }
    }
  });
});

describe('explain: why a rule does not match', () => {
  it('a tagged device has no user identity', () => {
    const e = explain('web', 'alice-desktop', 22);
    expect(e.allowed).toBe(false);
    expect(reasonsOf(e, 2)[0]).toMatch(
      /web is tagged \(tag:web\), so it has no user identity: group:ops never matches it/,
    );
  });

  it('the port is outside the rule, and names the ports it has', () => {
    const e = explain('bob-laptop', 'web', 22);
    expect(reasonsOf(e, 0)).toEqual(["port 22 is outside the rule's tcp ports (tcp:80,443)"]);
    expect(e.nearest[0].ref).toEqual({ section: 'grants', index: 0 });
  });

  it('the protocol is not the rule protocol', () => {
    expect(reasonsOf(explain('bob-laptop', 'web', 443, 'udp'), 0)[0]).toMatch(
      /^udp is not allowed by the rule \(tcp:80,443\)/,
    );
  });

  it('"*" and bare ports carry only tcp, udp and icmp', () => {
    const e = explain('alice-laptop', '10.33.1.1', 0, 'gre');
    expect(e.allowed).toBe(false);
    expect(reasonsOf(e, 2)[0]).toMatch(
      /gre is not allowed by the rule \(\*\); "\*" and bare ports cover only tcp, udp and icmp/,
    );
  });

  it('autogroup:self: a device of another user, and a tagged device', () => {
    expect(reasonsOf(explain('alice-laptop', 'bob-laptop', 22), 4)).toEqual([
      "autogroup:self: bob-laptop belongs to bob@example.com, not to alice@example.com (the source's user)",
    ]);
    expect(reasonsOf(explain('bob-laptop', 'db', 22), 4)[0]).toMatch(
      /autogroup:self covers only user-owned devices; db is tagged/,
    );
  });

  it('posture: names the failing condition and the device value', () => {
    const e = explain('bob-laptop', 'db', 5432);
    expect(e.nearest[0].ref).toEqual({ section: 'grants', index: 5 });
    expect(e.nearest[0].reasons).toEqual([
      "bob-laptop fails the rule's srcPosture: node:os == 'macos' (node:os is linux)",
    ]);
  });

  it('via: the router of the subnet does not carry the via tag; via never applies to a device itself', () => {
    const e = explain('bob-laptop', '10.33.1.1', 22);
    expect(e.enforcedBy).toBe('router.example.ts.net');
    expect(e.nearest[0].ref).toEqual({ section: 'grants', index: 6 });
    expect(e.nearest[0].reasons[0]).toMatch(
      /via tag:exit: 10\.33\.1\.1 is routed by router \(tag:router\), which carries none of them/,
    );
    expect(reasonsOf(explain('bob-laptop', 'web', 22), 6)[0]).toMatch(
      /via tag:exit applies only to traffic through subnet routers/,
    );
  });

  it('routes: an advertised but unapproved route, and a source that may not use exit nodes', () => {
    const e = explain('bob-laptop', '192.168.1.5', 80);
    expect(e.allowed).toBe(false);
    expect(e.notes).toContain(
      '192.168.1.5 is in 192.168.0.0/16, advertised by router but not approved (not in its enabledRoutes)',
    );
    expect(e.notes.some((n) => /bob-laptop may not use exit nodes/.test(n))).toBe(true);
  });

  it('an unowned tailnet address and an unknown name', () => {
    expect(explain('bob-laptop', '100.64.9.9', 80).notes).toContain(
      'no device of the inventory has the address 100.64.9.9',
    );
    expect(explainAccess(compiled, { src: 'nobody', dst: 'web', port: 1 })).toEqual({
      ok: false,
      error: 'source "nobody" is neither a device of the inventory nor an IP address',
    });
  });

  it('address selectors cover one family only (§3.3)', () => {
    const { policy } = policyOf({
      tagOwners: { 'tag:web': [] },
      grants: [{ src: ['alice@example.com'], dst: ['fd7a:115c:a1e0::2:1'], ip: ['tcp:443'] }],
    });
    const c = compilePolicy(policy, fixtureInventory());
    const r = explainAccess(c, { src: 'alice-laptop', dst: '100.64.2.1', port: 443 });
    expect(r.ok && r.value.nearest[0].reasons[0]).toMatch(/dst lists only the IPv6 address of web/);
  });

  it('under a missing acls/grants section everything is allowed, without a rule', () => {
    const { policy } = policyOf({ tagOwners: { 'tag:web': [] } });
    const r = explainAccess(compilePolicy(policy, fixtureInventory()), { src: 'web', dst: 'db', port: 5432 });
    expect(r.ok && r.value.allowed && r.value.allowAll && r.value.grantedBy.length === 0).toBe(true);
  });
});

describe('explain --ssh-user', () => {
  it('check wins over accept, and tcp/22 is reported separately', () => {
    const r = explainSsh(compiled, { src: 'alice-laptop', dst: 'web', login: 'deploy' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.action).toBe('check');
    expect(r.value.grantedBy).toEqual([{ section: 'ssh', index: 0 }]);
    expect(r.value.network.allowed).toBe(false);
    expect(r.value.connects).toBe(false);
  });

  it('root is never in autogroup:nonroot; the reason names the users', () => {
    const r = explainSsh(compiled, { src: 'bob-laptop', dst: 'web', login: 'root' });
    expect(r.ok && r.value.action).toBe('deny');
    if (!r.ok) return;
    const eng = r.value.nearest.find((v) => v.ref.index === 1)!;
    expect(eng.reasons).toEqual(['root is not in users (deploy); autogroup:nonroot never includes root']);
  });

  it('tagged sources never reach user-owned devices', () => {
    const r = explainSsh(compiled, { src: 'web', dst: 'alice-laptop', login: 'deploy' });
    expect(
      r.ok &&
        r.value.nearest.some((v) =>
          v.reasons.some((x) => /tagged devices can never SSH into user-owned devices/.test(x)),
        ),
    ).toBe(true);
  });
});

describe('explain over the devices that matter', () => {
  it('gives the same explanation as over the whole inventory, for every pair, port and protocol of the fixtures', () => {
    const inventory = fixtureInventory();
    const text = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/policy/devices.json'), 'utf8');
    const endpoints = [
      ...inventory.devices.map((d) => d.shortName),
      inventory.devices[0].name,
      inventory.devices[1].ipv4!,
      inventory.devices[1].ipv6!.toUpperCase(),
      '10.0.0.5',
      '8.8.8.8',
    ];
    let compared = 0;
    for (const fixture of ['base.hujson', 'changed.hujson', 'lint.hujson']) {
      const policy = loadFixture(fixture).policy;
      const whole = compilePolicy(policy, inventory);
      for (const src of endpoints) {
        for (const dst of endpoints) {
          const part = compilePolicy(policy, explainInventory(inventory, [src, dst]));
          // as the CLI reads it: only the devices the explanation can depend on are built
          const read = parseInventorySelected({ text, file: 'devices.json' }, explainKeeps([src, dst]));
          expect(compilePolicy(policy, explainInventory(read.inventory!, [src, dst])).devices).toEqual(part.devices);
          expect(part.devices.length).toBeLessThanOrEqual(inventory.devices.length);
          for (const [proto, port] of [
            ['tcp', 22],
            ['tcp', 443],
            ['udp', 53],
            ['tcp', 5432],
            ['icmp', 0],
          ] as const) {
            const query = { src, dst, proto, port };
            const answer = explainAccess(part, query);
            expect(answer, `${fixture} ${src} -> ${dst} ${proto}:${port}`).toEqual(explainAccess(whole, query));
            // rules naming neither endpoint are skipped only where they cannot change the answer
            for (const limit of [1, 5])
              expect(explainAccess(part, query, limit), `limit ${limit}`).toEqual(
                explainAccess(whole, query, limit, true),
              );
            compared++;
          }
          for (const login of ['root', 'alice@example.com']) {
            expect(explainSsh(part, { src, dst, login })).toEqual(explainSsh(whole, { src, dst, login }));
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('reading a device list for explain', () => {
  const base = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/policy/devices.json'), 'utf8'));
  const read = (body: unknown) =>
    parseInventorySelected({ text: JSON.stringify(body, null, 2), file: 'devices.json' }, explainKeeps(['web']));

  it('builds only the devices it keeps, checking every device for shape and duplicates', () => {
    const r = read(base);
    expect(r.diagnostics).toEqual([]);
    expect(r.inventory!.devices.length).toBeLessThan(base.devices.length);
    expect(r.inventory!.devices.map((d) => d.shortName)).toContain('web');
  });

  it('falls back to the full read, with positions, for a malformed or duplicated device anywhere', () => {
    for (const body of [
      { devices: [...base.devices, { name: 'x.example.ts.net', addresses: 'oops', user: 'a@example.com' }] },
      { devices: [...base.devices, base.devices[0]] },
      { devices: [...base.devices, { ...base.devices[0], name: 'web.example.ts.net', addresses: ['999.1.1.1'] }] },
    ]) {
      const text = JSON.stringify(body, null, 2);
      const r = parseInventorySelected({ text, file: 'devices.json' }, explainKeeps(['web']));
      expect(r.inventory).toBeUndefined();
      expect(r.diagnostics).toEqual(parseInventory({ text, file: 'devices.json' }).diagnostics);
      expect(r.diagnostics[0].path).toMatch(/^devices\.json:\d+:\d+$/);
    }
  });
});
