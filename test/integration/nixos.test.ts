import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupOption } from '../../src/constructs/nixos/options';
import { printNix } from '../../src/core/canonical/nix';
import type { StackSynthesis } from '../../src/core/synth';
import { TEXTFILE_DIR } from '../../src/emit/nixos/monitoring';
import { HttpDispatcherStack } from '../../stacks/http-dispatcher';
import { tmpDir } from '../helpers';
import { exampleStacks, quicStack, synthStacks } from './nixos-stacks';
import { requireTool } from './tools';

/**
 * The generated NixOS modules under the real Nix (issue 4 §6). There is no nixpkgs channel here, so modules are
 * applied to stub arguments: a lib with nixpkgs' own definitions of the only functions modules call (mkOverride,
 * mkDefault = mkOverride 1000, mkForce = mkOverride 50), pkgs attributes as strings, and a config holding what the
 * modules read (secret paths, the Tailscale package). Evaluation proves the file is a function of exactly those
 * arguments whose every value evaluates; the option paths are then checked against facts/nixos.md.
 */
const hasNix = requireTool('nix-instantiate', 'nix-bin');
const hasJq = requireTool('jq');
const NIX_ENV = { ...process.env, NIX_CONFIG: 'build-users-group =\nexperimental-features =' };
const STUB_LIB = `{
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = content: { _type = "override"; priority = 1000; inherit content; };
  mkForce = content: { _type = "override"; priority = 50; inherit content; };
}`;
const STUB_PKGS = '{ coreutils = "/stub/coreutils"; gawk = "/stub/gawk"; jq = "/stub/jq"; systemd = "/stub/systemd"; }';

function nix(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('nix-instantiate', args, { encoding: 'utf8', env: NIX_ENV, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `config` as the module reads it: the secret paths sops-nix/agenix would set, the Tailscale package. */
function stubConfig(r: StackSynthesis, host: string): string {
  const h = r.ir.nixos.hosts.find((x) => x.name === host);
  const secrets = [h?.tailscale.authKey, ...(h?.proxies.map((p) => p.basicAuth) ?? [])].filter((s) => s !== undefined);
  const of = (kind: string) =>
    Object.fromEntries(secrets.filter((s) => s.kind === kind).map((s) => [s.name ?? '', { path: s.path }]));
  return printNix({
    services: { tailscale: { package: '/stub/tailscale' } },
    sops: { secrets: of('sops') },
    age: { secrets: of('agenix') },
  });
}

function modules(): { key: string; file: string; config: string }[] {
  const dir = tmpDir('nix-modules');
  const dispatcher = synthStacks((app) => new HttpDispatcherStack(app));
  return [...exampleStacks(), ...quicStack(), ...dispatcher].flatMap((r) =>
    [...r.files]
      .filter(([p]) => p.startsWith('nixos/'))
      .map(([p, content]) => {
        const file = path.join(dir, r.stack, p);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
        return { key: `${r.stack}/${p}`, file, config: stubConfig(r, p.split('/')[1]) };
      }),
  );
}

/** The evaluated kernelcore module, as far as the tests read it. */
interface Evaluated {
  services: { tailscale: { authKeyFile: string; extraSetFlags: string[]; extraUpFlags: string[] } };
  boot: { kernel: { sysctl: Record<string, unknown> } };
  networking: { nftables: { tables: Record<string, { content: string }> } };
  systemd: { services: Record<string, { script: string }> };
}

function evaluate(m: { file: string; config: string }): Record<string, unknown> {
  const expr = `(import ${m.file}) { config = ${m.config}; lib = ${STUB_LIB}; pkgs = ${STUB_PKGS}; }`;
  const r = nix(['--eval', '--strict', '--json', '-E', expr]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Option paths the generated parts use (facts/nixos.md §1–§6, plus NixOS's systemd/tmpfiles/acme options); `*` = any name. */
const EMITTED = [
  'services.tailscale.{enable,authKeyFile,extraUpFlags,extraSetFlags,useRoutingFeatures,openFirewall,port,interfaceName}',
  'services.tailscale.authKeyParameters.{ephemeral,preauthorized}',
  'services.tailscale.serve.enable',
  'services.tailscale.serve.services.*.{endpoints.*,advertised}',
  'services.nginx.{enable,recommendedProxySettings,recommendedTlsSettings,commonHttpConfig}',
  'services.nginx.virtualHosts.*.{serverName,serverAliases,forceSSL,onlySSL,sslCertificate,sslCertificateKey,enableACME,http2,quic,http3,reuseport,extraConfig,listen}',
  'services.nginx.virtualHosts.*.locations.*.{proxyPass,recommendedProxySettings,proxyWebsockets,basicAuthFile,extraConfig}',
  'networking.nftables.enable',
  'networking.nftables.tables.*.{family,content}',
  'networking.firewall.trustedInterfaces',
  'networking.firewall.interfaces.*.{allowedTCPPorts,allowedUDPPorts}',
  'boot.kernel.sysctl.*',
  'services.prometheus.{enable,port,globalConfig.scrape_interval,scrapeConfigs}',
  'services.grafana.{enable,settings.server.http_addr,settings.server.http_port,settings.security.secret_key,provision.enable}',
  'services.grafana.provision.datasources.settings.{apiVersion,datasources}',
  'services.prometheus.exporters.node.{enable,port,listenAddress,enabledCollectors,extraFlags}',
  'systemd.services.*.{description,after,wants,wantedBy,path,script,preStart,serviceConfig.*,environment.*}',
  'systemd.timers.*.{wantedBy,timerConfig.*}',
  'systemd.tmpfiles.rules',
  'sops.secrets.*.{sopsFile,owner}',
  'age.secrets.*.{file,owner}',
  'security.acme.{acceptTerms,defaults.email}',
];

function expand(pattern: string): RegExp[] {
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(pattern);
  if (m) return m[2].split(',').flatMap((alt) => expand(`${m[1]}${alt}${m[3]}`));
  const source = pattern
    .split('.')
    .map((seg) => (seg === '*' ? '[^\u0000]+?' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('\u0000');
  return [new RegExp(`^${source}$`)];
}
const KNOWN = EMITTED.flatMap(expand);

/**
 * The NixOS types (facts/nixos.md §1–§6; systemd.services from systemd-unit-options) of the options the generated
 * parts set, checked on the evaluated values: the paths above say the option exists, these say the value fits it.
 */
const isStr = (v: unknown) => typeof v === 'string';
const isBool = (v: unknown) => typeof v === 'boolean';
const isPort = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const isPath = (v: unknown) => typeof v === 'string' && v.startsWith('/');
const listOf = (check: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(check);
const nullOr = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);
const oneOf =
  (...values: unknown[]) =>
  (v: unknown) =>
    values.includes(v);
const listen = (v: unknown) => {
  const l = v as Record<string, unknown>;
  return isStr(l.addr) && (l.port === undefined || nullOr(isPort)(l.port)) && (l.ssl === undefined || isBool(l.ssl));
};
const OPTION_TYPES: [string, (v: unknown) => boolean][] = [
  ['services.tailscale.{enable,openFirewall}', isBool],
  ['services.tailscale.port', isPort],
  ['services.tailscale.interfaceName', isStr],
  ['services.tailscale.useRoutingFeatures', oneOf('none', 'client', 'server', 'both')],
  ['services.tailscale.authKeyFile', nullOr(isPath)],
  ['services.tailscale.authKeyParameters.{ephemeral,preauthorized}', nullOr(isBool)],
  ['services.tailscale.{extraUpFlags,extraSetFlags}', listOf(isStr)],
  ['services.tailscale.serve.enable', isBool],
  ['services.tailscale.serve.services.*.endpoints.*', (v) => isStr(v) && /^(https?|tcp):\/\//.test(v as string)],
  ['services.tailscale.serve.services.*.advertised', nullOr(isBool)],
  ['services.nginx.{enable,recommendedProxySettings,recommendedTlsSettings}', isBool],
  ['services.nginx.commonHttpConfig', isStr],
  ['services.nginx.virtualHosts.*.{forceSSL,onlySSL,enableACME,http2,quic,http3,reuseport}', isBool],
  ['services.nginx.virtualHosts.*.serverName', nullOr(isStr)],
  ['services.nginx.virtualHosts.*.serverAliases', listOf(isStr)],
  ['services.nginx.virtualHosts.*.{sslCertificate,sslCertificateKey}', isPath],
  ['services.nginx.virtualHosts.*.extraConfig', isStr],
  ['services.nginx.virtualHosts.*.listen', listOf(listen)],
  ['services.nginx.virtualHosts.*.locations.*.{proxyPass,extraConfig}', isStr],
  ['services.nginx.virtualHosts.*.locations.*.{recommendedProxySettings,proxyWebsockets}', isBool],
  ['services.nginx.virtualHosts.*.locations.*.basicAuthFile', nullOr(isPath)],
  ['networking.nftables.enable', isBool],
  ['networking.nftables.tables.*.family', oneOf('ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev')],
  ['networking.nftables.tables.*.content', isStr],
  ['networking.firewall.trustedInterfaces', listOf(isStr)],
  ['networking.firewall.interfaces.*.{allowedTCPPorts,allowedUDPPorts}', listOf(isPort)],
  ['services.prometheus.enable', isBool],
  ['services.prometheus.port', isPort],
  ['services.prometheus.exporters.node.{enable}', isBool],
  ['services.prometheus.exporters.node.port', isPort],
  ['services.prometheus.exporters.node.listenAddress', isStr],
  ['services.prometheus.exporters.node.{enabledCollectors,extraFlags}', listOf(isStr)],
  ['services.grafana.{enable,provision.enable}', isBool],
  ['services.grafana.settings.server.http_port', isPort],
  ['systemd.services.*.{description,script,preStart}', isStr],
  ['systemd.services.*.{after,wants,wantedBy}', listOf(isStr)],
  ['systemd.tmpfiles.rules', listOf(isStr)],
];
const TYPED = OPTION_TYPES.flatMap(([pattern, check]) => expand(pattern).map((re) => ({ re, check, pattern })));

/** An option value as the module system reads it: `mkOverride`/`mkDefault` wrap the value they set. */
function unwrap(value: unknown): unknown {
  const v = value as { _type?: string; content?: unknown } | null;
  return v !== null && typeof v === 'object' && v._type === 'override' ? unwrap(v.content) : value;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
}

/** Leaf option paths (segments joined by NUL, as attribute names may contain dots). */
function optionPaths(value: unknown, prefix: string[] = []): string[][] {
  const isLeaf = typeof value !== 'object' || value === null || Array.isArray(value) || '_type' in value;
  if (isLeaf) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => optionPaths(v, [...prefix, k]));
}

describe.skipIf(!hasNix)('NixOS modules under nix-instantiate', () => {
  const all = hasNix ? modules() : [];

  it('parses every module (nix-instantiate --parse)', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const m of all) {
      const r = nix(['--parse', m.file]);
      expect(r.status, `${m.key}: ${r.stderr}`).toBe(0);
    }
  });

  it('evaluates every module applied to its arguments (--eval --strict), using only known NixOS options', () => {
    for (const m of all) {
      const value = evaluate(m);
      for (const p of optionPaths(value)) {
        const joined = p.join('\u0000');
        const known = KNOWN.some((re) => re.test(joined)) || lookupOption(p.join('.')).ok;
        expect(known, `${m.key}: option ${p.join('.')} is not one the generator may emit`).toBe(true);
      }
    }
  });

  it('sets every known option to a value of its NixOS type', () => {
    let checked = 0;
    for (const m of all) {
      const value = evaluate(m);
      for (const p of optionPaths(value)) {
        const typed = TYPED.find((t) => t.re.test(p.join('\u0000')));
        if (!typed) continue;
        const v = unwrap(valueAt(value, p));
        expect(
          typed.check(v),
          `${m.key}: ${p.join('.')} = ${JSON.stringify(v)} is not of the type of ${typed.pattern}`,
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('reads back the values the emitter meant: flags one word each, priorities as overrides', () => {
    const kernelcore = all.find((m) => m.key === 'kernelcore/nixos/kernelcore/default.nix');
    const value = evaluate(kernelcore ?? all[0]) as unknown as Evaluated;
    expect(value.services.tailscale.authKeyFile).toBe('/run/secrets/tailscale/authkey');
    expect(value.services.tailscale.extraSetFlags).toContain('--advertise-routes=172.17.0.0/16,192.168.15.0/24');
    for (const f of value.services.tailscale.extraUpFlags) expect(f).not.toMatch(/\s/);
    expect(value.boot.kernel.sysctl['net.core.somaxconn']).toEqual({
      _type: 'override',
      priority: 1000,
      content: 8192,
    });
    expect(value.networking.nftables.tables['tailnet-zones'].content).toContain('chain zone-dmz {');
  });

  it('evaluates the dispatcher: agents get the coordinator by MagicDNS name, the coordinator waits for tailscaled', () => {
    const byKey = (k: string) => all.find((m) => m.key === k);
    const agent = evaluate(byKey('http-dispatcher/nixos/agent-builder/default.nix') ?? all[0]) as unknown as Evaluated;
    const unit = agent.systemd.services['job-agent'] as unknown as Record<string, unknown>;
    expect(unit.environment).toMatchObject({ COORDINATOR_URL: 'http://coordinator.tail7d3e1f.ts.net:8080' });
    expect(unit.after).toEqual(['network-online.target', 'tailscaled-autoconnect.service', 'tailscaled.service']);
    const coordinator = evaluate(byKey('http-dispatcher/nixos/coordinator/default.nix') ?? all[0]) as unknown as {
      networking: { firewall: { interfaces: Record<string, { allowedTCPPorts: number[] }> } };
      systemd: { services: Record<string, { preStart: string; path: string[] }> };
    };
    expect(coordinator.systemd.services['job-coordinator'].preStart).toContain('tailscale ip -4');
    expect(coordinator.systemd.services['job-coordinator'].path).toEqual(['/stub/tailscale']);
    expect(coordinator.networking.firewall.interfaces.tailscale0.allowedTCPPorts).toEqual([8080, 9100, 9102]);
    const monitor = evaluate(byKey('http-dispatcher/nixos/monitor/default.nix') ?? all[0]) as unknown as {
      services: { grafana: { provision: { datasources: { settings: { datasources: { url: string }[] } } } } };
    };
    expect(monitor.services.grafana.provision.datasources.settings.datasources[0].url).toBe(
      'http://monitor.tail7d3e1f.ts.net:9090',
    );
  });

  it('prints strings Nix reads back unchanged (400 random strings, both string forms)', () => {
    const tricky = fc.array(fc.constantFrom('a', "'", '$', '{', '}', '\\', '"', '\n', ' ', '\t', "''", '${', '  '));
    const arbitrary = fc.oneof(
      fc.string({ unit: 'binary' }),
      tricky.map((a) => a.join('')),
      tricky.map((a) => `${a.join('')}\n`),
    );
    // NUL cannot be in a Nix string; CR is printed escaped but Nix normalises it when reading an indented string
    const list = fc.sample(arbitrary, { numRuns: 400, seed: 42 }).filter((t) => !t.includes('\u0000'));
    const r = nix(['--eval', '--strict', '--json', '-E', printNix(list)]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(list);
  });

  it.skipIf(!hasJq)(
    'runs the health-check script against a fake tailscale and exports grouped metrics with the thresholds',
    () => {
      const kernelcore = all.find((m) => m.key === 'kernelcore/nixos/kernelcore/default.nix');
      const value = evaluate(kernelcore ?? all[0]) as unknown as Evaluated;
      const dir = tmpDir('health');
      const script = (value.systemd.services['tailscale-health'].script as string).replaceAll(TEXTFILE_DIR, dir);
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'tailscale'), FAKE_TAILSCALE, { mode: 0o755 });
      const r = spawnSync('bash', ['-c', script], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      });
      expect(r.status, r.stderr).toBe(0);
      const metrics = fs.readFileSync(path.join(dir, 'tailscale_health.prom'), 'utf8');
      const peer = (name: string) => `{peer="${name}.tail4a2b9c.ts.net"}`;
      expect(metrics).toContain(`tailscale_health_ping_latency_seconds${peer('admin-console')} 0.012`);
      expect(metrics).toContain(`tailscale_health_ping_ok${peer('admin-console')} 1`);
      expect(metrics).toContain(`tailscale_health_ping_loss_ratio${peer('kernelcore-laptop')} 0.4`);
      expect(metrics).toContain(`tailscale_health_ping_ok${peer('kernelcore-laptop')} 0`);
      expect(metrics).toContain(`tailscale_health_ping_latency_seconds${peer('workstation')} NaN`);
      expect(metrics).toContain('tailscale_health_max_latency_seconds 0.15\n');
      expect(metrics).toContain('tailscale_health_netcheck_derp_latency_seconds 0.023\n');
      expectGroupedFamilies(metrics);
    },
  );
});

/** admin-console answers fast, kernelcore-laptop slowly and lossily, workstation not at all. */
const FAKE_TAILSCALE = `#!/bin/sh
if [ "$1" = netcheck ]; then echo '{"UDP":true,"PreferredDERP":4,"RegionLatency":{"4":23000000}}'; exit 0; fi
for peer; do :; done
case "$peer" in
  admin-console.*) for i in 1 2 3 4 5; do echo "pong from admin-console (100.64.0.9) via 192.168.1.2:41641 in 12ms"; done ;;
  kernelcore-laptop.*) echo 'ping "100.64.0.8" timed out'; echo 'ping "100.64.0.8" timed out'
    for i in 1 2 3; do echo "pong from kernelcore-laptop (100.64.0.8) via DERP(fra) in 300ms"; done ;;
  *) for i in 1 2 3 4 5; do echo 'ping "100.64.0.7" timed out'; done; echo 'no reply' >&2; exit 1 ;;
esac
`;

/** Prometheus text format: each family's HELP, TYPE and samples form one contiguous group. */
function expectGroupedFamilies(text: string): void {
  const seen: string[] = [];
  for (const line of text.trim().split('\n')) {
    const name = line.startsWith('#') ? line.split(' ')[2] : line.split(/[{ ]/)[0];
    if (seen[seen.length - 1] !== name) {
      expect(seen, `metric ${name} appears in two groups`).not.toContain(name);
      seen.push(name);
    }
  }
}
