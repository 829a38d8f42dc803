import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent, AuthKey, Coordinator, LinuxHost, Monitoring, NixosHost, Secret } from '../../../src';
import { parseSystemdUnit } from '../../../src/core/canonical/systemd';
import { runSynthCli, SRC_IMPORT, synthDiagnostics, tmpDir, writeAppProject } from '../../helpers';
import { fixture, type NixosFixture, synth } from '../nixos/helpers';

/** Coordinator on a NixOS host, agents on a NixOS host and a plain Linux host, monitoring with Grafana. */
function dispatcher(f: NixosFixture) {
  const coordinatorHost = new NixosHost(f.stack, 'Boss', { tags: [f.server], authKey: AuthKey.sops('ts') });
  const nixAgent = new NixosHost(f.stack, 'Worker', { tags: [f.client] });
  const linuxAgent = new LinuxHost(f.stack, 'Debian', { tags: [f.client] });
  const monitor = new NixosHost(f.stack, 'Mon', { tags: [f.admin] });
  const monitoring = new Monitoring(f.stack, 'Monitoring', {
    prometheus: monitor,
    targets: [coordinatorHost, nixAgent],
    grafana: { port: 3001 },
  });
  const coordinator = new Coordinator(f.stack, 'Jobs', { host: coordinatorHost, port: 8088, monitoring });
  coordinator.addAgent('A', { host: nixAgent });
  coordinator.addAgent('B', { host: linuxAgent });
  return { coordinator, coordinatorHost, nixAgent, linuxAgent, monitor };
}

describe('job dispatcher', () => {
  it('gives agents the coordinator URL by MagicDNS name: NixOS through the module, plain Linux through a drop-in', () => {
    const f = fixture();
    dispatcher(f);
    const { files, ir } = synth(f);
    const url = 'http://boss.example.ts.net:8088';
    expect(files.get('nixos/worker/default.nix')).toContain(`COORDINATOR_URL = "${url}";`);
    const dropIn = files.get('systemd/debian/job-agent.service.d/tailnet.conf') ?? '';
    const lines = parseSystemdUnit(dropIn);
    expect(lines).toContainEqual({ section: 'Service', key: 'Environment', value: `"COORDINATOR_URL=${url}"` });
    expect(lines).toContainEqual({ section: 'Unit', key: 'After', value: 'network-online.target tailscaled.service' });
    expect(lines.find((l) => l.key === 'ExecStartPre')?.value).toContain('tailscale ip -4');
    // the NixOS agent has no drop-in, the plain Linux host no module
    expect([...files.keys()].filter((p) => p.startsWith('systemd/'))).toEqual([
      'systemd/debian/job-agent.service.d/tailnet.conf',
    ]);
    expect(files.has('nixos/debian/default.nix')).toBe(false);
    expect(ir.systemdUnits.map((u) => `${u.host}/${u.unit}/${u.platform}`)).toEqual([
      'boss/job-coordinator/nixos',
      'debian/job-agent/linux',
      'worker/job-agent/nixos',
    ]);
  });

  it('starts the coordinator after tailscaled (and autoconnect, with an auth key) has an address; opens its ports on tailscale0 only', () => {
    const f = fixture();
    dispatcher(f);
    const nix = synth(f).files.get('nixos/boss/default.nix') ?? '';
    expect(nix).toContain('after = [ "network-online.target" "tailscaled-autoconnect.service" "tailscaled.service" ];');
    expect(nix).toContain('preStart = "until tailscale ip -4 >/dev/null 2>&1; do sleep 1; done";');
    expect(nix).toContain('LISTEN_ADDRESS = "0.0.0.0:8088";');
    expect(nix).toMatch(/networking\.firewall\.interfaces\.tailscale0 = \{\s+allowedTCPPorts = \[ 8088 9100 9102 \];/);
    expect(nix).not.toContain('networking.firewall.allowedTCPPorts');
  });

  it('binds the Tailscale address when the host declares it', () => {
    const f = fixture();
    const h = new NixosHost(f.stack, 'Boss', { tags: [f.server], tailscaleIpv4: '100.64.0.10' });
    new Coordinator(f.stack, 'Jobs', { host: h });
    expect(synth(f).files.get('nixos/boss/default.nix')).toContain('LISTEN_ADDRESS = "100.64.0.10:8080";');
  });

  it('grants agents the API port (one grant per agent identity) and Prometheus the metrics ports', () => {
    const f = fixture();
    dispatcher(f);
    const grants = synth(f).ir.policy.grants.map((g) => `${g.source.path}: ${g.src} -> ${g.dst} ${g.ip}`);
    expect(grants).toContain('test/Jobs/Agents: tag:client -> tag:server tcp:8088');
    expect(grants.filter((g) => g.startsWith('test/Jobs/Agents'))).toHaveLength(1);
    expect(grants).toContain('test/Monitoring/ScrapeJobCoordinator: tag:admin -> tag:server tcp:9102');
    expect(grants).toContain('test/Monitoring/ScrapeJobAgent: tag:admin -> tag:client tcp:9103');
  });

  it('scrapes the dispatcher by MagicDNS name in prometheus.yml and the NixOS module alike; provisions Grafana', () => {
    const f = fixture();
    dispatcher(f);
    const { files } = synth(f);
    const yml = files.get('prometheus/prometheus.yml') ?? '';
    expect(yml).toContain('- job_name: job-agent');
    expect(yml).toContain('- debian.example.ts.net:9103');
    expect(yml).toContain('- boss.example.ts.net:9102');
    const mon = files.get('nixos/mon/default.nix') ?? '';
    expect(mon).toContain('"boss.example.ts.net:9102"');
    expect(mon).toContain('url = "http://mon.example.ts.net:9090";');
    expect(mon).toContain('allowedTCPPorts = [ 3001 ];');
    expect(files.get('grafana/datasources.yaml')).toContain('url: http://mon.example.ts.net:9090');
  });
});

describe('bad dispatcher input', () => {
  function errors(f: NixosFixture) {
    return synthDiagnostics(f.app).filter((d) => d.severity === 'error');
  }

  it('reports two agents on one host name with code, path and hint', () => {
    const f = fixture();
    const h = new NixosHost(f.stack, 'Boss', { tags: [f.server] });
    const c = new Coordinator(f.stack, 'Jobs', { host: h });
    c.addAgent('A', { host: new LinuxHost(f.stack, 'W1', { hostname: 'worker', tags: [f.client] }) });
    c.addAgent('B', { host: new LinuxHost(f.stack, 'W2', { hostname: 'worker', tags: [f.client] }) });
    const d = errors(f).find((e) => e.code === 'TN2071');
    expect(d).toMatchObject({
      path: 'test/Jobs/B',
      message: 'agent host "worker" already runs agent test/Jobs/A of this coordinator',
    });
    expect(d?.hint).toContain('own hostname');
  });

  it('reports a coordinator port out of range', () => {
    const f = fixture();
    new Coordinator(f.stack, 'Jobs', { host: new NixosHost(f.stack, 'Boss', { tags: [f.server] }), port: 70000 });
    const [d] = errors(f);
    expect(d).toMatchObject({ code: 'TN2070', path: 'test/Jobs', message: 'port: 70000 is outside 1-65535' });
    expect(d.hint).toBeTruthy();
  });

  it('reports an agent on a NixOS host that does not accept the tailnet DNS', () => {
    const f = fixture();
    const c = new Coordinator(f.stack, 'Jobs', { host: new NixosHost(f.stack, 'Boss', { tags: [f.server] }) });
    c.addAgent('A', { host: new NixosHost(f.stack, 'W', { tags: [f.client], acceptDns: false }) });
    expect(errors(f)).toMatchObject([{ code: 'TN2070', path: 'test/Jobs/A' }]);
  });

  it('reports a host that is not a host, without failing on it', () => {
    const f = fixture();
    const m = new NixosHost(f.stack, 'Mon', { tags: [f.admin] });
    const monitoring = new Monitoring(f.stack, 'Monitoring', { prometheus: m, targets: [m] });
    const c = new Coordinator(f.stack, 'Jobs', { host: 'boss' as never, monitoring });
    c.addAgent('A', { host: undefined as never });
    expect(errors(f).map((e) => `${e.code} ${e.path} ${e.message}`)).toEqual([
      'TN2070 test/Jobs host: not a NixosHost or LinuxHost',
      'TN2070 test/Jobs/A host: not a NixosHost or LinuxHost',
    ]);
  });

  it('reports one scrape job asked to scrape two ports', () => {
    const f = fixture();
    const m = new NixosHost(f.stack, 'Mon', { tags: [f.admin] });
    const monitoring = new Monitoring(f.stack, 'Monitoring', { prometheus: m, targets: [m] });
    const a = new NixosHost(f.stack, 'A', { tags: [f.server] });
    const b = new NixosHost(f.stack, 'B', { tags: [f.server] });
    new Coordinator(f.stack, 'One', { host: a, monitoring });
    new Coordinator(f.stack, 'Two', { host: b, metricsPort: 9200, monitoring });
    expect(errors(f)).toMatchObject([
      {
        code: 'TN2018',
        path: 'test/Two',
        message: 'scrape job "job-coordinator" already scrapes port 9102 path /metrics, not 9200 /metrics',
      },
    ]);
  });

  it('reports an agent without a coordinator', () => {
    const f = fixture();
    new Agent(f.stack, 'Lost', { host: new NixosHost(f.stack, 'W', { tags: [f.client] }) });
    const [d] = errors(f);
    expect(d).toMatchObject({ code: 'TN2072', path: 'test/Lost' });
    expect(d.hint).toContain('addAgent');
  });

  it('reports one unit configured twice on a host, and a port taken by the node exporter', () => {
    const f = fixture();
    const h = new NixosHost(f.stack, 'Boss', { tags: [f.server] });
    new Coordinator(f.stack, 'One', { host: h, port: 8081, metricsPort: 9200 });
    new Coordinator(f.stack, 'Two', { host: h, port: 8082, metricsPort: 9201 });
    expect(errors(f)).toMatchObject([
      {
        code: 'TN2074',
        path: 'test/Two',
        message: 'job-coordinator.service on host "boss" is already configured by test/One',
      },
    ]);
    const g = fixture();
    const m = new NixosHost(g.stack, 'Mon', { tags: [g.admin] });
    const b = new NixosHost(g.stack, 'Boss', { tags: [g.server] });
    const monitoring = new Monitoring(g.stack, 'Monitoring', { prometheus: m, targets: [b] });
    new Coordinator(g.stack, 'Jobs', { host: b, metricsPort: 9100, monitoring });
    expect(errors(g).map((e) => e.code)).toContain('TN2007');
  });

  it('warns when Grafana has no secret_key file, and reads one through $__file when given', () => {
    const f = fixture();
    const m = new NixosHost(f.stack, 'Mon', { tags: [f.admin] });
    new Monitoring(f.stack, 'Monitoring', { prometheus: m, targets: [m], grafana: {} });
    expect(synth(f).diagnostics.some((x) => x.startsWith('warning TN2075 [test/Monitoring]'))).toBe(true);
    const g = fixture();
    const n = new NixosHost(g.stack, 'Mon', { tags: [g.admin] });
    new Monitoring(g.stack, 'Monitoring', {
      prometheus: n,
      targets: [n],
      grafana: { secretKey: Secret.sops('grafana/key') },
    });
    const out = synth(g);
    expect(out.diagnostics.filter((x) => x.includes('TN2075'))).toEqual([]);
    const nix = out.files.get('nixos/mon/default.nix') ?? '';
    expect(nix).toContain('security.secret_key = "$__file{/run/secrets/grafana/key}";');
    expect(nix).toContain('"grafana/key".owner = "grafana";');
  });

  it('warns when a coordinator on a plain Linux host would listen on every address', () => {
    const f = fixture();
    new Coordinator(f.stack, 'Jobs', { host: new LinuxHost(f.stack, 'Box', { tags: [f.server] }) });
    const d = synth(f).diagnostics;
    expect(d.some((x) => x.startsWith('warning TN2073 [test/Jobs]'))).toBe(true);
  });

  it('exits 1 through the CLI on duplicate agents and writes nothing', () => {
    const dir = tmpDir('dispatcher-bad');
    writeAppProject(
      dir,
      `import { Coordinator, LinuxHost, NixosHost, Tag, TailnetApp, TailnetStack, User } from '${SRC_IMPORT}';
const app = new TailnetApp();
const stack = new TailnetStack(app, 'bad');
const t = new Tag(stack, 'Server', { owners: [User.fromLogin('a@example.com')] });
const c = new Coordinator(stack, 'Jobs', { host: new NixosHost(stack, 'Boss', { tags: [t] }) });
c.addAgent('A', { host: new LinuxHost(stack, 'W1', { hostname: 'worker', tags: [t] }) });
c.addAgent('B', { host: new LinuxHost(stack, 'W2', { hostname: 'worker', tags: [t] }) });
app.synth();
`,
    );
    const r = runSynthCli(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error TN2071 [bad/Jobs/B] agent host "worker" already runs agent bad/Jobs/A');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
