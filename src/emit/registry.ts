import type { Emitter } from './emitter';
import { inventoryEmitter } from './inventory';
import { policyEmitter } from './policy';

/** The pure emitters every stack runs, in no particular order (their file paths never overlap). */
export const STACK_EMITTERS: readonly Emitter[] = [policyEmitter, inventoryEmitter];
