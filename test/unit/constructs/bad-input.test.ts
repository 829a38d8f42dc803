import { describe, expect, it } from 'vitest';
import { AclRule, Address, Autogroup, Device, Grant, Group, Ip, Tag, User } from '../../../src';
import { newStack, synthDiagnostics } from '../../helpers';

/** Issue 2 §8: each bad input is one diagnostic with code, construct path, the value received and a fix. */
describe('bad input', () => {
  const owners = [Autogroup.ADMIN];

  function only(app: ReturnType<typeof newStack>['app']) {
    const errors = synthDiagnostics(app).filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].hint).toBeTruthy();
    return errors[0];
  }

  it('fails on a tag name with an underscore and a capital', () => {
    const { app, stack } = newStack();
    new Tag(stack, 'Bad', { name: 'tag:Bad_Name', owners });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1001', path: 'test/Bad' });
    expect(d.message).toContain('"tag:Bad_Name"');
  });

  it('fails on a tag name without the tag: prefix', () => {
    const { app, stack } = newStack();
    new Tag(stack, 'Bad', { name: 'server', owners });
    expect(only(app)).toMatchObject({
      code: 'TN1001',
      path: 'test/Bad',
      message: 'tag names start with "tag:", got "server"',
    });
  });

  it('fails on a tag whose name starts with a digit', () => {
    const { app, stack } = newStack();
    new Tag(stack, 'Bad', { name: 'tag:1server', owners });
    expect(only(app).message).toBe(`tag names must start with a letter, after 'tag:' (got "tag:1server")`);
  });

  it('fails on a tag without owner', () => {
    const { app, stack } = newStack();
    new Tag(stack, 'Lonely', { name: 'tag:lonely', owners: [] });
    expect(only(app)).toMatchObject({ code: 'TN1002', path: 'test/Lonely', message: 'tag "tag:lonely" has no owners' });
  });

  it('fails on a reference to a tag not declared in the stack', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    new Grant(stack, 'ToCi', { src: [server], dst: [Tag.fromName('tag:ci')], ip: [Ip.ALL] });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1003', path: 'test/ToCi' });
    expect(d.message).toBe('dst: tag "tag:ci" is not declared in stack "test"');
    expect(d.hint).toContain('new Tag(');
  });

  it('fails on a reference to a group not declared in the stack', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    // A group declared in another stack is not declared in this one.
    const other = newStack({}, 'other');
    const foreign = new Group(other.stack, 'Eng', { members: ['alice@example.com'] });
    new Grant(stack, 'EngToServer', { src: [foreign], dst: [server], ip: [Ip.tcp(22)] });
    expect(only(app)).toMatchObject({
      code: 'TN1003',
      path: 'test/EngToServer',
      message: 'src: group "group:eng" is not declared in stack "test"',
    });
  });

  it('fails on nested groups', () => {
    const { app, stack } = newStack();
    const inner = new Group(stack, 'Inner', { members: ['alice@example.com'] });
    new Group(stack, 'Outer', { members: [inner as never] });
    expect(only(app)).toMatchObject({
      code: 'TN1004',
      path: 'test/Outer',
      message: 'members: "group:inner": group members cannot be recursive',
    });
  });

  it('fails on autogroup:self as the source of a grant', () => {
    const { app, stack } = newStack();
    new Grant(stack, 'SelfSrc', { src: [Autogroup.SELF as never], dst: [Autogroup.MEMBER], ip: [Ip.ALL] });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1005', path: 'test/SelfSrc' });
    expect(d.message).toBe('src: "autogroup:self" is not allowed in the source of a grant or ACL');
    expect(d.hint).toContain('destination');
  });

  it('fails on port 0 and on port 70000', () => {
    for (const port of [0, 70000]) {
      const { app, stack } = newStack();
      const server = new Tag(stack, 'Server', { owners });
      new Grant(stack, 'BadPort', { src: [server], dst: [server], ip: [Ip.tcp(port)] });
      const d = only(app);
      expect(d).toMatchObject({ code: 'TN1006', path: 'test/BadPort' });
      expect(d.message).toBe(`ip: "tcp:${port}": port ${port} is outside 1-65535`);
    }
  });

  it('fails on a malformed CIDR', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    new Grant(stack, 'Lan', { src: [server], dst: [Address.of('192.168.1.0/33')], ip: [Ip.ALL] });
    expect(only(app)).toMatchObject({
      code: 'TN1007',
      path: 'test/Lan',
      message: 'dst: "192.168.1.0/33" is not an IP address or CIDR',
    });
  });

  it('fails on a CIDR with host bits set, naming the network', () => {
    const { app, stack } = newStack();
    new Device(stack, 'Router', { tags: [new Tag(stack, 'R', { owners })], advertiseRoutes: ['192.168.1.5/24'] });
    expect(only(app).message).toBe(
      'advertiseRoutes: "192.168.1.5/24" has host bits set; the network is 192.168.1.0/24',
    );
  });

  it('fails on duplicate device names, pointing at the first', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    new Device(stack, 'A', { hostname: 'web', tags: [server] });
    new Device(stack, 'B', { hostname: 'web', tags: [server] });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1008', path: 'test/B', message: 'device "web" is declared twice' });
    expect(d.related).toEqual([{ path: 'test/A', message: '"web" first declared here' }]);
  });

  it('fails on a hostname that is not a DNS label', () => {
    const { app, stack } = newStack();
    new Device(stack, 'Bad', { hostname: 'Web_Server', tags: [new Tag(stack, 'S', { owners })] });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1009', path: 'test/Bad' });
    expect(d.message).toContain('"Web_Server" is not a DNS label');
  });

  it('fails on an ACL action other than accept', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    new AclRule(stack, 'Reject', { action: 'reject' as never, src: [server], dst: [{ target: server, ports: [22] }] });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1010', path: 'test/Reject', message: 'action="reject" is not supported' });
    expect(d.hint).toContain('cannotReach');
  });

  it('fails on a device with both a user and tags', () => {
    const { app, stack } = newStack();
    new Device(stack, 'Both', { user: 'alice@example.com', tags: [new Tag(stack, 'S', { owners })] });
    expect(only(app)).toMatchObject({ code: 'TN1020', path: 'test/Both' });
  });

  it('fails on a user login without a domain', () => {
    const { app, stack } = newStack();
    new Group(stack, 'Eng', { members: [User.fromLogin('alice')] });
    expect(only(app)).toMatchObject({ code: 'TN1012', path: 'test/Eng' });
  });

  it('reports every problem at once, sorted by path', () => {
    const { app, stack } = newStack();
    new Tag(stack, 'B', { name: 'tag:b_', owners: [] });
    new Tag(stack, 'A', { name: 'a', owners });
    const errors = synthDiagnostics(app);
    expect(errors.map((d) => `${d.path} ${d.code}`)).toEqual(['test/A TN1001', 'test/B TN1001', 'test/B TN1002']);
  });
});
