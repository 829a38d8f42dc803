import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AuthKey,
  Autogroup,
  ControlServer,
  KubernetesWorkload,
  NixosHost,
  NodeAuth,
  SecretKeyRef,
  ServicePort,
  type TailnetStack,
  TailscaleService,
  User,
} from '../../../src';
import { newStack, runSynthCli, SRC_IMPORT, synthDiagnostics, tmpDir, writeAppProject } from '../../helpers';

/** Issue 6: each bad Service or auth-method input is one diagnostic with a stable code, the construct path and a fix. */
describe('bad Tailscale Service and auth-method input', () => {
  function only(app: ReturnType<typeof newStack>['app']) {
    const errors = synthDiagnostics(app).filter((d) => d.severity === 'error');
    expect(errors, errors.map((e) => `${e.code} ${e.path} ${e.message}`).join('\n')).toHaveLength(1);
    expect(errors[0].hint).toBeTruthy();
    return errors[0];
  }

  function setup(props: ConstructorParameters<typeof TailnetStack>[2] = {}) {
    const { app, stack } = newStack(props);
    const host = stack.addTag('Host', { name: 'tag:host', owners: [Autogroup.ADMIN] });
    return { app, stack, host };
  }

  it('rejects a service name that is not a DNS label', () => {
    const { app, stack, host } = setup();
    new TailscaleService(stack, 'Web', {
      name: 'svc:Web_Gateway',
      ports: [ServicePort.http(80, 'http://127.0.0.1:8080')],
      hosts: [host],
    });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1080', path: 'test/Web' });
    expect(d.message).toContain('"Web_Gateway" is not a DNS label');
  });

  it('rejects a service whose hosts are not tags', () => {
    const { app, stack } = setup();
    new TailscaleService(stack, 'Web', {
      ports: [ServicePort.http(80, 'http://127.0.0.1:8080')],
      hosts: [User.fromLogin('alice@example.com') as never],
    });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1081', path: 'test/Web' });
    expect(d.message).toBe(
      'hosts: "alice@example.com" is not a tag; Tailscale Services are hosted by tagged devices only',
    );
  });

  it('rejects a service hosted by an untagged NixOS host, and by one without the host tag', () => {
    const { app, stack, host } = setup();
    const svc = new TailscaleService(stack, 'Web', {
      ports: [ServicePort.http(80, 'http://127.0.0.1:8080')],
      hosts: [host],
    });
    new NixosHost(stack, 'Box', { user: 'alice@example.com' }).addService(svc);
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN1081', path: 'test/Box/web' });
    expect(d.message).toBe('host "box" is untagged; Tailscale Services (svc:web) are hosted by tagged devices only');
    expect(d.hint).toBe('give the host tags: [tag:host]');

    const g = setup();
    const other = g.stack.addTag('Other', { name: 'tag:other', owners: [Autogroup.ADMIN] });
    const svc2 = new TailscaleService(g.stack, 'Web', {
      ports: [ServicePort.http(80, 'http://127.0.0.1:8080')],
      hosts: [g.host],
    });
    new NixosHost(g.stack, 'Box', { tags: [other] }).addService(svc2);
    expect(only(g.app)).toMatchObject({ code: 'TN1081', path: 'test/Box/web' });
  });

  it('rejects a Service declared twice', () => {
    const { app, stack, host } = setup();
    const ports = [ServicePort.http(80, 'http://127.0.0.1:8080')];
    new TailscaleService(stack, 'Web', { ports, hosts: [host] });
    new TailscaleService(stack, 'Web2', { name: 'web', ports, hosts: [host] });
    const errors = synthDiagnostics(app).filter((d) => d.severity === 'error');
    expect(errors.map((e) => [e.code, e.path, e.message])).toContainEqual([
      'TN1013',
      'test/Web2',
      'svc:web is declared twice',
    ]);
  });

  it('rejects malformed ports and targets', () => {
    const { app, stack, host } = setup();
    new TailscaleService(stack, 'Db', { ports: [ServicePort.tcp(5432, 'http://127.0.0.1:5432')], hosts: [host] });
    expect(only(app)).toMatchObject({
      code: 'TN1082',
      message: 'ports: TCP port 5432 must forward to a tcp:// target',
    });
  });

  it('rejects an environment-variable auth key and workload identity on a NixOS host', () => {
    const { app, stack, host } = setup();
    new NixosHost(stack, 'Box', { tags: [host], authKey: NodeAuth.env(SecretKeyRef.external('ts', 'key')) });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN2080', path: 'test/Box' });
    expect(d.message).toContain('NodeAuth.env cannot work on NixOS');
    expect(d.hint).toContain('AuthKey.sops(name)');

    const g = setup();
    new NixosHost(g.stack, 'Box', {
      tags: [g.host],
      authKey: NodeAuth.workloadIdentity({ issuer: 'https://oidc.example.com' }),
    });
    expect(only(g.app)).toMatchObject({ code: 'TN2080', path: 'test/Box' });
  });

  it('rejects an OAuth client secret on an untagged NixOS host', () => {
    const { app, stack } = setup();
    new NixosHost(stack, 'Box', { user: 'alice@example.com', authKey: NodeAuth.oauthClient(AuthKey.sops('oauth')) });
    const d = only(app);
    expect(d).toMatchObject({ code: 'TN2081', path: 'test/Box' });
    expect(d.message).toBe('authKey: an OAuth client secret registers tagged devices only, and this host has no tags');
  });

  it('rejects OAuth and workload identity with a Headscale control server', () => {
    const { app, stack, host } = setup({
      controlServer: ControlServer.headscale({ url: 'https://hs.example.com', magicDnsBaseDomain: 'tail.example.com' }),
    });
    new KubernetesWorkload(stack, 'Api', {
      namespace: 'apps',
      sidecar: { tags: [host], authKey: NodeAuth.workloadIdentity({ issuer: 'https://oidc.example.com' }) },
    });
    const errors = synthDiagnostics(app).filter((d) => d.severity === 'error');
    const wif = errors.find((e) => e.code === 'TN3080');
    expect(wif, errors.map((e) => `${e.code} ${e.message}`).join('\n')).toMatchObject({ path: 'test/Api/Tailscale' });
    expect(wif?.message).toContain('workload identity federation');
  });

  it('rejects a workload identity whose issuer is not an https URL', () => {
    const { app, stack, host } = setup();
    new KubernetesWorkload(stack, 'Api', {
      namespace: 'apps',
      sidecar: { tags: [host], authKey: NodeAuth.workloadIdentity({ issuer: 'oidc.example.com' }) },
    });
    expect(only(app)).toMatchObject({ code: 'TN3081', path: 'test/Api/Tailscale' });
  });

  it('exits 1 through the CLI and writes nothing', () => {
    const dir = tmpDir('services-bad');
    writeAppProject(
      dir,
      `import { NixosHost, ServicePort, Tag, TailnetApp, TailnetStack, TailscaleService, Autogroup } from '${SRC_IMPORT}';
const app = new TailnetApp();
const stack = new TailnetStack(app, 'bad');
const host = new Tag(stack, 'Host', { owners: [Autogroup.ADMIN] });
const svc = new TailscaleService(stack, 'Web', { ports: [ServicePort.https(443, 'http://127.0.0.1:8080')], hosts: [host] });
new NixosHost(stack, 'Box', { user: 'alice@example.com' }).addService(svc);
app.synth();
`,
    );
    const r = runSynthCli(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error TN1081 [bad/Box/web] host "box" is untagged');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
