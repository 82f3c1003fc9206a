/**
 * btrfs with its default mount options (copy-on-write data, the fsync log tree, flushoncommit off,
 * commit=30, NO_HOLES as mkfs makes it). Each rule names the btrfs documentation or source it
 * comes from; where the sources leave room, the rule allows more states, never fewer.
 *
 * 1. Transaction commits are atomic and in order. A commit writes the new trees copy-on-write and
 *    then switches the superblock to them, so after a power cut the disk holds the last committed
 *    transaction, taken every `commit` seconds (30 by default; btrfs documentation,
 *    "Administration → Mount options") or when something asks for one. Without fsyncs the
 *    directory entry changes of a run persist as one global prefix in program order; a rename
 *    committed is committed whole.
 * 2. A file's data is not part of the commit. With flushoncommit off (its default), "buffered
 *    writes may last more than one transaction commit" (same page, flushoncommit); the commit waits
 *    only for data an fsync already logged (fs/btrfs/transaction.c). So a file's unsynced data may
 *    be lost whatever metadata committed.
 * 3. No data flush on rename or truncate is promised. A rename over an existing non-empty file
 *    (fs/btrfs/inode.c btrfs_rename: "Start IO on it now") and the last close after a truncate to
 *    zero (fs/btrfs/file.c btrfs_release_file, BTRFS_INODE_FLUSH_ON_CLOSE) only start write-back
 *    (filemap_flush): neither waits for it, and the commit does not wait for it either (rule 2).
 *    The data may reach disk after the rename committed: the renamed-over target can be empty or
 *    partial.
 * 4. The on-disk size may run ahead of the data. Data extents are referenced only once written
 *    (the file extent item is inserted when the ordered extent completes), but with NO_HOLES the
 *    inode's on-disk size is then set to its whole in-memory size (fs/btrfs/file-item.c
 *    btrfs_inode_safe_disk_i_size_write: "With NO_HOLES set this simply sets the disk_i_size to
 *    whatever i_size_read() returns"), so ranges not yet written read as zeros (holes). Overwrites
 *    are copy-on-write, so a 4 KiB block is old or new, never half of each, but different blocks
 *    can land in different commits. So unsynced data (writes and truncates) may be lost, persist
 *    as a prefix, tear at 4 KiB blocks, or leave the new size over zeros — the same outcomes as
 *    posix.
 * 5. fsync logs the file. fs/btrfs/file.c btrfs_sync_file waits for the file's data and logs the
 *    inode (its items, extents and size) in the log tree (fs/btrfs/tree-log.c), which is replayed
 *    over the last commit at the next mount, or it commits the whole transaction. So an fsync or
 *    fdatasync of a file persists its data and size written before it. Its names are not
 *    promised: the log carries them when the file is new or was renamed in the running
 *    transaction (tree-log.c "we must log any new names for any file or dir that is in the fsync
 *    log"), so we allow states with and without them, and with its parent directories logged
 *    whole.
 * 6. fsync of a directory logs its entries. Logging a directory copies its new entries and
 *    records the ranges of removed ones (tree-log.c, log_directory_changes), so every entry
 *    change in that directory issued before the fsync persists, on top of whatever committed.
 *    Changes in other directories are not promised (a rename into it from another directory may
 *    keep its old name too).
 * 7. sync() and syncfs() write back all data and then commit the transaction (fs/btrfs/super.c
 *    btrfs_sync_fs): everything issued before them persists. A synchronous write (O_DSYNC) or an msync persists
 *    its own bytes.
 *
 * Not modelled (conservative or out of scope): the commit timer (any committed prefix is allowed),
 * flushoncommit, nodatacow files, compression, full-sync fallbacks that happen to commit more (a
 * state that has them is one of the longer prefixes), and a file fsync persisting other files'
 * names beyond its parent directories.
 */
import { directoryInodes, entryChangesOf, isEntryOp, issuedAt, type EntryChange } from '../op-facts.js';
import type { MetadataChoice } from '../state.js';
import type { InodeId, LogicalOp } from '../types.js';
import { forcedFloor, logPrefixes } from './journal.js';
import type { PersistenceModel } from './model.js';
import { cartesian, syncedDataOutcomes } from './posix.js';

export const btrfsModel: PersistenceModel = {
  id: 'btrfs',
  title:
    'btrfs (COW, log tree, flushoncommit off): commits persist in order; fsync ' +
    'logs the file or directory; data may miss every commit',
  metadataChoices(input, crashAfter) {
    const issued = issuedAt(input, crashAfter);
    const entryOps = issued.filter(isEntryOp);
    const directories = directoryInodes(input);

    // Rule 7: a sync or syncfs commits everything before it.
    const floor = forcedFloor(issued, entryOps, (op) => op.kind === 'sync_all');

    // Rules 5 and 6: what the log tree carries, per inode, as of its last fsync.
    const lastSync = new Map<InodeId, number>();
    for (const op of issued) if (op.kind === 'sync') lastSync.set(op.ino, op.index);
    const logged: EntryChange[] = [];
    const optional: EntryChange[][][] = [];
    for (const [ino, at] of lastSync) {
      const before = entryOps.filter((op) => op.index < at);
      if (directories.has(ino)) logged.push(...before.flatMap(entryChangesOf).filter((change) => change.dir === ino));
      // The inode's own names, and its parent directories whole: maybe in the log, maybe not.
      const names = before.filter((op) => namesInode(op, ino)).flatMap(entryChangesOf);
      if (names.length === 0) continue;
      const parents = new Set(names.map((change) => change.dir));
      const wholeParents = before.flatMap(entryChangesOf).filter((change) => parents.has(change.dir));
      optional.push([[], names, wholeParents]);
    }

    const choices: MetadataChoice[] = [];
    const seen = new Set<string>();
    const entryOpIndices = entryOps.map((op) => op.index);
    // Rule 1: commits persist in order, so the committed entry ops are a prefix; the log tree adds to it.
    for (const { entries: base } of logPrefixes(entryOps, floor)) {
      for (const extras of cartesian(optional.map((options) => [...options].reverse()))) {
        const entries = union([base, logged, ...extras]);
        const key = entries.map((change) => `${change.op}${change.half}`).join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        const count = new Map<number, number>();
        for (const change of entries) count.set(change.op, (count.get(change.op) ?? 0) + 1);
        const lost = entryOpIndices.filter((index) => count.get(index) !== entryChangesOf(input.ops[index]!).length);
        choices.push({ entries, journaledTruncates: [], lost });
      }
    }
    return choices;
  },
  // Rules 5 and 7: fsynced (or synced, O_DSYNC, msynced) data is on disk; rules 2–4: the rest may not be
  // (lost, a prefix, torn at 4 KiB blocks, or a size over zeros: posix's rule for data, shared).
  fileOutcomes: syncedDataOutcomes,
};

/** Does this entry op give or take a name of `ino` (as the file moved, linked, made or removed)? */
function namesInode(op: LogicalOp, ino: InodeId): boolean {
  if (op.kind === 'exchange') return op.ino === ino || op.other === ino;
  return isEntryOp(op) && 'ino' in op && op.ino === ino;
}

/** The changes of all lists, each once, in program order (a removal after the add of the same op). */
function union(lists: readonly EntryChange[][]): EntryChange[] {
  const byKey = new Map<string, EntryChange>();
  for (const list of lists) for (const change of list) byKey.set(`${change.op}:${change.dir}:${change.half}`, change);
  return [...byKey.values()].sort(
    (a, b) => a.op - b.op || (a.half === 'remove' ? 1 : 0) - (b.half === 'remove' ? 1 : 0),
  );
}
