/**
 * XFS with its default mount options (v5 format, delayed logging, delayed allocation). Each rule
 * names the XFS documentation or source it comes from; where the sources leave room, the rule
 * allows more states, never fewer.
 *
 * 1. One log, recovered as a prefix. Documentation/filesystems/xfs/xfs-delayed-logging-design.rst:
 *    every transaction is committed in order into one in-memory Committed Item List (CIL), the CIL
 *    is written to the log as checkpoints in sequence order, and recovery replays whole
 *    checkpoints (a torn one at the head of the log is discarded). So the metadata ops of a run
 *    (directory entry changes and truncates) persist as one global prefix in program order; a
 *    rename, even across directories, is one transaction (fs/xfs/xfs_inode.c xfs_rename): both
 *    names never survive.
 * 2. fsync forces the log up to the file's last change. fs/xfs/xfs_file.c: xfs_file_fsync writes
 *    the data back and waits (file_write_and_wait_range), then xfs_fsync_flush_log forces the log
 *    up to the inode's last commit sequence (xfs_log_force_seq(ip->i_itemp->ili_commit_seq)); the
 *    log is written in order, so every earlier metadata op is forced too. An fsync of file or
 *    directory I is therefore modelled as: I's data written before it persists, and the log
 *    reaches at least I's latest metadata op (its create, links, renames — xfs_rename logs the
 *    renamed inode, "We always want to hit the ctime on the source inode" — unlinks, truncates;
 *    for a directory every entry change in it: xfs_dir_fsync calls xfs_log_force_inode).
 *    fdatasync skips the log force when only timestamps changed (xfs_fsync_seq checks
 *    ili_fsync_fields & ~XFS_ILOG_TIMESTAMP), so for fdatasync we promise only the file's own
 *    truncates (its size), not its names. sync() and syncfs() force everything (xfs_fs_sync_fs
 *    → xfs_log_force). A synchronous write (O_DSYNC) or an msync persists its own bytes; no log
 *    promise (as in ext4-ordered: conservative).
 * 3. No zero-filled size. fs/xfs/xfs_aops.c: the on-disk size is moved only when a write-back
 *    completes ("Update on-disk file size now that data has been written to disk", xfs_setfilesize
 *    from xfs_end_ioend), and delayed-allocation blocks are mapped as unwritten extents until their
 *    data is on disk (libxfs/xfs_bmap.c xfs_bmapi_convert_one_delalloc: "New data fork extents must
 *    be mapped in as unwritten and converted to real extents after the write succeeds to avoid
 *    exposing stale disk contents if we crash"). This is the fix for the old "NULL files" problem:
 *    a persisted size never covers only zeros. Unsynced data is lost, persisted as a prefix of its
 *    writes, or torn at 4 KiB blocks.
 * 4. Tears include appended blocks. Each completed write-back moves the on-disk size to its own end
 *    (xfs_new_eof), and completions of one write-back can finish in any order, so a later range can
 *    be on disk while an earlier one is still an unwritten extent that reads as zeros. So unsynced
 *    blocks may tear — new or old, where old past the earlier size reads as zeros — both where
 *    they overwrite in place and where they append (ext4-ordered tears only in place).
 * 5. No data flush on rename or truncate. XFS has no counterpart of ext4's auto_da_alloc: a
 *    rename onto an existing file forces nothing. After a file is truncated down, its last close
 *    only starts write-back (fs/xfs/xfs_file.c xfs_file_release: XFS_ITRUNCATED → filemap_flush,
 *    "significantly reducing the time window" of the NULL files problem): it does not wait and
 *    orders nothing, so it promises nothing here.
 *
 * Not modelled (conservative or out of scope): the log's own timing (a state may sit at any logged
 * prefix at or above what the fsyncs force), external log devices, DAX, reflink copy-on-write, and
 * the rule that a write's data cannot persist past an earlier truncate of the same file that did
 * not (we allow the write without the truncate: more states).
 */
import { fileOutcomes } from '../file-outcomes.js';
import { directoryInodes, durableDataOps, issuedAt, touchesInodeMetadata } from '../op-facts.js';
import type { FileOutcome } from '../state.js';
import type { InodeId, LogicalOp } from '../types.js';
import { forcedFloor, isJournaled, logPrefixes, writesByFile } from './journal.js';
import type { PersistenceModel } from './model.js';

export const xfsModel: PersistenceModel = {
  id: 'xfs',
  title:
    'XFS (delayed logging, delalloc): one in-order log; fsync forces it up ' +
    'to the file; no data flush on rename or truncate',
  metadataChoices(input, crashAfter) {
    const issued = issuedAt(input, crashAfter);
    // Ops that are XFS transactions in the log: entry changes and truncates (rule 1).
    const log = issued.filter(isJournaled);
    const directories = directoryInodes(input);
    // Rule 2: the logged prefix reaches at least the last log op each sync forced.
    const floor = forcedFloor(issued, log, (op, entry) => forcedBy(op, entry, directories));
    // Rule 1: the log is recovered as a prefix.
    return logPrefixes(log, floor);
  },
  fileOutcomes(input, crashAfter, meta) {
    const issued = issuedAt(input, crashAfter);
    const lists: FileOutcome[][] = [];
    for (const [ino, { writes, truncates }] of writesByFile(input, issued, meta.journaledTruncates)) {
      // Rule 2 (and sync, syncfs, O_DSYNC, msync): these writes are on disk; rule 5: nothing else is.
      const durable = durableDataOps(issued, ino);
      lists.push(
        fileOutcomes(
          input,
          ino,
          [...truncates, ...writes.filter((op) => durable.has(op))],
          writes.filter((op) => !durable.has(op)),
          // Rules 3 and 4: never a size over nothing written; blocks tear in place and when appended.
          { zeroFill: false, tear: 'any-block' },
        ),
      );
    }
    return lists;
  },
};

/** Does `sync` force the log op `entry` (issued before it) to disk? (rule 2) */
function forcedBy(sync: LogicalOp, entry: LogicalOp, directories: ReadonlySet<InodeId>): boolean {
  if (sync.kind === 'sync_all') return true;
  if (sync.kind !== 'sync' || sync.range !== undefined) return false;
  // fdatasync of a file: its size (truncates), not its names. A directory's fsync ignores datasync.
  if (sync.dataOnly && !directories.has(sync.ino)) return entry.kind === 'truncate' && entry.ino === sync.ino;
  return touchesInodeMetadata(entry, sync.ino);
}
