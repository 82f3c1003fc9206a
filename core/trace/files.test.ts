import { describe, expect, it } from 'vitest';
import { resolveCalls } from './files.js';
import { parseTrace } from './strace.js';

const T = '/w/t/tmp';
const D = '/w/t/dir';

// A temp written in $TMPDIR, fsynced under its new name after the rename, with a plain write, a
// pwrite64 and an lseek in between; then the source's fd is fsynced too.
const TRACE = `
10 openat(AT_FDCWD</w>, "${T}/x", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 3<${T}/x>
10 write(3<${T}/x>, ""..., 100) = 100
10 lseek(3<${T}/x>, 10, SEEK_SET) = 10
10 write(3<${T}/x>, ""..., 5) = 5
10 pwrite64(3<${T}/x>, ""..., 50, 200) = 50
10 renameat2(AT_FDCWD</w>, "${T}/x", AT_FDCWD</w>, "${D}/target.dat", 0) = 0
10 fsync(3<${D}/target.dat>) = 0
10 openat(AT_FDCWD</w>, "/w/src", O_RDONLY|O_CLOEXEC) = 4</w/src>
10 fsync(4</w/src>) = 0
10 close(3<${D}/target.dat>) = 0
10 openat(AT_FDCWD</w>, "${D}", O_RDONLY|O_DIRECTORY) = 5<${D}>
10 fsync(5<${D}>) = 0
`;

describe('resolveCalls', () => {
  const calls = resolveCalls(parseTrace(TRACE), {
    existing: new Map([
      [`${D}/target.dat`, 1],
      [D, 2],
    ]),
  });
  const byName = (name: string, nth = 0) => calls.filter((pc) => pc.call.name === name)[nth];

  it('follows a temp from $TMPDIR into the target directory as one file', () => {
    const temp = byName('openat')?.ino;
    expect(byName('openat')?.created).toBe(true);
    expect(byName('renameat2')).toMatchObject({ ino: temp, replacedIno: 1 });
    expect(byName('fsync', 0)?.ino).toBe(temp);
    expect(byName('close')?.ino).toBe(temp);
  });

  it('tells another file apart: an fsync of the source is not an fsync of the temp', () => {
    expect(byName('fsync', 1)?.ino).not.toBe(byName('openat')?.ino);
    expect(byName('fsync', 2)?.ino).toBe(2);
  });

  it('places each write by the fd position, lseek and explicit offsets', () => {
    expect(calls.filter((pc) => pc.family === 'write').map((pc) => [pc.offset, pc.length])).toEqual([
      [0, 100],
      [10, 5],
      [200, 50],
    ]);
  });

  it('marks O_TRUNC of an existing file, and an fd whose file was unlinked keeps its identity', () => {
    const trunc = resolveCalls(
      parseTrace(
        [
          `1 openat(AT_FDCWD</w>, "${D}/target.dat", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3<${D}/target.dat>`,
          `1 unlink("${D}/target.dat") = 0`,
          `1 write(3<${D}/target.dat (deleted)>, ""..., 7) = 7`,
        ].join('\n'),
      ),
      { existing: new Map([[`${D}/target.dat`, 1]]) },
    );
    expect(trunc[0]).toMatchObject({ ino: 1, created: false, truncated: true });
    expect(trunc[2]).toMatchObject({ ino: 1, offset: 0, length: 7 });
  });
});

describe('resolveCalls: the mechanisms beyond write and fsync', () => {
  const resolve = (lines: string[], options = {}) =>
    resolveCalls(parseTrace(lines.join('\n')), { existing: new Map([[D, 1]]), ...options });

  it('marks writes on an O_DSYNC fd and pwritev2 with RWF_DSYNC as durable when they return', () => {
    const calls = resolve([
      `1 openat(AT_FDCWD</w>, "${D}/a", O_WRONLY|O_CREAT|O_EXCL|O_DSYNC|O_CLOEXEC, 0600) = 3<${D}/a>`,
      `1 write(3<${D}/a>, ""..., 10) = 10`,
      `1 openat(AT_FDCWD</w>, "${D}/b", O_WRONLY|O_CREAT|O_EXCL, 0600) = 4<${D}/b>`,
      `1 pwritev2(4<${D}/b>, [...], 1, 0, RWF_DSYNC) = 10`,
      `1 pwritev2(4<${D}/b>, [...], 1, -1, 0) = 10`,
      `1 write(4<${D}/b>, ""..., 5) = 5`,
    ]);
    expect(calls.filter((pc) => pc.family === 'write').map((pc) => [pc.synchronous, pc.offset])).toEqual([
      ['O_DSYNC', 0],
      ['RWF_DSYNC', 0],
      [undefined, 0],
      [undefined, 10],
    ]);
  });

  it(
    'says what each sync reaches: one file, a mapped range, a file system ' +
      '(asked of a probe), everything, or nothing',
    () => {
      const calls = resolve(
        [
          `1 openat(AT_FDCWD</w>, "${D}/c", O_RDWR|O_CREAT|O_EXCL, 0600) = 4<${D}/c>`,
          `1 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 4<${D}/c>, 4096) = 0x7f0000001000`,
          `1 mmap(NULL, 8192, PROT_READ, MAP_SHARED, 4<${D}/c>, 0) = 0x7f0000100000`,
          `1 msync(0x7f0000002000, 4096, MS_SYNC) = 0`,
          `1 msync(0x7f0000001000, 4096, MS_ASYNC) = 0`,
          `1 munmap(0x7f0000001000, 8192) = 0`,
          `1 msync(0x7f0000001000, 4096, MS_SYNC) = -1 ENOMEM (Cannot allocate memory)`,
          `1 fdatasync(4<${D}/c>) = 0`,
          `1 syncfs(4<${D}/c>) = 0`,
          `1 syncfs(5</proc>) = 0`,
          `1 sync() = 0`,
          `1 sync_file_range(4<${D}/c>, 0, 0, SYNC_FILE_RANGE_WRITE) = 0`,
        ],
        { onWatchedFileSystem: (file: string) => (file.startsWith(D) ? true : file === '/proc' ? false : undefined) },
      );
      const file = calls[0]?.ino as number;
      expect(calls[1]?.mapped).toEqual({ offset: 4096, length: 8192 });
      expect(calls[2]?.mapped).toBeUndefined();
      expect(calls.filter((pc) => pc.reach).map((pc) => pc.reach)).toEqual([
        { scope: 'range', ino: file, offset: 8192, length: 4096 },
        { scope: 'nothing', why: 'msync without MS_SYNC only schedules the write-back' },
        { scope: 'nothing', why: 'msync of memory that maps no file the trace opened' },
        { scope: 'file', ino: file, dataOnly: true },
        { scope: 'file-system', path: `${D}/c`, onWatched: true },
        { scope: 'file-system', path: '/proc', onWatched: false },
        { scope: 'system' },
        {
          scope: 'nothing',
          why: 'sync_file_range writes pages but persists no metadata (not the size, not the blocks, not a name)',
        },
      ]);
    },
  );

  it('follows an O_TMPFILE by its fd until linkat names it, through /proc/self/fd or AT_EMPTY_PATH', () => {
    for (const link of [
      `1 linkat(AT_FDCWD</w>, "/proc/self/fd/8", AT_FDCWD</w>, "${D}/e", AT_SYMLINK_FOLLOW) = 0`,
      `1 linkat(8<${D}/#21>(deleted), "", AT_FDCWD</w>, "${D}/e", AT_EMPTY_PATH) = 0`,
    ]) {
      const calls = resolve([
        `1 openat(AT_FDCWD</w>, "${D}", O_WRONLY|O_CLOEXEC|O_TMPFILE, 0600) = 8<${D}/#21>(deleted)`,
        `1 write(8<${D}/#21>(deleted), ""..., 10) = 10`,
        link,
        `1 fsync(8<${D}/e>) = 0`,
      ]);
      expect(calls[0]).toMatchObject({ created: true, anonymous: true });
      expect(calls.map((pc) => pc.ino)).toEqual([calls[0]?.ino, calls[0]?.ino, calls[0]?.ino, calls[0]?.ino]);
      expect(calls[0]?.ino).not.toBe(1);
    }
  });

  it('swaps two names on RENAME_EXCHANGE and keeps a symlink its text', () => {
    const calls = resolve(
      [
        `1 openat(AT_FDCWD</w>, "${D}/x", O_WRONLY|O_CREAT|O_EXCL, 0600) = 3<${D}/x>`,
        `1 renameat2(AT_FDCWD</w>, "${D}/x", AT_FDCWD</w>, "${D}/target.dat", RENAME_EXCHANGE) = 0`,
        `1 unlink("${D}/x") = 0`,
        `1 symlink("v2", "${D}/l") = 0`,
        `1 truncate("${D}/target.dat", 5) = 0`,
      ],
      {
        existing: new Map([
          [D, 1],
          [`${D}/target.dat`, 2],
        ]),
      },
    );
    expect(calls[1]).toMatchObject({ ino: calls[0]?.ino, exchangedIno: 2 });
    expect(calls[2]?.ino).toBe(2);
    expect(calls[3]).toMatchObject({ created: true, linkText: 'v2' });
    expect(calls[4]).toMatchObject({ ino: calls[0]?.ino, size: 5 });
  });

  it('reads fallocate and reflink clones, and names what it does not follow', () => {
    const calls = resolve([
      `1 openat(AT_FDCWD</w>, "/w/src", O_RDONLY) = 3</w/src>`,
      `1 openat(AT_FDCWD</w>, "${D}/c", O_RDWR|O_CREAT|O_EXCL, 0600) = 4<${D}/c>`,
      `1 fallocate(4<${D}/c>, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096) = 0`,
      `1 fallocate(4<${D}/c>, FALLOC_FL_INSERT_RANGE, 0, 4096) = 0`,
      `1 ioctl(4<${D}/c>, BTRFS_IOC_CLONE or FICLONE, 3) = 0`,
      `1 ioctl(4<${D}/c>, BTRFS_IOC_CLONE_RANGE or FICLONERANGE, {src_fd=3, ` +
        `src_offset=0, src_length=4096, dest_offset=8192}) = 0`,
      `1 ioctl(4<${D}/c>, TCGETS, 0x7ffc) = -1 ENOTTY (Inappropriate ioctl for device)`,
      `1 ioctl(4<${D}/c>, FS_IOC_SETFLAGS, [FS_APPEND_FL]) = 0`,
    ]);
    expect(calls[2]?.allocated).toEqual({ offset: 0, length: 4096, zeroes: true, keepSize: true });
    expect(calls[3]?.unmodelled).toMatch(/shifts the bytes/);
    expect(calls[4]?.cloned).toEqual({ offset: 0, from: calls[0]?.ino });
    expect(calls[5]?.cloned).toEqual({ offset: 8192, length: 4096, from: calls[0]?.ino });
    expect(calls[6]?.unmodelled).toBeUndefined();
    expect(calls[7]?.unmodelled).toMatch(/FS_IOC_SETFLAGS/);
  });
});
