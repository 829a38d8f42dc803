import type { StackIr } from '../../ir/types';
import type { EmittedFile, Emitter } from '../emitter';
import { magicDnsSuffix } from '../nixos/tailscale';
import { renderNginxConf } from './conf';
import { nginxModel } from './model';

export { renderNginxConf } from './conf';
export { nginxModel } from './model';

/** `nginx/<host>.conf` for every host with proxies: the same servers its NixOS module configures, as nginx.conf. */
export const nginxEmitter: Emitter = {
  name: 'nginx',
  emit(ir: StackIr): EmittedFile[] {
    return ir.nixos.hosts
      .filter((h) => h.proxies.length > 0)
      .map((h) => ({ path: `nginx/${h.name}.conf`, content: renderNginxConf(nginxModel(h, magicDnsSuffix(ir))) }));
  },
};
