import { describe, expect, it } from 'vitest';
import { fsProblem, realFsHost, type FsHost } from './check.js';

/** A machine that can make every file system, to change one fact at a time. */
const able: FsHost = { uid: 0, kernelHas: () => true, hasCommand: () => true, freeLoopDevice: () => true };

describe('whether --fs can be made here, before anything is measured', () => {
  it.each([
    ['an unknown name', ['ext4', 'zfs'], able, /--fs: unknown file system "zfs" \(known: ext4, xfs, btrfs, tmpfs\)/],
    ['not root', ['tmpfs'], { ...able, uid: 1000 }, /--fs tmpfs: making a file system .* needs root/],
    [
      'a file system the kernel lacks',
      ['ext4', 'btrfs'],
      { ...able, kernelHas: (name: string) => name !== 'btrfs' },
      /this kernel has no btrfs file system/,
    ],
    [
      'a missing mkfs, with the package that has it',
      ['xfs'],
      { ...able, hasCommand: (command: string) => command !== 'mkfs.xfs' },
      /mkfs\.xfs not found, needed to make xfs; install it \(Debian\/Ubuntu: apt-get install xfsprogs\)/,
    ],
    ['no free loop device', ['ext4'], { ...able, freeLoopDevice: (): boolean => false }, /no free loop device/],
  ] as const)('%s: one line naming it', (_, names, host, message) => {
    const problem = fsProblem(names, host);
    expect(problem).toMatch(message);
    expect(problem).not.toContain('\n');
  });

  it('tmpfs needs neither mkfs nor a loop device', () => {
    expect(fsProblem(['tmpfs'], { ...able, hasCommand: () => false, freeLoopDevice: () => false })).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)('this machine (root, with the packages CI installs) can make all four', () => {
    expect(fsProblem(['ext4', 'xfs', 'btrfs', 'tmpfs'], realFsHost())).toBeUndefined();
  });
});
