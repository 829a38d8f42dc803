import { describe, expect, it } from 'vitest';
import { Ip, NixosHost, TailnetApp } from '../../../src';
import type { StackSynthesis } from '../../../src/core/synth';
import { wireguardAccess } from '../../../src/emit/wireguard';
import { canReach, compilePolicy, parseInventory, validatePolicy } from '../../../src/policy';
import { ClawbernetesAirgappedStack } from '../../../stacks/clawbernetes-airgapped';
import { tmpDir } from '../../helpers';
import { mesh, parseWgQuick, peer, WG_QUICK_KEYS } from './helpers';

function airgapped(): StackSynthesis {
  const app = new TailnetApp({ outdir: tmpDir('wg-out'), cdktfOutdir: tmpDir('wg-cdktf') });
  new ClawbernetesAirgappedStack(app);
  const [r] = app.synthesize();
  return r;
}

const HOSTS = ['admin-ws', 'gateway-1', 'gateway-2', 'gpu-1', 'gpu-2'];

/** The rules of a generated wg0.nft as (source address, proto, port ranges) — the format nft.ts writes. */
function nftAccepts(text: string): (src: string, proto: 'tcp' | 'udp', port: number) => boolean {
  const rules = [...text.matchAll(/^\s*ip saddr (\S+) (tcp|udp) dport (\{ [^}]+ \}|\S+) accept$/gm)].map((m) => ({
    src: m[1],
    proto: m[2],
    ranges: m[3]
      .replace(/[{}]/g, '')
      .split(',')
      .map((s) => s.trim().split('-').map(Number))
      .map(([a, b]) => [a, b ?? a]),
  }));
  return (src, proto, port) =>
    rules.some((r) => r.src === src && r.proto === proto && r.ranges.some(([a, b]) => a <= port && port <= b));
}

describe('the clawbernetes-airgapped stack in WireGuard mode', () => {
  const r = airgapped();

  it('writes a wg-quick file and an nftables table per host, a NixOS module per NixOS host, and no Terraform', () => {
    const paths = [...r.files.keys()].filter((p) => /^(wireguard|nixos)\//.test(p)).sort();
    expect(paths).toEqual([
      ...['gateway-1', 'gateway-2', 'gpu-1', 'gpu-2'].map((h) => `nixos/${h}/default.nix`),
      ...HOSTS.flatMap((h) => [`wireguard/${h}/wg0.conf`, `wireguard/${h}/wg0.nft`]),
    ]);
    expect(r.ir.terraform.enabled).toBe(false);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('wg-quick files are INI with only documented keys, and never hold a private key', () => {
    for (const h of HOSTS) {
      const text = r.files.get(`wireguard/${h}/wg0.conf`) ?? '';
      const ini = parseWgQuick(text);
      expect(ini.sections[0].name).toBe('Interface');
      for (const s of ini.sections) {
        expect(Object.keys(WG_QUICK_KEYS)).toContain(s.name);
        for (const [k] of s.entries) expect(WG_QUICK_KEYS[s.name as keyof typeof WG_QUICK_KEYS]).toContain(k);
      }
      expect(text).not.toMatch(/PrivateKey/);
      const iface = Object.fromEntries(ini.sections[0].entries);
      expect(iface.PostUp).toMatch(/^wg set %i private-key \/(run\/secrets\/wireguard\/|etc\/wireguard\/)/);
      expect(iface.PreUp).toBe('nft -f /etc/wireguard/wg0.nft');
      expect(iface.Address).toMatch(/^10\.77\.0\.\d+\/24$/);
    }
  });

  it('addresses are distinct, inside the CIDR, and the explicit one is kept', () => {
    const peers = r.ir.wireguard?.peers ?? [];
    expect(peers.map((p) => p.name)).toEqual(HOSTS);
    expect(new Set(peers.map((p) => p.address)).size).toBe(HOSTS.length);
    for (const p of peers) expect(p.address).toMatch(/^10\.77\.0\.(\d+)$/);
    expect(peers.find((p) => p.name === 'admin-ws')?.address).toBe('10.77.0.10');
  });

  it('each nftables table accepts exactly what the policy engine (canReach) allows, per source and port', () => {
    const policy = validatePolicy(
      { text: r.files.get('policy.hujson') ?? '', file: 'policy.hujson' },
      { dialect: 'tailscale' },
    ).policy;
    const { inventory } = parseInventory({ text: r.files.get('devices.json') ?? '', file: 'devices.json' });
    if (!policy || !inventory) throw new Error('policy or inventory does not parse');
    const compiled = compilePolicy(policy, inventory);
    const peers = r.ir.wireguard?.peers ?? [];
    const probes: ['tcp' | 'udp', number][] = [22, 80, 443, 7946, 8080, 8443, 9999].map((p) => ['tcp', p]);
    probes.push(['udp', 7946], ['udp', 8443]);
    let allowed = 0;
    for (const dst of peers) {
      const accepts = nftAccepts(r.files.get(`wireguard/${dst.name}/wg0.nft`) ?? '');
      for (const src of peers.filter((p) => p !== dst)) {
        for (const [proto, port] of probes) {
          const engine = canReach(compiled, {
            src: `${src.name}.${r.ir.magicDnsSuffix}`,
            dst: `${dst.name}.${r.ir.magicDnsSuffix}`,
            proto,
            port,
          }).allowed;
          expect(accepts(src.address, proto, port), `${src.name} -> ${dst.name} ${proto}/${port}`).toBe(engine);
          if (engine) allowed++;
        }
      }
    }
    // gateways → 2 providers:8443 (4), providers → 2 gateways:8080 (4), gateway gossip tcp+udp (4), admin ssh (4)
    // and dashboard (2)
    expect(allowed).toBe(18);
  });

  it('configures as WireGuard peers only the pairs the policy lets talk (providers never hold each other)', () => {
    const gpu1 = parseWgQuick(r.files.get('wireguard/gpu-1/wg0.conf') ?? '');
    const keys = gpu1.sections.filter((s) => s.name === 'Peer').map((s) => Object.fromEntries(s.entries).PublicKey);
    const gpu2 = r.ir.wireguard?.peers.find((p) => p.name === 'gpu-2');
    expect(keys).toHaveLength(3);
    expect(keys).not.toContain(gpu2?.publicKey);
  });

  it('the NixOS module sets networking.wireguard.interfaces.wg0 from the secret path and loads the same table', () => {
    const m = r.files.get('nixos/gpu-1/default.nix') ?? '';
    expect(m).toContain('networking.wireguard.interfaces.wg0 = {');
    expect(m).toContain('privateKeyFile = config.sops.secrets."wireguard/gpu-1".path;');
    expect(m).toContain('trustedInterfaces = [ "wg0" ];');
    expect(m).not.toContain('services.tailscale');
    const table = r.files.get('wireguard/gpu-1/wg0.nft') ?? '';
    expect(m).toContain('ip saddr 10.77.0.10 tcp dport 22 accept');
    expect(table).toContain('ip saddr 10.77.0.10 tcp dport 22 accept');
  });
});

describe('WireGuard addresses', () => {
  it('are derived from the hostname: adding a host renumbers no other', () => {
    const build = (extra: boolean) => {
      const m = mesh();
      for (const name of ['a', 'b', 'c', ...(extra ? ['d'] : [])])
        peer(new NixosHost(m.stack, name, { tags: [m.server] }));
      const [r] = m.app.synthesize();
      return Object.fromEntries((r.ir.wireguard?.peers ?? []).map((p) => [p.name, p.address]));
    };
    const before = build(false);
    const after = build(true);
    expect(after).toMatchObject(before);
    expect(Object.keys(after)).toHaveLength(4);
  });

  it('the access computation is the engine over the declared devices (Tailscale addresses never leak in)', () => {
    const m = mesh();
    const a = new NixosHost(m.stack, 'A', { tags: [m.server] });
    const b = new NixosHost(m.stack, 'B', { tags: [m.client] });
    peer(a);
    peer(b);
    m.stack.addGrant('G', { src: [m.client], dst: [m.server], ip: [Ip.udp(53)] });
    const [r] = m.app.synthesize();
    const access = wireguardAccess(r.ir);
    const inbound = access?.inbound.get('a') ?? [];
    expect(inbound.map((x) => x.src.name)).toEqual(['b']);
    expect(inbound[0].ranges).toEqual([
      { proto: 1, first: 0, last: 65535 },
      { proto: 17, first: 53, last: 53 },
    ]);
    expect(r.files.get('wireguard/a/wg0.nft')).not.toMatch(/100\.\d+\.\d+\.\d+/);
  });
});
