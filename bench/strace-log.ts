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
  const dir = path.resolve(targetDir);
  const inDir = (file: string | undefined): boolean => file !== undefined && path.dirname(file) === dir;
  const filesOfDir = new Set<number>();
  for (const pc of calls) {
    if (pc.ino === undefined || !succeeded(pc)) continue;
    const arrives = (pc.family === 'rename' || pc.family === 'link') && inDir(pc.paths[1]);
    if (inDir(pc.fdPath) || arrives || (pc.family === 'open' && inDir(pc.paths[0]))) filesOfDir.add(pc.ino);
  }
  const ofDir = (pc: PathCall): boolean => pc.ino !== undefined && filesOfDir.has(pc.ino);
  const counts: Accounting = { fsyncCount: 0, renameCount: 0, bytesWritten: 0 };
  for (const pc of calls) {
    if (!succeeded(pc)) continue;
    if (pc.family === 'sync' || pc.family === 'range_sync') {
      // sync() names no file but reaches every one; an msync is known by its mapping's file.
      if (pc.fdPath === dir || ofDir(pc) || pc.reach?.scope === 'system') counts.fsyncCount += 1;
    } else if (pc.family === 'rename') {
      if (inDir(pc.paths[1])) counts.renameCount += 1;
    } else if (pc.family === 'write') {
      if (ofDir(pc)) counts.bytesWritten += pc.length ?? 0;
    }
  }
  return counts;
}
