import { Autogroup, Grant, Group, Ip, SshRule, Tag, type TailnetApp, TailnetStack } from '../../../../src';

/**
 * Several construct mistakes at once: all are reported in one run, sorted by path. The undeclared tag:db is an
 * IR-rule finding, reported once the construct errors are fixed (phases stop at their first failing phase).
 */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'broken');
  const web = new Tag(stack, 'Web', { name: 'tag:web', owners: [Autogroup.ADMIN] });
  const inner = new Group(stack, 'Inner', { members: ['alice@example.com'] });
  new Group(stack, 'Outer', { members: [inner as never, 'bob@example.com'] });
  new Tag(stack, 'Orphan', { name: 'tag:orphan', owners: [] });
  new Grant(stack, 'ToUndeclared', { src: [web], dst: [Tag.fromName('tag:db')], ip: [Ip.tcp(5432), Ip.udp(0)] });
  new SshRule(stack, 'TaggedToSelf', { src: [web], dst: [Autogroup.SELF], users: [] });
}
