import { type ChildProcess, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autogroup, NixosHost, Tag, TailnetStack } from '../../src';
import { tmpDir } from '../helpers';
import { inNetns, PROBE, type Probe, run, startProbeServer } from './netns';
import { artifacts, exampleStacks, synthStacks } from './nixos-stacks';
import { canUseNetns, hasTool, requireTool } from './tools';

/**
 * Every generated ruleset under the real nft (issue 4 §6): `nft -c` on each file, then each loaded into a network
 * namespace of its own; and live probes: a server namespace with `tailscale0` (veth) and `lan0` (second veth),
 * a tailnet-side client with two addresses and a LAN client, showing each zone accepts exactly the declared ports
 * and sources and drops the rest. Only namespaces this test creates, only 10.201.0.0/24 and 192.168.77.0/24.
 */
const hasNft = requireTool('nft', 'nftables');
const hasIp = requireTool('ip', 'iproute2');
const netns = hasNft && hasIp && canUseNetns();
if (hasNft && hasIp && !netns) process.stderr.write('notice: no root or no ip netns: nftables live probes skipped\n');

const NS = { server: `tncdk-srv-${process.pid}`, client: `tncdk-cli-${process.pid}`, lan: `tncdk-lan-${process.pid}` };

describe.skipIf(!hasNft)('nft -c on every generated ruleset', () => {
  it('accepts every .nft file, and each loads into a fresh namespace', () => {
    const rulesets = artifacts(exampleStacks(), /^nftables\//);
    expect([...rulesets.keys()].sort()).toEqual(['features/nftables/edge.nft', 'kernelcore/nftables/kernelcore.nft']);
    const dir = tmpDir('nft');
    for (const [key, text] of rulesets) {
      const file = path.join(dir, key.replaceAll('/', '_'));
      fs.writeFileSync(file, text);
      const check = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8' });
      expect(check.status, `${key}: ${check.stderr}`).toBe(0);
      if (!netns) continue;
      const ns = `tncdk-load-${process.pid}`;
      run('ip', ['netns', 'add', ns]);
      try {
        const load = inNetns(ns, 'nft', ['-f', file]);
        expect(load.status, `${key}: ${load.stderr}`).toBe(0);
        expect(inNetns(ns, 'nft', ['list', 'table', 'inet', 'tailnet-zones']).stdout).toContain('chain zone-');
      } finally {
        spawnSync('ip', ['netns', 'del', ns]);
      }
    }
  });

  it('would reject a broken ruleset (the check can fail)', () => {
    const [text] = artifacts(exampleStacks(), /^nftables\/kernelcore/).values();
    const file = path.join(tmpDir('nft-bad'), 'bad.nft');
    fs.writeFileSync(file, text.replace('tcp dport', 'tcp dportx'));
    expect(spawnSync('nft', ['-c', '-f', file]).status).not.toBe(0);
  });
});

/** TCP and UDP ports the server listens on; the firewall decides which probes get through. */
const TCP_PORTS = [22, 80, 443, 5432, 8080];
const UDP_PORTS = [53, 443, 9999, 41641];

const SERVER = `
const net = require('node:net'); const dgram = require('node:dgram');
for (const p of ${JSON.stringify(TCP_PORTS)}) net.createServer((s) => s.end()).listen(p, '0.0.0.0');
for (const p of ${JSON.stringify(UDP_PORTS)}) { const u = dgram.createSocket('udp4'); u.on('message', (m, r) => u.send(m, r.port, r.address)); u.bind(p, '0.0.0.0'); }
setTimeout(() => console.log('ready'), 300);
`;

/** Declared: internal on tailscale0 tcp 22+5432 and udp 9999; admin on tailscale0 every port from 10.201.0.3; dmz on lan0 tcp 80/443, udp 443. */
const PROBES: Probe[] = [
  ...[22, 5432].map((port): Probe => ({ from: '10.201.0.2', host: '10.201.0.1', proto: 'tcp', port, expect: 'open' })),
  ...[80, 443, 8080].map(
    (port): Probe => ({ from: '10.201.0.2', host: '10.201.0.1', proto: 'tcp', port, expect: 'dropped' }),
  ),
  { from: '10.201.0.2', host: '10.201.0.1', proto: 'udp', port: 9999, expect: 'open' },
  { from: '10.201.0.2', host: '10.201.0.1', proto: 'udp', port: 53, expect: 'dropped' },
  // the same ports from the admin source: all open
  ...[80, 8080].map((port): Probe => ({ from: '10.201.0.3', host: '10.201.0.1', proto: 'tcp', port, expect: 'open' })),
  { from: '10.201.0.3', host: '10.201.0.1', proto: 'udp', port: 53, expect: 'open' },
  // zones follow the interface a packet arrives on, not the address it is sent to
  { from: '10.201.0.2', host: '192.168.77.1', proto: 'tcp', port: 80, expect: 'dropped' },
];
const LAN_PROBES: Probe[] = [
  ...[80, 443].map(
    (port): Probe => ({ from: '192.168.77.2', host: '192.168.77.1', proto: 'tcp', port, expect: 'open' }),
  ),
  ...[22, 5432].map(
    (port): Probe => ({ from: '192.168.77.2', host: '192.168.77.1', proto: 'tcp', port, expect: 'dropped' }),
  ),
  { from: '192.168.77.2', host: '192.168.77.1', proto: 'udp', port: 443, expect: 'open' },
  { from: '192.168.77.2', host: '192.168.77.1', proto: 'udp', port: 41641, expect: 'open' },
  { from: '192.168.77.2', host: '192.168.77.1', proto: 'udp', port: 9999, expect: 'dropped' },
  { from: '192.168.77.2', host: '10.201.0.1', proto: 'tcp', port: 22, expect: 'dropped' },
];

function zonesRuleset(): string {
  const [result] = synthStacks((app) => {
    const stack = new TailnetStack(app, 'probe');
    const tag = new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
    const h = new NixosHost(stack, 'Srv', { tags: [tag], interfaces: ['lan0'] });
    h.addZone('Internal', { preset: 'internal', services: ['ssh', 'postgresql'], udp: [9999] });
    h.addZone('Admin', { preset: 'admin', sources: ['10.201.0.3/32'] });
    h.addZone('Dmz', { preset: 'dmz', interfaces: ['lan0'], tcp: [80, 443], udp: [443] });
  });
  return result.files.get('nftables/srv.nft') ?? '';
}

/** A veth pair: `<ns>` side with the client addresses and a default route, server side renamed `serverName`. */
function link(ns: string, suffix: string, addresses: string[], serverName: string, serverAddress: string): void {
  const outer = `tn${process.pid % 10000}${suffix}`;
  const inner = `${outer}s`;
  run('ip', ['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner]);
  run('ip', ['link', 'set', outer, 'netns', ns]);
  run('ip', ['link', 'set', inner, 'netns', NS.server]);
  run('ip', ['-n', NS.server, 'link', 'set', inner, 'name', serverName]);
  run('ip', ['-n', NS.server, 'addr', 'add', serverAddress, 'dev', serverName]);
  run('ip', ['-n', NS.server, 'link', 'set', serverName, 'up']);
  for (const a of addresses) run('ip', ['-n', ns, 'addr', 'add', a, 'dev', outer]);
  run('ip', ['-n', ns, 'link', 'set', outer, 'up']);
  run('ip', ['-n', ns, 'route', 'add', 'default', 'via', serverAddress.split('/')[0]]);
}

function setUpNamespaces(ruleset: string): void {
  for (const ns of Object.values(NS)) run('ip', ['netns', 'add', ns]);
  for (const ns of Object.values(NS)) run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  link(NS.client, 'c', ['10.201.0.2/24', '10.201.0.3/24'], 'tailscale0', '10.201.0.1/24');
  link(NS.lan, 'l', ['192.168.77.2/24'], 'lan0', '192.168.77.1/24');
  const file = path.join(tmpDir('nft-live'), 'srv.nft');
  fs.writeFileSync(file, ruleset);
  const load = inNetns(NS.server, 'nft', ['-f', file]);
  if (load.status !== 0) throw new Error(load.stderr);
}

describe.skipIf(!netns || !hasTool('node'))('zones in network namespaces', () => {
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    setUpNamespaces(zonesRuleset());
    server = await startProbeServer(NS.server, SERVER);
  });

  afterAll(() => {
    server?.kill('SIGKILL');
    for (const ns of Object.values(NS)) spawnSync('ip', ['netns', 'del', ns]);
  });

  function probe(ns: string, probes: readonly Probe[]): string[] {
    const r = inNetns(ns, process.execPath, ['-e', PROBE, JSON.stringify(probes)]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as string[];
  }

  it('the tailnet side: internal ports for everyone, every port for the admin source, nothing else', () => {
    const got = probe(NS.client, PROBES);
    expect(PROBES.map((p, i) => `${p.from}->${p.host} ${p.proto}/${p.port} ${got[i]}`)).toEqual(
      PROBES.map((p) => `${p.from}->${p.host} ${p.proto}/${p.port} ${p.expect}`),
    );
  });

  it('the LAN side (dmz): web ports and tailscaled only', () => {
    const got = probe(NS.lan, LAN_PROBES);
    expect(LAN_PROBES.map((p, i) => `${p.host} ${p.proto}/${p.port} ${got[i]}`)).toEqual(
      LAN_PROBES.map((p) => `${p.host} ${p.proto}/${p.port} ${p.expect}`),
    );
  });
});
