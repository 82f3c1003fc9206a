/**
 * What a resolved call made durable, in the terms every reader of a trace asks: did it reach this
 * file's data, did it reach this directory's entries. `whenFailed` asks what the call was aimed at
 * (a killed or failed call made nothing durable, but it was still the sync of that file). Crash's aiming, its syscall
 * profile and
 * bench's accounting ask here; the power-loss model reads the same `reach` when it builds its ops.
 */
import { succeeded, type PathCall } from './files.js';

/**
 * The call made some or all of file `ino`'s data durable (an fsync of it, an msync of a range of it, a syncfs of its
 * file system, a sync).
 */
export function reachesFileData(pc: PathCall, ino: number | undefined, { whenFailed = false } = {}): boolean {
  const reach = pc.reach;
  if (ino === undefined || reach === undefined || (!whenFailed && !succeeded(pc))) return false;
  switch (reach.scope) {
    case 'file':
    case 'range':
      return reach.ino === ino;
    case 'file-system':
      return reach.onWatched === true;
    case 'system':
      return true;
    case 'nothing':
      return false;
  }
}

/** The call made directory `dirIno`'s entries durable: an fsync of it, a syncfs of its file system, a sync. */
export function reachesDirEntries(pc: PathCall, dirIno: number | undefined, { whenFailed = false } = {}): boolean {
  const reach = pc.reach;
  if (dirIno === undefined || reach === undefined || (!whenFailed && !succeeded(pc))) return false;
  if (reach.scope === 'file') return reach.ino === dirIno;
  return reach.scope === 'system' || (reach.scope === 'file-system' && reach.onWatched === true);
}

/**
 * In a few words, how a call syncs: "fsync", "msync(MS_SYNC) of a mapped range", "syncfs of its file system",
 * "sync()".
 */
export function describeReach(pc: PathCall): string {
  const reach = pc.reach;
  if (!reach) return pc.call.name;
  switch (reach.scope) {
    case 'file':
      return pc.call.name;
    case 'range':
      return 'msync(MS_SYNC) of its mapping';
    case 'file-system':
      return reach.onWatched === false
        ? `syncfs of another file system (${reach.path ?? '?'})`
        : 'syncfs of its file system';
    case 'system':
      return 'sync()';
    case 'nothing':
      return `${pc.call.name}, which persists nothing here: ${reach.why}`;
  }
}
