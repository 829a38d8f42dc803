import { NIXOS_CODES } from '../../constructs/nixos/codes';
import { validPort } from '../../constructs/wireguard';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import { wireguardAccess } from '../../emit/wireguard/access';
import { type IpRange, isExitRoute, parseIp, parsePrefix, rangesOverlap, TAILNET_V4 } from '../../policy/ip';
import type { StackIr } from '../types';
import { cidrHosts, type WireguardIr } from '../wireguard';

/**
 * WireGuard mode checks (docs/wireguard.md): the transport's own settings, room and overlaps of its CIDR, every
 * declared host being a peer, peers that could never connect, and the Tailscale-only features a WireGuard mesh
 * cannot provide. Cross-stack overlaps are `wireguardStackOverlaps`, run by the synth driver over all stacks.
 */
const INTERFACE_NAME = /^[A-Za-z0-9_.=+-]{1,15}$/;

export function wireguardProblems(ir: StackIr): Diagnostic[] {
  const wg = ir.wireguard;
  if (!wg) return [];
  const settings = transportProblems(wg);
  // with an unusable CIDR every later check would only repeat it
  if (settings.length > 0) return settings;
  return [
    ...roomAndAddresses(wg),
    ...overlaps(ir, wg),
    ...missingPeers(ir, wg),
    ...unreachablePairs(ir),
    ...tailscaleOnly(ir),
  ];
}

function transportProblems(wg: WireguardIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = wg.source.path;
  const bad = (message: string, hint: string) => out.push(diag(NIXOS_CODES.invalidTransport, at, message, hint));
  const prefix = parsePrefix(wg.cidr);
  if (!prefix || prefix.family !== 4 || !wg.cidr.includes('/') || formatNetwork(prefix, wg.cidr) !== wg.cidr) {
    bad(
      `transport cidr: "${wg.cidr}" is not an IPv4 network in CIDR form`,
      'e.g. 10.77.0.0/24 (IPv6 meshes are not supported yet)',
    );
  }
  if (!INTERFACE_NAME.test(wg.interfaceName)) {
    bad(`transport interfaceName: "${wg.interfaceName}" is not a Linux interface name`, 'e.g. wg0');
  }
  if (!validPort(wg.listenPort)) bad(`transport listenPort: ${wg.listenPort} is outside 1-65535`, 'e.g. 51820');
  if (wg.persistentKeepalive !== undefined && !validPort(wg.persistentKeepalive)) {
    bad(`transport persistentKeepalive: ${wg.persistentKeepalive} is outside 1-65535 seconds`, 'e.g. 25');
  }
  const seen = new Set<string>();
  for (const p of wg.peers) {
    if (seen.has(p.name)) {
      out.push(
        diag(NIXOS_CODES.invalidTransport, p.source.path, `host "${p.name}" has two WireGuard peers`, 'keep one'),
      );
    }
    seen.add(p.name);
  }
  return out;
}

/** parsePrefix accepts host bits; the network text shows whether the author wrote the network itself. */
function formatNetwork(r: IpRange, cidr: string): string {
  const v = r.first;
  const octets = [24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 255n));
  return `${octets.join('.')}/${cidr.split('/')[1]}`;
}

function roomAndAddresses(wg: WireguardIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hosts = cidrHosts(wg.cidr);
  const homeless = wg.peers.filter((p) => p.address === '');
  if (hosts && homeless.length > 0) {
    out.push(
      diag(
        NIXOS_CODES.wireguardCidrTooSmall,
        wg.source.path,
        `transport cidr "${wg.cidr}" has ${hosts.count} usable addresses for ${wg.peers.length} peers (no room for ${homeless.map((p) => `"${p.name}"`).join(', ')})`,
        'choose a larger network, e.g. a /24',
      ),
    );
  }
  const byAddress = new Map<string, string>();
  for (const p of wg.peers) {
    if (p.address === '') continue;
    const ip = parseIp(p.address);
    const inside = ip && hosts && ip.family === 4 && ip.value >= hosts.first && ip.value < hosts.first + hosts.count;
    if (p.explicitAddress && !inside) {
      out.push(
        diag(
          NIXOS_CODES.wireguardAddress,
          p.source.path,
          `address: "${p.address}" is not a usable host address of ${wg.cidr}`,
          'give an address inside the transport cidr (not its network or broadcast address), or none',
        ),
      );
    }
    const other = byAddress.get(p.address);
    if (other !== undefined) {
      out.push(
        diag(
          NIXOS_CODES.wireguardAddress,
          p.source.path,
          `address: "${p.address}" is also the address of "${other}"`,
          'give each peer its own address, or leave it out to have one derived',
        ),
      );
    }
    byAddress.set(p.address, p.name);
  }
  return out;
}

/** Other networks the mesh must not overlap: routes, named hosts/networks of the policy, the tailnet range, endpoints. */
function overlaps(ir: StackIr, wg: WireguardIr): Diagnostic[] {
  const mesh = parsePrefix(wg.cidr);
  if (!mesh) return [];
  const out: Diagnostic[] = [];
  const against = (text: string, what: string, path: string) => {
    const r = parsePrefix(text) ?? (parseIp(text) && parsePrefix(`${text}/${text.includes(':') ? 128 : 32}`));
    if (!r || !rangesOverlap(r, mesh)) return;
    out.push(
      diag(
        NIXOS_CODES.wireguardCidrOverlap,
        path,
        `transport cidr "${wg.cidr}" overlaps ${what} "${text}"`,
        'choose a WireGuard network that no route, named network or underlay address uses',
      ),
    );
  };
  for (const d of ir.devices)
    for (const r of subnetRoutes(d.advertisedRoutes)) against(r, `the route of "${d.name}"`, d.source.path);
  for (const h of ir.policy.hosts) against(h.address, `the policy host "${h.name}"`, h.source.path);
  if (rangesOverlap(mesh, TAILNET_V4)) {
    out.push(
      diag(
        NIXOS_CODES.wireguardCidrOverlap,
        wg.source.path,
        `transport cidr "${wg.cidr}" overlaps the tailnet range 100.64.0.0/10 that the declared inventory gives its devices`,
        'use a private range such as 10.77.0.0/24',
      ),
    );
  }
  for (const p of wg.peers) {
    const host = p.endpoint?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (host && parseIp(host)) against(host, `the endpoint of "${p.name}"`, p.source.path);
  }
  return out;
}

/** Every declared device (NixOS hosts included) must be a peer: in WireGuard mode it has no other way in. */
function missingPeers(ir: StackIr, wg: WireguardIr): Diagnostic[] {
  const peers = new Set(wg.peers.map((p) => p.name));
  const hostPaths = new Map(ir.nixos.hosts.map((h) => [h.name, h.source.path]));
  return ir.devices
    .filter((d) => !peers.has(d.name))
    .map((d) =>
      diag(
        NIXOS_CODES.wireguardKey,
        hostPaths.get(d.name) ?? d.source.path,
        `host "${d.name}" has no WireGuard public key: it is not a peer of the mesh`,
        'add WireguardPeer.of(host, { publicKey, privateKey, endpoint })',
      ),
    );
}

/** Two peers the policy lets talk, neither with an endpoint: neither can send the first handshake. */
function unreachablePairs(ir: StackIr): Diagnostic[] {
  const access = wireguardAccess(ir);
  if (!access) return [];
  const peers = access.wireguard.peers;
  const out: Diagnostic[] = [];
  for (const [i, a] of peers.entries()) {
    for (const b of peers.slice(i + 1)) {
      if (a.endpoint !== undefined || b.endpoint !== undefined || !access.talks(a.name, b.name)) continue;
      out.push(
        diag(
          NIXOS_CODES.wireguardEndpoint,
          b.source.path,
          `"${a.name}" and "${b.name}" may talk by the policy but neither has an endpoint, so neither can reach the other`,
          'give one of them an endpoint (host:port on the underlay network)',
        ),
      );
    }
  }
  return out;
}

/** Features that exist only on a Tailscale control plane; each is named where it is declared. */
function tailscaleOnly(ir: StackIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  const c = NIXOS_CODES;
  const add = (code: typeof c.wireguardSsh, path: string, message: string, hint: string) =>
    out.push(diag(code, path, message, hint));
  const svcHint = 'reach the host by its WireGuard address and a grant to the host itself';
  for (const g of [...ir.policy.grants, ...ir.policy.acls]) {
    for (const d of g.dst.filter((x) => x.startsWith('svc:')))
      add(
        c.wireguardServices,
        g.source.path,
        `Tailscale Service "${d.split(':').slice(0, 2).join(':')}" in WireGuard mode`,
        svcHint,
      );
    for (const d of g.dst.filter((x) => x.startsWith('autogroup:internet')))
      add(
        c.wireguardRouting,
        g.source.path,
        `"${d}" (exit nodes) in WireGuard mode: the mesh carries no internet traffic`,
        'drop the grant; an air-gapped site has no exit node',
      );
  }
  for (const a of ir.policy.autoApprovers.filter((x) => x.kind === 'service'))
    add(
      c.wireguardServices,
      a.source.path,
      `auto-approval of Tailscale Service "${a.target ?? ''}" in WireGuard mode`,
      svcHint,
    );
  for (const h of ir.nixos.hosts) {
    for (const p of h.proxies) {
      if (p.reach.kind === 'service')
        add(
          c.wireguardServices,
          p.source.path,
          `proxy "${p.name}" is reached as Tailscale Service "${p.reach.service}"`,
          'use Reach.port(…) or Reach.customDomain(…)',
        );
      else if (p.reach.kind !== 'customDomain' || p.tls.kind === 'tailscale')
        add(
          c.wireguardMagicDns,
          p.source.path,
          `proxy "${p.name}" is served under the MagicDNS name of "${h.name}", which does not exist in WireGuard mode`,
          'use Reach.customDomain(…) with a name your site DNS resolves to the WireGuard address, and no Tailscale TLS',
        );
    }
    if (h.tailscale.ssh)
      add(
        c.wireguardSsh,
        h.source.path,
        `host "${h.name}" runs Tailscale SSH, which needs tailscaled`,
        'drop ssh: true and grant tcp:22 to the admins (OpenSSH)',
      );
    if (h.tailscale.useExitNode)
      add(
        c.wireguardRouting,
        h.source.path,
        `host "${h.name}" uses exit node "${h.tailscale.useExitNode}" in WireGuard mode`,
        'drop useExitNode',
      );
  }
  for (const r of ir.policy.ssh)
    add(
      c.wireguardSsh,
      r.source.path,
      'Tailscale SSH rule in WireGuard mode: nothing would enforce it',
      'grant tcp:22 instead and let OpenSSH authenticate',
    );
  for (const t of ir.policy.sshTests)
    add(
      c.wireguardSsh,
      t.source.path,
      'Tailscale SSH test in WireGuard mode',
      'test tcp:22 with stack.expect(…) instead',
    );
  for (const d of ir.devices) {
    if (d.exitNode)
      add(c.wireguardRouting, d.source.path, `"${d.name}" offers an exit node in WireGuard mode`, 'drop exitNode');
    const routes = subnetRoutes(d.advertisedRoutes);
    if (routes.length > 0)
      add(
        c.wireguardRouting,
        d.source.path,
        `"${d.name}" advertises subnet routes ${routes.map((r) => `"${r}"`).join(', ')}: WireGuard mode does not route subnets`,
        'drop advertiseRoutes; put the machines of that subnet in the mesh as peers',
      );
  }
  for (const m of ir.nixos.monitoring)
    add(
      c.wireguardMagicDns,
      m.source.path,
      `monitoring scrapes its targets by MagicDNS name ("${m.targets[0] ?? ''}.${ir.magicDnsSuffix}"), which does not exist in WireGuard mode`,
      'scrape by WireGuard address outside this construct, or drop it',
    );
  for (const s of ir.sshConfig.hosts)
    add(
      c.wireguardMagicDns,
      s.source.path,
      `SSH client entry for "${s.hostname}" connects by MagicDNS name`,
      'drop SshAccess in WireGuard mode; use the WireGuard address',
    );
  if (ir.controlServer.kind !== 'tailscale')
    add(
      c.invalidTransport,
      ir.source.path,
      'a Headscale control server has no role in WireGuard mode',
      'drop controlServer or the WireGuard transport',
    );
  return out;
}

/** The same WireGuard network declared by two stacks (e.g. two sites meant to be joined later) overlaps. */
export function wireguardStackOverlaps(irs: readonly StackIr[]): Diagnostic[] {
  const meshes = irs.flatMap((ir) => {
    const r = ir.wireguard && parsePrefix(ir.wireguard.cidr);
    return r && ir.wireguard ? [{ ir, wg: ir.wireguard, r }] : [];
  });
  const out: Diagnostic[] = [];
  for (const [i, a] of meshes.entries()) {
    for (const b of meshes.slice(i + 1)) {
      if (!rangesOverlap(a.r, b.r)) continue;
      out.push(
        diag(
          NIXOS_CODES.wireguardCidrOverlap,
          b.wg.source.path,
          `transport cidr "${b.wg.cidr}" overlaps "${a.wg.cidr}" of stack "${a.ir.name}"`,
          'give each WireGuard mesh its own network',
        ),
      );
    }
  }
  return out;
}

/** Advertised routes without the exit-node routes (0.0.0.0/0, ::/0), which are reported as the exit node. */
function subnetRoutes(routes: readonly string[]): string[] {
  return routes.filter((r) => {
    const range = parsePrefix(r);
    return !range || !isExitRoute(range);
  });
}
