import type { NixAttrs, NixValue } from '../../core/canonical/nix';
import type { NixosHostIr, TailscaleHostIr } from '../../ir/nixos';
import type { StackIr } from '../../ir/types';
import { secretPathRef } from './secrets';

/**
 * `services.tailscale` of a host (facts/nixos.md §1). There are no options for hostname, routes, exit node, DNS or
 * SSH: they are `tailscale` CLI flags.
 * - `extraSetFlags` run as `tailscale set …` on every boot/switch: the settings that must always hold. Every managed
 *   setting is written with its value, so switching one off in the stack switches it off on the host.
 * - `extraUpFlags` are used only by `tailscaled-autoconnect`, i.e. only with `authKeyFile`, and only at login
 *   (nixpkgs#276912). They carry the `up`-only flags (`--login-server`, `--advertise-tags`) plus the set flags, since
 *   a later re-login with `tailscale up` fails unless it mentions every non-default setting (nixpkgs#509367).
 * - Every element is one shell word: `--login-server=https://…`, never `--login-server https://…` (nixpkgs#399572).
 */
export function setFlags(host: NixosHostIr): string[] {
  const t: TailscaleHostIr = host.tailscale;
  return [
    `--hostname=${host.name}`,
    `--accept-dns=${t.acceptDns}`,
    `--accept-routes=${t.acceptRoutes}`,
    `--advertise-exit-node=${t.advertiseExitNode}`,
    `--advertise-routes=${t.advertiseRoutes.join(',')}`,
    `--exit-node=${t.useExitNode ?? ''}`,
    `--exit-node-allow-lan-access=${t.exitNodeAllowLanAccess}`,
    `--ssh=${t.ssh}`,
    ...(t.operator ? [`--operator=${t.operator}`] : []),
  ];
}

export function upFlags(ir: StackIr, host: NixosHostIr): string[] {
  const server = loginServer(ir, host);
  return [
    ...(server ? [`--login-server=${server}`] : []),
    ...(host.tags.length > 0 ? [`--advertise-tags=${host.tags.join(',')}`] : []),
    ...setFlags(host),
  ];
}

/** `server` for subnet routers and exit nodes (forwarding sysctls), `client` for hosts using them (loose rp filter). */
export function routingFeatures(t: TailscaleHostIr): 'none' | 'client' | 'server' | 'both' {
  const server = t.advertiseExitNode || t.advertiseRoutes.length > 0;
  const client = t.useExitNode !== undefined || t.acceptRoutes;
  return server && client ? 'both' : server ? 'server' : client ? 'client' : 'none';
}

export function tailscaleOptions(ir: StackIr, host: NixosHostIr): NixAttrs {
  const t = host.tailscale;
  const attrs: Record<string, NixValue> = {
    enable: true,
    // UDP port open in the NixOS firewall: direct (non-DERP) connections over the LAN and internet
    openFirewall: true,
    useRoutingFeatures: routingFeatures(t),
    extraSetFlags: setFlags(host),
  };
  if (t.port !== 41641) attrs.port = t.port;
  if (t.interfaceName !== 'tailscale0') attrs.interfaceName = t.interfaceName;
  if (t.authKey) {
    attrs.authKeyFile = secretPathRef(t.authKey);
    // an OAuth client secret becomes an auth key with these parameters appended (`?ephemeral=…&preauthorized=…`)
    if (t.authKeyParameters) attrs.authKeyParameters = { ...t.authKeyParameters };
    attrs.extraUpFlags = upFlags(ir, host);
  }
  return attrs;
}

/** Comment lines for the module header: what happens at first login. */
export function loginNotes(ir: StackIr, host: NixosHostIr): string[] {
  if (host.tailscale.authKey) {
    return [
      `First login is unattended: tailscaled-autoconnect runs tailscale up with the ${host.tailscale.authKeyParameters ? 'OAuth client secret' : 'auth key'} from ${describeSecret(host)}.`,
    ];
  }
  return [
    'No auth key: log in once by hand (extraUpFlags are only used with an auth key, nixpkgs#276912):',
    `  sudo tailscale up ${upFlags(ir, host).join(' ')}`,
  ];
}

function describeSecret(host: NixosHostIr): string {
  const k = host.tailscale.authKey;
  if (!k) return '';
  return k.kind === 'file' ? k.path : `${k.kind === 'sops' ? 'sops-nix' : 'agenix'} secret "${k.name}"`;
}

/** The MagicDNS suffix of the stack's devices: Headscale's base domain, else the stack's tailnet suffix. */
export function magicDnsSuffix(ir: StackIr): string {
  return ir.controlServer.kind === 'headscale'
    ? ir.controlServer.dns.baseDomain
    : (ir.magicDnsSuffix ?? 'tailnet.ts.net');
}

/** The host's control server: its own `loginServer`, else the stack's Headscale URL, else Tailscale's default. */
export function loginServer(ir: StackIr, host: NixosHostIr): string | undefined {
  return host.tailscale.loginServer ?? (ir.controlServer.kind === 'headscale' ? ir.controlServer.url : undefined);
}

export function fqdn(ir: StackIr, hostName: string): string {
  return `${hostName}.${magicDnsSuffix(ir)}`;
}
