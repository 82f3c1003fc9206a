import { describe, expect, it } from 'vitest';
import { parseFd, parseString, parseTrace, splitArgs } from '../core/trace/strace.js';
import { accountTrace } from './strace-log.js';

const DIR = '/ws/bench/trace/0-x-durable-1KiB';

// Shaped like real `strace -f -y -qq -o FILE` output, including a call split by another thread.
const LOG = `
7531  write(1<pipe:[11186]>, "/usr/bin/readlink\\n", 18) = 18
7531  openat(AT_FDCWD</work>, "${DIR}/target.bin.7531.tmp", O_WRONLY|O_CREAT|O_EXCL, 0644) = 19<${DIR}/target.bin.7531.tmp>
7531  pwrite64(19<${DIR}/target.bin.7531.tmp>, "e0\\305\\343f=\\334(Co"..., 600, 0 <unfinished ...>
7532  write(24<anon_inode:[eventfd]>, "\\1\\0\\0\\0\\0\\0\\0\\0", 8) = 8
7531  <... pwrite64 resumed>) = 600
7531  writev(19<${DIR}/target.bin.7531.tmp>, [{iov_base="ab", iov_len=2}, {iov_base="cd", iov_len=422}], 2) = 424
7531  write(19<${DIR}/target.bin.7531.tmp>, "x", 1) = -1 ENOSPC (No space left on device)
7532  fdatasync(19<${DIR}/target.bin.7531.tmp>) = 0
7531  rename("${DIR}/target.bin.7531.tmp", "${DIR}/target.bin") = 0
7531  fsync(20<${DIR}>) = 0
7531  fsync(21</elsewhere/file>) = 0
7531  rename("/elsewhere/a", "/elsewhere/b") = 0
7531  renameat2(AT_FDCWD</work>, "${DIR}/x.tmp", 22<${DIR}>, "y", RENAME_NOREPLACE) = 0
7531  sendfile(23<${DIR}/copy (deleted)>, 4</src>, [0] => [1024], 8388608) = 1024
7531  copy_file_range(4</src>, [0] => [10], 23<${DIR}/copy>, NULL, 10, 0) = 10
7531  copy_file_range(4</src>, NULL, 25</elsewhere/c>, NULL, 10, 0) = 10
7531  --- SIGCHLD {si_signo=SIGCHLD} ---
`;

describe('parseTrace on an accounting trace', () => {
  it('joins calls split by another thread and keeps failed calls marked as such', () => {
    const calls = parseTrace(LOG).calls;
    expect(calls.find((c) => c.name === 'pwrite64')).toMatchObject({ tid: 7531, retval: 600, finished: true });
    expect(calls.find((c) => c.name === 'write' && c.args[0]?.includes(DIR))).toMatchObject({
      retval: -1,
      errno: 'ENOSPC',
    });
    expect(calls.some((c) => c.name === '---')).toBe(false);
  });
});

describe('accountFor', () => {
  it('counts syncs, renames and bytes that concern the target directory only', () => {
    expect(accountTrace(LOG, DIR, '/work')).toEqual({
      // fdatasync of the temp + fsync of the dir; not the sync of /elsewhere/file.
      fsyncCount: 2,
      // rename into DIR, renameat2 resolved against the dirfd; not /elsewhere.
      renameCount: 2,
      // pwrite64 600 + writev 424 + sendfile 1024 + copy_file_range 10; not the failed write.
      bytesWritten: 600 + 424 + 1024 + 10,
    });
  });

  it('resolves a relative rename destination against the process cwd for a bare AT_FDCWD', () => {
    const log = `1  renameat(AT_FDCWD, "a.tmp", AT_FDCWD, "target.bin") = 0\n`;
    expect(accountTrace(log, DIR, DIR).renameCount).toBe(1);
    expect(accountTrace(log, DIR, '/other').renameCount).toBe(0);
  });

  it('counts the syncs that name no fd: sync(), and an msync of a mapping of a file in the directory', () => {
    const log = [
      `1  openat(AT_FDCWD</work>, "${DIR}/t.tmp", O_RDWR|O_CREAT|O_EXCL, 0600) = 3<${DIR}/t.tmp>`,
      `1  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3<${DIR}/t.tmp>, 0) = 0x7f0000000000`,
      '1  msync(0x7f0000000000, 4096, MS_SYNC) = 0',
      '1  sync() = 0',
      '1  msync(0x7f0000100000, 4096, MS_SYNC) = 0',
    ].join('\n');
    expect(accountTrace(log, DIR, '/work').fsyncCount).toBe(2);
  });

  it('finds nothing in a trace of a skipped write', () => {
    expect(accountTrace('1  write(1<pipe:[1]>, "ok", 2) = 2\n', DIR, '/work')).toEqual({
      fsyncCount: 0,
      renameCount: 0,
      bytesWritten: 0,
    });
  });
});

describe('argument helpers', () => {
  it('splits at top-level commas only, keeping fd paths, strings, arrays and => values whole', () => {
    expect(splitArgs('3</a, b>, "x, y", [{iov_base="p", iov_len=1}], [0] => [1024], 5').args).toEqual([
      '3</a, b>',
      '"x, y"',
      '[{iov_base="p", iov_len=1}]',
      '[0] => [1024]',
      '5',
    ]);
  });

  it('reads -y fd annotations and quoted paths', () => {
    expect(parseFd('19</d/f.tmp (deleted)>')?.path).toBe('/d/f.tmp');
    expect(parseFd('AT_FDCWD</cwd>')?.path).toBe('/cwd');
    expect(parseFd('AT_FDCWD')?.path).toBeUndefined();
    // Bytes outside printable ASCII arrive as octal escapes of their UTF-8 encoding.
    expect(parseString('"/d/a\\"b\\\\c\\303\\251"')).toBe('/d/a"b\\cé');
    expect(parseFd('3</d/caf\\xc3\\xa9>')?.path).toBe('/d/café');
  });
});
