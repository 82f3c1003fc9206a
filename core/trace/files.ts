import path from 'node:path';
import { isWritableSharedMapping, MappingTable, parseNumber } from './mappings.js';
import { isDeletedPath, parseFd, parseString, type ParsedTrace, type TraceCall } from './strace.js';
import {
  allocateMode,
  cloneRequest,
  familyOf,
  isReadOnlyIoctl,
  outputFdArgIndex,
  pathArgs,
  synchronousOpenFlag,
  synchronousWriteFlag,
  type Family,
  type SynchronousFlag,
} from './syscalls.js';

/**
 * What a call of the sync family made durable: one file (fsync, fdatasync), a range of one file
 * (msync with MS_SYNC of a shared mapping), every file of one file system (syncfs: on Linux it waits
 * for the write-back), every file system (sync: likewise), or nothing (msync without MS_SYNC, which
 * only schedules the write-back; sync_file_range, which persists no metadata).
 */
export type SyncReach =
  | { scope: 'file'; ino: number; dataOnly: boolean }
  | { scope: 'range'; ino: number; offset: number; length: number }
  | { scope: 'file-system'; path?: string; onWatched?: boolean }
  | { scope: 'system' }
  | { scope: 'nothing'; why: string };

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
   * The file this call acts on (fd-based calls, msync and munmap through their mapping), opens,
   * creates, unlinks or renames (the source), numbered by identity across the whole trace.
   */
  ino?: number;
  /** rename/link: the file the destination named before the call, if any was known. */
  replacedIno?: number;
  /** open/mkdir/symlink: the call made a new file (O_EXCL, or O_CREAT on a name not known to exist, O_TMPFILE). */
  created?: boolean;
  /** open with O_TMPFILE: a file with no name; a later linkat gives it one. */
  anonymous?: boolean;
  /** open: O_TRUNC emptied an existing file. */
  truncated?: boolean;
  /** Data calls that succeeded: where the bytes went in the file, and how many. */
  offset?: number;
  length?: number;
  /**
   * A write that was durable when it returned: its fd was opened O_SYNC/O_DSYNC, or pwritev2 got RWF_SYNC/RWF_DSYNC.
   */
  synchronous?: SynchronousFlag;
  /** ftruncate/truncate: the size it set. */
  size?: number;
  /** sync family (and sync_file_range): what it made durable. */
  reach?: SyncReach;
  /** mmap: a writable shared mapping, the file range the process can change through memory with no further call. */
  mapped?: { offset: number; length: number };
  /** fallocate: the range, whether it zeroes it (punch hole, zero range), whether the size stays. */
  allocated?: { offset: number; length: number; zeroes: boolean; keepSize: boolean };
  /**
   * ioctl FICLONE/FICLONERANGE (attempted: see succeeded()): the file receives another file's bytes at `offset`
   * (`length` undefined: to the end).
   */
  cloned?: { offset: number; length?: number; from?: number };
  /** renameat2 with RENAME_EXCHANGE: the destination's file, which now has the source's name. */
  exchangedIno?: number;
  /** symlink: the text it holds. */
  linkText?: string;
  /** Why this call's effect on its file is not followed: a reader must not judge that file on a model of it. */
  unmodelled?: string;
}

export interface ResolveOptions {
  /** Files known to exist before the run, by absolute path (a snapshot of the watched directories). */
  existing?: ReadonlyMap<string, number>;
  /** Their sizes, where known (what an append to them writes at). */
  sizes?: ReadonlyMap<string, number>;
  /** The first number given to a file the trace meets for the first time. */
  firstIno?: number;
  /** What a bare AT_FDCWD (no `-y` path) and plain relative paths resolve against. Default: this process's cwd. */
  cwd?: string;
  /** Whether a file lives on the watched file system (syncfs reaches only its own): true, false, or unknown. */
  onWatchedFileSystem?: (file: string) => boolean | undefined;
}

interface FdState {
  synchronous?: SynchronousFlag;
  append: boolean;
}

/**
 * Resolves every call of a trace in order, keeping a model of the name space it saw: which name
 * points at which file, each fd's position, open flags and size, each shared mapping. strace's `-y`
 * shows an fd's path as it is at the time of the call (after a rename, the new name), so fd-based
 * calls are looked up by that path; an fd whose file was already unlinked (or never had a name)
 * falls back to the file it was opened on.
 */
export function resolveCalls(trace: ParsedTrace, options: ResolveOptions = {}): PathCall[] {
  return resolveTrace(trace, options).calls;
}

/** The resolved calls, and which file each name held once the trace ended. */
export function resolveTrace(
  trace: ParsedTrace,
  options: ResolveOptions = {},
): { calls: PathCall[]; names: ReadonlyMap<string, number> } {
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
  const sizes = new Map<number, number>();
  for (const [file, size] of options.sizes ?? []) {
    const ino = names.get(file);
    if (ino !== undefined) sizes.set(ino, size);
  }
  /** fd → file, for an fd whose path no longer names it. Threads of a process share fds. */
  const opened = new Map<string, number>();
  const fdStates = new Map<string, FdState>();
  const positions = new Map<string, number>();
  const cwdByTid = new Map<number, string>();
  const mappings = new MappingTable();
  const grow = (ino: number, end: number): void => {
    const known = sizes.get(ino);
    if (known !== undefined) sizes.set(ino, Math.max(known, end));
  };

  const calls = trace.calls.map((call) => {
    const family = familyOf(call.name);
    const paths = resolvePaths(call, cwdByTid, options.cwd ?? process.cwd());
    const pc: PathCall = { call, family, paths };
    const ok = call.finished && call.errno === undefined && (call.retval ?? -1) >= 0;
    const fdIndex = outputFdArgIndex(call.name);
    const fdToken = fdIndex < 0 ? undefined : call.args[fdIndex];
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
        const flags = call.args.find((arg) => /\bO_[A-Z]/.test(arg)) ?? '';
        if (/\bO_TMPFILE\b/.test(flags)) {
          // An anonymous file in the named directory: no entry until a linkat gives it one.
          if (!ok) break;
          pc.ino = fresh();
          pc.created = true;
          pc.anonymous = true;
          sizes.set(pc.ino, 0);
          track(pc.ino, flags, call.retval);
          break;
        }
        const file = paths[0] ?? call.resultPath;
        if (file === undefined) break;
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
        if (ok && pc.ino !== undefined && (pc.created || pc.truncated)) sizes.set(pc.ino, 0);
        if (ok && pc.ino !== undefined) track(pc.ino, flags, call.retval);
        break;
      }
      case 'write':
        if (ok && pc.ino !== undefined) {
          pc.length = call.retval as number;
          const state = fdStates.get(fdKey);
          pc.synchronous =
            synchronousWriteFlag(call.name === 'pwritev2' ? call.args[4] : undefined) ?? state?.synchronous;
          const explicit = explicitOffset(call);
          const positionKey = `${pc.ino}:${fdKey}`;
          if (explicit !== undefined) pc.offset = explicit;
          else if (state?.append) {
            const size = sizes.get(pc.ino);
            if (size === undefined) pc.unmodelled = `${call.name} in append mode to a file of unknown size`;
            pc.offset = size ?? 0;
          } else pc.offset = positions.get(positionKey) ?? 0;
          if (explicit === undefined) positions.set(positionKey, pc.offset + pc.length);
          grow(pc.ino, pc.offset + pc.length);
        }
        break;
      case 'seek':
        if (ok && pc.ino !== undefined) positions.set(`${pc.ino}:${fdKey}`, call.retval as number);
        break;
      case 'truncate': {
        if (call.name === 'truncate') {
          const file = paths[0];
          pc.ino = file === undefined ? undefined : (names.get(file) ?? (ok ? lookup(file) : undefined));
        }
        if (ok) pc.size = Number(call.args[1]);
        if (ok && pc.ino !== undefined && pc.size !== undefined) sizes.set(pc.ino, pc.size);
        break;
      }
      case 'allocate': {
        if (!ok || pc.ino === undefined) break;
        const mode = allocateMode(call.args[1]);
        const offset = Number(call.args[2]);
        const length = Number(call.args[3]);
        if (mode.shifts) {
          pc.unmodelled = `fallocate(${call.args[1]}) shifts the bytes after its range`;
          break;
        }
        pc.allocated = { offset, length, zeroes: mode.zeroes, keepSize: mode.keepSize };
        if (!mode.keepSize) grow(pc.ino, offset + length);
        break;
      }
      case 'sync':
        pc.reach = syncReach(pc, call, mappings, options);
        if (pc.reach.scope === 'range') pc.ino = pc.reach.ino;
        break;
      case 'range_sync':
        pc.reach = {
          scope: 'nothing',
          why: 'sync_file_range writes pages but persists no metadata (not the size, not the blocks, not a name)',
        };
        break;
      case 'map':
        mapCall(pc, call, ok, mappings);
        break;
      case 'clone': {
        // A clone that failed or was killed is still the clone step (what aiming and verification ask);
        // only one that succeeded brought bytes (what the model asks, through succeeded()).
        const clone = cloneRequest(call.args[1]);
        if (pc.ino === undefined) break;
        if (clone === 'whole') pc.cloned = { offset: 0, from: opened.get(String(parseNumber(call.args[2]))) };
        else if (clone === 'range') {
          const field = (name: string) => parseNumber(new RegExp(`${name}=(\\d+)`).exec(call.args[2] ?? '')?.[1]);
          const length = field('src_length');
          pc.cloned = {
            offset: field('dest_offset') ?? 0,
            ...(length ? { length } : {}),
            from: opened.get(String(field('src_fd'))),
          };
        } else if (ok && !isReadOnlyIoctl(call.args[1]))
          pc.unmodelled = `ioctl(${call.args[1] ?? '?'}) changes the file in a way the model does not follow`;
        break;
      }
      case 'close':
        if (ok) {
          opened.delete(fdKey);
          fdStates.delete(fdKey);
        }
        break;
      case 'rename':
      case 'link': {
        const [from, to] = paths;
        if (from === undefined || to === undefined) break;
        pc.ino = family === 'link' ? linkSource(call, from, names, opened) : names.get(from);
        pc.ino ??= ok ? lookup(from) : undefined;
        if (!ok) break;
        pc.replacedIno = names.get(to);
        const flags = call.name === 'renameat2' ? (call.args[4] ?? '') : '';
        if (/\bRENAME_WHITEOUT\b/.test(flags))
          pc.unmodelled = 'renameat2 with RENAME_WHITEOUT leaves a whiteout the model does not follow';
        if (/\bRENAME_EXCHANGE\b/.test(flags)) {
          // It succeeded, so the destination existed, whether or not the trace had met it.
          pc.exchangedIno = pc.replacedIno ?? lookup(to);
          names.set(from, pc.exchangedIno);
        } else if (family === 'rename') names.delete(from);
        names.set(to, pc.ino as number);
        break;
      }
      case 'symlink': {
        const file = paths[0];
        if (file === undefined || !ok) break;
        pc.created = true;
        pc.ino = fresh();
        pc.linkText = parseString(call.args[0]);
        names.set(file, pc.ino);
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

  function track(ino: number, flags: string, fdNumber: number | undefined): void {
    if (fdNumber === undefined) return;
    const key = String(fdNumber);
    opened.set(key, ino);
    fdStates.set(key, { synchronous: synchronousOpenFlag(flags), append: /\bO_APPEND\b/.test(flags) });
    positions.set(`${ino}:${key}`, 0);
  }
}

const FD_FAMILIES: ReadonlySet<Family> = new Set<Family>([
  'write',
  'sync',
  'close',
  'meta',
  'truncate',
  'seek',
  'range_sync',
  'allocate',
  'clone',
  'map',
]);

/**
 * pwrite64/pwritev/pwritev2 say where they write (-1: at the position); copy_file_range may (`[off]` for the output).
 */
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

/** What a call of the sync family made durable (see SyncReach). */
function syncReach(pc: PathCall, call: TraceCall, mappings: MappingTable, options: ResolveOptions): SyncReach {
  switch (call.name) {
    case 'sync':
      return { scope: 'system' };
    case 'syncfs':
      return {
        scope: 'file-system',
        ...(pc.fdPath !== undefined ? { path: pc.fdPath, onWatched: options.onWatchedFileSystem?.(pc.fdPath) } : {}),
      };
    case 'msync': {
      const address = parseNumber(call.args[0]);
      const length = parseNumber(call.args[1]);
      if (!/\bMS_SYNC\b/.test(call.args[2] ?? ''))
        return { scope: 'nothing', why: 'msync without MS_SYNC only schedules the write-back' };
      const [hit] = address === undefined || length === undefined ? [] : mappings.overlapping(address, length);
      if (!hit) return { scope: 'nothing', why: 'msync of memory that maps no file the trace opened' };
      return { scope: 'range', ino: hit.mapping.ino, offset: hit.offset, length: hit.length };
    }
    default:
      return pc.ino === undefined
        ? { scope: 'nothing', why: `${call.name} of an fd the trace never opened` }
        : { scope: 'file', ino: pc.ino, dataOnly: call.name === 'fdatasync' };
  }
}

/** mmap, munmap, mremap: keep the table of writable shared file mappings. */
function mapCall(pc: PathCall, call: TraceCall, ok: boolean, mappings: MappingTable): void {
  if (call.name === 'munmap') {
    const address = parseNumber(call.args[0]);
    const length = parseNumber(call.args[1]);
    if (!ok || address === undefined || length === undefined) return;
    const hit = mappings.overlapping(address, length)[0];
    if (hit) pc.ino = hit.mapping.ino;
    mappings.remove(address, length);
    return;
  }
  if (call.name === 'mremap') {
    const address = parseNumber(call.args[0]);
    const length = parseNumber(call.args[1]);
    const hit = address === undefined || length === undefined ? undefined : mappings.overlapping(address, length)[0];
    if (hit) {
      pc.ino = hit.mapping.ino;
      pc.unmodelled = 'mremap of a shared file mapping moves or resizes it: the model does not follow it';
    }
    return;
  }
  // mmap(addr, length, prot, flags, fd, offset) = address
  if (!ok || pc.ino === undefined || !isWritableSharedMapping(call.args[2], call.args[3])) return;
  const address = call.retval as number;
  const length = parseNumber(call.args[1]) ?? 0;
  const offset = parseNumber(call.args[5]) ?? 0;
  mappings.add({ start: address, end: address + length, ino: pc.ino, fileOffset: offset });
  pc.mapped = { offset, length };
}

/**
 * The file a link names: the path's file, or with linkat the fd's own file (AT_EMPTY_PATH and an
 * empty path) or the file behind /proc/self/fd/N (AT_SYMLINK_FOLLOW), which is how an O_TMPFILE
 * gets its name.
 */
function linkSource(
  call: TraceCall,
  from: string,
  names: ReadonlyMap<string, number>,
  opened: ReadonlyMap<string, number>,
): number | undefined {
  if (call.name === 'linkat') {
    const flags = call.args[4] ?? '';
    const fd = parseFd(call.args[0]);
    if (/\bAT_EMPTY_PATH\b/.test(flags) && parseString(call.args[1]) === '' && fd) {
      return (
        (fd.path !== undefined && !isDeletedPath(call.args[0]) ? names.get(fd.path) : undefined) ??
        opened.get(String(fd.fd))
      );
    }
    const proc = /^\/proc\/(?:self|\d+)\/fd\/(\d+)$/.exec(from);
    if (proc && /\bAT_SYMLINK_FOLLOW\b/.test(flags)) return opened.get(proc[1] as string);
  }
  return names.get(from);
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
