import { describe, expect, it } from 'vitest';
import { Autogroup, SshAccess, type TailnetStack, User } from '../../../src';
import { IrTemplate } from '../../../src/core/testing';
import { sshEmitter } from '../../../src/emit/ssh';
import { HomelabcmdStack } from '../../../stacks/homelabcmd';
import { newStack, synthDiagnostics } from '../../helpers';

/** SSH by MagicDNS: the SshAccess construct's policy contributions, its checks, and the ssh/config emitter. */
const owners = [Autogroup.ADMIN];

function lab(stack: TailnetStack) {
  const hub = stack.addTag('Hub', { owners });
  const managed = stack.addTag('Managed', { owners });
  const nas = stack.addDevice('Nas', { tags: [managed] });
  const pi = stack.addDevice('Pi', { tags: [managed] });
  return { hub, managed, nas, pi };
}

describe('SshAccess', () => {
  it('lowers to an ssh rule, a tcp/22 grant and an ssh config entry per machine', () => {
    const { stack } = newStack({ magicDnsSuffix: 'tail7c3e1d.ts.net' });
    const { hub, managed, nas, pi } = lab(stack);
    new SshAccess(stack, 'Admin', { from: hub, machines: [pi, nas], machinesTag: managed, user: 'ops' });
    const t = IrTemplate.fromStack(stack);
    t.has('ssh', {
      action: 'accept',
      src: ['tag:hub'],
      dst: ['tag:managed'],
      users: ['ops'],
      source: { path: 'test/Admin' },
    });
    t.hasGrant({ src: ['tag:hub'], dst: ['tag:managed'], ip: ['tcp:22'] });
    expect(t.ir.sshConfig.hosts.map((h) => `${h.hostname} ${h.user} ${h.identityFile} ${h.from}`)).toEqual([
      'nas ops ~/.ssh/id_ed25519 tag:hub',
      'pi ops ~/.ssh/id_ed25519 tag:hub',
    ]);
  });

  it('targets every tag of the machines when no shared tag is given', () => {
    const { stack } = newStack();
    const hub = stack.addTag('Hub', { owners });
    const a = stack.addDevice('A', { tags: [stack.addTag('Media', { owners })] });
    const b = stack.addDevice('B', { tags: [stack.addTag('Desktop', { owners })] });
    new SshAccess(stack, 'Admin', { from: hub, machines: [a, b], user: 'ops' });
    IrTemplate.fromStack(stack).has('ssh', { dst: ['tag:desktop', 'tag:media'] });
  });

  it.each([
    ['an untagged machine', 'machine "laptop" has no tags'],
    ['a machine without the shared tag', 'machine "other" does not carry machinesTag "tag:managed"'],
    ['a login with a space', 'user "home lab" is not a login name'],
    ['key material instead of a path', 'identityFile must be the path of a key file, not key material'],
  ])('reports %s', (what, message) => {
    const { app, stack } = newStack();
    const { hub, managed, nas } = lab(stack);
    const machines = [nas];
    let user = 'ops';
    let identityFile: string | undefined;
    if (what === 'an untagged machine') machines.push(stack.addDevice('Laptop', { user: 'alice@example.com' }));
    if (what === 'a machine without the shared tag') machines.push(stack.addDevice('Other', { tags: [hub] }));
    if (what === 'a login with a space') user = 'home lab';
    if (what === 'key material instead of a path') identityFile = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl';
    new SshAccess(stack, 'Admin', {
      from: hub,
      machines,
      machinesTag: managed,
      user,
      ...(identityFile ? { identityFile } : {}),
    });
    const errors = synthDiagnostics(app).filter((d) => d.path === 'test/Admin');
    expect(errors.map((d) => d.message)).toEqual([expect.stringContaining(message)]);
    expect(errors[0].hint).toBeTruthy();
  });

  it('refuses a source that cannot open SSH sessions', () => {
    const { app, stack } = newStack();
    const { nas } = lab(stack);
    new SshAccess(stack, 'Admin', { from: Autogroup.INTERNET as never, machines: [nas], user: 'ops' });
    expect(synthDiagnostics(app).map((d) => d.code)).toContain('TN1005');
  });
});

describe('ssh/config emitter', () => {
  it('writes a Host entry per machine with MagicDNS name, user and key path, and no secret', () => {
    const { app } = newStack({}, 'unused');
    const stack = new HomelabcmdStack(app);
    const [file] = sshEmitter.emit(IrTemplate.fromStack(stack).ir);
    expect(file.path).toBe('ssh/config');
    expect(file.content).toContain(
      [
        '# homelabcmd/HubManagesMachines (from tag:hub)',
        'Host studypc studypc.tail7c3e1d.ts.net',
        '  HostName studypc.tail7c3e1d.ts.net',
        '  User homelabcmd',
        '  IdentityFile ~/.ssh/id_ed25519_homelabcmd',
        '  IdentitiesOnly yes',
      ].join('\n'),
    );
    expect(file.content.match(/^Host /gm)).toHaveLength(3);
    expect(file.content).not.toMatch(/PRIVATE KEY|tskey-/);
  });

  it('gives a machine managed under two logins one alias per login, and quotes paths with spaces', () => {
    const { stack } = newStack({ magicDnsSuffix: 'x.ts.net' });
    const { hub, nas } = lab(stack);
    new SshAccess(stack, 'Ops', { from: hub, machines: [nas], user: 'ops' });
    new SshAccess(stack, 'Backup', {
      from: User.fromLogin('alice@example.com'),
      machines: [nas],
      user: 'backup',
      identityFile: '~/My Keys/backup',
    });
    const [file] = sshEmitter.emit(IrTemplate.fromStack(stack).ir);
    expect(file.content).toContain(
      'Host nas-backup\n  HostName nas.x.ts.net\n  User backup\n  IdentityFile "~/My Keys/backup"',
    );
    expect(file.content).toContain('Host nas-ops\n  HostName nas.x.ts.net\n  User ops');
  });

  it('writes nothing for a stack without SshAccess', () => {
    const { stack } = newStack();
    lab(stack);
    expect(sshEmitter.emit(IrTemplate.fromStack(stack).ir)).toEqual([]);
  });
});
