/**
 * A crash image: what the disk holds at this instant, as a power cut would leave it. The loop device
 * runs with direct I/O, so its backing file is the device; a sparse copy of the file is the image
 * (far cheaper than reading the device). The copy is mounted read-write in a scratch place so the
 * journal replays, as it would at the next boot, and read there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FS_KINDS, type LoopFsKind } from './kinds.js';
import { attachLoop, detachLoop, unmount } from './loop.js';
import type { MountedFs } from './mount.js';
import { system } from './system.js';

export interface CrashImage {
  /** The image mounted, journal replayed: read the target here. */
  readonly dir: string;
  readonly image: string;
  /** Unmounts and detaches; `keep` leaves the image file for a person to inspect. */
  release(options?: { keep?: boolean }): void;
}

/**
 * Copies `mounted`'s device as it is now into `scratch` and mounts the copy. The caller must hold the
 * writer still (a stopped process) while this runs; the live file system is not touched.
 */
export function takeCrashImage(mounted: MountedFs, scratch: string): CrashImage {
  if (!mounted.image || mounted.name === 'tmpfs')
    throw new Error(`${mounted.name} has no device to copy: a power cut leaves nothing of it`);
  const kind = FS_KINDS[mounted.name] as LoopFsKind;
  fs.mkdirSync(scratch, { recursive: true });
  const image = path.join(scratch, 'image');
  const dir = path.join(scratch, 'mnt');
  fs.mkdirSync(dir, { recursive: true });
  system(['cp', '--sparse=always', mounted.image, image]);
  // A btrfs copy shares its fsid with the mounted original; kernels from 6.7 mount it under a temporary
  // fsid, older ones refuse it, so there the copy gets a new one.
  if (kind.name === 'btrfs' && !kernelAtLeast(6, 7)) system(['btrfstune', '-f', '-u', image]);
  const device = attachLoop(image, { directIo: false });
  let released = false;
  const release = ({ keep = false } = {}): void => {
    if (released) return;
    released = true;
    unmount(dir);
    detachLoop(device);
    if (!keep) fs.rmSync(image, { force: true });
  };
  try {
    const options = kind.imageMountOptions.join(',');
    system(['mount', '-t', kind.name, ...(options ? ['-o', options] : []), device, dir]);
  } catch (error) {
    release();
    throw error;
  }
  return { dir, image, release };
}

function kernelAtLeast(major: number, minor: number): boolean {
  const [have, haveMinor] = os
    .release()
    .split('.')
    .map((part) => Number.parseInt(part, 10));
  return (have ?? 0) > major || ((have ?? 0) === major && (haveMinor ?? 0) >= minor);
}
