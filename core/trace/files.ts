import path from 'node:path';
import { isDeletedPath, parseFd, parseString, type ParsedTrace, type TraceCall } from './strace.js';
import { familyOf, outputFdArgIndex, pathArgs, type Family } from './syscalls.js';

/**
 * A traced call with the files it touches resolved, and the file it acts on followed by identity:
 * a temp file written in $TMPDIR and renamed into the target's directory is one file (one `ino`)
 * from its open to its last fsync, whatever path strace printed at each call.
 */
export interface PathCall {
  call: TraceCall;
  family: Family | undefined;
  /** The file behind the fd a data, sync, seek, truncate, close or metadata call acts on. */
  fdPath?: string;
  /** Path arguments, resolved against their dirfd or the thread's cwd, in argument order. */
  paths: string[];
  /**
   * The file this call acts on (fd-based calls), opens, creates, unlinks or renames (the source),
   * numbered by identity across the whole trace. Same number, same file.
   */
  ino?: number;
  /** rename/link: the file the destination named before the call, if any was known. */
  replacedIno?: number;
  /** open/mkdir: the call made a new file (O_EXCL, or O_CREAT on a name not known to exist). */
  created?: boolean;
  /** open: O_TRUNC emptied an existing file. */
  truncated?: boolean;
  /** Data calls that succeeded: where the bytes went in the file, and how many. */
  offset?: number;
  length?: number;
  /** ftruncate: the size it set. */
  size?: number;
}

export interface ResolveOptions {
  /** Files known to exist before the run, by absolute path (a snapshot of the watched directories). */
  existing?: ReadonlyMap<string, number>;
  /** The first number given to a file the trace meets for the first time. */
  firstIno?: number;
  /** What a bare AT_FDCWD (no `-y` path) and plain relative paths resolve against. Default: this process's cwd. */
  cwd?: string;
}

/**
 * Resolves every call of a trace in order, keeping a model of the name space it saw: which name
 * points at which file, each fd's position. strace's `-y` shows an fd's path as it is at the time of
 * the call (after a rename, the new name), so fd-based calls are looked up by that path; an fd whose
 * file was already unlinked falls back to the file it was opened on.
 */
export function resolveCalls(trace: ParsedTrace, options: ResolveOptions = {}): PathCall[] {
  return resolveTrace(trace, options).calls;
}

/** The resolved calls, and which file each name held once the trace ended. */
export function resolveTrace(trace: ParsedTrace, options: ResolveOptions = {}): { calls: PathCall[]; names: ReadonlyMap<string, number> } {
  const names = new Map<string, number>(options.existing ?? []);
  let nextIno = options.firstIno ?? Math.max(0, ...names.values()) + 1;
  const fresh = (): number => nextIno++;
  const lookup = (file: string): number => {
    let ino = names.get(file);
    if (ino === undefined) {
      ino = fresh();
      names.set(file, ino);
    }
    return ino;
  };
  /** Per-thread fd → file, for an fd whose path no longer names it. Threads of a process share fds. */
  const opened = new Map<string, number>();
  const positions = new Map<string, number>();
  const cwdByTid = new Map<number, string>();

  const calls = trace.calls.map((call) => {
    const family = familyOf(call.name);
    const paths = resolvePaths(call, cwdByTid, options.cwd ?? process.cwd());
    const pc: PathCall = { call, family, paths };
    const ok = call.finished && call.errno === undefined && (call.retval ?? -1) >= 0;
    const fdToken = call.args[outputFdArgIndex(call.name)];
    const fd = parseFd(fdToken);
    const fdBased = family !== undefined && FD_FAMILIES.has(family);
    if (fdBased && fd?.path !== undefined) pc.fdPath = fd.path;
    const fdKey = fd ? String(fd.fd) : '';
    if (fdBased && fd) {
      const byPath = fd.path !== undefined && !isDeletedPath(fdToken) ? names.get(fd.path) : undefined;
      pc.ino = byPath ?? opened.get(fdKey) ?? (fd.path !== undefined ? lookup(fd.path) : undefined);
    }
    switch (family) {
      case 'open': {
        const file = paths[0] ?? call.resultPath;
        if (file === undefined) break;
        const flags = call.args.find((arg) => /\bO_[A-Z]/.test(arg)) ?? '';
        const creates = call.name === 'creat' || /\bO_CREAT\b/.test(flags);
        const known = names.get(file);
        if (ok && creates && (/\bO_EXCL\b/.test(flags) || known === undefined)) {
          pc.created = known === undefined || /\bO_EXCL\b/.test(flags);
          pc.ino = pc.created ? fresh() : known;
          names.set(file, pc.ino as number);
        } else {
          pc.ino = known ?? (ok ? lookup(file) : undefined);
          if (ok) pc.created = false;
        }
        pc.truncated = ok && !pc.created && (call.name === 'creat' || /\bO_TRUNC\b/.test(flags));
        if (ok && pc.ino !== undefined && call.retval !== undefined) {
          opened.set(String(call.retval), pc.ino);
          positions.set(`${pc.ino}:${call.retval}`, 0);
        }
        break;
      }
      case 'write':
        if (ok && pc.ino !== undefined) {
          pc.length = call.retval as number;
          pc.offset = explicitOffset(call) ?? positions.get(`${pc.ino}:${fdKey}`) ?? 0;
          if (explicitOffset(call) === undefined) positions.set(`${pc.ino}:${fdKey}`, pc.offset + pc.length);
        }
        break;
      case 'seek':
        if (ok && pc.ino !== undefined) positions.set(`${pc.ino}:${fdKey}`, call.retval as number);
        break;
      case 'truncate':
        if (ok) pc.size = Number(call.args[1]);
        break;
      case 'close':
        if (ok) opened.delete(fdKey);
        break;
      case 'rename':
      case 'link': {
        const [from, to] = paths;
        if (from === undefined || to === undefined) break;
        pc.ino = names.get(from) ?? (ok ? lookup(from) : undefined);
        if (!ok) break;
        pc.replacedIno = names.get(to);
        if (family === 'rename') names.delete(from);
        names.set(to, pc.ino as number);
        break;
      }
      case 'unlink': {
        const file = paths[0];
        if (file === undefined) break;
        pc.ino = names.get(file) ?? (ok ? lookup(file) : undefined);
        if (ok) names.delete(file);
        break;
      }
      case 'mkdir': {
        const file = paths[0];
        if (file === undefined || !ok) break;
        pc.created = true;
        pc.ino = fresh();
        names.set(file, pc.ino);
        break;
      }
    }
    return pc;
  });
  return { calls, names };
}

const FD_FAMILIES: ReadonlySet<Family> = new Set<Family>(['write', 'sync', 'close', 'meta', 'truncate', 'seek', 'range_sync']);

/** pwrite64/pwritev/pwritev2 say where they write; copy_file_range may (`[off]` for the output). */
function explicitOffset(call: TraceCall): number | undefined {
  if (call.name === 'pwrite64' || call.name === 'pwritev' || call.name === 'pwritev2') {
    const offset = Number(call.args[3]);
    return Number.isFinite(offset) && offset >= 0 ? offset : undefined;
  }
  if (call.name === 'copy_file_range') {
    const match = /^\[(\d+)/.exec(call.args[3] ?? '');
    return match ? Number(match[1]) : undefined;
  }
  return undefined;
}

function resolvePaths(call: TraceCall, cwdByTid: Map<number, string>, cwd: string): string[] {
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
    base ??= cwdByTid.get(call.tid) ?? cwd;
    paths.push(path.resolve(base, raw));
  }
  return paths;
}

/** Every file a call refers to by path: its fd, its path arguments, the fd it returned. */
export function filesOf(pc: PathCall): string[] {
  const files = [...pc.paths];
  if (pc.fdPath) files.push(pc.fdPath);
  if (pc.call.resultPath) files.push(pc.call.resultPath);
  return files;
}

/** Whether the call ran to completion without an error. */
export function succeeded(pc: PathCall): boolean {
  return pc.call.finished && pc.call.errno === undefined && (pc.call.retval ?? -1) >= 0;
}
