import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Autogroup, Ip, NixosHost, Secret, Tag, TailnetApp, TailnetStack, Transport, WireguardPeer } from '../../src';
import { canReach, compilePolicy, parseInventory, validatePolicy } from '../../src/policy';
import { tmpDir } from '../helpers';

/**
 * For random meshes (hosts with random tags, random grants and ACLs between tags), every generated WireGuard table
 * accepts a (source, proto, port) exactly when the policy engine's packet evaluator (`canReach`) allows it. The
 * tables come from `DeviceAccess` (the per-device form of plan's access oracle), so this checks two code paths of
 * the engine against each other through the emitted nftables text.
 */
const TAGS = ['a', 'b', 'c'] as const;
const PORTS = [22, 80, 443, 8443] as const;
const PROTOS = ['tcp', 'udp'] as const;

const rule = fc.record({
  src: fc.constantFrom(...TAGS),
  dst: fc.constantFrom(...TAGS),
  proto: fc.constantFrom(...PROTOS),
  ports: fc.uniqueArray(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 3 }),
  acl: fc.boolean(),
});
const model = fc.record({
  hosts: fc.array(fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }), {
    minLength: 2,
    maxLength: 4,
  }),
  rules: fc.array(rule, { maxLength: 4 }),
});

type Model = typeof model extends fc.Arbitrary<infer T> ? T : never;

function synth(m: Model) {
  const app = new TailnetApp({ outdir: tmpDir('wg-prop'), cdktfOutdir: tmpDir('wg-prop') });
  const stack = new TailnetStack(app, 'prop', { transport: Transport.wireguard({ cidr: '10.77.0.0/24' }) });
  const tags = Object.fromEntries(TAGS.map((t) => [t, new Tag(stack, `T${t}`, { owners: [Autogroup.ADMIN] })]));
  m.hosts.forEach((hostTags, i) => {
    const host = new NixosHost(stack, `h${i}`, { tags: hostTags.map((t) => tags[t]) });
    WireguardPeer.of(host, {
      publicKey: Buffer.alloc(32, i + 1).toString('base64'),
      privateKey: Secret.sops(`wg/h${i}`),
      endpoint: `192.0.2.${i + 1}:51820`,
    });
  });
  m.rules.forEach((r, i) => {
    const ip = r.proto === 'tcp' ? Ip.tcp(...r.ports) : Ip.udp(...r.ports);
    if (r.acl) {
      stack.addAclRule(`R${i}`, { src: [tags[r.src]], dst: [{ target: tags[r.dst], ports: r.ports }], proto: r.proto });
    } else stack.addGrant(`R${i}`, { src: [tags[r.src]], dst: [tags[r.dst]], ip: [ip] });
  });
  return app.synthesize()[0];
}

function accepts(table: string, src: string, proto: string, port: number): boolean {
  return [...table.matchAll(/^\s*ip saddr (\S+) (tcp|udp) dport (\{ [^}]+ \}|\S+) accept$/gm)].some(
    (m) =>
      m[1] === src &&
      m[2] === proto &&
      m[3]
        .replace(/[{}]/g, '')
        .split(',')
        .some((item) => {
          const [a, b] = item.trim().split('-').map(Number);
          return a <= port && port <= (b ?? a);
        }),
  );
}

describe('WireGuard enforcement = the policy engine', () => {
  it('every table accepts exactly what canReach allows', () => {
    fc.assert(
      fc.property(model, (m) => {
        const r = synth(m);
        const { policy } = validatePolicy(
          { text: r.files.get('policy.hujson') ?? '', file: 'policy.hujson' },
          { dialect: 'tailscale' },
        );
        const { inventory } = parseInventory({ text: r.files.get('devices.json') ?? '', file: 'devices.json' });
        if (!policy || !inventory) throw new Error('policy or inventory does not parse');
        const compiled = compilePolicy(policy, inventory);
        const peers = r.ir.wireguard?.peers ?? [];
        for (const dst of peers) {
          const table = r.files.get(`wireguard/${dst.name}/wg0.nft`) ?? '';
          for (const src of peers.filter((p) => p !== dst)) {
            for (const proto of PROTOS) {
              for (const port of PORTS) {
                const allowed = canReach(compiled, {
                  src: `${src.name}.${r.ir.magicDnsSuffix}`,
                  dst: `${dst.name}.${r.ir.magicDnsSuffix}`,
                  proto,
                  port,
                }).allowed;
                expect(accepts(table, src.address, proto, port), `${src.name}->${dst.name} ${proto}/${port}`).toBe(
                  allowed,
                );
              }
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
