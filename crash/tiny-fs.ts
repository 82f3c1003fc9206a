import fs from 'node:fs';
import { unmount as unmountDir } from '../core/fs/loop.js';
import { runProcess } from '../core/process.js';
import type { Workspace } from '../core/workspace.js';
import type { TrialPlace } from '../core/trial-place.js';
import type { FreshFileSystem } from '../core/schema.js';
import { system } from '../core/fs/system.js';

export const TINY_FS_KIB = 256;

/**
 * Where the scenario writes: a directory with about TINY_FS_KIB left free, named for the trials' text and engine
 * column.
 */
export type TinyFs = { dir: string; fsName: FreshFileSystem; label: string; unmount: () => void } | { skipped: string };

function mounted(dir: string): boolean {
  try {
    return fs
      .readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[1] === dir);
  } catch {
    return false;
  }
}

/**
 * A 256 KiB tmpfs inside the workspace, so a write that does not fit gets real short writes and a
 * real ENOSPC from the kernel (strace's retval= would only make the kernel lie). Needs root with
 * CAP_SYS_ADMIN; otherwise says why it is skipped. Unmounted when the scenario ends, and by a
 * workspace cleanup hook if the run is interrupted first.
 */
export async function mountTinyFs(workspace: Workspace, trials?: TrialPlace): Promise<TinyFs> {
  if (trials?.fs) return fillUp(trials);
  if (process.platform !== 'linux') return { skipped: 'tiny-fs needs Linux (tmpfs)' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return {
      skipped:
        'not running as root: mounting a 256 KiB tmpfs needs root (run as root, ' +
        'or in CI, to get real ENOSPC and short writes)',
    };
  }
  const dir = workspace.dir('crash', 'tinyfs');
  const result = await runProcess(
    ['mount', '-t', 'tmpfs', '-o', `size=${TINY_FS_KIB}k,mode=0755`, 'writegate-tinyfs', dir],
    { timeoutMs: 10_000 },
  );
  if (result.exitCode !== 0) {
    const why = (result.spawnError ?? result.stderr.trim().split('\n')[0]) || `exit ${result.exitCode}`;
    return {
      skipped:
        `cannot mount a tmpfs here (${why}); a container without CAP_SYS_ADMIN ` +
        `cannot, and /dev/full is no substitute because a temp-file writer never ` +
        `writes to the target's inode`,
    };
  }
  const unmount = (): void => {
    if (!mounted(dir)) return;
    // Synchronous on purpose: this also runs from the workspace's exit hook, where nothing async completes.
    unmountDir(dir);
  };
  workspace.onCleanup(unmount);
  return { dir, fsName: 'tmpfs', label: `a ${TINY_FS_KIB} KiB tmpfs`, unmount };
}

/**
 * On a fresh file system (`--fs`): one preallocated file takes all but about TINY_FS_KIB of its free
 * space, so the writers meet that file system's own ENOSPC (its reservations, its metadata) rather
 * than tmpfs's. Removed when the scenario ends; the file system itself goes with the pass.
 */
function fillUp(trials: TrialPlace): TinyFs {
  const mounted = trials.fs as NonNullable<TrialPlace['fs']>;
  const dir = trials.dir('crash', 'tinyfs');
  const fillers = trials.dir('crash', 'fillers');
  const unmount = (): void => fs.rmSync(fillers, { recursive: true, force: true });
  const room = `${fillers}/room`;
  // statfs cannot say what a file may still take (ext4 keeps clusters back for its own metadata,
  // btrfs allocates data and metadata chunks apart), so the file system is filled until even a small
  // preallocation fails, and then the room set aside first is given back.
  try {
    system(['fallocate', '-l', String(TINY_FS_KIB * 1024), room]);
  } catch (error) {
    unmount();
    return { skipped: `cannot preallocate on the fresh ${mounted.name} (${(error as Error).message.split('\n')[0]})` };
  }
  const { bfree, bsize } = fs.statfsSync(dir);
  let ask = bfree * bsize;
  for (let i = 0; i < FILL_ATTEMPTS && ask >= FILL_SMALLEST; i++) {
    try {
      system(['fallocate', '-l', String(ask), `${fillers}/${i}`]);
    } catch {
      fs.rmSync(`${fillers}/${i}`, { force: true });
      ask = Math.floor(ask / 2);
    }
  }
  fs.rmSync(room);
  return { dir, fsName: mounted.name, label: `a full ${mounted.name} with ${TINY_FS_KIB} KiB given back`, unmount };
}

/** Preallocations tried at most; the smallest one asked before the file system counts as full. */
const FILL_ATTEMPTS = 96;
const FILL_SMALLEST = 16 * 1024;
