import type { PersistenceModelId } from '../../core/schema.js';
/**
 * The power-loss model's input: a writer's fault-free run as logical file-system operations on
 * inodes and directory entries (ALICE's "logical operations"), the state on disk before it ran,
 * and what the writer reported. Built from a strace trace by crash/powerloss/from-trace.ts; the
 * persistence models and the state explorer read nothing else.
 */

/** An inode of the run: files and directories alike. Numbers are the model's own, not the kernel's. */
export type InodeId = number;

interface OpBase {
  /** Index in program order (0-based, dense): a crash point "after op k" keeps ops 0..k. */
  index: number;
  /** The call it came from, in words, for explanations: "renameat2(tmp/.x → target.dat)". */
  call: string;
}

/** A new directory entry for a new or existing inode (O_CREAT of an absent name, link, mkdir, symlink). */
export interface LinkOp extends OpBase {
  kind: 'create' | 'link' | 'mkdir' | 'symlink';
  /** The directory's inode and path. */
  dir: InodeId;
  name: string;
  ino: InodeId;
  /** symlink: the text it holds (persisted with its entry: a symlink's text is part of creating it). */
  text?: string;
}

export interface UnlinkOp extends OpBase {
  kind: 'unlink';
  dir: InodeId;
  name: string;
  ino: InodeId;
}

/** rename(2): moves `ino` from one entry to another, replacing what the destination named. */
export interface RenameOp extends OpBase {
  kind: 'rename';
  fromDir: InodeId;
  fromName: string;
  toDir: InodeId;
  toName: string;
  ino: InodeId;
  /** The inode the destination named before, if any. */
  replaced?: InodeId;
}

/** Bytes that reached a file: a write call, a copy in the kernel, a shared mapping, a clone, zeros from fallocate. */
export interface WriteOp extends OpBase {
  kind: 'write';
  ino: InodeId;
  offset: number;
  /** Exactly the bytes written (length = what the call returned). */
  data: Buffer;
  /** The write was durable when it returned: O_SYNC/O_DSYNC on its fd, RWF_SYNC/RWF_DSYNC on the call. */
  syncedBy?: 'O_SYNC' | 'O_DSYNC' | 'RWF_SYNC' | 'RWF_DSYNC';
  /** How the bytes came, when not from a write call: explanations say it ("bytes written through a shared mapping"). */
  via?: 'mapping' | 'clone' | 'allocate';
}

/** The file's size set: O_TRUNC on open (size 0) or ftruncate. */
export interface TruncateOp extends OpBase {
  kind: 'truncate';
  ino: InodeId;
  size: number;
}

/**
 * fsync / fdatasync of a file or directory inode, or msync(MS_SYNC) of a range of a mapped file.
 * sync_file_range and msync without MS_SYNC persist nothing and are not ops.
 */
export interface SyncOp extends OpBase {
  kind: 'sync';
  ino: InodeId;
  /** fdatasync (and msync): data and size, not other metadata; for a directory it is treated like fsync. */
  dataOnly: boolean;
  /** msync: only the writes inside this range of the file are made durable. */
  range?: { offset: number; length: number };
}

/**
 * sync(), or syncfs() of the file system the run's files live on: on Linux both wait for the
 * write-back, so everything issued before is durable, every file's data and every directory's entries.
 */
export interface SyncAllOp extends OpBase {
  kind: 'sync_all';
  scope: 'system' | 'file system';
}

/** renameat2(RENAME_EXCHANGE): two names swap their files in one step. */
export interface ExchangeOp extends OpBase {
  kind: 'exchange';
  fromDir: InodeId;
  fromName: string;
  toDir: InodeId;
  toName: string;
  /** The file `fromName` named, now under `toName`. */
  ino: InodeId;
  /** The file `toName` named, now under `fromName`. */
  other: InodeId;
}

/** The last close of an inode's open file (ext4's replace-via-truncate flush happens here). */
export interface CloseOp extends OpBase {
  kind: 'close';
  ino: InodeId;
}

export type LogicalOp = LinkOp | UnlinkOp | RenameOp | ExchangeOp | WriteOp | TruncateOp | SyncOp | SyncAllOp | CloseOp;

/** The state on disk before the writer ran: fully persisted (the harness synced it). */
export interface InitialState {
  /**
   * Directories the run touched, with their entries (name → inode). `label` names a directory in
   * explanations ("the target's directory") where its path would only be a scratch location.
   */
  dirs: Map<InodeId, { path: string; label?: string; entries: Map<string, InodeId> }>;
  /** Regular files' contents at the start. */
  files: Map<InodeId, Buffer>;
}

/** One file whose content is judged: by the name it has in its directory, against its old and new bytes. */
export interface JudgedTarget {
  dir: InodeId;
  name: string;
  /** Its content before the run; undefined when it did not exist. */
  old: Buffer | undefined;
  /** The content the writer was asked to write to it. */
  fresh: Buffer;
  /** How explanations name it when the run judges several files ("d1/a.txt"); default: its directory's path/name. */
  label?: string;
}

export interface PowerLossInput {
  ops: LogicalOp[];
  initial: InitialState;
  /**
   * The files whose content is judged: one for a single write, one per file for a batch. Each is
   * judged on its own (atomicity: its old or its new content in every state).
   */
  targets: JudgedTarget[];
  /** The writer exited 0: from then on every state must hold every target's `fresh` (durability). */
  reportedSuccess: boolean;
}

export type ModelId = PersistenceModelId;
