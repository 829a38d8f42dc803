import type { StackIr } from '../ir/types';

/** One generated file, path relative to `out/<stack>/`, content already canonical text. */
export interface EmittedFile {
  readonly path: string;
  readonly content: string;
}

/** A pure function from the IR to files. Emitters never see constructs. */
export interface Emitter {
  readonly name: string;
  emit(ir: StackIr): EmittedFile[];
}
