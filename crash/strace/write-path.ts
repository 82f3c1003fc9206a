import path from 'node:path';
import { familyOf, outputFdArgIndex, pathArgs, type Family } from './families.js';
import { parseFd, parseString, type ParsedTrace, type TraceCall } from './trace.js';

/** A traced call with the files it touches resolved to absolute paths. */
export interface PathCall {
  call: TraceCall;
  family: Family | undefined;
  /** The file behind the fd a data, sync, close or metadata call acts on. */
  fdPath?: string;
  /** Path arguments, resolved against their dirfd or the thread's cwd, in argument order. */
  paths: string[];
}

/**
 * One subject's write path as a trace shows it: which file receives the payload (a temp file in
 * the target's directory, or the target itself), and the calls that create, fill, sync and rename
 * it and sync the directory.
 */
export interface WritePath {
  target: string;
  dir: string;
  calls: PathCall[];
  /** The file the payload went to; undefined when nothing was written in the target's directory. */
  dataPath?: string;
  inPlace: boolean;
  createOpen?: PathCall;
  writes: PathCall[];
  bytesWritten: number;
  fileSyncs: PathCall[];
  rename?: PathCall;
  dirSyncs: PathCall[];
  /** Threads and processes that touched the target's directory. */
  tids: number[];
}

export function resolveCalls(trace: ParsedTrace): PathCall[] {
  const cwdByTid = new Map<number, string>();
  return trace.calls.map((call) => {
    const family = familyOf(call.name);
    const paths: string[] = [];
    for (const [dirIndex, pathIndex] of pathArgs(call.name)) {
      const raw = parseString(call.args[pathIndex]);
      if (raw === undefined) continue;
      let base: string | undefined;
      if (dirIndex >= 0) {
        const dirFd = parseFd(call.args[dirIndex]);
        base = dirFd?.path;
        if (dirFd?.fd === 'AT_FDCWD' && dirFd.path) cwdByTid.set(call.tid, dirFd.path);
      }
      base ??= cwdByTid.get(call.tid) ?? process.cwd();
      paths.push(path.resolve(base, raw));
    }
    const fdBased = family === 'write' || family === 'sync' || family === 'close' || family === 'meta';
    const fdPath = fdBased ? parseFd(call.args[outputFdArgIndex(call.name)])?.path : undefined;
    return { call, family, fdPath, paths };
  });
}

/** Every file a call refers to: its fd, its path arguments, the fd it returned. */
export function filesOf(pc: PathCall): string[] {
  const files = [...pc.paths];
  if (pc.fdPath) files.push(pc.fdPath);
  if (pc.call.resultPath) files.push(pc.call.resultPath);
  return files;
}

export function buildWritePath(trace: ParsedTrace, target: string): WritePath {
  return writePathOf(resolveCalls(trace), target);
}

/** The write path seen through a filter: what a trace restricted the same way (-P, no -f) would show. */
export function narrowWritePath(model: WritePath, keep: (pc: PathCall) => boolean): WritePath {
  return writePathOf(model.calls.filter(keep), model.target);
}

/** The thread that started it all: the first traced call's (the subject's own process). */
export function rootTid(model: WritePath): number | undefined {
  return model.calls[0]?.call.tid;
}

function writePathOf(calls: PathCall[], target: string): WritePath {
  const dir = path.dirname(target);
  const inDir = (file: string | undefined): file is string => file !== undefined && path.dirname(file) === dir;

  const bytesByFile = new Map<string, number>();
  for (const pc of calls) {
    if (pc.family !== 'write' || !inDir(pc.fdPath)) continue;
    bytesByFile.set(pc.fdPath, (bytesByFile.get(pc.fdPath) ?? 0) + Math.max(0, pc.call.retval ?? 0));
  }
  let dataPath: string | undefined;
  for (const [file, bytes] of bytesByFile) if (dataPath === undefined || bytes > (bytesByFile.get(dataPath) ?? 0)) dataPath = file;
  const creating = calls.filter((pc) => pc.family === 'open');
  if (dataPath === undefined) {
    // Nothing written (a fault stopped it early): the file it created in the directory, if any.
    dataPath = creating.find((pc) => createsFile(pc) && inDir(pc.paths[0]) && pc.paths[0] !== dir)?.paths[0];
  }
  const writes = calls.filter((pc) => pc.family === 'write' && pc.fdPath === dataPath && dataPath !== undefined);
  const firstWriteSeq = writes[0]?.call.seq ?? Number.POSITIVE_INFINITY;
  const createOpen = [...creating]
    .reverse()
    .find((pc) => pc.call.seq < firstWriteSeq && dataPath !== undefined && (pc.call.resultPath === dataPath || pc.paths[0] === dataPath));
  const renameCall = calls.find((pc) => pc.family === 'rename' && pc.paths[0] === dataPath && pc.paths[1] === target);
  const tids = [...new Set(calls.filter((pc) => filesOf(pc).some((file) => file === dir || inDir(file))).map((pc) => pc.call.tid))];
  return {
    target,
    dir,
    calls,
    dataPath,
    inPlace: dataPath === target,
    createOpen,
    writes,
    bytesWritten: writes.reduce((sum, pc) => sum + Math.max(0, pc.call.retval ?? 0), 0),
    fileSyncs: calls.filter((pc) => pc.family === 'sync' && dataPath !== undefined && pc.fdPath === dataPath),
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
  return file;
}
