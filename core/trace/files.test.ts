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
  const calls = resolveCalls(parseTrace(TRACE), { existing: new Map([[`${D}/target.dat`, 1], [D, 2]]) });
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
