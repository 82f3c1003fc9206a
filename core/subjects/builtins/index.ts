import { floorWriter } from './floor.js';
import type { InProcessWriter } from './in-process.js';
import { nativeUnsafeWriter } from './native-unsafe.js';
import { atomicallyWriter, stenoWriter, writeFileAtomicWriter } from './peers.js';
import { referencePerFileWriter, referenceWriter } from './reference.js';

/** Order is report order: the floor and the reference first, then the peers. */
export const BUILTIN_WRITERS: readonly InProcessWriter[] = [
  floorWriter,
  referenceWriter,
  nativeUnsafeWriter,
  writeFileAtomicWriter,
  atomicallyWriter,
  stenoWriter,
];

/**
 * Built-ins that exist only as batch peers: beside the batch forms under test, never subjects of a
 * single-write scenario (so default runs do not change), run by the scenarios that write batches.
 */
export const BATCH_PEER_WRITERS: readonly InProcessWriter[] = [referencePerFileWriter];

export function builtinWriter(name: string): InProcessWriter | undefined {
  return [...BUILTIN_WRITERS, ...BATCH_PEER_WRITERS].find((writer) => writer.name === name);
}
