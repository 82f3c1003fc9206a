/**
 * The writer's box: a writer is given its target's directory and its own $TMPDIR, and nothing
 * else. From its trace, every file it created, wrote, truncated, renamed, linked or removed anywhere
 * else: a writer that touches files it was not given is reported (crash.writes_outside), and what it
 * left inside the workspace is removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { succeeded, type PathCall } from '../../core/trace/files.js';

/** Not files a writer was given or not: devices, /proc and /sys, and an interpreter's bytecode cache. */
function exempt(file: string): boolean {
  if (!path.isAbsolute(file)) return true; // pipe:[…], socket:[…], anon_inode:…
  if (/^\/(dev|proc|sys)(\/|$)/.test(file)) return true;
  return file.split('/').includes('__pycache__');
}

/** The files a mutating call acts on by name or by fd (both names of a rename or link). */
function touched(pc: PathCall): string[] {
  switch (pc.family) {
    case 'open': {
      const writes = pc.created || pc.truncated || /\bO_(WRONLY|RDWR)\b/.test(pc.call.args.join(','));
      return writes && !pc.anonymous ? [pc.paths[0] ?? pc.call.resultPath ?? ''].filter(Boolean) : [];
    }
    case 'write':
    case 'truncate':
      return pc.fdPath !== undefined ? [pc.fdPath] : pc.paths;
    // An ioctl is a change only when it clones (a terminal check on the script is not); fallocate always.
    case 'allocate':
    case 'clone':
      return (pc.family === 'allocate' || pc.cloned) && pc.fdPath !== undefined ? [pc.fdPath] : [];
    case 'rename':
    case 'link':
    case 'unlink':
    case 'mkdir':
    case 'symlink':
      return pc.paths;
    default:
      return [];
  }
}

/**
 * Every file outside `boxes` (directories, and what lies below them) that a call of the trace changed, in order, once
 * each.
 */
export function writesOutside(calls: readonly PathCall[], boxes: readonly string[]): string[] {
  const inside = (file: string): boolean => boxes.some((box) => file === box || file.startsWith(`${box}${path.sep}`));
  const found: string[] = [];
  for (const pc of calls) {
    if (!succeeded(pc)) continue;
    for (const file of touched(pc)) if (!exempt(file) && !inside(file) && !found.includes(file)) found.push(file);
  }
  return found;
}

/**
 * Removes what the writer left at these paths when they lie inside `workspace`; a path outside it is the user's and is
 * left alone.
 */
export function removeInside(files: readonly string[], workspace: string): void {
  for (const file of files) {
    if (file === workspace || !file.startsWith(`${workspace}${path.sep}`)) continue;
    fs.rmSync(file, { recursive: true, force: true });
  }
}
