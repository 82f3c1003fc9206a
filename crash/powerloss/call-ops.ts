/**
 * Calls whose logical op does not depend on how a bridge lays out its files: a sync-family call and a fallocate.
 * Both strace bridges (one writer's target, from-trace.ts; a command's work directory, command/tree-ops.ts) use them.
 */
import type { PathCall } from '../../core/trace/files.js';
import type { LogicalOp } from './types.js';

/** An op before its place in program order is known. */
export type PendingOp = LogicalOp extends infer T ? (T extends unknown ? Omit<T, 'index'> : never) : never;

/** What a sync-family call is to the model: an op, a note beside the figures, or a call it does not follow. */
export type SyncTranslation = { op: PendingOp } | { note: string } | { unmodelled: string } | undefined;

/**
 * A sync-family call as the op its reach says: a sync of one watched file or range, a sync of everything, or a
 * note. `where` names what the bridge watches, possessive ("the target's").
 */
export function syncTranslation(
  pc: PathCall,
  watched: ReadonlySet<number>,
  call: string,
  where: string,
): SyncTranslation {
  const reach = pc.reach;
  if (!reach) return undefined;
  switch (reach.scope) {
    case 'file':
      return watched.has(reach.ino)
        ? { op: { kind: 'sync', ino: reach.ino, dataOnly: reach.dataOnly, call } }
        : undefined;
    case 'range':
      if (!watched.has(reach.ino)) return undefined;
      return {
        op: {
          kind: 'sync',
          ino: reach.ino,
          dataOnly: true,
          range: { offset: reach.offset, length: reach.length },
          call,
        },
      };
    case 'system':
      return { op: { kind: 'sync_all', scope: 'system', call } };
    case 'file-system':
      if (reach.onWatched === true) return { op: { kind: 'sync_all', scope: 'file system', call } };
      if (reach.onWatched === false)
        return { note: `${call} syncs another file system than ${where}: it persists nothing of ${where}` };
      return { unmodelled: `${call}: syncfs of a file whose file system could not be told from ${where}` };
    case 'nothing':
      return pc.ino !== undefined && watched.has(pc.ino)
        ? { note: `${call} is not counted as a sync: ${reach.why}` }
        : undefined;
  }
}

/**
 * fallocate of a file `size` bytes long: zeros over the range (punch, zero range), or zeros where it grows the file;
 * nothing for space alone.
 */
export function allocatedWrite(ino: number, pc: PathCall, size: number, call: string): PendingOp | undefined {
  const { offset, length, zeroes, keepSize } = pc.allocated as NonNullable<PathCall['allocated']>;
  const end = keepSize ? Math.min(offset + length, size) : offset + length;
  const start = zeroes ? offset : Math.max(offset, size);
  if (end <= start) return undefined;
  return { kind: 'write', ino, offset: start, data: Buffer.alloc(end - start), via: 'allocate', call };
}
