import { describe, expect, it } from 'vitest';
import { ANY, AutoApprover, Autogroup, Grant, Group, Ip, SshRule, SshUser, Tag } from '../../../src';
import { IrTemplate, Match } from '../../../src/core/testing';
import { policyDocument, policyValue } from '../../../src/emit/policy/document';
import { lowerStack } from '../../../src/ir/lower';
import { newStack, synthDiagnostics } from '../../helpers';

describe('lowering constructs to the IR', () => {
  const owners = [Autogroup.ADMIN];

  it('lowers a grant with its construct path, selectors and capabilities', () => {
    const { stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    const eng = new Group(stack, 'Eng', { members: ['bob@example.com', 'alice@example.com'] });
    new Grant(stack, 'EngToServer', { src: [eng], dst: [server], ip: [Ip.tcp(22), Ip.udp('60000-61000')] });
    const t = IrTemplate.fromStack(stack);
    t.hasGrant({
      source: { path: 'test/EngToServer' },
      src: ['group:eng'],
      dst: ['tag:server'],
      ip: ['tcp:22', 'udp:60000-61000'],
      via: Match.absent(),
    });
    t.has('groups', { name: 'group:eng', members: ['alice@example.com', 'bob@example.com'] });
    expect(t.countOf('grants')).toBe(1);
  });

  it('orders rules by construct path, not by declaration', () => {
    const { stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    new Grant(stack, 'Zeta', { src: [server], dst: [server], ip: [Ip.ALL] });
    new Grant(stack, 'Alpha', { src: [server], dst: [server], ip: [Ip.ALL] });
    expect(lowerStack(stack).policy.grants.map((g) => g.source.path)).toEqual(['test/Alpha', 'test/Zeta']);
  });

  it('merges auto-approvers of one route and keeps exit nodes apart from routes', () => {
    const { stack } = newStack();
    const a = new Tag(stack, 'RouterA', { owners });
    const b = new Tag(stack, 'RouterB', { owners });
    new AutoApprover(stack, 'A', { approvers: [a], routes: ['10.0.0.0/8'], exitNode: true });
    new AutoApprover(stack, 'B', { approvers: [b], routes: ['10.0.0.0/8'] });
    const policy = policyValue(policyDocument(lowerStack(stack)));
    expect(policy.autoApprovers).toEqual({
      routes: { '10.0.0.0/8': ['tag:router-a', 'tag:router-b'] },
      exitNode: ['tag:router-a'],
    });
  });

  it('refuses 0.0.0.0/0 as an auto-approved route: exit nodes are approved by exitNode only', () => {
    const { app, stack } = newStack();
    const a = new Tag(stack, 'Exit', { owners });
    new AutoApprover(stack, 'Wrong', { approvers: [a], routes: ['0.0.0.0/0'] });
    expect(synthDiagnostics(app)).toEqual([
      expect.objectContaining({
        code: 'TN1007',
        path: 'test/Wrong',
        message: 'routes: "0.0.0.0/0" does not approve exit nodes',
      }),
    ]);
  });

  it('lowers SSH rules with trimmed users and check periods', () => {
    const { stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    new SshRule(stack, 'Ops', {
      action: 'check',
      src: [Autogroup.MEMBER],
      dst: [server],
      users: [' root', SshUser.NONROOT],
      checkPeriod: '1h30m',
    });
    IrTemplate.fromStack(stack).has('ssh', {
      action: 'check',
      users: ['root', 'autogroup:nonroot'],
      checkPeriod: '1h30m',
    });
  });

  it('gives declared devices stable addresses that do not depend on the other devices', () => {
    const one = newStack();
    const s1 = new Tag(one.stack, 'S', { owners });
    one.stack.addDevice('Web', { tags: [s1] });
    const two = newStack();
    const s2 = new Tag(two.stack, 'S', { owners });
    two.stack.addDevice('Aaa', { tags: [s2] });
    two.stack.addDevice('Web', { tags: [s2] });
    const web1 = lowerStack(one.stack).devices[0];
    const web2 = lowerStack(two.stack).devices.find((d) => d.name === 'web')!;
    expect(web1.ipv4).toBe(web2.ipv4);
    expect(web1.ipv4).toMatch(/^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$/);
    expect(web1.ipv6).toMatch(/^fd7a:115c:a1e0::/);
  });
});

describe('access sections keep the meaning of emptiness (facts §18.2)', () => {
  it('writes "grants": [] when a deny-by-default stack has no rules', () => {
    const { stack } = newStack();
    new Tag(stack, 'S', { owners: [Autogroup.ADMIN] });
    const policy = policyValue(policyDocument(lowerStack(stack)));
    expect(policy.grants).toEqual([]);
    expect('acls' in policy).toBe(false);
  });

  it('writes no access section at all for an allow-all stack without rules', () => {
    const { stack } = newStack({ defaultAccess: 'allow' });
    new Tag(stack, 'S', { owners: [Autogroup.ADMIN] });
    const policy = policyValue(policyDocument(lowerStack(stack)));
    expect('grants' in policy || 'acls' in policy).toBe(false);
  });

  it('writes only acls when the stack has only ACL rules', () => {
    const { stack } = newStack();
    const s = new Tag(stack, 'S', { owners: [Autogroup.ADMIN] });
    stack.addAclRule('Legacy', { src: [s], dst: [{ target: ANY, ports: ['*'] }] });
    const policy = policyValue(policyDocument(lowerStack(stack)));
    expect(policy.acls).toEqual([{ action: 'accept', src: ['tag:s'], dst: ['*:*'] }]);
    expect('grants' in policy).toBe(false);
  });
});
