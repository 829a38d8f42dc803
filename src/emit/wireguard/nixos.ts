import { type NixAttrs, type NixValue, nix } from '../../core/canonical/nix';
import type { NixosHostIr, SecretRefIr } from '../../ir/nixos';
import type { StackIr } from '../../ir/types';
import { secretDeclarations, secretPathRef } from '../nixos/secrets';
import { wireguardAccess } from './access';
import { configuredPeers, prefixLength } from './conf';
import { WIREGUARD_TABLE, wireguardTableBody } from './nft';

/**
 * In WireGuard mode, what replaces `services.tailscale` in a NixOS host's module: the interface
 * (`networking.wireguard.interfaces.<name>`: ips, listenPort, privateKeyFile, peers with publicKey, allowedIPs,
 * endpoint, persistentKeepalive — option names read from nixpkgs' nixos/modules/services/networking/wireguard.nix,
 * docs/wireguard.md), the enforcement table, and the NixOS firewall set to trust the interface (the table filters
 * it) and to let the WireGuard port in on the underlay.
 */
export function wireguardNixosPart(ir: StackIr, host: NixosHostIr): NixAttrs {
  const access = wireguardAccess(ir);
  const peer = access?.wireguard.peers.find((p) => p.kind === 'nixos' && p.name === host.name);
  if (!access || !peer) return {}; // a host without a peer is reported by the wireguard IR rule
  const wg = access.wireguard;
  const peers = configuredPeers(access, peer).map(
    (q): NixValue =>
      nix.comment([`${q.name} (${q.source.path})`], {
        publicKey: q.publicKey,
        allowedIPs: [`${q.address}/32`],
        ...(q.endpoint !== undefined ? { endpoint: q.endpoint } : {}),
        ...(wg.persistentKeepalive !== undefined && q.endpoint !== undefined
          ? { persistentKeepalive: wg.persistentKeepalive }
          : {}),
      }),
  );
  const iface: NixAttrs = {
    ips: [`${peer.address}/${prefixLength(wg.cidr)}`],
    listenPort: peer.listenPort,
    privateKeyFile: secretPathRef(peer.privateKey),
    peers,
  };
  const table = { family: WIREGUARD_TABLE.family, content: wireguardTableBody(access, peer) };
  return {
    networking: {
      wireguard: { interfaces: { [wg.interfaceName]: nix.comment([peer.source.path], iface) } },
      nftables: {
        enable: true,
        tables: { [WIREGUARD_TABLE.name]: nix.comment([`${wg.source.path} access rules (policy engine)`], table) },
      },
      firewall: { trustedInterfaces: [wg.interfaceName], allowedUDPPorts: [peer.listenPort] },
    },
    ...secretDeclarations([peer.privateKey]),
  };
}

/** The private key file of the host's WireGuard peer, for the module header's "needs sops-nix/agenix" note. */
export function wireguardSecrets(ir: StackIr, host: NixosHostIr): SecretRefIr[] {
  const peer = ir.wireguard?.peers.find((p) => p.kind === 'nixos' && p.name === host.name);
  return peer ? [peer.privateKey] : [];
}
