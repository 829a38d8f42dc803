import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

/**
 * Shared by the network-namespace tests (nftables zones, WireGuard enforcement): commands in namespaces with bounded
 * timeouts, and a node probe that tries TCP connects / UDP echoes from a given local address and reports `open`,
 * `dropped` (timeout), `refused` or an error code per probe.
 */
export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

export function inNetns(ns: string, cmd: string, args: string[]) {
  return spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', timeout: 20_000 });
}

export const PROBE = `
const net = require('node:net'); const dgram = require('node:dgram');
const probes = JSON.parse(process.argv[1]);
const tcp = (p) => new Promise((done) => {
  const s = net.connect({ host: p.host, port: p.port, localAddress: p.from, timeout: 700 });
  s.on('connect', () => { s.destroy(); done('open'); });
  s.on('timeout', () => { s.destroy(); done('dropped'); });
  s.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'refused' : e.code));
});
const udp = (p) => new Promise((done) => {
  const u = dgram.createSocket('udp4');
  const t = setTimeout(() => { u.close(); done('dropped'); }, 700);
  u.on('message', () => { clearTimeout(t); u.close(); done('open'); });
  u.on('error', (e) => { clearTimeout(t); u.close(); done(e.code); });
  u.bind(0, p.from, () => u.send('probe', p.port, p.host));
});
Promise.all(probes.map((p) => (p.proto === 'tcp' ? tcp(p) : udp(p)))).then((r) => console.log(JSON.stringify(r)));
`;

export interface Probe {
  readonly from: string;
  readonly host: string;
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly expect: 'open' | 'dropped';
}

/** Runs the node `script` in namespace `ns` and resolves once it prints `ready` (rejects after 5 s). */
export async function startProbeServer(ns: string, script: string): Promise<ChildProcess> {
  const server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('probe server did not start')), 5000);
    server.stdout?.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return server;
}
