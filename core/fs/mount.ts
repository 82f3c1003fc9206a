/**
 * A fresh file system for a run, inside its workspace: an image file on a loop device with direct I/O,
 * made with mkfs and mounted, or a tmpfs with a size limit. It is undone by the workspace (unmount,
 * detach) before the workspace's tree is removed — on dispose, on a signal and at exit — and by the
 * next start's sweep when the run was killed (core/sweep.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Workspace } from '../workspace.js';
import { FS_KINDS, type FsKind, type FsName } from './kinds.js';
import { attachLoop, detachLoop, unmount } from './loop.js';
import { system } from './system.js';

export interface MountedFs {
  readonly name: FsName;
  /** Where the file system is mounted: trial directories go under it. */
  readonly dir: string;
  /** The loop device and its image file (none for tmpfs). */
  readonly device?: string;
  readonly image?: string;
  /** How it was made and mounted, for results_env.txt. */
  readonly setup: string;
  /** Unmounts and detaches; idempotent. The workspace calls it too. */
  release(): void;
}

export function mountFresh(workspace: Workspace, name: FsName): MountedFs {
  const kind: FsKind = FS_KINDS[name];
  const base = workspace.dir('fs', name);
  const dir = workspace.dir('fs', name, 'mnt');
  if (kind.backing === 'memory') {
    const options = kind.mountOptions.join(',');
    system(['mount', '-t', 'tmpfs', '-o', options, 'writegate-tmpfs', dir]);
    const release = once(() => unmount(dir));
    workspace.onCleanup(release);
    return { name, dir, setup: `tmpfs -o ${options}`, release };
  }
  const image = `${base}/image`;
  const handle = fs.openSync(image, 'w');
  try {
    fs.ftruncateSync(handle, kind.sizeMiB * 1024 * 1024);
  } finally {
    fs.closeSync(handle);
  }
  system([...kind.mkfs, image], 120_000);
  const device = attachLoop(image, { directIo: true });
  const release = once(() => {
    unmount(dir);
    detachLoop(device);
  });
  workspace.onCleanup(release);
  const options = kind.mountOptions.join(',');
  try {
    system(['mount', '-t', name, ...(options ? ['-o', options] : []), device, dir]);
  } catch (error) {
    release();
    throw error;
  }
  const setup =
    `${kind.mkfs.join(' ')} on a ${kind.sizeMiB} MiB image, loop device with ` +
    `direct I/O, mount -t ${name}${options ? ` -o ${options}` : ''}; kernel ${os.release()}`;
  return { name, dir, device, image, setup, release };
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
