import {
  AclRule,
  Address,
  AutoApprover,
  Autogroup,
  Device,
  Grant,
  Group,
  Host,
  Ip,
  IpSet,
  NodeAttr,
  Posture,
  SshRule,
  SshUser,
  Tag,
  type TailnetApp,
  TailnetStack,
  User,
} from '../../../../src';

/** Every section of the policy file, to pin its canonical layout. */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'everything', {
    tailnetDomain: 'example.com',
    defaultSrcPosture: ['posture:base'],
    settings: {
      randomizeClientPort: true,
      disableIPv4: false,
      // a self-hosted DERP region beside Tailscale's (facts §1: derpMap)
      derpMap: {
        OmitDefaultRegions: false,
        Regions: {
          '900': {
            RegionID: 900,
            RegionCode: 'home',
            RegionName: 'Home DERP',
            Nodes: [{ Name: '900a', RegionID: 900, HostName: 'derp.example.com' }],
          },
        },
      },
    },
  });
  const eng = new Group(stack, 'Eng', { members: [User.fromLogin('bob@example.com'), 'alice@example.com'] });
  const ops = new Group(stack, 'Ops', { name: 'group:ops', members: ['carol@example.com'] });
  const router = new Tag(stack, 'Router', { owners: [ops] });
  const server = new Tag(stack, 'Server', { owners: [ops, Autogroup.ADMIN] });
  const nas = new Host(stack, 'Nas', { address: '192.168.10.20' });
  const lan = new Host(stack, 'OfficeLan', { address: '192.168.10.0/24' });
  const prod = new IpSet(stack, 'Prod', { add: ['10.1.0.0/16', lan.inIpSet], remove: ['10.1.9.0/24'] });
  new Posture(stack, 'Base', { conditions: ["node:os IN ['macos', 'linux']", "node:tsVersion >= '1.60'"] });
  new Grant(stack, 'EngToServers', { src: [eng], dst: [server], ip: [Ip.tcp(22, 443)], srcPosture: ['posture:base'] });
  new Grant(stack, 'OpsEverywhere', { src: [ops], dst: [prod, nas], ip: [Ip.ALL], via: [router] });
  new Grant(stack, 'WebUi', {
    src: [Autogroup.MEMBER],
    dst: [server],
    app: { 'example.com/cap/webui': [{ role: 'viewer' }] },
  });
  new Grant(stack, 'ExitNodes', { src: [Autogroup.MEMBER], dst: [Autogroup.INTERNET], ip: [Ip.ALL] });
  new AclRule(stack, 'LegacyDns', {
    src: [Address.of('100.64.0.0/10')],
    proto: 'udp',
    dst: [{ target: nas, ports: [53] }],
  });
  new SshRule(stack, 'OpsCheck', {
    action: 'check',
    src: [ops],
    dst: [server],
    users: [SshUser.ROOT, SshUser.NONROOT],
    checkPeriod: '20h',
  });
  new SshRule(stack, 'OwnDevices', {
    src: [Autogroup.MEMBER],
    dst: [Autogroup.SELF],
    users: [SshUser.localpart('example.com')],
    acceptEnv: ['GIT_*'],
  });
  new AutoApprover(stack, 'Routers', { approvers: [router], routes: ['192.168.10.0/24'], exitNode: true });
  new NodeAttr(stack, 'Funnel', { target: [server], attr: ['funnel'] });
  new Device(stack, 'Gateway', { tags: [router], advertiseRoutes: ['192.168.10.0/24'], exitNode: true });
  new Device(stack, 'AliceLaptop', { user: 'alice@example.com', os: 'macOS' });
  const posture = { srcPostureAttrs: { 'node:os': 'linux', 'node:tsVersion': '1.70.0' } };
  stack.expect(eng, posture).canReach(server, 22).cannotReach(nas, 445);
  stack.expect(ops, posture).canReach(nas, 445);
  stack.expectSsh('OpsRoot', { src: ops, dst: [server], check: [SshUser.ROOT], ...posture });
}
