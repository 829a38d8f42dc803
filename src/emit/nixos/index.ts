import type { StackIr } from '../../ir/types';
import type { EmittedFile, Emitter } from '../emitter';
import { hostModule } from './module';

export { hostModule } from './module';

/** `nixos/<host>/default.nix`: one importable NixOS module per NixosHost. */
export const nixosEmitter: Emitter = {
  name: 'nixos',
  emit(ir: StackIr): EmittedFile[] {
    return ir.nixos.hosts.map((h) => ({ path: `nixos/${h.name}/default.nix`, content: hostModule(ir, h) }));
  },
};
