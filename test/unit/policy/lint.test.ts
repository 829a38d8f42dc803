import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/core/diagnostics';
import { LINT_CODES } from '../../../src/policy/codes';
import { lintPolicy } from '../../../src/policy/lint';
import { fixtureInventory, loadFixture, policyOf } from './policy-fixtures';

/** Each TN6xxx finding on the fixtures (test/fixtures/policy/lint.hujson has every one), and the quiet cases. */
function lines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.severity} ${d.path} ${d.message}`);
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

describe('lint on the fixtures', () => {
  it('finds every kind of problem in lint.hujson, at its position, with devices', () => {
    const found = lintPolicy(loadFixture('lint.hujson'), { inventory: fixtureInventory() });
    expect(lines(found)).toEqual([
      'TN6001 warning lint.hujson:6:3 group "group:unused" is defined but nothing refers to it',
      'TN6030 warning lint.hujson:12:3 tag "tag:orphan" can be applied only by admins: its owners (group:empty) are empty groups or tags no user can apply',
      'TN6003 warning lint.hujson:16:3 host "printer" is defined but nothing refers to it',
      'TN6004 warning lint.hujson:19:3 IP set "ipset:unused" is defined but nothing refers to it',
      'TN6005 warning lint.hujson:22:3 posture "posture:unused" is defined but nothing refers to it',
      'TN6021 warning lint.hujson:29:3 dst "*" also lets group:eng use exit nodes (all internet traffic) and reach every approved subnet route',
      'TN6011 warning lint.hujson:35:3 grants[1] is redundant: everything it allows is also allowed by grants[0] (lint.hujson:29:3)',
      'TN6010 warning lint.hujson:53:3 src tag:orphan matches no device of the inventory',
      'TN6012 info lint.hujson:47:3 grants[3] allows exactly what grants[2] (lint.hujson:41:3) allows',
      'TN6040 info lint.hujson:61:3 tag:db -> tag:web:22: no acl or grant involves this source and destination on any port, so today it passes by default deny alone: it only guards against future rules',
    ]);
  });

  it('without devices skips "matches no device" and judges redundancy on the selectors', () => {
    expect(codes(lintPolicy(loadFixture('lint.hujson')))).not.toContain(LINT_CODES.ruleMatchesNoDevice.code);
    expect(codes(lintPolicy(loadFixture('lint.hujson')))).toContain(LINT_CODES.redundantRule.code);
  });

  it('the fixture tailnet policy is clean, with and without devices', () => {
    expect(lintPolicy(loadFixture('base.hujson'), { inventory: fixtureInventory() })).toEqual([]);
    expect(lintPolicy(loadFixture('base.hujson'))).toEqual([]);
  });

  it('no acls and no grants is allow-all (§18.2)', () => {
    expect(codes(lintPolicy(loadFixture('allow-all.hujson')))).toEqual([
      LINT_CODES.implicitAllowAll.code,
      LINT_CODES.unusedTag.code,
    ]);
  });
});

describe('lint rules', () => {
  const tags = { tagOwners: { 'tag:web': [], 'tag:db': [] } };

  it('"*" to "*" is over-broad; an explicit autogroup:internet grant makes "*" as dst deliberate', () => {
    const broad = policyOf({ ...tags, grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] });
    expect(lines(lintPolicy(broad))).toEqual([
      'TN6020 warning inline.json:/grants/0 src * and dst "*": every device reaches every device, subnet and exit node on *',
      'TN6002 warning inline.json:/tagOwners/tag:db tag "tag:db" is defined but no rule, auto-approver, node attribute, test or other tag refers to it',
      'TN6002 warning inline.json:/tagOwners/tag:web tag "tag:web" is defined but no rule, auto-approver, node attribute, test or other tag refers to it',
    ]);
    const deliberate = policyOf({
      ...tags,
      grants: [
        { src: ['tag:web'], dst: ['*'], ip: ['tcp:443'] },
        { src: ['tag:web', 'tag:db'], dst: ['autogroup:internet'], ip: ['*'] },
      ],
    });
    expect(codes(lintPolicy(deliberate))).not.toContain(LINT_CODES.accidentalExitNode.code);
    // the acknowledgement is not then reported as redundant beside the "*" rule that covers it
    const acknowledged = policyOf({
      ...tags,
      grants: [
        { src: ['tag:web'], dst: ['*'], ip: ['*'] },
        { src: ['tag:web'], dst: ['autogroup:internet'], ip: ['*'] },
      ],
    });
    expect(codes(lintPolicy(acknowledged))).not.toContain(LINT_CODES.accidentalExitNode.code);
    expect(codes(lintPolicy(acknowledged))).not.toContain(LINT_CODES.redundantRule.code);
  });

  it('"*" as dst is no accident in a tailnet with neither exit nodes nor subnet routes', () => {
    const p = policyOf({
      ...tags,
      grants: [
        { src: ['tag:web'], dst: ['*'], ip: ['tcp:443'] },
        { src: ['tag:db'], dst: ['tag:web'], ip: ['1'] },
      ],
    });
    expect(codes(lintPolicy(p))).toContain(LINT_CODES.accidentalExitNode.code);
    expect(codes(lintPolicy(p, { inventory: { devices: [] } }))).not.toContain(LINT_CODES.accidentalExitNode.code);
  });

  it('tags owned only through empty groups or an owner cycle; [] means admins on purpose', () => {
    const p = policyOf({
      groups: { 'group:none': [] },
      tagOwners: { 'tag:a': ['tag:b'], 'tag:b': ['tag:a'], 'tag:c': ['tag:a', 'alice@example.com'], 'tag:d': [] },
      grants: [{ src: ['tag:a', 'tag:b', 'tag:c', 'tag:d'], dst: ['tag:a'], ip: ['tcp:1'] }],
    });
    const unownable = lintPolicy(p).filter((d) => d.code === LINT_CODES.unownableTag.code);
    expect(unownable.map((d) => d.message.split(' ')[1])).toEqual(['"tag:a"', '"tag:b"']);
  });

  it('ACL elements and their grant equivalents (§6): each grant is inside the ACL that lists both', () => {
    const p = policyOf({
      ...tags,
      acls: [{ action: 'accept', src: ['tag:web'], dst: ['tag:db:443', 'tag:web:22'] }],
      grants: [
        { src: ['tag:web'], dst: ['tag:db'], ip: ['443'] },
        { src: ['tag:web'], dst: ['tag:web'], ip: ['22'] },
      ],
    });
    const found = lintPolicy(p).filter(
      (d) => d.code === LINT_CODES.duplicateRule.code || d.code === LINT_CODES.redundantRule.code,
    );
    expect(lines(found)).toEqual([
      'TN6011 warning inline.json:/grants/0 grants[0] is redundant: everything it allows is also allowed by acls[0] (inline.json:/acls/0)',
      'TN6011 warning inline.json:/grants/1 grants[1] is redundant: everything it allows is also allowed by acls[0] (inline.json:/acls/0)',
    ]);
  });

  it('with devices, a rule is redundant when its device sets are inside a broader rule, whatever the selectors', () => {
    const p = policyOf({
      groups: { 'group:eng': ['alice@example.com', 'bob@example.com'] },
      tagOwners: { 'tag:web': [], 'tag:db': [], 'tag:prod': [] },
      grants: [
        { src: ['group:eng'], dst: ['tag:db'], ip: ['tcp:5432', 'tcp:22'] },
        { src: ['bob@example.com'], dst: ['tag:prod'], ip: ['tcp:5432'] },
      ],
    });
    expect(codes(lintPolicy(p))).not.toContain(LINT_CODES.redundantRule.code);
    const withDevices = lintPolicy(p, { inventory: fixtureInventory() });
    expect(withDevices.find((d) => d.code === LINT_CODES.redundantRule.code)?.message).toBe(
      'grants[1] is redundant: everything it allows is also allowed by grants[0] (inline.json:/grants/0)',
    );
  });

  it('tests: a deny between two identities no rule connects is a guard only; one a rule connects is not', () => {
    const p = policyOf({
      ...tags,
      grants: [{ src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] }],
      tests: [{ src: 'tag:web', deny: ['tag:db:22', 'tag:web:22'] }],
      ssh: [{ action: 'accept', src: ['tag:web'], dst: ['tag:db'], users: ['root'] }],
      sshTests: [
        { src: 'tag:db', dst: ['tag:web'], deny: ['root'] },
        { src: 'tag:web', dst: ['tag:db'], accept: ['root'] },
      ],
    });
    const found = lintPolicy(p).filter((d) => d.code === LINT_CODES.testCoversNoRule.code);
    expect(found.map((d) => `${d.path} ${d.message.split(': no')[0]}`)).toEqual([
      'inline.json:/sshTests/0 tag:db -> tag:web',
      'inline.json:/tests/0 tag:web -> tag:web:22',
    ]);
  });
});
