import path from 'node:path';
import { reachesDirEntries, reachesFileData } from '../../core/trace/durability.js';
import { filesOf, resolveCalls, succeeded, type PathCall } from '../../core/trace/files.js';
import type { ParsedTrace } from '../../core/trace/strace.js';

export { filesOf, type PathCall };

/** The numbers the write path gives the two watched directories, so a sync of them is known by identity. */
const DIR_INO = 1;
const TMP_INO = 2;

/**
 * One subject's write path as a trace shows it: which file receives the payload (a temp file in
 * the target's directory or in $TMPDIR, or the target itself), and the calls that create, fill, sync and rename
 * it and sync the directory.
 */
export interface WritePath {
  target: string;
  dir: string;
  /** The writer's own temp directory ($TMPDIR), watched like the target's directory. */
  tmpDir?: string;
  calls: PathCall[];
  /** The file the payload went to, followed by identity (it may be written in $TMPDIR and renamed in). */
  dataIno?: number;
  /** That file's path when it was created or first written; undefined when nothing was written. */
  dataPath?: string;
  inPlace: boolean;
  createOpen?: PathCall;
  /** Calls that put payload bytes in the file: writes, copies in the kernel, clones. */
  writes: PathCall[];
  /** Writable shared mappings of the file: its bytes arrive through memory, with no call of their own. */
  mappings: PathCall[];
  /** Payload bytes the writes and mappings carried. */
  bytesWritten: number;
  /**
   * Calls that made the file's data durable: fsync, fdatasync, an msync of its mapping, syncfs of its file system,
   * sync.
   */
  fileSyncs: PathCall[];
  /** The rename (or exchange, or symlink swap) that put the file at the target's name. */
  rename?: PathCall;
  /** Calls that made the target directory's entries durable: its fsync, syncfs of its file system, sync. */
  dirSyncs: PathCall[];
  /** The target directory's number among the resolved calls' files. */
  dirIno: number;
  /** Threads and processes that touched the target's directory or the temp directory. */
  tids: number[];
}

/** Where a writer's files are watched: the target's directory and, when given, its own $TMPDIR. */
export interface Watched {
  target: string;
  tmpDir?: string;
  /** Whether a file is on the watched directories' file system (what a syncfs of it reaches); unknown without. */
  fileSystem?: (file: string) => boolean | undefined;
}

export function buildWritePath(trace: ParsedTrace, watched: string | Watched): WritePath {
  const where = typeof watched === 'string' ? { target: watched } : watched;
  const dir = path.dirname(where.target);
  const existing = new Map<string, number>([[dir, DIR_INO]]);
  if (where.tmpDir !== undefined) existing.set(where.tmpDir, TMP_INO);
  const inWatched = (file: string): boolean | undefined =>
    file === dir ||
    path.dirname(file) === dir ||
    (where.tmpDir !== undefined && (file === where.tmpDir || path.dirname(file) === where.tmpDir))
      ? true
      : where.fileSystem?.(file);
  return writePathOf(resolveCalls(trace, { existing, firstIno: TMP_INO + 1, onWatchedFileSystem: inWatched }), where);
}

/** The write path seen through a filter: what a trace restricted the same way (-P, no -f) would show. */
export function narrowWritePath(model: WritePath, keep: (pc: PathCall) => boolean): WritePath {
  return writePathOf(model.calls.filter(keep), { target: model.target, tmpDir: model.tmpDir });
}

/** A call that puts payload bytes into a file: a write or copy, or a clone of another file's blocks. */
export function carriesPayload(pc: PathCall): boolean {
  return pc.family === 'write' || pc.cloned !== undefined;
}

/**
 * How many payload bytes a call carried: what a write returned, a mapping's size, a clone's length.
 * A whole-file clone says no length (the source's size is not in the trace): it carried all of it.
 */
export function payloadBytesOf(pc: PathCall): number {
  if (pc.family === 'write') return Math.max(0, pc.length ?? 0);
  if (pc.cloned) return succeeded(pc) ? (pc.cloned.length ?? Number.POSITIVE_INFINITY) : 0;
  return pc.mapped?.length ?? 0;
}

/**
 * Calls a "next call" may be: whatever the write path itself does. Mappings come and go with the
 * allocator, ioctls with terminal checks, ring submissions with the event loop: their counts vary
 * between two runs of the same write, so a fault is never aimed at one by position.
 */
export function isStepCall(pc: PathCall): boolean {
  return pc.family !== 'map' && pc.family !== 'clone' && pc.family !== 'unseen';
}

/** The thread that started it all: the first traced call's (the subject's own process). */
export function rootTid(model: WritePath): number | undefined {
  return model.calls[0]?.call.tid;
}

function writePathOf(calls: PathCall[], watched: Watched): WritePath {
  const { target, tmpDir } = watched;
  const dir = path.dirname(target);
  const inWatched = (file: string | undefined): file is string =>
    file !== undefined && (path.dirname(file) === dir || (tmpDir !== undefined && path.dirname(file) === tmpDir));

  // The payload's file: the one that ends up named as the target, if anything was written to it;
  // else the watched file that received the most bytes (a fault stopped the writer before its rename).
  // A symlink installed at the target's name stands for the file its text names (a symlink swap).
  const pointsTo = symlinkData(calls);
  const installs = (pc: PathCall): boolean =>
    (pc.family === 'rename' || pc.family === 'link') && pc.paths[1] === target && pc.call.retval === 0;
  const endsAsTarget = new Set<number>();
  for (const pc of calls) {
    if (pc.ino !== undefined && installs(pc)) endsAsTarget.add(pointsTo.get(pc.ino) ?? pc.ino);
  }
  const bytesByIno = new Map<number, number>();
  for (const pc of calls) {
    if (
      !(carriesPayload(pc) || pc.mapped) ||
      pc.ino === undefined ||
      !(inWatched(pc.fdPath) || endsAsTarget.has(pc.ino))
    )
      continue;
    bytesByIno.set(pc.ino, (bytesByIno.get(pc.ino) ?? 0) + payloadBytesOf(pc));
  }
  let dataIno: number | undefined = [...endsAsTarget].reverse().find((ino) => (bytesByIno.get(ino) ?? 0) > 0);
  if (dataIno === undefined)
    for (const [ino, bytes] of bytesByIno)
      if (dataIno === undefined || bytes > (bytesByIno.get(dataIno) ?? 0)) dataIno = ino;
  const creating = calls.filter((pc) => pc.family === 'open');
  if (dataIno === undefined) {
    // Nothing written (a fault stopped it early): the file it created in a watched directory, if any.
    dataIno = creating.find(
      (pc) => createsFile(pc) && inWatched(pc.paths[0]) && pc.paths[0] !== dir && pc.paths[0] !== tmpDir,
    )?.ino;
  }
  const ofData = (pc: PathCall): boolean => dataIno !== undefined && pc.ino === dataIno;
  const writes = calls.filter((pc) => carriesPayload(pc) && ofData(pc));
  const mappings = calls.filter((pc) => pc.mapped !== undefined && ofData(pc));
  const firstWriteSeq = Math.min(
    writes[0]?.call.seq ?? Number.POSITIVE_INFINITY,
    mappings[0]?.call.seq ?? Number.POSITIVE_INFINITY,
  );
  const createOpen = [...creating].reverse().find((pc) => pc.call.seq < firstWriteSeq && ofData(pc));
  const dataPath = createOpen?.anonymous
    ? createOpen.call.resultPath
    : (createOpen?.paths[0] ?? writes[0]?.fdPath ?? mappings[0]?.fdPath);
  const renameCall = calls.find(
    (pc) =>
      pc.family === 'rename' &&
      pc.ino !== undefined &&
      (ofData(pc) || pointsTo.get(pc.ino) === dataIno) &&
      pc.paths[1] === target,
  );
  const tids = [
    ...new Set(
      calls
        .filter((pc) => filesOf(pc).some((file) => file === dir || file === tmpDir || inWatched(file)))
        .map((pc) => pc.call.tid),
    ),
  ];
  const dirIno = DIR_INO;
  return {
    target,
    dir,
    tmpDir,
    calls,
    dataIno,
    dataPath,
    inPlace: dataPath === target,
    createOpen,
    writes,
    mappings,
    bytesWritten: [...writes, ...mappings].reduce((sum, pc) => sum + payloadBytesOf(pc), 0),
    fileSyncs: calls.filter((pc) => pc.family === 'sync' && reachesFileData(pc, dataIno)),
    rename: renameCall,
    dirSyncs: calls.filter((pc) => pc.family === 'sync' && reachesDirEntries(pc, dirIno)),
    dirIno,
    tids,
  };
}

/**
 * Each symlink the trace made, to the file its text named when it was made (by the last open of that path before it).
 */
function symlinkData(calls: readonly PathCall[]): Map<number, number> {
  const pointsTo = new Map<number, number>();
  for (const pc of calls) {
    if (
      pc.family !== 'symlink' ||
      pc.ino === undefined ||
      pc.linkText === undefined ||
      pc.paths[0] === undefined ||
      !succeeded(pc)
    )
      continue;
    const named = path.resolve(path.dirname(pc.paths[0]), pc.linkText);
    const opened = calls
      .filter(
        (other) =>
          other.call.seq < pc.call.seq &&
          other.family === 'open' &&
          other.paths[0] === named &&
          other.ino !== undefined,
      )
      .at(-1);
    if (opened?.ino !== undefined) pointsTo.set(pc.ino, opened.ino);
  }
  return pointsTo;
}

/** open with O_CREAT, O_TRUNC or O_TMPFILE, or creat: a call that makes (or empties) a file. */
export function createsFile(pc: PathCall): boolean {
  if (pc.family !== 'open') return false;
  if (pc.call.name === 'creat') return true;
  return pc.call.args.some((arg) => /\bO_CREAT\b|\bO_TRUNC\b|\bO_TMPFILE\b/.test(arg));
}

export function describeCall(pc: PathCall, model?: WritePath): string {
  const file = pc.fdPath ?? pc.paths[0] ?? pc.call.resultPath;
  const shown = file ? (model ? relativeTo(model, file) : file) : '';
  const second =
    pc.family === 'rename' && pc.paths[1] ? ` → ${model ? relativeTo(model, pc.paths[1]) : pc.paths[1]}` : '';
  return `${pc.call.name}(${shown}${second}) in ${pc.call.tid}`;
}

function relativeTo(model: WritePath, file: string): string {
  if (file === model.dir) return '<dir>';
  if (file === model.target) return '<target>';
  if (path.dirname(file) === model.dir) return `<dir>/${path.basename(file)}`;
  if (model.tmpDir !== undefined && path.dirname(file) === model.tmpDir) return `$TMPDIR/${path.basename(file)}`;
  return file;
}
