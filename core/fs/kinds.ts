/**
 * The file systems a run can be given fresh (`--fs`), as data: how each is made, mounted, copied as a
 * crash image, and which Debian package has its mkfs. Each holds crash's largest race (ten writers
 * of an 8 MiB payload at once, each with a temp file, under the full profile) with room to spare, and
 * none is smaller than its mkfs accepts (mkfs.xfs refuses images under 300 MiB, mkfs.btrfs under about
 * 114 MiB); images are sparse, so the size costs nothing until written.
 */
export type FsName = 'ext4' | 'xfs' | 'btrfs' | 'tmpfs';

export interface LoopFsKind {
  name: Exclude<FsName, 'tmpfs'>;
  backing: 'loop';
  sizeMiB: number;
  /** The mkfs argv, the image path appended. */
  mkfs: readonly string[];
  /** The Debian package that has the mkfs. */
  debianPackage: string;
  mountOptions: readonly string[];
  /**
   * Options a crash image of a mounted file system needs to mount beside it (xfs refuses a second mount of one uuid).
   */
  imageMountOptions: readonly string[];
}

export interface TmpFsKind {
  name: 'tmpfs';
  backing: 'memory';
  sizeMiB: number;
  mountOptions: readonly string[];
}

export type FsKind = LoopFsKind | TmpFsKind;

export const FS_KINDS: Readonly<Record<FsName, FsKind>> = {
  ext4: {
    name: 'ext4',
    backing: 'loop',
    sizeMiB: 256,
    mkfs: ['mkfs.ext4', '-q', '-F'],
    debianPackage: 'e2fsprogs',
    mountOptions: [],
    imageMountOptions: [],
  },
  xfs: {
    name: 'xfs',
    backing: 'loop',
    sizeMiB: 320,
    mkfs: ['mkfs.xfs', '-q', '-f'],
    debianPackage: 'xfsprogs',
    mountOptions: [],
    imageMountOptions: ['nouuid'],
  },
  btrfs: {
    name: 'btrfs',
    backing: 'loop',
    sizeMiB: 256,
    mkfs: ['mkfs.btrfs', '-q', '-f'],
    debianPackage: 'btrfs-progs',
    mountOptions: [],
    imageMountOptions: [],
  },
  tmpfs: { name: 'tmpfs', backing: 'memory', sizeMiB: 256, mountOptions: ['size=256m'] },
};

export const FS_NAMES = Object.keys(FS_KINDS) as FsName[];

export function isFsName(name: string): name is FsName {
  return Object.hasOwn(FS_KINDS, name);
}
