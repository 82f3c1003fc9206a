/** Loop devices and mounts: made, undone, and found again by the path they sit under. */
import fs from 'node:fs';
import path from 'node:path';
import { system, systemQuiet } from './system.js';

/**
 * Attaches `image` to a free loop device and returns the device. With direct I/O the image file holds
 * exactly what the device holds, so a copy of the file is a copy of the device (a crash image).
 */
export function attachLoop(image: string, { directIo }: { directIo: boolean }): string {
  return system(['losetup', '--find', '--show', ...(directIo ? ['--direct-io=on'] : []), image]);
}

/**
 * Detaches `device` and waits until it is gone. `losetup -d` of a device still held (btrfs lets go of a device a
 * moment after its unmount) only marks it to clear itself later; a run must not end, or call its devices undone,
 * while one is still attached, so it is asked again until /sys says the device has no backing file (5 s at most).
 */
export function detachLoop(device: string): void {
  const backing = `/sys/block/${path.basename(device)}/loop/backing_file`;
  const deadline = Date.now() + DETACH_WAIT_MS;
  for (;;) {
    systemQuiet(['losetup', '-d', device]);
    if (!fs.existsSync(backing) || Date.now() >= deadline) return;
    Atomics.wait(pause, 0, 0, 50);
  }
}

const DETACH_WAIT_MS = 5000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The loop devices whose backing file lies under `root` (what a dead run's workspace left attached). */
export function loopsBackedUnder(root: string): string[] {
  const devices: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/sys/block').filter((name) => name.startsWith('loop'));
  } catch {
    return devices;
  }
  const prefix = `${path.resolve(root)}/`;
  for (const name of entries) {
    let backing: string;
    try {
      backing = fs.readFileSync(`/sys/block/${name}/loop/backing_file`, 'utf8').trim();
    } catch {
      continue; // Not attached.
    }
    // A removed backing file reads "<path> (deleted)".
    if (backing.replace(/ \(deleted\)$/, '').startsWith(prefix)) devices.push(`/dev/${name}`);
  }
  return devices;
}

/** The mount points under `root`, deepest first (the order they must be unmounted in). */
export function mountsUnder(root: string): string[] {
  let mounts: string;
  try {
    mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const prefix = `${path.resolve(root)}/`;
  return mounts
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' ').replace(/\\134/g, '\\'))
    .filter((point): point is string => point !== undefined && point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Unmounts `dir`; a busy one lazily (it goes when its last user does). Already unmounted is fine. */
export function unmount(dir: string): void {
  if (!systemQuiet(['umount', dir])) systemQuiet(['umount', '-l', dir]);
}

/** Unmounts everything under `root` and detaches every loop device backed by a file under it. */
export function undoUnder(root: string): void {
  for (const point of mountsUnder(root)) unmount(point);
  for (const device of loopsBackedUnder(root)) detachLoop(device);
}
