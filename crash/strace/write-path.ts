import path from 'node:path';
import { filesOf, resolveCalls, type PathCall } from '../../core/trace/files.js';
import type { ParsedTrace } from '../../core/trace/strace.js';

export { filesOf, type PathCall };

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
  writes: PathCall[];
  bytesWritten: number;
  fileSyncs: PathCall[];
  rename?: PathCall;
  dirSyncs: PathCall[];
  /** Threads and processes that touched the target's directory or the temp directory. */
  tids: number[];
}

/** Where a writer's files are watched: the target's directory and, when given, its own $TMPDIR. */
export interface Watched {
  target: string;
  tmpDir?: string;
}

export function buildWritePath(trace: ParsedTrace, watched: string | Watched): WritePath {
  const where = typeof watched === 'string' ? { target: watched } : watched;
  return writePathOf(resolveCalls(trace), where);
}

/** The write path seen through a filter: what a trace restricted the same way (-P, no -f) would show. */
export function narrowWritePath(model: WritePath, keep: (pc: PathCall) => boolean): WritePath {
  return writePathOf(model.calls.filter(keep), { target: model.target, tmpDir: model.tmpDir });
}

/** The thread that started it all: the first traced call's (the subject's own process). */
export function rootTid(model: WritePath): number | undefined {
  return model.calls[0]?.call.tid;
}

function writePathOf(calls: PathCall[], watched: Watched): WritePath {
  const { target, tmpDir } = watched;
  const dir = path.dirname(target);
  const inWatched = (file: string | undefined): file is string => file !== undefined && (path.dirname(file) === dir || (tmpDir !== undefined && path.dirname(file) === tmpDir));

  // The payload's file: the one that ends up named as the target, if anything was written to it;
  // else the watched file that received the most bytes (a fault stopped the writer before its rename).
  const endsAsTarget = new Set<number>();
  for (const pc of calls) {
    if (pc.ino !== undefined && (pc.family === 'rename' || pc.family === 'link') && pc.paths[1] === target && pc.call.retval === 0) endsAsTarget.add(pc.ino);
  }
  const bytesByIno = new Map<number, number>();
  for (const pc of calls) {
    if (pc.family !== 'write' || pc.ino === undefined || !(inWatched(pc.fdPath) || endsAsTarget.has(pc.ino))) continue;
    bytesByIno.set(pc.ino, (bytesByIno.get(pc.ino) ?? 0) + (pc.length ?? 0));
  }
  let dataIno: number | undefined = [...endsAsTarget].reverse().find((ino) => (bytesByIno.get(ino) ?? 0) > 0);
  if (dataIno === undefined) for (const [ino, bytes] of bytesByIno) if (dataIno === undefined || bytes > (bytesByIno.get(dataIno) ?? 0)) dataIno = ino;
  const creating = calls.filter((pc) => pc.family === 'open');
  if (dataIno === undefined) {
    // Nothing written (a fault stopped it early): the file it created in a watched directory, if any.
    dataIno = creating.find((pc) => createsFile(pc) && inWatched(pc.paths[0]) && pc.paths[0] !== dir && pc.paths[0] !== tmpDir)?.ino;
  }
  const ofData = (pc: PathCall): boolean => dataIno !== undefined && pc.ino === dataIno;
  const writes = calls.filter((pc) => pc.family === 'write' && ofData(pc));
  const firstWriteSeq = writes[0]?.call.seq ?? Number.POSITIVE_INFINITY;
  const createOpen = [...creating].reverse().find((pc) => pc.call.seq < firstWriteSeq && ofData(pc));
  const dataPath = createOpen?.paths[0] ?? writes[0]?.fdPath;
  const renameCall = calls.find((pc) => pc.family === 'rename' && ofData(pc) && pc.paths[1] === target);
  const tids = [...new Set(calls.filter((pc) => filesOf(pc).some((file) => file === dir || file === tmpDir || inWatched(file))).map((pc) => pc.call.tid))];
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
    bytesWritten: writes.reduce((sum, pc) => sum + (pc.length ?? 0), 0),
    fileSyncs: calls.filter((pc) => pc.family === 'sync' && ofData(pc)),
    rename: renameCall,
    dirSyncs: calls.filter((pc) => pc.family === 'sync' && pc.fdPath === dir),
    tids,
  };
}

/** open with O_CREAT or O_TRUNC, or creat: a call that makes (or empties) a file. */
export function createsFile(pc: PathCall): boolean {
  if (pc.family !== 'open') return false;
  if (pc.call.name === 'creat') return true;
  return pc.call.args.some((arg) => /\bO_CREAT\b|\bO_TRUNC\b/.test(arg));
}

export function describeCall(pc: PathCall, model?: WritePath): string {
  const file = pc.fdPath ?? pc.paths[0] ?? pc.call.resultPath;
  const shown = file ? (model ? relativeTo(model, file) : file) : '';
  const second = pc.family === 'rename' && pc.paths[1] ? ` → ${model ? relativeTo(model, pc.paths[1]) : pc.paths[1]}` : '';
  return `${pc.call.name}(${shown}${second}) in ${pc.call.tid}`;
}

function relativeTo(model: WritePath, file: string): string {
  if (file === model.dir) return '<dir>';
  if (file === model.target) return '<target>';
  if (path.dirname(file) === model.dir) return `<dir>/${path.basename(file)}`;
  if (model.tmpDir !== undefined && path.dirname(file) === model.tmpDir) return `$TMPDIR/${path.basename(file)}`;
  return file;
}
