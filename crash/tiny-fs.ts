import fs from 'node:fs';
import { unmount as unmountDir } from '../core/fs/loop.js';
import { runProcess } from '../core/process.js';
import type { Workspace } from '../core/workspace.js';

export const TINY_FS_KIB = 256;

export type TinyFs = { dir: string; unmount: () => void } | { skipped: string };

function mounted(dir: string): boolean {
  try {
    return fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').some((line) => line.split(' ')[1] === dir);
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
export async function mountTinyFs(workspace: Workspace): Promise<TinyFs> {
  if (process.platform !== 'linux') return { skipped: 'tiny-fs needs Linux (tmpfs)' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { skipped: 'not running as root: mounting a 256 KiB tmpfs needs root (run as root, or in CI, to get real ENOSPC and short writes)' };
  }
  const dir = workspace.dir('crash', 'tinyfs');
  const result = await runProcess(['mount', '-t', 'tmpfs', '-o', `size=${TINY_FS_KIB}k,mode=0755`, 'writegate-tinyfs', dir], { timeoutMs: 10_000 });
  if (result.exitCode !== 0) {
    const why = (result.spawnError ?? result.stderr.trim().split('\n')[0]) || `exit ${result.exitCode}`;
    return { skipped: `cannot mount a tmpfs here (${why}); a container without CAP_SYS_ADMIN cannot, and /dev/full is no substitute because a temp-file writer never writes to the target's inode` };
  }
  const unmount = (): void => {
    if (!mounted(dir)) return;
    // Synchronous on purpose: this also runs from the workspace's exit hook, where nothing async completes.
    unmountDir(dir);
  };
  workspace.onCleanup(unmount);
  return { dir, unmount };
}
