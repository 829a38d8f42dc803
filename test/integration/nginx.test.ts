import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Autogroup, NixosHost, Reach, Tag, TailnetStack, Tls } from '../../src';
import { tmpDir } from '../helpers';
import { artifacts, exampleStacks, quicStack, synthStacks } from './nixos-stacks';
import { requireTool } from './tools';

/**
 * Every generated nginx.conf under the real nginx (issue 4 §6): `nginx -t` with a temporary prefix (pid, logs and
 * temp files there; self-signed certificates where the config expects `tls/<name>.crt`), then a live nginx on
 * 127.0.0.1 in front of a local Node upstream showing the rate limit and the body-size limit at work.
 */
const hasNginx = requireTool('nginx');
const hasOpenssl = requireTool('openssl');
const hasHttp3 = hasNginx && /--with-http_v3_module/.test(spawnSync('nginx', ['-V'], { encoding: 'utf8' }).stderr);

/** Copies the config byte for byte into a fresh prefix with certificates for every `ssl_certificate` it names. */
function prepare(conf: string): { dir: string; file: string } {
  const dir = tmpDir('nginx');
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  for (const [, name] of conf.matchAll(/ssl_certificate tls\/(.+)\.crt;/g)) {
    fs.mkdirSync(path.join(dir, 'tls'), { recursive: true });
    const key = path.join(dir, 'tls', `${name}.key`);
    const crt = path.join(dir, 'tls', `${name}.crt`);
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'];
    const r = spawnSync('openssl', [...args, '-subj', `/CN=${name}`, '-keyout', key, '-out', crt], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  }
  return { dir, file };
}

function nginxTest(conf: string): { status: number | null; stderr: string } {
  const { dir, file } = prepare(conf);
  const r = spawnSync('nginx', ['-t', '-p', `${dir}/`, '-c', file, '-e', path.join(dir, 'startup.log')], {
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe.skipIf(!hasNginx || !hasOpenssl)('nginx -t on every generated nginx.conf', () => {
  it('accepts every config of the example stacks', () => {
    const confs = artifacts(exampleStacks(), /^nginx\//);
    expect([...confs.keys()].sort()).toEqual(['features/nginx/edge.conf', 'kernelcore/nginx/kernelcore.conf']);
    for (const [key, conf] of confs) {
      const r = nginxTest(conf);
      expect(r.status, `${key}: ${r.stderr}`).toBe(0);
    }
  });

  it.skipIf(!hasHttp3)('accepts the HTTP/3 config (nginx built with http_v3)', () => {
    for (const [key, conf] of artifacts(quicStack(), /^nginx\//)) expect(nginxTest(conf).status, key).toBe(0);
  });

  it('would reject a broken config (the check can fail)', () => {
    const [conf] = artifacts(exampleStacks(), /^nginx\/kernelcore/).values();
    expect(nginxTest(conf.replace('limit_req_zone', 'limit_req_zone_typo')).status).not.toBe(0);
  });
});

if (hasNginx && !hasHttp3)
  process.stderr.write('notice: this nginx lacks http_v3_module; the HTTP/3 config is not checked\n');

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function request(port: number, method: string, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

describe.skipIf(!hasNginx)('a live nginx from the generated config', () => {
  let nginx: ChildProcess | undefined;
  let upstream: http.Server | undefined;
  const ports = { upstream: 0, limited: 0, upload: 0 };

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
    ports.upstream = (upstream.address() as AddressInfo).port;
    ports.limited = await freePort();
    ports.upload = await freePort();
    const [result] = synthStacks((app) => {
      const stack = new TailnetStack(app, 'live');
      const tag = new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
      const h = new NixosHost(stack, 'Live', { tags: [tag] });
      const local = { upstreamPort: ports.upstream, tls: Tls.none(), listenAddresses: ['127.0.0.1'] };
      h.addProxy('Limited', {
        ...local,
        reach: Reach.port(ports.limited),
        rateLimit: { rate: '1r/s', burst: 0, status: 429 },
      });
      h.addProxy('Upload', { ...local, reach: Reach.port(ports.upload), maxBodySize: '1k' });
    });
    const { dir, file } = prepare(result.files.get('nginx/live.conf') ?? '');
    nginx = spawn('nginx', ['-p', `${dir}/`, '-c', file, '-e', path.join(dir, 'startup.log'), '-g', 'daemon off;'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 50; i++) {
      if (
        await request(ports.upload, 'GET').then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('nginx did not start within 5 s');
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await new Promise<void>((resolve) => upstream?.close(() => resolve()) ?? resolve());
  });

  it('rejects the requests above the rate with the configured 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await request(ports.limited, 'GET'));
    expect(statuses[0]).toBe(200);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(8);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
  });

  it('returns 413 for a body above maxBodySize and passes one below it', async () => {
    expect(await request(ports.upload, 'POST', 'x'.repeat(512))).toBe(200);
    expect(await request(ports.upload, 'POST', 'x'.repeat(4096))).toBe(413);
  });
});
