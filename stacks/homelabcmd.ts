import type { Construct } from 'constructs';
import { Autogroup, Ip, SshAccess, SshUser, TailnetStack, User } from '../src';

/**
 * The homelab control hub scenario: a small always-on machine (homelabcmd-hub, tagged tag:hub) administers three
 * machines of the tailnet — homeserver, mediaserver and studypc — over SSH by their MagicDNS names, as the user
 * homelabcmd. The devices are those of test/fixtures/import/homelab-devices.json (the API's device list), declared
 * as `tailnet-cdk import devices --from-file` writes them; `tailnet-cdk drift --stack homelabcmd` compares them with
 * the live tailnet. `out/homelabcmd/ssh/config` is what the hub includes from its ~/.ssh/config.
 */
export class HomelabcmdStack extends TailnetStack {
  constructor(scope: Construct, id = 'homelabcmd') {
    super(scope, id, { tailnetDomain: 'example.com', magicDnsSuffix: 'tail7c3e1d.ts.net' });

    const sam = User.fromLogin('sam@example.com');
    const owners = [sam];
    const hub = this.addTag('Hub', { owners });
    const managed = this.addTag('Managed', { owners });
    const server = this.addTag('Server', { owners });
    const media = this.addTag('Media', { owners });
    const desktop = this.addTag('Desktop', { owners });

    // Sam's own devices reach everything; everyone in the house watches media and uses the exit node.
    this.addGrant('OwnerEverywhere', { src: [sam], dst: [managed, Autogroup.SELF], ip: [Ip.ALL] });
    this.addGrant('MediaForMembers', { src: [Autogroup.MEMBER], dst: [media], ip: [Ip.tcp(8096)] });
    this.addGrant('ExitNodeForMembers', { src: [Autogroup.MEMBER], dst: [Autogroup.INTERNET], ip: [Ip.ALL] });
    // The study PC is used remotely too (xrdp).
    this.addGrant('StudyDesktopForMembers', { src: [Autogroup.MEMBER], dst: [desktop], ip: [Ip.tcp(3389)] });
    this.addAutoApprover('HomeserverRoutes', { approvers: [server], routes: ['192.168.1.0/24'], exitNode: true });
    // Sam may log in anywhere, re-authenticating every 12 hours.
    this.addSshRule('OwnerCheck', {
      action: 'check',
      src: [sam],
      dst: [managed],
      users: [SshUser.ROOT, SshUser.NONROOT],
    });

    this.addDevice('HomelabcmdHub', { tags: [hub], ipv4: '100.90.12.4', ipv6: 'fd7a:115c:a1e0::5a01:c04' });
    const homeserver = this.addDevice('Homeserver', {
      tags: [managed, server],
      advertiseRoutes: ['192.168.1.0/24'],
      exitNode: true,
      ipv4: '100.90.40.7',
      ipv6: 'fd7a:115c:a1e0::5a01:2807',
    });
    const mediaserver = this.addDevice('Mediaserver', {
      tags: [managed, media],
      ipv4: '100.90.40.19',
      ipv6: 'fd7a:115c:a1e0::5a01:2813',
    });
    // The study PC advertises its lab network, which nobody approved: declared as it is, so drift stays quiet.
    const studypc = this.addDevice('Studypc', {
      tags: [managed, desktop],
      advertiseRoutes: ['10.20.0.0/24'],
      ipv4: '100.90.41.2',
      ipv6: 'fd7a:115c:a1e0::5a01:2902',
    });
    this.addDevice('SamLaptop', {
      user: 'sam@example.com',
      os: 'macOS',
      ipv4: '100.90.77.41',
      ipv6: 'fd7a:115c:a1e0::5a01:4d29',
    });
    this.addDevice('SamPhone', {
      user: 'sam@example.com',
      os: 'iOS',
      ipv4: '100.90.77.30',
      ipv6: 'fd7a:115c:a1e0::5a01:4d1e',
    });

    new SshAccess(this, 'HubManagesMachines', {
      from: hub,
      machines: [homeserver, mediaserver, studypc],
      machinesTag: managed,
      user: 'homelabcmd',
      identityFile: '~/.ssh/id_ed25519_homelabcmd',
    });

    this.expect(hub).canReach(managed, 22).cannotReach(managed, 8096);
    this.expect(sam).canReach(media, 8096);
    this.expectSsh('HubAsHomelabcmd', { src: hub, dst: [managed], accept: ['homelabcmd'], deny: [SshUser.ROOT] });
    this.expectSsh('OwnerChecked', { src: sam, dst: [managed], check: [SshUser.ROOT, 'homelabcmd'] });
  }
}
