/**
 * ext4 with its default mount options: data=ordered, delalloc, auto_da_alloc, a jbd2 journal
 * without fast_commit. Each rule cites the kernel's own documentation.
 *
 * 1. One journal, committed in order (Documentation/filesystems/ext4/journal.rst: the journal is
 *    "replayed all the way to the latest commit record"; there is one running transaction at a
 *    time). So every metadata op (directory entry changes and truncates) persists as one global
 *    prefix in program order; a rename, even across directories, is one journaled op.
 * 2. fsync/fdatasync of inode I persists I's data written before it and commits the journal at
 *    least up to I's latest metadata op. Real ext4 commits the whole running transaction (every
 *    earlier metadata op); we promise only I's own, which is conservative (more states). sync and
 *    syncfs commit everything before them. A synchronous write (O_DSYNC) or an msync persists
 *    only its own bytes here (no journal promise: conservative).
 * 3. data=ordered (Documentation/admin-guide/ext4.rst: "All data are forced directly out to the
 *    main file system prior to its metadata being committed to the journal"): a persisted size
 *    never exposes unwritten blocks, so unsynced data is lost, persisted as a prefix, or torn only
 *    where it overwrote blocks in place; never zero-filled.
 * 4. auto_da_alloc, replace-via-rename (ext4.rst: with fd = open("foo.new")/write/close/
 *    rename("foo.new", "foo") "the data blocks of the new file are forced to disk before the
 *    rename() operation is committed"): a committed rename that replaced an existing file carries
 *    all data of the renamed inode written before it.
 * 5. auto_da_alloc, replace-via-truncate (same text, fd = open("foo", O_TRUNC)/write/close): when a
 *    file that existed with content is truncated to 0 and rewritten, the data written before its
 *    close is forced out at the next commit; we count that commit only once a metadata op issued
 *    after the close is in the committed prefix (the truncate itself may commit earlier: the
 *    zero-length window stays).
 */
import { fileOutcomes } from '../file-outcomes.js';
import { durableDataOps, issuedAt, lastSyncOf, touchesInodeMetadata } from '../op-facts.js';
import type { FileOutcome } from '../state.js';
import type { InodeId, LogicalOp, PowerLossInput } from '../types.js';
import { forcedFloor, isJournaled, logPrefixes, writesByFile } from './journal.js';
import type { PersistenceModel } from './model.js';

export const ext4OrderedModel: PersistenceModel = {
  id: 'ext4-ordered',
  title:
    'ext4 data=ordered, delalloc, auto_da_alloc: one in-order journal; data ' +
    'forced out before a replacing rename commits',
  metadataChoices(input, crashAfter) {
    const issued = issuedAt(input, crashAfter);
    const journal = issued.filter(isJournaled);
    // Rule 2: the committed prefix reaches at least the synced inode's latest metadata op.
    // sync and syncfs commit the running transaction whole; an fsync at least the file's own ops.
    const floor = forcedFloor(
      issued,
      journal,
      (op, entry) => op.kind === 'sync_all' || (op.kind === 'sync' && touchesInodeMetadata(entry, op.ino)),
    );
    // Rule 1: the journal commits in order, so what is on disk is a prefix of it.
    return logPrefixes(journal, floor);
  },
  fileOutcomes(input, crashAfter, meta) {
    const issued = issuedAt(input, crashAfter);
    const committed = new Set([...meta.entries.map((change) => change.op), ...meta.journaledTruncates]);
    const lastCommitted = Math.max(-1, ...committed);

    const lists: FileOutcome[][] = [];
    for (const [ino, { writes, truncates }] of writesByFile(input, issued, meta.journaledTruncates)) {
      const forcedBefore = forcedDataHorizon(input, issued, ino, committed, lastCommitted);
      // Synchronous writes and writes inside an msynced range are on disk whatever the horizon.
      const durable = durableDataOps(issued, ino);
      const forced = (op: number) => op < forcedBefore || durable.has(op);
      lists.push(
        fileOutcomes(
          input,
          ino,
          [...truncates, ...writes.filter(forced)],
          writes.filter((op) => !forced(op)),
          { zeroFill: false, tear: 'in-place-only' },
        ),
      );
    }
    return lists;
  },
};

/** Writes of `ino` issued before the returned op index are on disk (rules 2, 4, 5). */
function forcedDataHorizon(
  input: PowerLossInput,
  issued: readonly LogicalOp[],
  ino: InodeId,
  committed: ReadonlySet<number>,
  lastCommitted: number,
): number {
  let horizon = lastSyncOf(issued, ino);
  for (const op of issued) {
    if (op.kind === 'rename' && op.ino === ino && op.replaced !== undefined && committed.has(op.index)) {
      horizon = Math.max(horizon, op.index);
    }
  }
  const existedWithContent = (input.initial.files.get(ino)?.length ?? 0) > 0;
  if (existedWithContent) {
    const truncatedToZero = issued.find((op) => op.kind === 'truncate' && op.ino === ino && op.size === 0);
    if (truncatedToZero) {
      for (const op of issued) {
        if (op.kind === 'close' && op.ino === ino && op.index > truncatedToZero.index && lastCommitted > op.index) {
          horizon = Math.max(horizon, op.index);
        }
      }
    }
  }
  return horizon;
}
