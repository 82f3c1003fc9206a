import { floorWriter } from './floor.js';
import type { InProcessWriter } from './in-process.js';
import { nativeUnsafeWriter } from './native-unsafe.js';
import { atomicallyWriter, stenoWriter, writeFileAtomicWriter } from './peers.js';
import { referenceWriter } from './reference.js';

/** Order is report order: the floor and the reference first, then the peers. */
export const BUILTIN_WRITERS: readonly InProcessWriter[] = [
  floorWriter,
  referenceWriter,
  nativeUnsafeWriter,
  writeFileAtomicWriter,
  atomicallyWriter,
  stenoWriter,
];

export function builtinWriter(name: string): InProcessWriter | undefined {
  return BUILTIN_WRITERS.find((writer) => writer.name === name);
}
