import { createHash } from 'node:crypto';
import { z } from 'zod';
import { compareStrings } from '../core/diagnostics';
import { formatIp, parsePrefix } from '../policy/ip';
import { SecretRefSchema } from './nixos';

/**
 * IR of a stack in WireGuard mode (the optional `wireguard` field of `StackSchema`): one WireGuard interface per
 * peer, a full mesh over the declared CIDR. Access control is not here: the emitter asks the policy engine, over
 * the same declared inventory as devices.json, which sources reach which ports of each peer (docs/wireguard.md).
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();

/** peers: sorted by name (the hostname, which is also the device's name in the inventory) */
export const WireguardPeerSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    /** `nixos`: a NixosHost (gets `networking.wireguard.interfaces`); `linux`: a plain device (wg-quick only) */
    kind: z.enum(['nixos', 'linux']),
    /** the peer's address inside the CIDR, without prefix length; '' when the CIDR had no room (an IR rule reports it) */
    address: z.string(),
    /** true when the author gave the address; false when lowering derived it from the name */
    explicitAddress: z.boolean(),
    /** base64 Curve25519 public key (`wg pubkey`) */
    publicKey: z.string(),
    /** `host:port` other peers send to; absent for peers that only dial out (roaming, behind NAT) */
    endpoint: z.string().optional(),
    privateKey: SecretRefSchema,
    /** UDP port this peer listens on (the stack's unless the peer overrides it) */
    listenPort: z.number().int(),
  })
  .readonly();

export const WireguardSchema = z
  .object({
    source: SourceSchema,
    cidr: z.string(),
    interfaceName: z.string(),
    listenPort: z.number().int(),
    /** seconds; absent = off (WireGuard's default) */
    persistentKeepalive: z.number().int().optional(),
    peers: z.array(WireguardPeerSchema).readonly(),
  })
  .readonly();

export type WireguardPeerIr = z.infer<typeof WireguardPeerSchema>;
export type WireguardIr = z.infer<typeof WireguardSchema>;

/** Usable host addresses of an IPv4 CIDR: network and broadcast excluded (except /31 and /32, RFC 3021). */
export function cidrHosts(cidr: string): { first: bigint; count: bigint } | undefined {
  const r = parsePrefix(cidr);
  if (!r || r.family !== 4) return undefined;
  const size = r.last - r.first + 1n;
  return size <= 2n ? { first: r.first, count: size } : { first: r.first + 1n, count: size - 2n };
}

function hashName(name: string): bigint {
  return BigInt(createHash('sha256').update(name).digest().readUInt32BE(0));
}

/**
 * Addresses for peers without an explicit one, derived from the name (never from the position, so adding a peer
 * never renumbers the others); a collision moves to the next free address. Explicit addresses are reserved first.
 * Peers that find no room keep '' (the wireguard IR rule reports the CIDR as too small).
 */
export function assignWireguardAddresses<T extends { name: string; address: string }>(cidr: string, peers: T[]): T[] {
  const hosts = cidrHosts(cidr);
  const taken = new Set(peers.map((p) => p.address).filter((a) => a !== ''));
  const sorted = [...peers].sort((a, b) => compareStrings(a.name, b.name));
  return sorted.map((p) => {
    if (p.address !== '' || !hosts) return p;
    const start = hashName(p.name) % hosts.count;
    for (let i = 0n; i < hosts.count; i++) {
      const text = formatIp({ family: 4, value: hosts.first + ((start + i) % hosts.count) });
      if (taken.has(text)) continue;
      taken.add(text);
      return { ...p, address: text };
    }
    return p;
  });
}
