import type { Emitter } from './emitter';
import { headscaleEmitter } from './headscale';
import { inventoryEmitter } from './inventory';
import { kubernetesEmitter } from './kubernetes';
import { nftablesEmitter } from './nftables';
import { nginxEmitter } from './nginx';
import { nixosEmitter } from './nixos';
import { policyEmitter } from './policy';

/** The pure emitters every stack runs, in no particular order (their file paths never overlap). */
export const STACK_EMITTERS: readonly Emitter[] = [
  policyEmitter,
  inventoryEmitter,
  kubernetesEmitter,
  headscaleEmitter,
  nixosEmitter,
  nginxEmitter,
  nftablesEmitter,
];
