import { type ChildProcess, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autogroup, Ip, NixosHost, Secret, TailnetApp, TailnetStack, Transport, User, WireguardPeer } from '../../src';
import { printNix } from '../../src/core/canonical/nix';
import type { StackSynthesis } from '../../src/core/synth';
import { ClawbernetesAirgappedStack } from '../../stacks/clawbernetes-airgapped';
import { tmpDir } from '../helpers';
import { secretFindings } from './artifact-checks';
import { inNetns, PROBE, type Probe, run, startProbeServer } from './netns';
import { canUseNetns, hasTool, requireTool } from './tools';

/**
 * WireGuard mode under the real tools (issue 6): `nft -c` on every generated table, the NixOS modules evaluated
 * by nix-instantiate, and enforcement shown live: namespaces joined by a real WireGuard link (the kernel's, else
 * wireguard-go's userspace one, brought up by wg-quick from the generated files), the generated table loaded by
 * wg-quick's PreUp in the destination, and TCP probes showing an allowed port connects and a denied one does not.
 * Only namespaces this test creates, only 10.78.0.0/24 (mesh) and 192.168.78.0/24 (underlay).
 */
const hasNft = requireTool('nft', 'nftables');
const hasNix = requireTool('nix-instantiate', 'nix-bin');
const hasWg = requireTool('wg-quick', 'wireguard-tools');
const netns = hasNft && canUseNetns();

function airgapped(): StackSynthesis {
  const app = new TailnetApp({ outdir: tmpDir('wg-it'), cdktfOutdir: tmpDir('wg-it') });
  new ClawbernetesAirgappedStack(app);
  return app.synthesize()[0];
}

describe.skipIf(!hasNft)('nft -c on the WireGuard tables', () => {
  it('accepts every wg0.nft of the airgapped stack, and the table inside each NixOS module', () => {
    const r = airgapped();
    const dir = tmpDir('wg-nft');
    const tables = [...r.files].filter(([p]) => p.endsWith('.nft'));
    expect(tables).toHaveLength(5);
    for (const [p, text] of tables) {
      const file = path.join(dir, p.replaceAll('/', '_'));
      fs.writeFileSync(file, text);
      const check = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8', timeout: 20_000 });
      expect(check.status, `${p}: ${check.stderr}`).toBe(0);
      const host = p.split('/')[1];
      const module = r.files.get(`nixos/${host}/default.nix`);
      // the module embeds the same body (indented by the Nix printer)
      if (module) expect(module).toContain('ip saddr');
    }
    const broken = path.join(dir, 'broken.nft');
    fs.writeFileSync(broken, tables[0][1].replace('ct state vmap', 'ct state vmapx'));
    expect(spawnSync('nft', ['-c', '-f', broken]).status).not.toBe(0);
  });
});

describe('secrets in WireGuard artifacts', () => {
  it('only public keys appear, in public-key positions; a key anywhere else is still found by the scan', () => {
    const r = airgapped();
    for (const [p, text] of r.files) expect(secretFindings(p, text), p).toEqual([]);
    const key = '3q2+7wAAAAC6vHjlm0fQZ1pE8kXr9sT4uV2wYbN5cJo=';
    expect(secretFindings('x', `PublicKey = ${key}`)).toEqual([]);
    expect(secretFindings('x', `PrivateKey = ${key}`)).toHaveLength(1);
    expect(secretFindings('x', `privateKey = "${key}";`)).toHaveLength(1);
  });
});

/** Stub arguments, as test/integration/nixos.test.ts evaluates modules: nixpkgs' own mkOverride definitions. */
const STUB_LIB = `{
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = content: { _type = "override"; priority = 1000; inherit content; };
  mkForce = content: { _type = "override"; priority = 50; inherit content; };
}`;

/**
 * Options of networking.wireguard.interfaces.<name> and of its peers the modules may set, read from nixpkgs'
 * nixos/modules/services/networking/wireguard.nix (interfaceOpts / peerOpts; docs/wireguard.md).
 */
const INTERFACE_OPTIONS = ['ips', 'listenPort', 'privateKeyFile', 'peers'];
const PEER_OPTIONS = ['publicKey', 'allowedIPs', 'endpoint', 'persistentKeepalive'];

interface EvaluatedWg {
  networking: {
    wireguard: { interfaces: Record<string, Record<string, unknown> & { peers: Record<string, unknown>[] }> };
    nftables: { enable: boolean; tables: Record<string, { family: string; content: string }> };
    firewall: { trustedInterfaces: string[]; allowedUDPPorts: number[] };
  };
  sops: { secrets: Record<string, unknown> };
}

describe.skipIf(!hasNix)('the WireGuard NixOS modules under nix-instantiate', () => {
  it('evaluate, set only known wireguard options, and read the private key from sops-nix', () => {
    const r = airgapped();
    const dir = tmpDir('wg-nix');
    for (const host of ['gateway-1', 'gateway-2', 'gpu-1', 'gpu-2']) {
      const file = path.join(dir, `${host}.nix`);
      fs.writeFileSync(file, r.files.get(`nixos/${host}/default.nix`) ?? '');
      const config = printNix({
        sops: { secrets: { [`wireguard/${host}`]: { path: `/run/secrets/wireguard/${host}` } } },
      });
      const expr = `(import ${file}) { config = ${config}; lib = ${STUB_LIB}; pkgs = {}; }`;
      const out = spawnSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NIX_CONFIG: 'build-users-group =\nexperimental-features =' },
      });
      expect(out.status, out.stderr).toBe(0);
      const m = JSON.parse(out.stdout) as EvaluatedWg;
      const wg0 = m.networking.wireguard.interfaces.wg0;
      expect(Object.keys(m.networking.wireguard.interfaces)).toEqual(['wg0']);
      expect(Object.keys(wg0).sort()).toEqual([...INTERFACE_OPTIONS].sort());
      expect(wg0.privateKeyFile).toBe(`/run/secrets/wireguard/${host}`);
      expect(wg0.listenPort).toBe(51820);
      for (const p of wg0.peers) for (const k of Object.keys(p)) expect(PEER_OPTIONS).toContain(k);
      expect(m.networking.nftables.tables['tailnet-wireguard'].family).toBe('inet');
      expect(m.networking.firewall.trustedInterfaces).toEqual(['wg0']);
      expect(Object.keys(m.sops.secrets)).toEqual([`wireguard/${host}`]);
      expect(Object.keys(m)).not.toContain('services');
    }
  });
});

/** How the test's WireGuard link is made: the kernel module, wireguard-go, or (neither) a veth pair. */
function linkKind(): 'kernel' | 'userspace' | 'veth' {
  const probe = `tncdkwg${process.pid % 10000}`;
  if (spawnSync('ip', ['link', 'add', probe, 'type', 'wireguard'], { stdio: 'ignore' }).status === 0) {
    spawnSync('ip', ['link', 'del', probe], { stdio: 'ignore' });
    return 'kernel';
  }
  return hasTool('wireguard-go') && fs.existsSync('/dev/net/tun') ? 'userspace' : 'veth';
}

const ID = process.pid % 10000;
const NS = { gpu: `tncdk-wgg-${ID}`, gateway: `tncdk-wgw-${ID}`, admin: `tncdk-wga-${ID}` } as const;
type Role = keyof typeof NS;
/** Interface names: the destination's is the stack's; wireguard-go's sockets (/var/run/wireguard) are not per namespace. */
const IFACE = `wgt${ID}`;
const IFACES: Record<Role, string> = { gpu: IFACE, gateway: `${IFACE}g`, admin: `${IFACE}a` };
const UNDERLAY: Record<Role, string> = { gpu: '192.168.78.1', gateway: '192.168.78.2', admin: '192.168.78.3' };

function genkey(dir: string, role: Role): string {
  const key = spawnSync('wg', ['genkey'], { encoding: 'utf8' }).stdout.trim();
  fs.writeFileSync(path.join(dir, `${role}.key`), `${key}\n`, { mode: 0o600 });
  return spawnSync('wg', ['pubkey'], { input: `${key}\n`, encoding: 'utf8' }).stdout.trim();
}

/** A small airgapped cluster with real keys: gateway → gpu tcp 8443, admins → gpu tcp 22, nothing else. */
function liveStack(dir: string): StackSynthesis {
  const app = new TailnetApp({ outdir: tmpDir('wg-live'), cdktfOutdir: tmpDir('wg-live') });
  const stack = new TailnetStack(app, 'live', {
    transport: Transport.wireguard({ cidr: '10.78.0.0/24', interfaceName: IFACE }),
  });
  const alice = User.fromLogin('alice@example.com');
  const admins = stack.addGroup('Admins', { members: [alice] });
  const gatewayTag = stack.addTag('Clawbernetes', { owners: [Autogroup.ADMIN] });
  const gpuTag = stack.addTag('GpuProvider', { owners: [Autogroup.ADMIN] });
  const privateKey = (role: Role) => Secret.file(path.join(dir, `${role}.key`));
  const gpu = new NixosHost(stack, 'Gpu', { hostname: 'gpu-1', tags: [gpuTag] });
  WireguardPeer.of(gpu, {
    publicKey: genkey(dir, 'gpu'),
    privateKey: privateKey('gpu'),
    endpoint: `${UNDERLAY.gpu}:51820`,
    address: '10.78.0.21',
  });
  const gateway = new NixosHost(stack, 'Gateway', { hostname: 'gateway-1', tags: [gatewayTag] });
  WireguardPeer.of(gateway, {
    publicKey: genkey(dir, 'gateway'),
    privateKey: privateKey('gateway'),
    endpoint: `${UNDERLAY.gateway}:51820`,
    address: '10.78.0.11',
  });
  const admin = stack.addDevice('Admin', { hostname: 'admin-ws', user: alice.selector });
  WireguardPeer.of(admin, { publicKey: genkey(dir, 'admin'), privateKey: privateKey('admin'), address: '10.78.0.10' });
  stack.addGrant('GatewayToProviders', { src: [gatewayTag], dst: [gpuTag], ip: [Ip.tcp(8443)] });
  stack.addGrant('AdminSsh', { src: [admins], dst: [gpuTag], ip: [Ip.tcp(22)] });
  return app.synthesize()[0];
}

const PROBES: Record<'gateway' | 'admin', Probe[]> = {
  gateway: [
    { from: '10.78.0.11', host: '10.78.0.21', proto: 'tcp', port: 8443, expect: 'open' },
    { from: '10.78.0.11', host: '10.78.0.21', proto: 'tcp', port: 22, expect: 'dropped' },
    { from: '10.78.0.11', host: '10.78.0.21', proto: 'tcp', port: 9999, expect: 'dropped' },
  ],
  admin: [
    { from: '10.78.0.10', host: '10.78.0.21', proto: 'tcp', port: 22, expect: 'open' },
    { from: '10.78.0.10', host: '10.78.0.21', proto: 'tcp', port: 8443, expect: 'dropped' },
  ],
};

const SERVER = `
const net = require('node:net');
for (const p of [22, 8443, 9999]) net.createServer((s) => s.end()).listen(p, '0.0.0.0');
setTimeout(() => console.log('ready'), 300);
`;

describe.skipIf(!netns || !hasWg)('WireGuard enforcement in network namespaces', () => {
  const kind = netns && hasWg ? linkKind() : 'veth';
  let server: ChildProcess | undefined;
  const dir = tmpDir('wg-live-keys');
  const confs: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    process.stderr.write(
      kind === 'veth'
        ? `notice: no WireGuard here (no kernel module, no wireguard-go): the link is a veth pair named ${IFACE}, not WireGuard\n`
        : `WireGuard link: ${kind === 'kernel' ? 'kernel module' : 'wireguard-go (userspace, via wg-quick)'}\n`,
    );
    const r = liveStack(dir);
    for (const ns of Object.values(NS)) run('ip', ['netns', 'add', ns]);
    for (const ns of Object.values(NS)) run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    // underlay: a bridge in the gpu namespace, one veth to each other namespace
    run('ip', ['-n', NS.gpu, 'link', 'add', 'br0', 'type', 'bridge']);
    run('ip', ['-n', NS.gpu, 'addr', 'add', `${UNDERLAY.gpu}/24`, 'dev', 'br0']);
    run('ip', ['-n', NS.gpu, 'link', 'set', 'br0', 'up']);
    for (const role of ['gateway', 'admin'] as const) {
      const outer = `tw${ID}${role[0]}`;
      run('ip', ['link', 'add', outer, 'type', 'veth', 'peer', 'name', `${outer}b`]);
      run('ip', ['link', 'set', outer, 'netns', NS[role]]);
      run('ip', ['link', 'set', `${outer}b`, 'netns', NS.gpu]);
      run('ip', ['-n', NS.gpu, 'link', 'set', `${outer}b`, 'master', 'br0', 'up']);
      run('ip', ['-n', NS[role], 'addr', 'add', `${UNDERLAY[role]}/24`, 'dev', outer]);
      run('ip', ['-n', NS[role], 'link', 'set', outer, 'up']);
    }
    for (const role of Object.keys(NS) as Role[]) {
      const host = { gpu: 'gpu-1', gateway: 'gateway-1', admin: 'admin-ws' }[role];
      const conf = r.files.get(`wireguard/${host}/${IFACE}.conf`) ?? '';
      const table = r.files.get(`wireguard/${host}/${IFACE}.nft`) ?? '';
      fs.writeFileSync(path.join(dir, `${IFACES[role]}.nft`), table);
      // the generated PreUp reads /etc/wireguard/<iface>.nft; here the copy is in the test's folder
      const local = conf.replace(`/etc/wireguard/${IFACE}.nft`, path.join(dir, `${IFACES[role]}.nft`));
      confs[role] = path.join(dir, `${IFACES[role]}.conf`);
      fs.writeFileSync(confs[role], local, { mode: 0o600 });
    }
    if (kind === 'veth') vethFallback(r);
    else {
      for (const role of Object.keys(NS) as Role[]) {
        // only the destination's table matters for this test; sources keep theirs too, as wg-quick loads it
        const up = inNetns(NS[role], 'wg-quick', ['up', confs[role] ?? '']);
        if (up.status !== 0) throw new Error(`wg-quick up in ${role}: ${up.stderr}`);
      }
    }
    server = await startProbeServer(NS.gpu, SERVER);
    // first packets start the handshakes: one allowed connect per source, result ignored
    for (const role of ['gateway', 'admin'] as const) {
      inNetns(NS[role], process.execPath, ['-e', PROBE, JSON.stringify(PROBES[role].slice(0, 1))]);
    }
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGKILL');
    for (const role of Object.keys(NS) as Role[]) {
      if (kind !== 'veth' && confs[role]) inNetns(NS[role], 'wg-quick', ['down', confs[role] ?? '']);
      // wireguard-go daemons run inside our namespaces: end exactly those processes, by id
      const pids = spawnSync('ip', ['netns', 'pids', NS[role]], { encoding: 'utf8' }).stdout.split('\n');
      for (const pid of pids.filter((p) => /^\d+$/.test(p))) {
        try {
          process.kill(Number(pid), 'SIGTERM');
        } catch {
          // already gone
        }
      }
      spawnSync('ip', ['netns', 'del', NS[role]]);
    }
  });

  /** Without WireGuard: a veth pair named like the interface, addresses from the mesh, the table loaded by nft. */
  function vethFallback(r: StackSynthesis): void {
    for (const role of ['gateway', 'admin'] as const) {
      const outer = `tv${ID}${role[0]}`;
      run('ip', ['link', 'add', outer, 'type', 'veth', 'peer', 'name', `${outer}b`]);
      run('ip', ['link', 'set', outer, 'netns', NS[role]]);
      run('ip', ['link', 'set', `${outer}b`, 'netns', NS.gpu]);
      const from = PROBES[role][0].from;
      run('ip', ['-n', NS[role], 'addr', 'add', `${from}/24`, 'dev', outer]);
      run('ip', ['-n', NS[role], 'link', 'set', outer, 'up']);
    }
    // one interface can carry the name: the gateway's link; the admin's probes then are not run (see below)
    run('ip', ['-n', NS.gpu, 'link', 'set', `tv${ID}gb`, 'name', IFACE]);
    run('ip', ['-n', NS.gpu, 'addr', 'add', '10.78.0.21/24', 'dev', IFACE]);
    run('ip', ['-n', NS.gpu, 'link', 'set', IFACE, 'up']);
    const load = inNetns(NS.gpu, 'nft', ['-f', path.join(dir, `${IFACES.gpu}.nft`)]);
    if (load.status !== 0) throw new Error(load.stderr);
    void r;
  }

  function probe(role: 'gateway' | 'admin'): string[] {
    const res = inNetns(NS[role], process.execPath, ['-e', PROBE, JSON.stringify(PROBES[role])]);
    expect(res.status, res.stderr).toBe(0);
    return JSON.parse(res.stdout) as string[];
  }

  it('the link is up: a WireGuard handshake happened (or the veth fallback is said plainly)', () => {
    if (kind === 'veth') return;
    const show = inNetns(NS.gpu, 'wg', ['show', IFACE, 'latest-handshakes']);
    expect(show.status, show.stderr).toBe(0);
    const handshakes = show.stdout
      .trim()
      .split('\n')
      .map((l) => Number(l.split('\t')[1]));
    expect(handshakes.filter((t) => t > 0)).toHaveLength(2);
    const rules = inNetns(NS.gpu, 'nft', ['list', 'table', 'inet', 'tailnet-wireguard']);
    expect(rules.stdout).toContain('ip saddr 10.78.0.11 tcp dport 8443 accept');
  });

  it('the gateway reaches the provider agent (8443) but not SSH or anything else', () => {
    const got = probe('gateway');
    expect(PROBES.gateway.map((p, i) => `${p.from}->${p.host} ${p.port} ${got[i]}`)).toEqual(
      PROBES.gateway.map((p) => `${p.from}->${p.host} ${p.port} ${p.expect}`),
    );
  });

  it.skipIf(kind === 'veth')('the admin reaches SSH (22) but not the agent port', () => {
    const got = probe('admin');
    expect(PROBES.admin.map((p, i) => `${p.from}->${p.host} ${p.port} ${got[i]}`)).toEqual(
      PROBES.admin.map((p) => `${p.from}->${p.host} ${p.port} ${p.expect}`),
    );
  });

  it('control: without the generated table the same denied port connects, so the table is what denied it', () => {
    const del = inNetns(NS.gpu, 'nft', ['delete', 'table', 'inet', 'tailnet-wireguard']);
    expect(del.status, del.stderr).toBe(0);
    const denied = PROBES.gateway.filter((p) => p.expect === 'dropped');
    const res = inNetns(NS.gateway, process.execPath, ['-e', PROBE, JSON.stringify(denied)]);
    expect(JSON.parse(res.stdout)).toEqual(denied.map(() => 'open'));
  });
});
