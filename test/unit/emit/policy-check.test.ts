import { describe, expect, it } from 'vitest';
import { ANY, AutoApprover, Autogroup, Device, Grant, Group, Ip, Tag } from '../../../src';
import {
  compilePolicy,
  parseInventory,
  runPolicyTests,
  validatePolicy,
  withRepresentativeDevices,
} from '../../../src/policy';
import { newStack, synthDiagnostics } from '../../helpers';

const owners = [Autogroup.ADMIN];

describe('synthesized policies are checked by the policy engine before writing', () => {
  it('fails synth when a policy test fails, naming the test construct and the policy line', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    const client = new Tag(stack, 'Client', { owners });
    new Grant(stack, 'ClientsEverything', { src: [client], dst: [ANY], ip: [Ip.ALL] });
    stack.expect(client).cannotReach(server, 22);
    const [d] = synthDiagnostics(app);
    expect(d).toMatchObject({ code: 'TN5060', path: 'test/Tests/tag-client' });
    expect(d.message).toContain('tag:server:22');
    expect(d.related?.[0].path).toMatch(/^out\/test\/policy\.hujson:\d+:\d+$/);
  });

  it('passes tests of identities that no declared device carries (SaaS tests need no device)', () => {
    const { app, stack } = newStack();
    const server = new Tag(stack, 'Server', { owners });
    const eng = new Group(stack, 'Eng', { members: ['alice@example.com'] });
    new Grant(stack, 'EngToServer', { src: [eng], dst: [server], ip: [Ip.tcp(443)] });
    stack.expect(eng).canReach(server, 443).cannotReach(server, 22);
    expect(() => app.synthesize()).not.toThrow();
  });
});

describe('declared inventory (devices.json)', () => {
  it('is in the API device-list format and enables routes the stack auto-approves', () => {
    const { app, stack } = newStack({ magicDnsSuffix: 'tail1.ts.net' });
    const router = new Tag(stack, 'Router', { owners });
    new AutoApprover(stack, 'Lan', { approvers: [router], routes: ['192.168.0.0/16'], exitNode: true });
    new Device(stack, 'Gw', { tags: [router], advertiseRoutes: ['192.168.15.0/24', '10.0.0.0/8'], exitNode: true });
    new Device(stack, 'Laptop', { user: 'alice@example.com' });
    const files = app.synthesize()[0].files;
    const { inventory, diagnostics } = parseInventory({ text: files.get('devices.json')!, file: 'devices.json' });
    expect(diagnostics).toEqual([]);
    const gw = inventory!.devices.find((d) => d.shortName === 'gw')!;
    expect(gw.name).toBe('gw.tail1.ts.net');
    expect([...gw.enabledRoutes].sort()).toEqual(['0.0.0.0/0', '192.168.15.0/24', '::/0']);
    expect(gw.isExitNode).toBe(true);
    expect(inventory!.devices.find((d) => d.shortName === 'laptop')!.user).toBe('alice@example.com');
  });
});

describe('representative devices', () => {
  it('adds one device per unmatched test identity and none for identities already present', () => {
    const policy = {
      groups: { 'group:eng': ['bob@example.com'], 'group:empty': [] },
      tagOwners: { 'tag:db': [] },
      grants: [{ src: ['group:eng'], dst: ['tag:db'], ip: ['5432'] }],
      tests: [
        { src: 'group:eng', accept: ['tag:db:5432'] },
        { src: 'group:empty', deny: ['tag:db:22'] },
      ],
    };
    const { policy: parsed } = validatePolicy({ value: policy, file: 'p.json' }, { dialect: 'tailscale' });
    const inventory = withRepresentativeDevices(parsed!, { devices: [] });
    expect(inventory.devices.map((d) => d.user ?? d.tags.join())).toEqual(['bob@example.com', 'tag:db']);
    const results = runPolicyTests(compilePolicy(parsed!, inventory));
    expect(results.map((r) => r.passed)).toEqual([true, false]); // an empty group has no representative
  });
});
