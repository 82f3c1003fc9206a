/**
 * Facts about a run's op list that every model reads: which directory-entry changes an op makes
 * (a rename across directories is two of them), which ops are a file's data, which touch an inode.
 */
import type { InodeId, LogicalOp, PowerLossInput, WriteOp, TruncateOp } from './types.js';

/**
 * One change to one directory's entries. A rename within a directory is one change ('whole'); a
 * rename across two is an 'add' in the destination and a 'remove' in the source, which may persist
 * independently under POSIX (so both names, or neither, can survive a crash).
 */
export interface EntryChange {
  op: number;
  dir: InodeId;
  half: 'whole' | 'add' | 'remove';
}

export type DataOp = WriteOp | TruncateOp;

export function entryChangesOf(op: LogicalOp): EntryChange[] {
  switch (op.kind) {
    case 'create':
    case 'link':
    case 'mkdir':
    case 'unlink':
      return [{ op: op.index, dir: op.dir, half: 'whole' }];
    case 'rename':
      return op.fromDir === op.toDir
        ? [{ op: op.index, dir: op.toDir, half: 'whole' }]
        : [
            { op: op.index, dir: op.toDir, half: 'add' },
            { op: op.index, dir: op.fromDir, half: 'remove' },
          ];
    default:
      return [];
  }
}

export function isEntryOp(op: LogicalOp): boolean {
  return op.kind === 'create' || op.kind === 'link' || op.kind === 'mkdir' || op.kind === 'unlink' || op.kind === 'rename';
}

export function isDataOp(op: LogicalOp): op is DataOp {
  return op.kind === 'write' || op.kind === 'truncate';
}

/** Does this op change metadata of `ino` (its entries, as a directory; its names or size, as a file)? */
export function touchesInodeMetadata(op: LogicalOp, ino: InodeId): boolean {
  switch (op.kind) {
    case 'create':
    case 'link':
    case 'mkdir':
    case 'unlink':
      return op.dir === ino || op.ino === ino;
    case 'rename':
      return op.fromDir === ino || op.toDir === ino || op.ino === ino || op.replaced === ino;
    case 'truncate':
      return op.ino === ino;
    default:
      return false;
  }
}

/** The issued ops at a crash point "after op k" (k = -1: none). */
export function issuedAt(input: PowerLossInput, crashAfter: number): LogicalOp[] {
  return input.ops.slice(0, crashAfter + 1);
}

/** Index of the last sync of `ino` among the issued ops, or -1. */
export function lastSyncOf(issued: readonly LogicalOp[], ino: InodeId): number {
  for (let i = issued.length - 1; i >= 0; i--) {
    const op = issued[i]!;
    if (op.kind === 'sync' && op.ino === ino) return op.index;
  }
  return -1;
}

/** Inodes that are directories: the initial ones and any the run made with mkdir. */
export function directoryInodes(input: PowerLossInput): Set<InodeId> {
  const dirs = new Set(input.initial.dirs.keys());
  for (const op of input.ops) if (op.kind === 'mkdir') dirs.add(op.ino);
  return dirs;
}

/** Check the contract's one structural promise the engine relies on: dense, in-order indices. */
export function assertDenseIndices(ops: readonly LogicalOp[]): void {
  ops.forEach((op, position) => {
    if (op.index !== position) throw new Error(`op at position ${position} has index ${op.index}: indices must be dense and in program order`);
  });
}
