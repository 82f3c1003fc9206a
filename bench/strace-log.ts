import path from 'node:path';
import type { Accounting } from './rows.js';

/** What one traced write is counted from; every subject is traced with exactly this set. */
export const SYNC_CALLS = ['fsync', 'fdatasync', 'sync_file_range'] as const;
export const RENAME_CALLS = ['rename', 'renameat', 'renameat2'] as const;
/** Calls whose return value is bytes that reached a file through the given fd. */
export const WRITE_CALLS = ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'] as const;
/** Copies in the kernel (shutil.copyfile uses sendfile): bytes land in the file all the same. */
export const COPY_CALLS = ['sendfile', 'copy_file_range', 'splice'] as const;
export const TRACED_CALLS: readonly string[] = [...SYNC_CALLS, ...RENAME_CALLS, ...WRITE_CALLS, ...COPY_CALLS];

export interface Syscall {
  pid: number;
  name: string;
  args: string[];
  result: number;
}

/**
 * Parses `strace -f -y -o FILE` output: `PID name(args) = result`, with calls that other threads
 * interrupted (`<unfinished ...>` … `<... name resumed>`) joined back together by pid. Lines that are
 * not syscalls (signals, exits) and calls that returned an error or `?` are dropped.
 */
export function parseStraceLog(text: string): Syscall[] {
  const pending = new Map<number, string>();
  const calls: Syscall[] = [];
  for (const rawLine of text.split('\n')) {
    const line = /^(\d+)\s+(.*)$/.exec(rawLine.trimEnd());
    if (!line) continue;
    const pid = Number(line[1]);
    let body = line[2] as string;
    const unfinished = / <unfinished \.\.\.>$/.exec(body);
    if (unfinished) {
      pending.set(pid, body.slice(0, unfinished.index));
      continue;
    }
    const resumed = /^<\.\.\. [\w]+ resumed>(.*)$/.exec(body);
    if (resumed) {
      const head = pending.get(pid);
      pending.delete(pid);
      if (head === undefined) continue;
      body = head + (resumed[1] as string);
    }
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+)(?:\s.*)?$/.exec(body);
    if (!call) continue;
    const result = Number(call[3]);
    if (result < 0) continue;
    calls.push({ pid, name: call[1] as string, args: splitArgs(call[2] as string), result });
  }
  return calls;
}

/** Splits strace's argument text at top-level commas, keeping strings, arrays, structs and `<path>` whole. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let inString = false;
  let inFdPath = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      current += ch;
      if (ch === '\\') current += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (inFdPath) {
      current += ch;
      if (ch === '>') inFdPath = false;
      continue;
    }
    if (ch === '"') inString = true;
    // `-y` annotations follow an fd number or AT_FDCWD; a bare `=>` (in/out values) is not one.
    else if (ch === '<' && /(?:\d|AT_FDCWD)$/.test(current)) inFdPath = true;
    else if (ch === '[' || ch === '{' || ch === '(') depth += 1;
    else if (ch === ']' || ch === '}' || ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}

/** The path `-y` printed for an fd argument (`19</dir/file>`, `AT_FDCWD</cwd>`), if any. */
export function fdPath(arg: string | undefined): string | undefined {
  const match = /^(?:-?\d+|AT_FDCWD)<(.*)>$/.exec(arg ?? '');
  if (!match) return undefined;
  return unescapeStrace((match[1] as string).replace(/ \(deleted\)$/, ''));
}

/** A quoted path argument, unescaped. */
export function stringArg(arg: string | undefined): string | undefined {
  const match = /^"((?:[^"\\]|\\.)*)"$/.exec(arg ?? '');
  return match ? unescapeStrace(match[1] as string) : undefined;
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8 };

/** strace prints bytes outside printable ASCII as \ooo or \xhh escapes: rebuild the bytes, then UTF-8. */
export function unescapeStrace(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const rest = text.slice(i + 1);
    const hex = /^x([0-9a-fA-F]{2})/.exec(rest);
    const octal = /^([0-7]{1,3})/.exec(rest);
    if (hex) {
      bytes.push(parseInt(hex[1] as string, 16));
      i += 3;
    } else if (octal) {
      bytes.push(parseInt(octal[1] as string, 8));
      i += (octal[1] as string).length;
    } else {
      const next = rest[0] ?? '';
      bytes.push(SIMPLE_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Counts what one traced write did to `targetDir`: syncs of the directory or of files in it,
 * renames whose destination is in it, and bytes that reached files in it. Relative rename paths
 * resolve against the directory fd strace printed, or `cwd` for a bare AT_FDCWD.
 */
export function accountFor(calls: readonly Syscall[], targetDir: string, cwd: string): Accounting {
  const dir = path.resolve(targetDir);
  const inDir = (file: string | undefined): boolean => file !== undefined && path.dirname(path.resolve(cwd, file)) === dir;
  const counts: Accounting = { fsyncCount: 0, renameCount: 0, bytesWritten: 0 };
  for (const call of calls) {
    if ((SYNC_CALLS as readonly string[]).includes(call.name)) {
      const file = fdPath(call.args[0]);
      if (file !== undefined && (path.resolve(cwd, file) === dir || inDir(file))) counts.fsyncCount += 1;
    } else if ((RENAME_CALLS as readonly string[]).includes(call.name)) {
      const [destDirArg, destArg] = call.name === 'rename' ? [undefined, call.args[1]] : [call.args[2], call.args[3]];
      const dest = stringArg(destArg);
      if (dest === undefined) continue;
      const base = fdPath(destDirArg) ?? cwd;
      if (inDir(path.resolve(base, dest))) counts.renameCount += 1;
    } else if ((WRITE_CALLS as readonly string[]).includes(call.name) || call.name === 'sendfile') {
      if (inDir(fdPath(call.args[0]))) counts.bytesWritten += call.result;
    } else if (call.name === 'copy_file_range' || call.name === 'splice') {
      if (inDir(fdPath(call.args[2]))) counts.bytesWritten += call.result;
    }
  }
  return counts;
}
