import type { StackIr } from '../../ir/types';
import type { EmittedFile, Emitter } from '../emitter';
import { nftFile } from './table';

export { nftFile, ZONE_TABLE, zoneTableBody } from './table';

/** `nftables/<host>.nft` for every NixOS host with firewall zones: the same table the host's module loads. */
export const nftablesEmitter: Emitter = {
  name: 'nftables',
  emit(ir: StackIr): EmittedFile[] {
    return ir.nixos.hosts
      .filter((h) => h.zones.length > 0)
      .map((h) => ({ path: `nftables/${h.name}.nft`, content: nftFile(h) }));
  },
};
