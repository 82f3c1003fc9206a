/**
 * Whether the file systems asked for can be made here, checked before anything is measured: one line
 * naming the problem (exit 2), or undefined.
 */
import fs from 'node:fs';
import { resolveExecutable } from '../executable.js';
import { FS_KINDS, FS_NAMES, isFsName, type FsName } from './kinds.js';
import { system } from './system.js';

/** What the check reads from the machine; the real one by default, a test's own to see each problem. */
export interface FsHost {
  uid: number;
  /** Whether the kernel has the file system (in /proc/filesystems, or once its module is loaded). */
  kernelHas(name: FsName): boolean;
  /** Whether a command is on PATH (or in /usr/sbin, /sbin, where mkfs lives). */
  hasCommand(command: string): boolean;
  /** Whether a loop device is free (losetup --find). */
  freeLoopDevice(): boolean;
}

export function realFsHost(): FsHost {
  const searchPath = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
  return {
    uid: process.getuid?.() ?? -1,
    kernelHas: (name) => {
      if (readKernelFilesystems().includes(name)) return true;
      // Built as a module and not loaded yet: the first mount would load it; so does modprobe.
      try {
        system(['modprobe', '-q', name]);
      } catch {
        return false;
      }
      return readKernelFilesystems().includes(name);
    },
    hasCommand: (command) => resolveExecutable(command, process.cwd(), searchPath) !== undefined,
    freeLoopDevice: () => {
      try {
        return system(['losetup', '--find']).startsWith('/dev/');
      } catch {
        return false;
      }
    },
  };
}

/** The first reason the names cannot be made fresh on this machine, as one line; undefined when they can. */
export function fsProblem(names: readonly string[], host: FsHost = realFsHost(), flag = '--fs'): string | undefined {
  const unknown = names.find((name) => !isFsName(name));
  if (unknown !== undefined) return `${flag}: unknown file system "${unknown}" (known: ${FS_NAMES.join(', ')})`;
  if (names.length === 0) return undefined;
  if (host.uid !== 0)
    return (
      `${flag} ${names.join(',')}: making a file system (mkfs, loop devices, ` +
      `mount) needs root; run as root, or drop ${flag}`
    );
  for (const name of names as FsName[]) {
    const kind = FS_KINDS[name];
    if (!host.kernelHas(name)) return `${flag}: this kernel has no ${name} file system (not in /proc/filesystems)`;
    if (kind.backing === 'loop') {
      const mkfs = kind.mkfs[0] as string;
      if (!host.hasCommand(mkfs))
        return (
          `${flag}: ${mkfs} not found, needed to make ${name}; install it (Debian/Ubuntu: ` +
          `apt-get install ${kind.debianPackage})`
        );
    }
  }
  if (names.some((name) => FS_KINDS[name as FsName].backing === 'loop')) {
    if (!host.hasCommand('losetup'))
      return (
        `${flag}: losetup not found, needed to attach file system images; install ` +
        `it (Debian/Ubuntu: apt-get install mount)`
      );
    if (!host.freeLoopDevice())
      return (
        `${flag}: no free loop device (losetup --find found none); detach unused ` +
        `ones with losetup -d, or load the loop module`
      );
  }
  return undefined;
}

function readKernelFilesystems(): string[] {
  try {
    return fs
      .readFileSync('/proc/filesystems', 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/).pop() ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}
