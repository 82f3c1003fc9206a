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
import { durableDataOps, entryChangesOf, isEntryOp, issuedAt, lastSyncOf, touchesInodeMetadata } from '../op-facts.js';
import type { FileOutcome, MetadataChoice } from '../state.js';
import type { InodeId, LogicalOp, PowerLossInput } from '../types.js';
import type { PersistenceModel } from './model.js';

function isJournaled(op: LogicalOp): boolean {
  return isEntryOp(op) || op.kind === 'truncate';
}

export const ext4OrderedModel: PersistenceModel = {
  id: 'ext4-ordered',
  title: 'ext4 data=ordered, delalloc, auto_da_alloc: one in-order journal; data forced out before a replacing rename commits',
  metadataChoices(input, crashAfter) {
    const issued = issuedAt(input, crashAfter);
    const journal = issued.filter(isJournaled);
    // Rule 2: the committed prefix reaches at least the synced inode's latest metadata op.
    let floor = 0;
    for (const op of issued) {
      if (op.kind !== 'sync' && op.kind !== 'sync_all') continue;
      // sync and syncfs commit the running transaction whole; an fsync at least the file's own ops.
      const covered = journal.filter((entry) => entry.index < op.index && (op.kind === 'sync_all' || touchesInodeMetadata(entry, op.ino)));
      const last = covered[covered.length - 1];
      if (last) floor = Math.max(floor, journal.indexOf(last) + 1);
    }
    const choices: MetadataChoice[] = [];
    for (let committed = journal.length; committed >= floor; committed--) {
      const prefix = journal.slice(0, committed);
      choices.push({
        entries: prefix.flatMap(entryChangesOf),
        journaledTruncates: prefix.filter((op) => op.kind === 'truncate').map((op) => op.index),
        lost: journal.slice(committed).map((op) => op.index),
      });
    }
    return choices;
  },
  fileOutcomes(input, crashAfter, meta) {
    const issued = issuedAt(input, crashAfter);
    const committed = new Set([...meta.entries.map((change) => change.op), ...meta.journaledTruncates]);
    const lastCommitted = Math.max(-1, ...committed);
    const writesByFile = new Map<InodeId, number[]>();
    for (const op of issued) if (op.kind === 'write') writesByFile.set(op.ino, [...(writesByFile.get(op.ino) ?? []), op.index]);
    // A file with only a committed truncate (O_TRUNC, no write yet) is still a changed file.
    for (const index of meta.journaledTruncates) {
      const ino = (input.ops[index] as { ino: InodeId }).ino;
      if (!writesByFile.has(ino)) writesByFile.set(ino, []);
    }

    const lists: FileOutcome[][] = [];
    for (const [ino, writes] of writesByFile) {
      const forcedBefore = forcedDataHorizon(input, issued, ino, committed, lastCommitted);
      // Synchronous writes and writes inside an msynced range are on disk whatever the horizon.
      const durable = durableDataOps(issued, ino);
      const forced = (op: number) => op < forcedBefore || durable.has(op);
      const truncates = meta.journaledTruncates.filter((index) => (input.ops[index] as { ino: InodeId }).ino === ino);
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
