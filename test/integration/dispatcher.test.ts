import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSystemdUnit } from '../../src/core/canonical/systemd';
import { parseYaml } from '../../src/core/canonical/yaml';
import { HttpDispatcherStack } from '../../stacks/http-dispatcher';
import { tmpDir } from '../helpers';
import { synthStacks } from './nixos-stacks';
import { requireTool } from './tools';

/**
 * The http-dispatcher stack's non-NixOS artifacts checked against what the tools document (its NixOS modules are
 * evaluated with the others in nixos.test.ts): prometheus.yml and Grafana's datasource file against zod schemas of
 * the documented fields, strict so that an unknown key fails; the systemd drop-in by systemd-analyze verify; the
 * wait-for-Tailscale loop run against a fake tailscale.
 */
const [result] = synthStacks((app) => new HttpDispatcherStack(app));
const files = new Map(result.files);
const SUFFIX = '.tail7d3e1f.ts.net';

/**
 * prometheus.yml, the fields we use. https://prometheus.io/docs/prometheus/latest/configuration/configuration/
 * (<duration>: `((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)`;
 * <scrape_config>: job_name "must be unique across all scrape configurations", metrics_path default /metrics,
 * scheme http|https; <static_config>: targets as host:port, labels as label name → string).
 */
const Duration = z.string().regex(/^((\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?|0)$/);
const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
const StaticConfig = z
  .object({
    targets: z.array(z.string().regex(/^[a-z0-9.-]+:\d{1,5}$/)),
    labels: z.record(LabelName, z.string()).optional(),
  })
  .strict();
const ScrapeConfig = z
  .object({
    job_name: z.string().min(1),
    scrape_interval: Duration.optional(),
    scrape_timeout: Duration.optional(),
    metrics_path: z.string().startsWith('/').optional(),
    scheme: z.enum(['http', 'https']).optional(),
    static_configs: z.array(StaticConfig).optional(),
  })
  .strict();
const PrometheusConfig = z
  .object({
    global: z
      .object({
        scrape_interval: Duration.optional(),
        scrape_timeout: Duration.optional(),
        evaluation_interval: Duration.optional(),
        external_labels: z.record(LabelName, z.string()).optional(),
      })
      .strict()
      .optional(),
    scrape_configs: z.array(ScrapeConfig).optional(),
  })
  .strict();

/**
 * Grafana data source provisioning, https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 * (top level apiVersion, deleteDatasources, prune, datasources; a data source's documented fields; jsonData keys we
 * use from its table: timeInterval for Prometheus).
 */
const GrafanaDatasource = z
  .object({
    name: z.string().min(1),
    type: z.string().min(1),
    uid: z.string().optional(),
    access: z.enum(['proxy', 'direct']).optional(),
    orgId: z.number().int().optional(),
    url: z.string().optional(),
    user: z.string().optional(),
    database: z.string().optional(),
    basicAuth: z.boolean().optional(),
    basicAuthUser: z.string().optional(),
    withCredentials: z.boolean().optional(),
    isDefault: z.boolean().optional(),
    jsonData: z.object({ timeInterval: Duration.optional(), httpMethod: z.enum(['GET', 'POST']).optional() }).strict(),
    secureJsonData: z.record(z.string(), z.string()).optional(),
    version: z.number().int().optional(),
    editable: z.boolean().optional(),
  })
  .strict();
const GrafanaProvisioning = z
  .object({
    apiVersion: z.literal(1),
    deleteDatasources: z.array(z.object({ name: z.string(), orgId: z.number().int() }).strict()).optional(),
    prune: z.boolean().optional(),
    datasources: z.array(GrafanaDatasource),
  })
  .strict();

describe('http-dispatcher artifacts', () => {
  it('prometheus.yml follows the documented schema and scrapes declared devices by MagicDNS name', () => {
    const config = PrometheusConfig.parse(parseYaml(files.get('prometheus/prometheus.yml') ?? ''));
    const jobs = config.scrape_configs ?? [];
    expect(new Set(jobs.map((j) => j.job_name)).size).toBe(jobs.length);
    expect(jobs.map((j) => j.job_name)).toEqual(['node', 'job-agent', 'job-coordinator']);
    const devices = new Set(result.ir.devices.map((d) => `${d.name}${SUFFIX}`));
    for (const t of jobs.flatMap((j) => j.static_configs ?? []).flatMap((s) => s.targets)) {
      expect(devices.has(t.split(':')[0]), `${t} is not a declared device`).toBe(true);
    }
    const agents = jobs.find((j) => j.job_name === 'job-agent')?.static_configs?.[0].targets;
    expect(agents).toEqual([`agent-builder${SUFFIX}:9103`, `agent-debian${SUFFIX}:9103`]);
  });

  it('a schema with a key Prometheus does not document fails (the check is strict)', () => {
    const bad = { scrape_configs: [{ job_name: 'x', static_configs: [{ targets: ['a:1'] }], scrape_intervall: '5s' }] };
    expect(PrometheusConfig.safeParse(bad).success).toBe(false);
  });

  it("Grafana's datasource file follows the provisioning schema: one default Prometheus at the monitoring host's MagicDNS URL", () => {
    const doc = GrafanaProvisioning.parse(parseYaml(files.get('grafana/datasources.yaml') ?? ''));
    expect(doc.datasources.filter((d) => d.isDefault)).toHaveLength(1);
    expect(doc.datasources[0]).toMatchObject({ type: 'prometheus', url: `http://monitor${SUFFIX}:9090` });
    expect(GrafanaProvisioning.safeParse({ ...doc, datasource: [] }).success).toBe(false);
  });

  it('the drop-in only uses documented directives and sets the coordinator URL by MagicDNS name', () => {
    const lines = parseSystemdUnit(files.get('systemd/agent-debian/job-agent.service.d/tailnet.conf') ?? '');
    // systemd.unit(5) [Unit], systemd.exec(5)/systemd.service(5) [Service]
    const allowed: Record<string, string[]> = {
      Unit: ['After', 'Wants'],
      Service: ['Environment', 'ExecStartPre', 'TimeoutStartSec'],
    };
    for (const l of lines) expect(allowed[l.section], `${l.section}.${l.key}`).toContain(l.key);
    expect(lines).toContainEqual({
      section: 'Service',
      key: 'Environment',
      value: `"COORDINATOR_URL=http://coordinator${SUFFIX}:8080"`,
    });
  });

  it.skipIf(!requireTool('systemd-analyze', 'systemd'))(
    'systemd-analyze verify loads the drop-in onto a unit without unknown keys (and flags a bad one)',
    () => {
      const dir = tmpDir('dropin');
      const unit = path.join(dir, 'job-agent.service');
      fs.writeFileSync(unit, '[Unit]\nDescription=agent\n\n[Service]\nExecStart=/bin/true\n');
      fs.mkdirSync(`${unit}.d`);
      const dropIn = files.get('systemd/agent-debian/job-agent.service.d/tailnet.conf') ?? '';
      fs.writeFileSync(path.join(`${unit}.d`, 'tailnet.conf'), dropIn);
      const verify = (level = 'info') =>
        spawnSync('systemd-analyze', ['verify', '--man=no', unit], {
          encoding: 'utf8',
          env: { ...process.env, SYSTEMD_LOG_LEVEL: level },
        });
      // debug level lists the drop-ins systemd loaded for the unit
      const debug = verify('debug');
      expect(`${debug.stdout}${debug.stderr}`).toContain(`DropIn Path: ${path.join(`${unit}.d`, 'tailnet.conf')}`);
      const r = verify();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      fs.appendFileSync(path.join(`${unit}.d`, 'tailnet.conf'), 'EnvironmentFiel=/etc/x\n');
      expect(verify().stderr).toMatch(/Unknown key 'EnvironmentFiel'/);
    },
  );

  it.skipIf(!requireTool('shellcheck'))(
    'the ExecStartPre loop waits until `tailscale ip -4` succeeds (fake tailscale: offline twice), and shellcheck passes it',
    () => {
      const lines = parseSystemdUnit(files.get('systemd/agent-debian/job-agent.service.d/tailnet.conf') ?? '');
      const exec = lines.find((l) => l.key === 'ExecStartPre')?.value ?? '';
      const m = /^\/bin\/sh -c '([^']*)'$/.exec(exec);
      expect(m, exec).not.toBeNull();
      const script = m?.[1] ?? '';
      const dir = tmpDir('wait');
      const count = path.join(dir, 'calls');
      fs.writeFileSync(
        path.join(dir, 'tailscale'),
        `#!/bin/sh\necho x >> ${count}\n[ "$(wc -l < ${count})" -ge 3 ] || { echo 'no current Tailscale IPs; state: Starting' >&2; exit 1; }\necho 100.64.0.7\n`,
        { mode: 0o755 },
      );
      const r = spawnSync('/bin/sh', ['-c', script], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
        timeout: 15_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(3);
      const sc = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: `${script}\n`, encoding: 'utf8' });
      expect(sc.status, sc.stdout).toBe(0);
    },
  );
});
