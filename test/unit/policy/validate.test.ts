import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../../src/policy';

/** One case per §12 message (plus the dialect rules of §15): each policy must be rejected with that wording. */
type Row = [name: string, policy: unknown, message: string, dialect?: 'tailscale' | 'headscale'];

const T = { tagOwners: { 'tag:ok': ['autogroup:admin'] } };
const grant = (g: object) => ({ ...T, grants: [{ src: ['*'], dst: ['tag:ok'], ip: ['*'], ...g }] });
const acl = (a: object) => ({ ...T, acls: [{ action: 'accept', src: ['*'], dst: ['tag:ok:*'], ...a }] });
const ssh = (s: object) => ({
  ...T,
  ssh: [{ action: 'accept', src: ['alice@example.com'], dst: ['tag:ok'], users: ['root'], ...s }],
});

const ROWS: Row[] = [
  ['undefined tag in src', acl({ src: ['tag:nonexistent'] }), 'src=tag not found: "tag:nonexistent"'],
  [
    'undefined tag in ACL dst',
    acl({ dst: ['tag:nonexistent:22'] }),
    'dst="tag:nonexistent:22": tag not found: "tag:nonexistent"',
  ],
  ['undefined via tag', grant({ dst: ['10.0.0.0/8'], via: ['tag:nonexistent'] }), 'tag "tag:nonexistent" not found'],
  [
    'undefined tag in nodeAttrs',
    { nodeAttrs: [{ target: ['tag:undefined-tag'], attr: ['funnel'] }] },
    'tag not found: "tag:undefined-tag"',
  ],
  ['ACL action deny', acl({ action: 'deny' }), 'action="deny" is not supported'],
  [
    'ACL action deny (headscale)',
    acl({ action: 'deny' }),
    'action="deny" is not supported: invalid ACL action',
    'headscale',
  ],
  [
    'dst without port',
    acl({ dst: ['autogroup:self'] }),
    'dst="autogroup:self": port range "self": invalid first integer',
  ],
  ['dst with a port name', acl({ dst: ['tag:ok:ssh'] }), 'dst="tag:ok:ssh": port range "ssh": invalid first integer'],
  ['port 0', grant({ ip: ['tcp:0'] }), `port range "0": first port must be >0, or use '*' for wildcard`],
  ['grant ip bare proto', grant({ ip: ['icmp'] }), 'port range "icmp": invalid first integer'],
  ['self as src', grant({ src: ['autogroup:self'] }), '"autogroup:self" not valid on the src side of a rule'],
  [
    'self dst with tag src (ACL)',
    acl({ src: ['tag:ok'], dst: ['autogroup:self:*'] }),
    'autogroup:self can only be used with users, groups, or supported autogroups',
  ],
  [
    'self dst with * src (grant)',
    grant({ dst: ['autogroup:self'] }),
    'autogroup:self can only be used with users, groups, or supported autogroups',
  ],
  [
    'self dst with IP src',
    grant({ src: ['100.64.0.1'], dst: ['autogroup:self'] }),
    'autogroup:self can only be used with users, groups, or supported autogroups',
  ],
  ['danger-all as dst', grant({ dst: ['autogroup:danger-all'] }), 'cannot use autogroup:danger-all as a dst'],
  ['grant without ip and app', grant({ ip: undefined }), 'ip and app can not both be empty'],
  ['grant with empty ip and app', grant({ ip: [], app: {} }), 'ip and app can not both be empty'],
  [
    'grant dst 0.0.0.0/0',
    grant({ dst: ['0.0.0.0/0'] }),
    'dst "0.0.0.0/0": to allow all IP addresses, use "*" or "autogroup:internet"',
  ],
  [
    'grant dst ::/0',
    grant({ dst: ['::/0'] }),
    'dst "::/0": to allow all IP addresses, use "*" or "autogroup:internet"',
  ],
  [
    'app cap with URL form',
    grant({ ip: undefined, app: { 'https://example.com/cap': [{}] } }),
    'capability name must have the form {domain}/{path}',
  ],
  [
    'reserved tailscale.com cap',
    grant({ ip: undefined, app: { 'tailscale.com/cap/funnel': [{}] } }),
    'capability name must not be in the tailscale.com domain',
  ],
  [
    'app grant to autogroup:internet',
    grant({ dst: ['autogroup:internet'], ip: undefined, app: { 'example.com/cap/x': [{}] } }),
    'cannot use app grants with autogroup:internet',
  ],
  ['via non-tag', grant({ dst: ['10.0.0.0/8'], via: ['alice@example.com'] }), 'via can only be a tag'],
  [
    'nested group',
    { groups: { 'group:outer': ['group:inner'], 'group:inner': [] } },
    'groups["group:outer"]: "group:inner": group members cannot be recursive',
  ],
  [
    'non-ASCII tag',
    { tagOwners: { 'tag:сервер': [] } },
    `tagOwners["tag:сервер"]: tag names must start with a letter, after 'tag:'`,
  ],
  [
    'tag with a bad character',
    { tagOwners: { 'tag:web_1': [] } },
    'tagOwners["tag:web_1"]: tag names can only contain numbers, letters, or dashes',
  ],
  ['SSH action invalid', ssh({ action: 'deny' }), '"deny" is not a valid action'],
  ['SSH action case-sensitive', ssh({ action: 'Accept' }), '"Accept" is not a valid action'],
  ['SSH action missing', ssh({ action: undefined }), 'action must be specified'],
  ['SSH users missing', ssh({ users: undefined }), 'users must be specified'],
  ['SSH users empty', ssh({ users: [] }), 'users must be specified'],
  ['SSH users null', ssh({ users: null }), 'users must be specified'],
  ['SSH user ""', ssh({ users: [''] }), 'user "" is not valid'],
  ['SSH user "*"', ssh({ users: ['*'] }), 'user "*" is not valid'],
  ['SSH dst host alias', { ...ssh({ dst: ['srv'] }), hosts: { srv: '100.64.0.9' } }, 'invalid dst "srv"'],
  [
    'checkPeriod above max',
    ssh({ action: 'check', checkPeriod: '200h' }),
    'checkPeriod 200h0m0s is above the max (168h)',
  ],
  [
    'checkPeriod just above max',
    ssh({ action: 'check', checkPeriod: '168h0m1s' }),
    'checkPeriod 168h0m1s is above the max (168h)',
  ],
  [
    'checkPeriod negative',
    ssh({ action: 'check', checkPeriod: '-1m' }),
    'checkPeriod -1m0s must be a positive duration',
  ],
  ['checkPeriod unparseable', ssh({ action: 'check', checkPeriod: 'abc' }), 'time: invalid duration "abc"'],
  ['acceptEnv ""', ssh({ acceptEnv: [''] }), 'acceptEnv values cannot be empty'],
  [
    'localpart domain not in tailnet',
    ssh({ users: ['localpart:*@example.org'] }),
    'example.org is not associated with this Tailnet and cannot be used in user:*@<domain> expressions',
  ],
  [
    'user:*@ domain in ssh src',
    ssh({ src: ['user:*@example.org'] }),
    '[ssh] example.org is not associated with this Tailnet and cannot be used in user:*@<domain> expressions',
  ],
  ['nodeAttrs bad target', { nodeAttrs: [{ target: ['%bogus%'], attr: ['funnel'] }] }, '"%bogus%": invalid address'],
  [
    'nodeAttrs reserved ipPool',
    { nodeAttrs: [{ target: ['*'], ipPool: ['100.100.100.0/24'] }] },
    'IPPool(100.100.100.0/24): network within reserved range',
  ],
  [
    'nodeAttrs autogroup:self',
    { nodeAttrs: [{ target: ['autogroup:self'], attr: ['funnel'] }] },
    'internal server error',
  ],
  [
    'sshTests dst CIDR',
    { ...T, sshTests: [{ src: 'alice@example.com', dst: ['100.64.0.0/24'], accept: ['root'] }] },
    'SSH tests dst contains disallowed element "100.64.0.0/24"',
  ],
  [
    'sshTests dst with port',
    { ...T, sshTests: [{ src: 'alice@example.com', dst: ['tag:server:22'], accept: ['root'] }] },
    'SSH tests dst contains unknown tag "tag:server:22"',
  ],
  ['unknown top-level field', { ...T, bogus: 1 }, 'unknown field: "bogus"'],
  ['unknown rule field', acl({ extra: true }), 'unknown field: "extra"'],
  ['wrong JSON type', { acls: 'none' }, 'acls: expected array, got string'],
  [
    'missing required field',
    { ...T, grants: [{ dst: ['tag:ok'], ip: ['*'] }] },
    'grants[0]: missing required field "src"',
  ],
  [
    'proto with ports',
    acl({ proto: 'icmp', dst: ['tag:ok:22'] }),
    'protocol does not support specific ports: "icmp", only "*" is allowed',
  ],
  ['unknown proto', acl({ proto: 'bogus' }), 'proto name "bogus" not known'],
  ['inverted port range', grant({ ip: ['tcp:90-80'] }), 'last port 80 is less than first port 90'],
  ['undefined group', acl({ src: ['group:nope'] }), 'src=group not found: "group:nope"'],
  ['undefined host', acl({ dst: ['nohost:22'] }), 'host not found: "nohost"'],
  ['host name with @', { hosts: { 'db@prod': '100.64.12.1' } }, 'hosts["db@prod"]: host names cannot contain "@"'],
  [
    'host with a bad address',
    { hosts: { derp: '10.0' } },
    'hostname contains invalid IP address: hostname "derp" address "10.0"',
  ],
  ['unknown autogroup', acl({ src: ['autogroup:bogus'] }), 'invalid autogroup: got "autogroup:bogus"'],
  [
    'internet as src',
    grant({ src: ['autogroup:internet'], dst: ['tag:ok'] }),
    '"autogroup:internet" not valid on the src side of a rule',
  ],
  [
    'member and members spellings',
    acl({ src: ['autogroup:member', 'autogroup:members'] }),
    'autogroup:member and autogroup:members cannot both be used',
  ],
  [
    'SSH tag src to user-owned dst',
    ssh({ src: ['tag:ok'], dst: ['alice@example.com'] }),
    'tags in SSH source cannot access user-owned devices',
  ],
  [
    'SSH user dst with another src',
    ssh({ src: ['bob@example.com'], dst: ['alice@example.com'] }),
    'user destination requires source to contain only that same user "alice@example.com"',
  ],
  [
    'SSH tag src to self',
    ssh({ src: ['tag:ok'], dst: ['autogroup:self'] }),
    'autogroup:self destination requires source to contain only users or groups, not tags or autogroup:tagged',
  ],
  [
    'SSH tag src to member',
    ssh({ src: ['autogroup:tagged'], dst: ['autogroup:member'] }),
    'tags in SSH source cannot access autogroup:member (user-owned devices)',
  ],
  ['ipset cycle', { ipsets: { 'ipset:a': ['ipset:b'], 'ipset:b': ['ipset:a'] } }, 'circular reference'],
  ['ipset with a tag', { ipsets: { 'ipset:a': ['tag:ok'] } }, 'not an IP, CIDR, range'],
  ['undefined posture', grant({ srcPosture: ['posture:nope'] }), 'posture not found: "posture:nope"'],
  ['malformed posture', { postures: { 'posture:x': ['node:os === macos'] } }, 'posture condition "node:os === macos"'],
  [
    'headscale: user without @',
    { groups: { 'group:a': ['alice'] } },
    'username must contain @, got: "alice"',
    'headscale',
  ],
  ['headscale: ipsets unknown', { ipsets: {} }, 'unknown field: "ipsets"', 'headscale'],
  ['headscale: postures unknown', { postures: {} }, 'unknown field: "postures"', 'headscale'],
  [
    'headscale: legacy ACL users',
    { acls: [{ action: 'accept', users: ['*'], ports: ['*:*'] }] },
    'unknown field: "users"',
    'headscale',
  ],
  [
    'headscale: role autogroup',
    acl({ src: ['autogroup:admin'] }),
    'invalid autogroup: got "autogroup:admin"',
    'headscale',
  ],
  ['headscale: autoApprovers.services', { autoApprovers: { services: {} } }, 'unknown field: "services"', 'headscale'],
  ['headscale: SSH wildcard dst', ssh({ dst: ['*'] }), 'wildcard (*) is not supported as SSH destination', 'headscale'],
];

describe('validatePolicy: Tailscale messages (§12, §15)', () => {
  for (const [name, policy, message, dialect = 'tailscale'] of ROWS) {
    it(`${name} → ${message}`, () => {
      const result = validatePolicy({ value: policy, file: 'p.json' }, { dialect, tailnetDomains: ['example.com'] });
      expect(result.policy).toBeUndefined();
      const messages = result.diagnostics.map((d) => d.message);
      expect(
        messages.some((m) => m.includes(message)),
        messages.join('\n'),
      ).toBe(true);
    });
  }
});

describe('validatePolicy: accepted forms', () => {
  const accepted: [string, unknown][] = [
    ['empty policy', {}],
    ['legacy users/ports', { acls: [{ action: 'accept', users: ['*'], ports: ['*:*'] }] }],
    [
      'case-insensitive section names (TagOwners)',
      { TagOwners: { 'tag:a': [] }, grants: [{ src: ['tag:A'], dst: ['*'], ip: ['*'] }] },
    ],
    [
      '1-65535 (excludes port 0 silently)',
      { grants: [{ src: ['*'], dst: ['*'], ip: ['1-65535', 'tcp:22,80,8000-8100', 'icmp:*', '47', '6:443'] }] },
    ],
    ['empty src/dst (match nothing)', { grants: [{ src: [], dst: [], ip: ['*'] }] }],
    ['app with an empty value array', { grants: [{ src: ['*'], dst: ['*'], app: { 'example.com/cap/x': [] } }] }],
    ['ACL * with autogroup:self', { acls: [{ action: 'accept', src: ['*'], dst: ['autogroup:self:*'] }] }],
    ['tag-owner cycles', { tagOwners: { 'tag:a': ['tag:b'], 'tag:b': ['tag:a'], 'tag:c': ['tag:c'] } }],
    [
      'SSH literal users and whitespace',
      {
        ssh: [
          {
            action: ' accept',
            src: ['alice@example.com'],
            dst: ['autogroup:self'],
            users: [' root', 'group:foo', 'autogroup:member', '🙂'],
          },
        ],
      },
    ],
    [
      'checkPeriod 30s, 0s, always, null',
      {
        ssh: ['30s', '0s', 'always', null].map((p) => ({
          action: 'check',
          src: ['alice@example.com'],
          dst: ['autogroup:self'],
          users: ['root'],
          checkPeriod: p,
        })),
      },
    ],
    ['synced groups need no definition', { grants: [{ src: ['group:sec@example.com'], dst: ['*'], ip: ['*'] }] }],
    [
      'whitespace around aliases',
      { tagOwners: { 'tag:server': [] }, grants: [{ src: [' alice@example.com'], dst: ['tag:server '], ip: ['*'] }] },
    ],
    [
      'IPv6 ACL dst in brackets',
      { acls: [{ action: 'accept', src: ['*'], dst: ['[fd7a:115c:a1e0::1]:22', '[fd7a::]/48:*'] }] },
    ],
    [
      'ipset add/remove with host and range',
      {
        hosts: { h: '192.0.2.9' },
        ipsets: {
          'ipset:a': ['add 192.0.2.0/24', 'remove host:h', 'remove 192.0.2.4-192.0.2.5', 'add autogroup:internet'],
        },
      },
    ],
  ];
  for (const [name, policy] of accepted) {
    it(name, () => {
      const result = validatePolicy({ value: policy, file: 'p.json' }, { dialect: 'tailscale' });
      expect(result.diagnostics.map((d) => d.message)).toEqual([]);
      expect(result.policy).toBeDefined();
    });
  }
});

describe('validatePolicy: positions and completeness', () => {
  const text = [
    '{',
    '  // two bad rules: both are reported (SaaS reports only one)',
    '  "acls": [',
    '    {"action": "deny", "src": ["*"], "dst": ["*:*"]},',
    '    {"action": "accept", "src": ["tag:nope"], "dst": ["*:0"]},',
    '  ],',
    '}',
  ].join('\n');

  it('reports every error with file:line:col', () => {
    const result = validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'tailscale' });
    const lines = result.diagnostics.map((d) => `${d.path} ${d.code} ${d.message}`);
    expect(lines).toEqual([
      'policy.hujson:4:6 TN5008 action="deny" is not supported',
      'policy.hujson:5:34 TN5004 src=tag not found: "tag:nope"',
      `policy.hujson:5:55 TN5009 dst="*:0": port range "0": first port must be >0, or use '*' for wildcard`,
    ]);
    expect(result.diagnostics.every((d) => d.hint)).toBe(true);
  });

  it('reports a HuJSON syntax error with its position', () => {
    const result = validatePolicy({ text: '{"acls": [,]}', file: 'bad.hujson' }, { dialect: 'tailscale' });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0].code).toBe('TN5001');
    expect(result.diagnostics[0].path).toMatch(/^bad\.hujson:1:\d+$/);
  });

  it('uses JSON pointers when no positions are known', () => {
    const result = validatePolicy(
      { value: { acls: [{ action: 'drop', src: [], dst: [] }] }, file: 'p.json' },
      { dialect: 'tailscale' },
    );
    expect(result.diagnostics[0].path).toBe('p.json:/acls/0/action');
  });
});
