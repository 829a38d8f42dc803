import type { StackIr } from '../../ir/types';
import type { WireguardIr, WireguardPeerIr } from '../../ir/wireguard';
import {
  compilePolicy,
  DeviceAccess,
  type ProtoRange,
  parseInventory,
  portSetRanges,
  validatePolicy,
} from '../../policy';
import { INVENTORY_FILE, inventoryEmitter } from '../inventory';
import { policyDocument, policyValue } from '../policy/document';

/** What one peer may send to one destination peer, as the policy engine decides it. */
export interface PeerAccess {
  readonly src: WireguardPeerIr;
  readonly ranges: readonly ProtoRange[];
}

export interface WireguardAccess {
  readonly wireguard: WireguardIr;
  /** Per destination peer name: the peers that may reach it and what, sorted by source name; empty = nothing. */
  readonly inbound: ReadonlyMap<string, readonly PeerAccess[]>;
  /** Whether two peers exchange anything, in either direction (only those pairs are configured as WireGuard peers). */
  talks(a: string, b: string): boolean;
}

const cache = new WeakMap<StackIr, WireguardAccess>();

/**
 * The stack's access rules evaluated between WireGuard peers. Each peer is its declared device: the engine compiles
 * the stack's own policy over the same inventory as devices.json (so identities, tags, autogroup:self and literal
 * addresses mean what they mean on the tailnet) and answers, per (source, destination) pair, every proto/port the
 * source may reach over IPv4 — the mesh is IPv4, so IPv6-only rules do not carry over. Cached per IR: the NixOS
 * module, the wg-quick files and the nftables files all read it.
 */
export function wireguardAccess(ir: StackIr): WireguardAccess | undefined {
  const wg = ir.wireguard;
  if (!wg) return undefined;
  const hit = cache.get(ir);
  if (hit) return hit;
  const { policy } = validatePolicy(
    { value: policyValue(policyDocument(ir)), file: 'policy.json' },
    {
      dialect: 'tailscale',
    },
  );
  const [devices] = inventoryEmitter.emit(ir);
  const { inventory } = parseInventory({ text: devices?.content ?? '{"devices":[]}', file: INVENTORY_FILE });
  const inbound = new Map<string, PeerAccess[]>();
  const pairs = new Set<string>();
  if (policy && inventory) {
    // an invalid policy grants nothing here (synth's policy check reports it)
    const access = new DeviceAccess(compilePolicy(policy, inventory));
    const deviceName = (p: WireguardPeerIr) => `${p.name}.${ir.magicDnsSuffix}`;
    for (const src of wg.peers) {
      for (const dst of wg.peers) {
        if (src === dst) continue;
        const set = access.between(deviceName(src), deviceName(dst), 4);
        if (!set || set.length === 0) continue;
        inbound.set(dst.name, [...(inbound.get(dst.name) ?? []), { src, ranges: portSetRanges(set) }]);
        pairs.add(`${src.name}\n${dst.name}`);
      }
    }
  }
  const result: WireguardAccess = {
    wireguard: wg,
    inbound,
    talks: (a, b) => pairs.has(`${a}\n${b}`) || pairs.has(`${b}\n${a}`),
  };
  cache.set(ir, result);
  return result;
}
