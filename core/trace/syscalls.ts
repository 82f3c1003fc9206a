/**
 * The one table of every call through which a writer reaches the disk: how it is spelled, which
 * argument holds its file, what it does to names, bytes and durability. The resolver (files.ts)
 * reads calls through it, and with it bench's accounting, crash's aiming and verification, and the
 * power-loss model: a call this table does not know is a call none of them judges. A writer may open
 * with open/openat/creat, move bytes with write/pwrite64/sendfile/splice/copy_file_range, sync with
 * fsync/fdatasync/msync/syncfs/sync: steps are recognised, and injections aimed, by family, never by
 * one syscall name.
 */
export const FAMILIES = {
  open: ['open', 'openat', 'openat2', 'creat'],
  /** Calls that put bytes into a file from the caller's memory or, in the kernel, from another file. */
  write: ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2', 'copy_file_range', 'sendfile', 'splice'],
  /** Calls that make data (and sometimes names) durable: one file, a mapped range, a file system, every file system. */
  sync: ['fsync', 'fdatasync', 'msync', 'syncfs', 'sync'],
  rename: ['rename', 'renameat', 'renameat2'],
  close: ['close'],
  unlink: ['unlink', 'unlinkat'],
  link: ['link', 'linkat'],
  symlink: ['symlink', 'symlinkat'],
  mkdir: ['mkdir', 'mkdirat'],
  truncate: ['ftruncate', 'truncate'],
  /** Space reserved, holes punched, ranges zeroed: a file's size and bytes changed without data from the caller. */
  allocate: ['fallocate'],
  /**
   * A file's bytes shared from another file (reflink, FICLONE / FICLONERANGE); other ioctls are read or judged
   * unknown.
   */
  clone: ['ioctl'],
  /** Shared mappings: bytes written through memory reach the file with no call of their own. */
  map: ['mmap', 'mmap2', 'munmap', 'mremap'],
  meta: ['fchmod', 'fchown'],
  /** Moves an fd's file position: what a later plain write() writes at. */
  seek: ['lseek'],
  /** Starts writeback of a range; persists no metadata, so it never counts as a sync in a model. */
  range_sync: ['sync_file_range'],
  /** I/O submitted through a ring or an AIO context: strace sees the submission, never the file it touches. */
  unseen: ['io_uring_setup', 'io_uring_enter', 'io_uring_register', 'io_setup', 'io_submit'],
} as const;

export type Family = keyof typeof FAMILIES;

const FAMILY_OF = new Map<string, Family>(
  (Object.entries(FAMILIES) as [Family, readonly string[]][]).flatMap(([family, names]) =>
    names.map((name) => [name, family] as const),
  ),
);

export function familyOf(syscall: string): Family | undefined {
  return FAMILY_OF.get(syscall);
}

/**
 * Everything a traced write records. `execve` shows which program each process runs. Names carry
 * strace's `?` prefix so a name this architecture lacks (open, creat and rename on arm64, mmap2 on
 * 64-bit) is skipped instead of being an error.
 */
export const TRACE_SET: readonly string[] = [...Object.values(FAMILIES).flat(), 'execve'];

export function straceSyscallList(names: readonly string[]): string {
  return names.map((name) => `?${name}`).join(',');
}

/**
 * Which argument holds the file descriptor a call acts on (the output file of a copy), or -1 for
 * calls that name no file: sync() reaches every file system, msync and munmap name a memory range.
 */
export function outputFdArgIndex(syscall: string): number {
  switch (syscall) {
    case 'copy_file_range':
    case 'splice':
      return 2;
    case 'mmap':
    case 'mmap2':
      return 4;
    case 'sync':
    case 'msync':
    case 'munmap':
    case 'mremap':
    case 'io_setup':
    case 'io_uring_setup':
      return -1;
    default:
      return 0;
  }
}

/** Where the path arguments of a path-taking call are: [dirfd index or -1, path index]. */
export function pathArgs(syscall: string): Array<[number, number]> {
  switch (syscall) {
    case 'open':
    case 'creat':
    case 'unlink':
    case 'mkdir':
    case 'truncate':
      return [[-1, 0]];
    case 'openat':
    case 'openat2':
    case 'unlinkat':
    case 'mkdirat':
      return [[0, 1]];
    case 'symlink':
      return [[-1, 1]];
    case 'symlinkat':
      return [[1, 2]];
    case 'link':
    case 'rename':
      return [
        [-1, 0],
        [-1, 1],
      ];
    case 'linkat':
    case 'renameat':
    case 'renameat2':
      return [
        [0, 1],
        [2, 3],
      ];
    default:
      return [];
  }
}

/** How a write can be durable the moment it returns: its fd's open flag, or pwritev2's per-call flag. */
export type SynchronousFlag = 'O_SYNC' | 'O_DSYNC' | 'RWF_SYNC' | 'RWF_DSYNC';

/** O_SYNC or O_DSYNC among an open's flags (O_SYNC first: strace prints O_SYNC for the pair of bits). */
export function synchronousOpenFlag(flags: string): SynchronousFlag | undefined {
  if (/\bO_SYNC\b/.test(flags)) return 'O_SYNC';
  if (/\bO_DSYNC\b/.test(flags)) return 'O_DSYNC';
  return undefined;
}

/** RWF_SYNC or RWF_DSYNC among pwritev2's flags (its fifth argument). */
export function synchronousWriteFlag(flags: string | undefined): SynchronousFlag | undefined {
  if (flags === undefined) return undefined;
  if (/\bRWF_SYNC\b/.test(flags)) return 'RWF_SYNC';
  if (/\bRWF_DSYNC\b/.test(flags)) return 'RWF_DSYNC';
  return undefined;
}

/** The ioctl requests that share another file's blocks (strace prints BTRFS_IOC_CLONE or FICLONE). */
export function cloneRequest(request: string | undefined): 'whole' | 'range' | undefined {
  if (request === undefined) return undefined;
  if (/\bFICLONERANGE\b/.test(request)) return 'range';
  if (/\bFICLONE\b/.test(request)) return 'whole';
  return undefined;
}

// The read-only ioctl requests as regex alternatives (`[A-Z0-9]+` spans a family). None holds a
// backslash, so joining them into a pattern string needs no extra escaping.
const READ_ONLY_IOCTLS = [
  'TCGETS2?',
  'TCGETA',
  'TIOCG[A-Z0-9]+',
  'FIONREAD',
  'FIGETBSZ',
  'FIBMAP',
  'FS_IOC_GET[A-Z0-9]+',
  'FS_IOC_FIEMAP',
  'FS_IOC_FSGETXATTR',
  'BLK[A-Z0-9]*GET[A-Z0-9]*',
  'BTRFS_IOC_FS_INFO',
  'FS_IOC_GETVERSION',
];
const READ_ONLY_IOCTL = new RegExp(`\\b(${READ_ONLY_IOCTLS.join('|')})\\b`);

/**
 * ioctl requests that only read (terminal state, sizes, flags, extent maps): harmless on any file.
 * Any other request on a watched file changes it in a way this table does not follow.
 */
export function isReadOnlyIoctl(request: string | undefined): boolean {
  if (request === undefined) return false;
  return READ_ONLY_IOCTL.test(request);
}

/** fallocate's mode, as strace prints it (`0`, `FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE`, …). */
export interface AllocateMode {
  keepSize: boolean;
  /** PUNCH_HOLE or ZERO_RANGE: the range reads as zeros afterwards. */
  zeroes: boolean;
  /** COLLAPSE_RANGE or INSERT_RANGE shift the bytes after the range: not followed. */
  shifts: boolean;
}

export function allocateMode(mode: string | undefined): AllocateMode {
  const text = mode ?? '0';
  return {
    keepSize: /FALLOC_FL_KEEP_SIZE/.test(text),
    zeroes: /FALLOC_FL_PUNCH_HOLE|FALLOC_FL_ZERO_RANGE/.test(text),
    shifts: /FALLOC_FL_COLLAPSE_RANGE|FALLOC_FL_INSERT_RANGE/.test(text),
  };
}
