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
    case 'symlink':
    case 'unlink':
      return [{ op: op.index, dir: op.dir, half: 'whole' }];
    // An exchange across two directories is, like a rename, one change in each: 'add' is the
    // destination's name taking the source's file, 'remove' the source's name taking the other.
    case 'rename':
    case 'exchange':
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
  return entryChangesOf(op).length > 0;
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
    case 'symlink':
    case 'unlink':
      return op.dir === ino || op.ino === ino;
    case 'rename':
      return op.fromDir === ino || op.toDir === ino || op.ino === ino || op.replaced === ino;
    case 'exchange':
      return op.fromDir === ino || op.toDir === ino || op.ino === ino || op.other === ino;
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

/**
 * Index of the last op among the issued that made all of `ino` durable (an fsync or fdatasync of
 * it, a sync or syncfs of everything), or -1. An msync of a range of it is not one: see durableDataOps.
 */
export function lastSyncOf(issued: readonly LogicalOp[], ino: InodeId): number {
  for (let i = issued.length - 1; i >= 0; i--) {
    const op = issued[i]!;
    if (op.kind === 'sync_all' || (op.kind === 'sync' && op.ino === ino && op.range === undefined)) return op.index;
  }
  return -1;
}

/**
 * The data ops of `ino` among the issued that are on disk whatever the crash: covered by a later
 * fsync/fdatasync of the file or a sync/syncfs of everything, inside the range of a later msync,
 * or synchronous writes (O_DSYNC and kin), durable when they returned. One backward pass.
 */
export function durableDataOps(issued: readonly LogicalOp[], ino: InodeId): Set<number> {
  const durable = new Set<number>();
  let wholeFile = false;
  const ranges: { offset: number; length: number }[] = [];
  for (let i = issued.length - 1; i >= 0; i--) {
    const op = issued[i]!;
    if (op.kind === 'sync_all' || (op.kind === 'sync' && op.ino === ino && op.range === undefined)) wholeFile = true;
    else if (op.kind === 'sync' && op.ino === ino && op.range) ranges.push(op.range);
    else if (op.kind === 'write' && op.ino === ino) {
      const inRange = ranges.some(
        (range) => range.offset <= op.offset && op.offset + op.data.length <= range.offset + range.length,
      );
      if (wholeFile || op.syncedBy !== undefined || inRange) durable.add(op.index);
    } else if (op.kind === 'truncate' && op.ino === ino && wholeFile) durable.add(op.index);
  }
  return durable;
}

const SYMLINKS = new WeakMap<PowerLossInput, ReadonlyMap<InodeId, string>>();

/** The text of each symlink the run made, by inode (computed once per input: every state asks). */
export function symlinkTexts(input: PowerLossInput): ReadonlyMap<InodeId, string> {
  let texts = SYMLINKS.get(input);
  if (!texts) {
    const found = new Map<InodeId, string>();
    for (const op of input.ops) if (op.kind === 'symlink' && op.text !== undefined) found.set(op.ino, op.text);
    SYMLINKS.set(input, (texts = found));
  }
  return texts;
}

/** The inode an op is about, for grouping in explanations (-1 for a sync of everything). */
export function inodeOf(op: LogicalOp): InodeId {
  return op.kind === 'sync_all' ? -1 : op.ino;
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
    if (op.index !== position)
      throw new Error(`op at position ${position} has index ${op.index}: indices must be dense and in program order`);
  });
}
