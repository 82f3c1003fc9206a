import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileEquals, fileSha256 } from './content.js';
import { WriteConflictError, WriteError, describeErrno, type WriteStep } from './errors.js';
import { nodeIo, type SyncIo } from './io.js';
import { acquireLock } from './lock.js';
import type { ExpectedContent, WriteMode, WriteOptions, WriteStats } from './types.js';

const TEMP_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
const DIR_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0);

const TEMP_SUFFIX_HEX = 12;
const TEMP_SUFFIXES_PER_DRAW = 256;
let tempRandomHex = '';
let tempRandomOffset = 0;

/**
 * The temp name the reference writer uses: hidden, in the target's directory, unique per call (pid
 * plus 48 random bits). The random bits come from one CSPRNG draw per 256 names, kept as hex: a
 * randomBytes call costs about 20 µs right after an fsync wake-up, 3-4% of a 1 KiB durable write.
 */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), tempNameFor(path.basename(target)));
}

function tempNameFor(base: string): string {
  if (tempRandomOffset + TEMP_SUFFIX_HEX > tempRandomHex.length) {
    tempRandomHex = randomBytes((TEMP_SUFFIX_HEX / 2) * TEMP_SUFFIXES_PER_DRAW).toString('hex');
    tempRandomOffset = 0;
  }
  const suffix = tempRandomHex.slice(tempRandomOffset, tempRandomOffset + TEMP_SUFFIX_HEX);
  tempRandomOffset += TEMP_SUFFIX_HEX;
  return `.${base}.${process.pid}.${suffix}.tmp`;
}

/** tempPathFor for a resolved target whose directory is known, without path.join's second normalization. */
function tempPathInDir(absTarget: string, dir: string): string {
  // path.dirname of a resolved path ends with a separator only when it is a root.
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return prefix + tempNameFor(absTarget.slice(prefix.length));
}

/**
 * path.resolve walks and rebuilds the whole string, which costs several µs right after an fsync
 * wake-up. An absolute POSIX path without empty, `.` or `..` segments and without a trailing slash
 * is already what path.resolve would return.
 */
const NOT_NORMAL_SEGMENT = /\/\.{0,2}(?:\/|$)/;
function resolveTarget(target: string): string {
  if (path.sep === '/' && target.charCodeAt(0) === 47 && !NOT_NORMAL_SEGMENT.test(target)) return target;
  return path.resolve(target);
}

/**
 * Writes `data` to `target` so that any reader, and any crash, sees either the whole old content or
 * the whole new content (the reference algorithm). Throws WriteError; on every failure before
 * the rename the target is untouched and the temp file is gone.
 */
export function writeFileAtomicSync(target: string, data: Uint8Array | string, options: WriteOptions = {}): WriteStats {
  const started = performance.now();
  const stats: WriteStats = { bytesWritten: 0, fsyncCount: 0, renameCount: 0, skipped: false, elapsedMs: 0 };
  const { absTarget, bytes } = validate(target, data);
  const io = options.io ?? nodeIo;
  const mode: WriteMode = options.mode ?? 'durable';
  const release = options.lock
    ? acquireLock(absTarget, typeof options.lock === 'object' ? options.lock.timeoutMs : undefined)
    : undefined;
  try {
    const current = statOrFail(io, absTarget);
    if (options.expected) checkExpected(io, absTarget, current, options.expected);
    if (
      mode === 'unchanged' &&
      current &&
      current.isFile() &&
      current.size === bytes.length &&
      fileEquals(io, absTarget, bytes)
    ) {
      stats.skipped = true;
    } else {
      const dir = path.dirname(absTarget);
      replaceFile(
        io,
        absTarget,
        tempPathInDir(absTarget, dir),
        bytes,
        mode !== 'fast',
        current?.mode ?? options.fileMode,
        stats,
      );
      if (mode !== 'fast') syncDirectory(io, dir, absTarget, stats);
    }
  } finally {
    release?.();
  }
  stats.elapsedMs = performance.now() - started;
  return stats;
}

export interface BatchEntry {
  target: string;
  data: Uint8Array | string;
}

/**
 * Writes many files, each atomically, and syncs each distinct parent directory once after all the
 * renames (fsyncs are batched: one fsync(dir) per unique parent). Stops at the first failure; files renamed
 * before it keep their new content.
 */
export function writeFilesAtomicSync(
  entries: readonly BatchEntry[],
  options: Omit<WriteOptions, 'expected'> = {},
): WriteStats {
  const started = performance.now();
  const stats: WriteStats = { bytesWritten: 0, fsyncCount: 0, renameCount: 0, skipped: false, elapsedMs: 0 };
  const io = options.io ?? nodeIo;
  const mode: WriteMode = options.mode ?? 'durable';
  const dirs = new Map<string, string>();
  let skippedAll = entries.length > 0;
  for (const entry of entries) {
    const { absTarget, bytes } = validate(entry.target, entry.data);
    const current = statOrFail(io, absTarget);
    if (
      mode === 'unchanged' &&
      current &&
      current.isFile() &&
      current.size === bytes.length &&
      fileEquals(io, absTarget, bytes)
    )
      continue;
    skippedAll = false;
    replaceFile(
      io,
      absTarget,
      tempPathFor(absTarget),
      bytes,
      mode !== 'fast',
      current?.mode ?? options.fileMode,
      stats,
    );
    dirs.set(path.dirname(absTarget), absTarget);
  }
  if (mode !== 'fast') for (const [dir, target] of dirs) syncDirectory(io, dir, target, stats);
  stats.skipped = skippedAll;
  stats.elapsedMs = performance.now() - started;
  return stats;
}

function validate(target: string, data: Uint8Array | string): { absTarget: string; bytes: Uint8Array } {
  if (typeof target !== 'string' || target.trim() === '')
    throw new WriteError('invalid_input', String(target), 'target path is empty');
  if (target.includes('\0')) throw new WriteError('invalid_input', target, 'target path contains a NUL byte');
  if (typeof data !== 'string' && !(data instanceof Uint8Array))
    throw new WriteError('invalid_input', target, 'data must be a string or bytes');
  return { absTarget: resolveTarget(target), bytes: typeof data === 'string' ? Buffer.from(data) : data };
}

function statOrFail(io: SyncIo, target: string): fs.Stats | undefined {
  try {
    const current = io.statSync(target);
    if (current && !current.isFile())
      throw new WriteError('invalid_input', target, 'target exists and is not a regular file');
    return current;
  } catch (error) {
    if (error instanceof WriteError) throw error;
    throw new WriteError('invalid_input', target, `cannot stat target (${describeErrno(error)})`, error);
  }
}

function checkExpected(io: SyncIo, target: string, current: fs.Stats | undefined, expected: ExpectedContent): void {
  if ('absent' in expected) {
    if (current) throw new WriteConflictError(target, 'absent', `present (${current.size} bytes)`);
    return;
  }
  if ('sha256' in expected) {
    const actual = current ? fileSha256(io, target) : undefined;
    if (actual !== expected.sha256)
      throw new WriteConflictError(target, `sha256 ${expected.sha256}`, actual ? `sha256 ${actual}` : 'absent');
    return;
  }
  const actual = current ? `size ${current.size} mtimeMs ${current.mtimeMs}` : 'absent';
  if (!current || current.size !== expected.size || current.mtimeMs !== expected.mtimeMs) {
    throw new WriteConflictError(target, `size ${expected.size} mtimeMs ${expected.mtimeMs}`, actual);
  }
}

/** `temp` → write every byte → (fdatasync) → close → rename. Cleans the temp on any failure. */
function replaceFile(
  io: SyncIo,
  target: string,
  temp: string,
  bytes: Uint8Array,
  sync: boolean,
  keepMode: number | undefined,
  stats: WriteStats,
): void {
  let fd: number | undefined;
  let step: WriteStep = 'temp_create';
  try {
    fd = io.openSync(temp, TEMP_FLAGS, 0o600);
    // Open with 0600 so no one reads a half-written temp, then give it the target's mode.
    io.fchmodSync(fd, (keepMode ?? 0o666 & ~currentUmask()) & 0o7777);
    step = 'write';
    writeAll(io, fd, bytes, target, stats);
    if (sync) {
      step = 'sync';
      io.fdatasyncSync(fd);
      stats.fsyncCount += 1;
    }
    step = 'write';
    const toClose = fd;
    fd = undefined;
    io.closeSync(toClose);
    step = 'rename';
    io.renameSync(temp, target);
    stats.renameCount += 1;
  } catch (error) {
    if (fd !== undefined) {
      try {
        io.closeSync(fd);
      } catch {
        // The write already failed; the close error adds nothing.
      }
    }
    if (step !== 'temp_create') removeQuietly(io, temp);
    if (error instanceof WriteError) throw error;
    throw new WriteError(step, target, describeErrno(error), error);
  }
}

function writeAll(io: SyncIo, fd: number, bytes: Uint8Array, target: string, stats: WriteStats): void {
  let offset = 0;
  while (offset < bytes.length) {
    const n = io.writeSync(fd, bytes, offset, bytes.length - offset);
    if (!(n > 0)) {
      // write(2) returning 0 for a non-empty buffer means the device took nothing: never success.
      throw new WriteError('write', target, `short write: ${offset} of ${bytes.length} bytes accepted, then 0`);
    }
    offset += n;
    stats.bytesWritten += n;
  }
}

function syncDirectory(io: SyncIo, dir: string, target: string, stats: WriteStats): void {
  let fd: number | undefined;
  try {
    fd = io.openSync(dir, DIR_FLAGS);
    io.fsyncSync(fd);
    stats.fsyncCount += 1;
  } catch (error) {
    throw new WriteError(
      'dir_sync',
      target,
      `new content is in place but ${dir} was not synced (${describeErrno(error)})`,
      error,
    );
  } finally {
    if (fd !== undefined) io.closeSync(fd);
  }
}

function removeQuietly(io: SyncIo, file: string): void {
  try {
    io.unlinkSync(file);
  } catch {
    // Best effort: the original error is what the caller needs.
  }
}

let cachedUmask: number | undefined;
function currentUmask(): number {
  if (cachedUmask === undefined) {
    // process.umask() with no argument is deprecated; set-and-restore reads it once.
    const old = process.umask(0o022);
    process.umask(old);
    cachedUmask = old;
  }
  return cachedUmask;
}
