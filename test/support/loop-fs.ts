/**
 * A real file system on a loop device for a test, with its own mkfs options (the reflink test's
 * `mkfs.xfs -m reflink=1`): an image in the test's own directory, attached with direct I/O and
 * mounted, by core/fs's pieces; undone in `release()`, and on SIGINT/SIGTERM before the signal's
 * default action, so no mount or loop device outlives the test. Root only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { attachLoop, detachLoop, unmount } from '../../core/fs/loop.js';
import { system } from '../../core/fs/system.js';

export interface LoopFs {
  /** The mount point. */
  dir: string;
  release(): void;
}

export function mountLoopFs(workDir: string, mkfs: readonly string[], sizeMiB = 320): LoopFs {
  if (process.getuid?.() !== 0) throw new Error('this test mounts a file system on a loop device: it needs root');
  const image = path.join(workDir, 'fs.img');
  const dir = path.join(workDir, 'mnt');
  fs.mkdirSync(dir, { recursive: true });
  const handle = fs.openSync(image, 'w');
  fs.ftruncateSync(handle, sizeMiB * 1024 * 1024);
  fs.closeSync(handle);
  system([...mkfs, image]);
  const device = attachLoop(image, { directIo: true });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unmount(dir);
    detachLoop(device);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    system(['mount', device, dir]);
  } catch (error) {
    release();
    throw error;
  }
  return { dir, release };
}
