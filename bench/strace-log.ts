import path from 'node:path';
import { resolveCalls, succeeded, type PathCall } from '../core/trace/files.js';
import { parseTrace } from '../core/trace/strace.js';
import { TRACE_SET } from '../core/trace/syscalls.js';
import { SECCOMP_FLAG } from '../core/trace/seccomp.js';
import type { Accounting } from './rows.js';

/** What one traced write records: the same set crash traces, so both read one kind of trace. */
export const TRACED_CALLS: readonly string[] = TRACE_SET;

/** Flags every traced write gets. `?name` lets strace skip a call this architecture lacks (rename on arm64). */
export function straceArgv(traceFile: string, seccomp: boolean): string[] {
  return [
    'strace',
    ...(seccomp ? [SECCOMP_FLAG] : []),
    '-f',
    '-y',
    '-qq',
    '-e',
    'signal=none',
    '-e',
    `trace=${TRACED_CALLS.map((name) => `?${name}`).join(',')}`,
    '-o',
    traceFile,
    '--',
  ];
}

/**
 * Counts what one traced write did to `targetDir`, following each file by identity: syncs of the
 * directory or of a file that is (or comes to be) in it, renames whose destination is in it, and
 * bytes that reached such a file. A temp written in $TMPDIR and renamed into the directory is the
 * same file, so its writes and fsyncs count. Relative paths with a bare AT_FDCWD resolve against `cwd`.
 */
export function accountTrace(text: string, targetDir: string, cwd: string): Accounting {
  return accountFor(resolveCalls(parseTrace(text), { cwd }), targetDir);
}

export function accountFor(calls: readonly PathCall[], targetDir: string): Accounting {
  const { fsyncCount, renameCount, bytesWritten } = accountForDirs(calls, [targetDir]);
  return { fsyncCount, renameCount, bytesWritten };
}

/** What a batch's trace did to its directories: accountFor's counts over several, and how many syncs were of them. */
export interface DirsAccounting extends Accounting {
  /** Of fsyncCount, the syncs of a directory itself (a file's sync is the rest). */
  dirFsyncCount: number;
}

/** accountTrace over several directories at once (a batch's targets spread over them). */
export function accountTraceDirs(text: string, targetDirs: readonly string[], cwd: string): DirsAccounting {
  return accountForDirs(resolveCalls(parseTrace(text), { cwd }), targetDirs);
}

/** accountFor over several directories: a call counts once when it reaches any of them. */
export function accountForDirs(calls: readonly PathCall[], targetDirs: readonly string[]): DirsAccounting {
  const dirs = new Set(targetDirs.map((dir) => path.resolve(dir)));
  const inDir = (file: string | undefined): boolean => file !== undefined && dirs.has(path.dirname(file));
  const filesOfDir = new Set<number>();
  for (const pc of calls) {
    if (pc.ino === undefined || !succeeded(pc)) continue;
    const arrives = (pc.family === 'rename' || pc.family === 'link') && inDir(pc.paths[1]);
    if (inDir(pc.fdPath) || arrives || (pc.family === 'open' && inDir(pc.paths[0]))) filesOfDir.add(pc.ino);
  }
  const ofDir = (pc: PathCall): boolean => pc.ino !== undefined && filesOfDir.has(pc.ino);
  const counts: DirsAccounting = { fsyncCount: 0, renameCount: 0, bytesWritten: 0, dirFsyncCount: 0 };
  for (const pc of calls) {
    if (!succeeded(pc)) continue;
    if (pc.family === 'sync' || pc.family === 'range_sync') {
      // sync() names no file but reaches every one; an msync is known by its mapping's file.
      const ofTheDir = pc.fdPath !== undefined && dirs.has(pc.fdPath);
      if (ofTheDir || ofDir(pc) || pc.reach?.scope === 'system') counts.fsyncCount += 1;
      if (ofTheDir) counts.dirFsyncCount += 1;
    } else if (pc.family === 'rename') {
      if (inDir(pc.paths[1])) counts.renameCount += 1;
    } else if (pc.family === 'write') {
      if (ofDir(pc)) counts.bytesWritten += pc.length ?? 0;
    }
  }
  return counts;
}
