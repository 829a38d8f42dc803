import { describe, expect, it } from 'vitest';
import { AuthKey, Monitoring, TuningPreset } from '../../../src';
import { IrTemplate } from '../../../src/core/testing';
import { synthDiagnostics } from '../../helpers';
import { fixture, host, synth } from './helpers';

/** Issue 4 §3–4: sysctl tuning without duplicate keys; monitoring over the tailnet with its grant and health check. */
describe('Monitoring', () => {
  function monitored(props: Partial<ConstructorParameters<typeof Monitoring>[2]> = {}) {
    const f = fixture();
    const prom = host(f, { authKey: AuthKey.sops('ts'), tailscaleIpv4: '100.64.0.1' }, 'Prom');
    const laptop = host(f, { tags: [f.client] }, 'Laptop');
    new Monitoring(f.stack, 'Mon', { prometheus: prom, targets: [prom, laptop], ...props });
    return f;
  }

  it('grants Prometheus (by its identity) the node exporter port on every target', () => {
    new IrTemplate(synth(monitored()).ir).hasGrant({
      source: { path: 'test/Mon/Scrape' },
      src: ['tag:server'],
      dst: ['100.64.0.1', 'tag:client'],
      ip: ['tcp:9100'],
    });
  });

  it('scrapes targets by MagicDNS name and binds the exporter to a declared Tailscale address after autoconnect', () => {
    const { files } = synth(monitored());
    const prom = files.get('nixos/prom/default.nix') ?? '';
    expect(prom).toContain('targets = [ "laptop.example.ts.net:9100" "prom.example.ts.net:9100" ];');
    expect(prom).toContain('listenAddress = "100.64.0.1";');
    expect(prom).toContain(
      'systemd.services.prometheus-node-exporter = {\n    after = [ "tailscaled-autoconnect.service" ];',
    );
    const laptop = files.get('nixos/laptop/default.nix') ?? '';
    expect(laptop).toContain('listenAddress = "0.0.0.0";');
    expect(laptop).not.toContain('scrapeConfigs');
  });

  it('refuses a health check without peers or with a loss threshold above 100%', () => {
    const f = monitored({ healthCheck: { peers: [], maxLossPercent: 120 } });
    expect(synthDiagnostics(f.app).map((d) => `${d.code} ${d.message}`)).toEqual([
      'TN2018 healthCheck.maxLossPercent: 120 is not 0-100',
      'TN2018 healthCheck.peers is empty',
    ]);
  });

  it('health-check peers exclude the host itself; thresholds become seconds and ratios', () => {
    const f = fixture();
    const a = host(f, {}, 'A');
    const b = host(f, {}, 'B');
    new Monitoring(f.stack, 'Mon', {
      prometheus: a,
      targets: [a, b],
      healthCheck: { peers: [a, b], maxLatencyMs: 150, maxLossPercent: 10, count: 3 },
    });
    const module = synth(f).files.get('nixos/a/default.nix') ?? '';
    expect(module).toContain('for peer in b.example.ts.net; do');
    expect(module).toContain('max_latency=0.15\n');
    expect(module).toContain('max_loss=0.1\n');
    expect(module).toContain('tailscale ping --until-direct=false -c 3 --timeout 2s "$peer"');
    expect(module).toContain('OnUnitActiveSec = "5min";');
  });

  it('refuses a Prometheus host that does not accept the tailnet DNS', () => {
    const f = fixture();
    const a = host(f, { acceptDns: false }, 'A');
    new Monitoring(f.stack, 'Mon', { prometheus: a, targets: [a] });
    const [d] = synthDiagnostics(f.app);
    expect(d).toMatchObject({ code: 'TN2018', path: 'test/Mon' });
    expect(d.message).toContain('cannot resolve the MagicDNS names it scrapes');
  });
});

describe('Tuning', () => {
  it('presets as lib.mkDefault, rmem/wmem plain (highest wins), one definition per key', () => {
    const f = fixture();
    const h = host(f);
    h.addTuning('A', { presets: [TuningPreset.NETWORK_THROUGHPUT, TuningPreset.WEB_PROXY] });
    h.addTuning('B', { settings: { 'net.core.somaxconn': 8192 }, priority: 'force' });
    const module = synth(f).files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain('"net.core.rmem_max" = 7500000;');
    expect(module).toContain('"net.core.netdev_max_backlog" = lib.mkDefault 16384;');
    expect(module.match(/net\.core\.somaxconn/g)).toHaveLength(1);
  });

  it('forces a value with priority force', () => {
    const f = fixture();
    host(f).addTuning('A', { settings: { 'vm.swappiness': 10 }, priority: 'force' });
    expect(synth(f).files.get('nixos/web/default.nix')).toContain(
      '  # test/Web/A\n  boot.kernel.sysctl = {\n    "vm.swappiness" = lib.mkForce 10;\n  };',
    );
  });
});
