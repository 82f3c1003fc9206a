/**
 * The spellings of each step of a write path. A writer may open with open/openat/creat, write with
 * write/pwrite64/writev or copy_file_range, sync with fsync or fdatasync, rename with any of three
 * calls: steps are recognised, and injections aimed, by family, never by one syscall name.
 */
export const FAMILIES = {
  open: ['open', 'openat', 'openat2', 'creat'],
  write: ['write', 'pwrite64', 'writev', 'pwritev', 'pwritev2', 'copy_file_range', 'sendfile', 'splice'],
  sync: ['fsync', 'fdatasync'],
  rename: ['rename', 'renameat', 'renameat2'],
  close: ['close'],
  unlink: ['unlink', 'unlinkat'],
  link: ['link', 'linkat'],
  mkdir: ['mkdir', 'mkdirat'],
  truncate: ['ftruncate'],
  meta: ['fchmod', 'fchown', 'fallocate'],
  /** Moves an fd's file position: what a later plain write() writes at. */
  seek: ['lseek'],
  /** Starts writeback of a range; persists no metadata, so it never counts as an fsync in a model. */
  range_sync: ['sync_file_range'],
} as const;

export type Family = keyof typeof FAMILIES;

const FAMILY_OF = new Map<string, Family>(
  (Object.entries(FAMILIES) as [Family, readonly string[]][]).flatMap(([family, names]) => names.map((name) => [name, family] as const)),
);

export function familyOf(syscall: string): Family | undefined {
  return FAMILY_OF.get(syscall);
}

/**
 * Everything a traced write records. `execve` shows which program each process runs. Names carry
 * strace's `?` prefix so a name this architecture lacks (open, creat and rename on arm64) is skipped
 * instead of being an error.
 */
export const TRACE_SET: readonly string[] = [...Object.values(FAMILIES).flat(), 'execve'];

export function straceSyscallList(names: readonly string[]): string {
  return names.map((name) => `?${name}`).join(',');
}

/** Which argument holds the file descriptor a data, sync, seek or truncate call acts on. */
export function outputFdArgIndex(syscall: string): number {
  if (syscall === 'copy_file_range' || syscall === 'splice') return 2;
  return 0;
}

/** Where the path arguments of a path-taking call are: [dirfd index or -1, path index]. */
export function pathArgs(syscall: string): Array<[number, number]> {
  switch (syscall) {
    case 'open':
    case 'creat':
    case 'unlink':
    case 'mkdir':
      return [[-1, 0]];
    case 'openat':
    case 'openat2':
    case 'unlinkat':
    case 'mkdirat':
      return [[0, 1]];
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
