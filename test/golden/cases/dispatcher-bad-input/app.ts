import {
  Agent,
  Autogroup,
  Coordinator,
  LinuxHost,
  NixosHost,
  Tag,
  type TailnetApp,
  TailnetStack,
} from '../../../../src';

/**
 * Job dispatcher mistakes, all reported in one run: two agents on one host name, a coordinator port out of range, an
 * agent given no coordinator, an environment variable that is not a name.
 */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'broken', { magicDnsSuffix: 'example.ts.net' });
  const owners = [Autogroup.ADMIN];
  const server = new Tag(stack, 'Server', { name: 'tag:server', owners });
  const agent = new Tag(stack, 'Agent', { name: 'tag:agent', owners });
  const boss = new NixosHost(stack, 'Boss', { tags: [server] });
  const coordinator = new Coordinator(stack, 'Jobs', { host: boss, port: 80800 });
  coordinator.addAgent('First', { host: new LinuxHost(stack, 'Worker1', { hostname: 'worker', tags: [agent] }) });
  coordinator.addAgent('Second', { host: new NixosHost(stack, 'Worker2', { hostname: 'worker', tags: [agent] }) });
  new Agent(stack, 'Orphan', {
    host: new LinuxHost(stack, 'Spare', { tags: [agent] }),
    urlVariable: 'COORDINATOR-URL',
  });
}
