import { describe, expect, it } from 'vitest';
import {
  autoApproves,
  type CompiledPolicy,
  canReach,
  checkPolicy,
  runPolicyTests,
  sshAccess,
} from '../../../src/policy';
import { inventoryFromNodes } from './fixture-nodes';
import { build, NODES, TAGS } from './helpers';

/** The hard corners of facts §18, one block each. */
const can = (c: CompiledPolicy, src: string, dst: string, proto = 'tcp', port = 22) =>
  canReach(c, { src, dst, proto, port }).allowed;
const grants = (...g: object[]) => ({ tagOwners: TAGS, grants: g });
const all = { ip: ['*'] };

describe('§18.1 * is asymmetric', () => {
  const c = build(grants({ src: ['*'], dst: ['*'], ...all }));
  it('src * covers tailnet devices and hosts behind approved subnet routes', () => {
    expect(can(c, 'web', 'bob-laptop')).toBe(true);
    expect(can(c, '10.33.5.5', 'bob-laptop')).toBe(true);
  });
  it('src * never covers the internet or unapproved routes', () => {
    expect(can(c, '8.8.8.8', 'bob-laptop')).toBe(false);
    expect(can(c, '192.168.1.1', 'bob-laptop')).toBe(false);
  });
  it('dst * covers subnets and the internet through the exit node', () => {
    expect(canReach(c, { src: 'alice-laptop', dst: '10.33.5.5', proto: 'tcp', port: 80 })).toMatchObject({
      allowed: true,
      enforcedBy: 'router',
    });
    expect(canReach(c, { src: 'alice-laptop', dst: '1.1.1.1', proto: 'tcp', port: 443 })).toMatchObject({
      allowed: true,
      enforcedBy: 'exit',
    });
    expect(canReach(c, { src: 'alice-laptop', dst: '192.168.1.1', proto: 'tcp', port: 443 })).toMatchObject({
      allowed: true,
      enforcedBy: 'exit',
    });
  });
  it('unowned tailnet addresses are unroutable', () => {
    expect(can(c, 'alice-laptop', '100.64.99.99')).toBe(false);
  });
  it('danger-all as src matches the internet', () => {
    const d = build(grants({ src: ['autogroup:danger-all'], dst: ['tag:web'], ...all }));
    // danger-all compiles to SrcIPs "*": web's filter accepts a packet from any address.
    expect(can(d, '8.8.8.8', 'web')).toBe(true);
    expect(can(d, 'bob-laptop', 'web')).toBe(true);
  });
});

describe('§18.2 missing vs empty access sections', () => {
  it('no acls and no grants = allow-all', () => {
    const c = build({ tagOwners: TAGS });
    expect(c.allowAll).toBe(true);
    expect(canReach(c, { src: 'web', dst: 'bob-laptop', proto: 'udp', port: 53 })).toMatchObject({
      allowed: true,
      matchedRules: [],
    });
  });
  it('"grants": [] = deny-all', () => {
    expect(can(build({ grants: [] }), 'alice-laptop', 'bob-laptop')).toBe(false);
  });
  it('"acls": [] = deny-all', () => {
    expect(can(build({ acls: [] }), 'alice-laptop', 'bob-laptop')).toBe(false);
  });
});

describe('§18.3 tagged devices lose their user', () => {
  const c = build(grants({ src: ['bob@example.com'], dst: ['alice@example.com', 'autogroup:member'], ...all }));
  it('user and autogroup:member selectors skip tagged devices, even ones the user created', () => {
    expect(can(c, 'bob-laptop', 'alice-laptop')).toBe(true);
    expect(can(c, 'bob-laptop', 'web')).toBe(false);
  });
});

describe('§18.4 autogroup:self', () => {
  it('is per source: same user only, never tagged', () => {
    const c = build(grants({ src: ['autogroup:member'], dst: ['autogroup:self'], ...all }));
    expect(can(c, 'alice-laptop', 'alice-desktop')).toBe(true);
    expect(can(c, 'alice-laptop', 'bob-laptop')).toBe(false);
    expect(can(c, 'alice-laptop', 'web')).toBe(false);
  });
  it('ACL src * + self behaves like autogroup:member', () => {
    const c = build({ tagOwners: TAGS, acls: [{ action: 'accept', src: ['*'], dst: ['autogroup:self:*'] }] });
    expect(can(c, 'alice-desktop', 'alice-laptop')).toBe(true);
    expect(can(c, 'web', 'alice-laptop')).toBe(false);
  });
  it('mixing self and other dsts behaves as separate rules', () => {
    const c = build(grants({ src: ['bob@example.com'], dst: ['autogroup:self', 'tag:db'], ...all }));
    expect(can(c, 'bob-laptop', 'db')).toBe(true);
    expect(can(c, 'bob-laptop', 'alice-laptop')).toBe(false);
  });
});

describe('§18.5 ICMP rides along; default protocols exclude SCTP/GRE', () => {
  const c = build(
    grants(
      { src: ['alice@example.com'], dst: ['tag:web'], ip: ['udp:53'] },
      { src: ['bob@example.com'], dst: ['tag:db'], ...all },
    ),
  );
  it('a udp:53 rule also allows ping', () => expect(can(c, 'alice-laptop', 'web', 'icmp', 0)).toBe(true));
  it('ping needs some rule for the pair', () => expect(can(c, 'alice-laptop', 'db', 'icmp', 0)).toBe(false));
  it('ip * allows TCP, UDP and ICMP', () => {
    expect(can(c, 'bob-laptop', 'db', 'tcp', 5432)).toBe(true);
    expect(can(c, 'bob-laptop', 'db', 'udp', 5432)).toBe(true);
  });
  it('ip * does not allow SCTP or GRE', () => {
    expect(can(c, 'bob-laptop', 'db', 'sctp', 5432)).toBe(false);
    expect(can(c, 'bob-laptop', 'db', 'gre', 0)).toBe(false);
  });
  it('gre:* and sctp:* do', () => {
    const g = build(grants({ src: ['bob@example.com'], dst: ['tag:db'], ip: ['gre:*', 'sctp:9899'] }));
    expect(can(g, 'bob-laptop', 'db', 'gre', 0)).toBe(true);
    expect(can(g, 'bob-laptop', 'db', 'sctp', 9899)).toBe(true);
    expect(can(g, 'bob-laptop', 'db', 'tcp', 9899)).toBe(false);
  });
});

describe('§18.6 bare numbers are ports; 1-65535 excludes port 0', () => {
  const c = build(
    grants(
      { src: ['bob@example.com'], dst: ['tag:db'], ip: ['47'] },
      { src: ['alice@example.com'], dst: ['tag:db'], ip: ['1-65535'] },
    ),
  );
  it('"47" is TCP/UDP port 47, not GRE', () => {
    expect(can(c, 'bob-laptop', 'db', 'tcp', 47)).toBe(true);
    expect(can(c, 'bob-laptop', 'db', 'gre', 0)).toBe(false);
  });
  it('1-65535 does not cover port 0', () => {
    expect(can(c, 'alice-laptop', 'db', 'udp', 0)).toBe(false);
    expect(can(c, 'alice-laptop', 'db', 'udp', 65535)).toBe(true);
  });
});

describe('§18.7 cross products', () => {
  it('every dst gets every port', () => {
    const c = build(grants({ src: ['bob@example.com'], dst: ['tag:web', 'tag:db'], ip: ['22', '5432'] }));
    for (const dst of ['web', 'db'])
      for (const port of [22, 5432]) expect(can(c, 'bob-laptop', dst, 'tcp', port)).toBe(true);
    expect(can(c, 'bob-laptop', 'web', 'tcp', 80)).toBe(false);
  });
  it('ACL ports are per dst element', () => {
    const c = build({
      tagOwners: TAGS,
      acls: [{ action: 'accept', src: ['bob@example.com'], dst: ['tag:web:80', 'tag:db:5432'] }],
    });
    expect(can(c, 'bob-laptop', 'web', 'tcp', 80)).toBe(true);
    expect(can(c, 'bob-laptop', 'web', 'tcp', 5432)).toBe(false);
  });
});

describe('§18.8 address selectors do not expand', () => {
  const c = build({
    tagOwners: TAGS,
    hosts: { webv4: '100.64.2.1' },
    grants: [{ src: ['bob@example.com'], dst: ['webv4'], ...all }],
  });
  it('a hosts alias for the IPv4 address does not cover IPv6', () => {
    expect(can(c, 'bob-laptop', '100.64.2.1')).toBe(true);
    expect(can(c, 'bob-laptop', 'fd7a:115c:a1e0::2:1')).toBe(false);
  });
  it('families do not mix: an IPv4 source address rule never reaches an IPv6-only destination rule', () => {
    const policy = {
      tagOwners: TAGS,
      hosts: { bob4: '100.64.1.3', web6: 'fd7a:115c:a1e0::2:1' },
      grants: [{ src: ['bob4'], dst: ['web6'], ip: ['*'] }],
      tests: [{ src: 'bob@example.com', deny: ['tag:web:22'] }],
    };
    const m = build(policy);
    expect(can(m, 'bob-laptop', 'web')).toBe(false);
    // The batch path of runPolicyTests must agree.
    expect(runPolicyTests(m).map((r) => r.passed)).toEqual([true]);
  });
  it('identity selectors cover both families', () => {
    const t = build(grants({ src: ['bob@example.com'], dst: ['tag:web'], ...all }));
    expect(can(t, 'bob-laptop', 'fd7a:115c:a1e0::2:1')).toBe(true);
  });
});

describe('§18.9 CIDRs and routers', () => {
  it('access to a router is not access to its subnet, and vice versa', () => {
    const c = build(
      grants(
        { src: ['bob@example.com'], dst: ['tag:router'], ...all },
        { src: ['alice@example.com'], dst: ['10.33.0.0/16'], ...all },
      ),
    );
    expect(can(c, 'bob-laptop', 'router')).toBe(true);
    expect(can(c, 'bob-laptop', '10.33.0.5')).toBe(false);
    expect(can(c, 'alice-laptop', '10.33.0.5')).toBe(true);
    expect(can(c, 'alice-laptop', 'router')).toBe(false);
  });
  it('a CIDR without an approved route reaches nothing', () => {
    const c = build(grants({ src: ['alice@example.com'], dst: ['192.168.0.0/16'], ...all }));
    // 192.168/16 is advertised but not approved; the exit node would carry it, but that needs * or internet.
    expect(can(c, 'alice-laptop', '192.168.1.1')).toBe(false);
  });
  it('the most specific approved route decides', () => {
    const c = build(grants({ src: ['alice@example.com'], dst: ['10.33.0.0/16'], ...all }));
    expect(canReach(c, { src: 'alice-laptop', dst: '10.33.1.9', proto: 'tcp', port: 22 }).enforcedBy).toBe('router2');
    expect(canReach(c, { src: 'alice-laptop', dst: '10.33.2.9', proto: 'tcp', port: 22 }).enforcedBy).toBe('router');
  });
  it('a rule narrower than the route allows only the narrower range', () => {
    const c = build(grants({ src: ['alice@example.com'], dst: ['10.33.5.0/24'], ...all }));
    expect(can(c, 'alice-laptop', '10.33.5.1')).toBe(true);
    expect(can(c, 'alice-laptop', '10.33.6.1')).toBe(false);
  });
});

describe('§18.10 autogroup:internet', () => {
  const c = build(grants({ src: ['autogroup:member'], dst: ['autogroup:internet'], ...all }));
  it('excludes private, CGNAT and link-local ranges; IPv6 is 2000::/3', () => {
    expect(can(c, 'alice-laptop', '8.8.8.8', 'udp', 53)).toBe(true);
    expect(can(c, 'alice-laptop', '10.1.1.1')).toBe(false);
    expect(can(c, 'alice-laptop', '172.16.0.1')).toBe(false);
    expect(can(c, 'alice-laptop', '169.254.0.1')).toBe(false);
    expect(can(c, 'alice-laptop', '2606:4700::1111')).toBe(true);
    expect(can(c, 'alice-laptop', 'fc00::1')).toBe(false);
  });
  it('does not grant the exit node itself', () => expect(can(c, 'alice-laptop', 'exit')).toBe(false));
  it('compiles to nothing without an exit node', () => {
    const noExit = build(grants({ src: ['autogroup:member'], dst: ['autogroup:internet'], ...all }), [
      { name: 'a', user: 'a@example.com', tags: [], ips: ['100.64.0.1'] },
    ]);
    expect(can(noExit, 'a', '8.8.8.8')).toBe(false);
  });
  it('a CIDR grant alone does not let a device use the exit node', () => {
    const cidr = build(grants({ src: ['autogroup:member'], dst: ['8.8.8.0/24'], ...all }));
    expect(can(cidr, 'alice-laptop', '8.8.8.8')).toBe(false);
  });
});

describe('§18.11 auto-approval', () => {
  const c = build({
    tagOwners: TAGS,
    grants: [],
    autoApprovers: { routes: { '10.0.0.0/8': ['tag:router'], '0.0.0.0/0': ['tag:router'] }, exitNode: ['tag:exit'] },
  });
  it('subnet routes are approved by any containing prefix', () => {
    expect(autoApproves(c, 'router', '10.33.0.0/16')).toBe(true);
    // routes["0.0.0.0/0"] approves no exit route, but it still contains (and approves) every subnet.
    expect(autoApproves(c, 'router', '192.168.0.0/16')).toBe(true);
    expect(autoApproves(c, 'router', 'fd00::/8')).toBe(false);
    expect(autoApproves(c, 'web', '10.33.0.0/16')).toBe(false);
  });
  it('exit routes only through exitNode, never routes["0.0.0.0/0"]', () => {
    expect(autoApproves(c, 'router', '0.0.0.0/0')).toBe(false);
    expect(autoApproves(c, 'exit', '0.0.0.0/0')).toBe(true);
    expect(autoApproves(c, 'exit', '::/0')).toBe(true);
  });
});

describe('§18.12 via is per router', () => {
  const c = build(grants({ src: ['bob@example.com'], dst: ['10.33.0.0/16'], via: ['tag:router2'], ...all }));
  it('applies only at routers carrying a via tag', () => {
    expect(can(c, 'bob-laptop', '10.33.1.5')).toBe(true);
    expect(can(c, 'bob-laptop', '10.33.2.5')).toBe(false);
  });
});

describe('§18.13 SSH', () => {
  const policy = {
    tagOwners: TAGS,
    groups: { 'group:ops': ['alice@example.com'] },
    ssh: [
      { action: 'accept', src: ['alice@example.com'], dst: ['tag:db'], users: ['root', 'deploy'] },
      { action: 'check', src: ['group:ops'], dst: ['tag:db'], users: ['root'] },
      { action: 'accept', src: ['autogroup:member'], dst: ['autogroup:self'], users: ['autogroup:nonroot'] },
      { action: 'accept', src: ['tag:web'], dst: ['tag:db'], users: ['group:foo'] },
      { action: 'accept', src: ['bob@example.com'], dst: ['tag:web'], users: ['localpart:*@example.com'] },
    ],
  };
  const c = build(policy);
  const ssh = (src: string, dst: string, login: string) => sshAccess(c, { src, dst, login }).action;
  it('check beats accept regardless of order', () => expect(ssh('alice-laptop', 'db', 'root')).toBe('check'));
  it('accept when only an accept rule maps the login', () =>
    expect(ssh('alice-laptop', 'db', 'deploy')).toBe('accept'));
  it('autogroup:nonroot is any login but root', () => {
    expect(ssh('alice-laptop', 'alice-desktop', 'alice')).toBe('accept');
    expect(ssh('alice-laptop', 'alice-desktop', 'root')).toBe('deny');
    expect(ssh('bob-laptop', 'alice-desktop', 'bob')).toBe('deny');
  });
  it('unknown strings in users are literal logins', () => expect(ssh('web', 'db', 'group:foo')).toBe('accept'));
  it('tagged sources never reach user-owned devices', () => expect(ssh('web', 'alice-laptop', 'alice')).toBe('deny'));
  it('localpart maps the login local part and quietly adds same-user self-access', () => {
    expect(ssh('bob-laptop', 'web', 'bob')).toBe('accept');
    expect(ssh('bob-laptop', 'web', 'alice')).toBe('deny');
    // SaaS quirk (§7): bob's own devices may SSH into each other as "bob" through the localpart rule.
    const two = build(policy, [
      { name: 'b1', user: 'bob@example.com', tags: [], ips: ['100.64.9.1'] },
      { name: 'b2', user: 'bob@example.com', tags: [], ips: ['100.64.9.2'] },
    ]);
    expect(sshAccess(two, { src: 'b1', dst: 'b2', login: 'bob' }).action).toBe('accept');
  });
  it('sshTests ignore the network layer (no grants here)', () => {
    const t = build({
      ...policy,
      grants: [],
      sshTests: [{ src: 'alice@example.com', dst: ['tag:db'], check: ['root'], accept: ['deploy'], deny: ['admin'] }],
    });
    expect(runPolicyTests(t).map((r) => r.passed)).toEqual([true, true, true]);
  });
});

describe('§18.14 tests', () => {
  const base = grants(
    { src: ['group:eng'], dst: ['tag:db'], ip: ['5432'] },
    { src: ['alice@example.com'], dst: ['tag:web'], ip: ['443'] },
  );
  const policy = {
    ...base,
    groups: { 'group:eng': ['alice@example.com', 'bob@example.com'] },
    hosts: { net: '10.33.0.0/24', one: '10.33.0.7' },
  };
  const run = (tests: object[]) => runPolicyTests(build({ ...policy, tests }));
  it('single port, no CIDR (even /32), no wildcard', () => {
    const results = run([
      {
        src: 'bob@example.com',
        accept: [
          'tag:db:5432',
          'tag:db:5432,5433',
          '100.64.2.2/32:5432',
          '*:5432',
          'net:5432',
          'autogroup:internet:443',
        ],
      },
    ]);
    expect(results.map((r) => r.passed)).toEqual([true, false, false, false, false, false]);
  });
  it('a group src needs every member device to pass', () => {
    const results = run([{ src: 'group:eng', accept: ['tag:web:443', 'tag:db:5432'] }]);
    expect(results.map((r) => r.passed)).toEqual([false, true]);
    expect(results[0].failures.map((f) => f.src)).toEqual(['bob-laptop']);
  });
  it('unknown or device-less sources fail', () => {
    expect(run([{ src: 'nobody@example.com', deny: ['tag:db:22'] }])[0].problem).toMatch(/matches no device/);
  });
  it('proto omitted = TCP or UDP; proto mismatch fails', () => {
    const results = run([
      { src: 'alice@example.com', proto: 'sctp', accept: ['tag:web:443'] },
      { src: 'alice@example.com', accept: ['tag:web:443'] },
    ]);
    expect(results.map((r) => r.passed)).toEqual([false, true]);
  });
  it('legacy "allow" = accept, and non-device IP destinations are fine', () => {
    const r = runPolicyTests(
      build({
        ...policy,
        grants: [{ src: ['*'], dst: ['10.33.0.0/16'], ip: ['*'] }],
        tests: [{ src: 'tag:web', allow: ['one:80'] }],
      }),
    );
    expect(r.map((x) => x.passed)).toEqual([true]);
  });
});

describe('checkPolicy: what a SaaS save does', () => {
  it('rejects a policy whose tests fail with "test(s) failed", positioned at the test', () => {
    const text = JSON.stringify(
      { tagOwners: TAGS, grants: [], tests: [{ src: 'bob@example.com', accept: ['tag:db:5432'] }] },
      null,
      2,
    );
    const result = checkPolicy({ text, file: 'policy.hujson' }, inventoryFromNodes(NODES), { dialect: 'tailscale' });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'TN5060', path: 'policy.hujson:24:5' });
    expect(result.diagnostics[0].message).toMatch(
      /^test\(s\) failed: bob@example.com -> tag:db:5432 should be accepted: bob-laptop: denied$/,
    );
    expect(result.testResults[0]).toMatchObject({ passed: false, failures: [{ src: 'bob-laptop', got: 'denied' }] });
  });
});

describe('headscale users without e-mail', () => {
  it('"name@" matches the login "name"', () => {
    const c = build(
      { grants: [{ src: ['carol@'], dst: ['*'], ip: ['*'] }] },
      [
        { name: 'c1', user: 'carol', tags: [], ips: ['100.64.0.1'] },
        { name: 'c2', user: 'dave', tags: [], ips: ['100.64.0.2'] },
      ],
      { dialect: 'headscale' },
    );
    expect(can(c, 'c1', 'c2')).toBe(true);
    expect(can(c, 'c2', 'c1')).toBe(false);
  });
});

describe('§18.15 case and whitespace', () => {
  it('Tailscale tags are case-insensitive', () => {
    const c = build({ tagOwners: { 'tag:DB': [] }, grants: [{ src: ['*'], dst: ['tag:Db '], ip: ['*'] }] });
    expect(can(c, 'bob-laptop', 'db')).toBe(true);
  });
  it('headscale tags are case-sensitive', () => {
    const c = build({ tagOwners: { 'tag:DB': [] }, grants: [{ src: ['*'], dst: ['tag:DB'], ip: ['*'] }] }, undefined, {
      dialect: 'headscale',
    });
    expect(can(c, 'bob-laptop', 'db')).toBe(false);
  });
});

describe('postures (§8.5)', () => {
  const nodes = [
    {
      name: 'mac',
      user: 'a@example.com',
      tags: [],
      ips: ['100.64.0.1'],
      postureAttrs: { 'node:os': 'macos', 'node:tsVersion': '1.62.1' },
    },
    {
      name: 'old',
      user: 'a@example.com',
      tags: [],
      ips: ['100.64.0.2'],
      postureAttrs: { 'node:os': 'macos', 'node:tsVersion': '1.38.0' },
    },
    { name: 'bare', user: 'a@example.com', tags: [], ips: ['100.64.0.3'] },
    { name: 'srv', user: null, tags: ['tag:db'], ips: ['100.64.0.9'] },
  ];
  const c = build(
    {
      tagOwners: TAGS,
      postures: {
        'posture:recent': ["node:os IN ['macos', 'linux']", "node:tsVersion >= '1.40'"],
        'posture:notWin': ["node:os != 'windows'"],
      },
      grants: [
        { src: ['autogroup:member'], dst: ['tag:db'], ip: ['443'], srcPosture: ['posture:recent'] },
        { src: ['autogroup:member'], dst: ['tag:db'], ip: ['22'], srcPosture: ['posture:notWin'] },
      ],
    },
    nodes,
  );
  it('version comparison is numeric', () => {
    expect(can(c, 'mac', 'srv', 'tcp', 443)).toBe(true);
    expect(can(c, 'old', 'srv', 'tcp', 443)).toBe(false);
  });
  it('an unset attribute fails even with !=', () => expect(can(c, 'bare', 'srv', 'tcp', 22)).toBe(false));
  it('srcPostureAttrs override the device attributes', () => {
    expect(
      canReach(c, { src: 'bare', dst: 'srv', proto: 'tcp', port: 22, srcPostureAttrs: { 'node:os': 'linux' } }).allowed,
    ).toBe(true);
  });
});

describe('matched rules and enforcement', () => {
  it('reports every rule that allows, by section and index', () => {
    const c = build({
      tagOwners: TAGS,
      acls: [{ action: 'accept', src: ['bob@example.com'], dst: ['tag:db:5432', 'tag:db:*'] }],
      grants: [
        { src: ['autogroup:member'], dst: ['tag:web'], ip: ['*'] },
        { src: ['*'], dst: ['tag:db'], ip: ['tcp:5432'] },
      ],
    });
    expect(canReach(c, { src: 'bob-laptop', dst: 'db', proto: 'tcp', port: 5432 })).toEqual({
      allowed: true,
      matchedRules: [
        { section: 'acls', index: 0 },
        { section: 'grants', index: 1 },
      ],
      enforcedBy: 'db',
    });
  });
});
