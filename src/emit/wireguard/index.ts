import type { StackIr } from '../../ir/types';
import type { EmittedFile, Emitter } from '../emitter';
import { wireguardAccess } from './access';
import { wgQuickConf } from './conf';
import { wireguardNftFile } from './nft';

export { wireguardAccess } from './access';
export { wgQuickConf } from './conf';
export { WIREGUARD_TABLE, wireguardNftFile, wireguardTableBody } from './nft';

/**
 * WireGuard mode: per peer (NixOS hosts included, for hosts managed without the module),
 * `wireguard/<host>/<iface>.conf` for wg-quick and `wireguard/<host>/<iface>.nft`, the enforcement table it loads.
 */
export const wireguardEmitter: Emitter = {
  name: 'wireguard',
  emit(ir: StackIr): EmittedFile[] {
    const access = wireguardAccess(ir);
    if (!access) return [];
    const iface = access.wireguard.interfaceName;
    return access.wireguard.peers.flatMap((peer) => [
      { path: `wireguard/${peer.name}/${iface}.conf`, content: wgQuickConf(ir, access, peer) },
      { path: `wireguard/${peer.name}/${iface}.nft`, content: wireguardNftFile(access, peer) },
    ]);
  },
};
