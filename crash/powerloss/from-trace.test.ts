import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../core/trace/strace.js';
import { explore } from './explore.js';
import { logicalOps, type RecordedRun } from './from-trace.js';

const D = '/w/1/dir';
const T = '/w/1/tmp';
const TARGET = `${D}/target.dat`;
const OLD = Buffer.alloc(6000, 1);
const NEW = Buffer.alloc(6000, 2);

function run(lines: string[], finalContents = new Map([[TARGET, NEW]])): RecordedRun {
  return {
    trace: parseTrace(lines.join('\n')),
    dir: D,
    tmpDir: T,
    target: TARGET,
    old: OLD,
    fresh: NEW,
    reportedSuccess: true,
    finalContents,
  };
}

// A temp in $TMPDIR, written in two calls, fsynced, renamed into the target's directory, the directory fsynced.
const TMPDIR_WRITER = [
  `7 openat(AT_FDCWD</w>, "/w/src", O_RDONLY) = 3</w/src>`,
  `7 openat(AT_FDCWD</w>, "${T}/.x", O_RDWR|O_CREAT|O_EXCL, 0600) = 4<${T}/.x>`,
  `7 write(4<${T}/.x>, ""..., 4096) = 4096`,
  `7 write(4<${T}/.x>, ""..., 1904) = 1904`,
  `7 fsync(4<${T}/.x>) = 0`,
  `7 close(4<${T}/.x>) = 0`,
  `7 rename("${T}/.x", "${TARGET}") = 0`,
  `7 openat(AT_FDCWD</w>, "${D}", O_RDONLY|O_DIRECTORY) = 5<${D}>`,
  `7 fsync(5<${D}>) = 0`,
];

describe('logicalOps', () => {
  it('turns a $TMPDIR temp renamed into place into one file, with its bytes from the final content', () => {
    const { input, unknownBytes } = logicalOps(run(TMPDIR_WRITER));
    expect(input.ops.map((op) => op.kind)).toEqual(['create', 'write', 'write', 'sync', 'close', 'rename', 'sync']);
    const [create, first, second, , , rename, dirSync] = input.ops;
    expect(create).toMatchObject({ kind: 'create', dir: 2, name: '.x' });
    const temp = (create as { ino: number }).ino;
    expect(first).toMatchObject({ ino: temp, offset: 0 });
    expect(second).toMatchObject({ ino: temp, offset: 4096 });
    expect(Buffer.concat([(first as { data: Buffer }).data, (second as { data: Buffer }).data]).equals(NEW)).toBe(true);
    expect(rename).toMatchObject({
      fromDir: 2,
      fromName: '.x',
      toDir: 1,
      toName: 'target.dat',
      ino: temp,
      replaced: 3,
    });
    expect(dirSync).toMatchObject({ kind: 'sync', ino: 1 });
    expect(rename?.call).toBe('rename($TMPDIR/.x → target.dat)');
    expect(unknownBytes).toBe(0);
  });

  it('judges that writer durable and atomic under both models', () => {
    const { input } = logicalOps(run(TMPDIR_WRITER));
    for (const model of ['posix', 'ext4-ordered'] as const) {
      const found = explore(input, model);
      expect(found.atomicity.violations, model).toBe(0);
      expect(found.durability.violations, model).toBe(0);
    }
  });

  it('ignores an fsync of a file outside the watched directories, so the temp stays unsynced', () => {
    const lines = TMPDIR_WRITER.map((line) => line.replace(`fsync(4<${T}/.x>)`, 'fsync(3</w/src>)'));
    const { input } = logicalOps(run(lines));
    expect(input.ops.filter((op) => op.kind === 'sync')).toHaveLength(1);
    const found = explore(input, 'posix');
    expect(found.atomicity.violations).toBeGreaterThan(0);
    expect(found.violations[0]?.explanation).toMatch(/persisted, the file data did not/);
  });

  it('sees an in-place writer as a truncate of the target followed by writes', () => {
    const { input } = logicalOps(
      run([
        `7 openat(AT_FDCWD</w>, "${TARGET}", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3<${TARGET}>`,
        `7 write(3<${TARGET}>, ""..., 6000) = 6000`,
        `7 close(3<${TARGET}>) = 0`,
      ]),
    );
    expect(input.ops.map((op) => op.kind)).toEqual(['truncate', 'write', 'close']);
    expect(input.ops[0]).toMatchObject({ ino: 3, size: 0 });
    expect(explore(input, 'posix').atomicity.violations).toBeGreaterThan(0);
  });

  it('marks bytes it cannot know (a range written twice) instead of guessing them', () => {
    const lines = [
      `7 openat(AT_FDCWD</w>, "${D}/.t", O_RDWR|O_CREAT|O_EXCL, 0600) = 4<${D}/.t>`,
      `7 pwrite64(4<${D}/.t>, ""..., 6000, 0) = 6000`,
      `7 pwrite64(4<${D}/.t>, ""..., 6000, 0) = 6000`,
      `7 rename("${D}/.t", "${TARGET}") = 0`,
    ];
    const { input, unknownBytes } = logicalOps(run(lines));
    expect(unknownBytes).toBe(6000);
    expect((input.ops[1] as { data: Buffer }).data.equals(NEW)).toBe(false);
    expect((input.ops[2] as { data: Buffer }).data.equals(NEW)).toBe(true);
  });
});

/**
 * The trace lines of a temp `.x` in the target's directory, as strace 6 prints them; the directory fsynced after the
 * rename.
 */
function replaceVia(fill: string[], options: { dirSync?: string[] } = {}): string[] {
  return [
    `7 openat(AT_FDCWD</w>, "${D}/.x", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 4<${D}/.x>`,
    ...fill,
    `7 close(4<${D}/.x>) = 0`,
    `7 rename("${D}/.x", "${TARGET}") = 0`,
    ...(options.dirSync ?? [`7 openat(AT_FDCWD</w>, "${D}", O_RDONLY|O_DIRECTORY) = 5<${D}>`, `7 fsync(5<${D}>) = 0`]),
  ];
}

function judged(lines: string[], extra: Partial<RecordedRun> = {}) {
  const translation = logicalOps({ ...run(lines), ...extra });
  const posix = explore(translation.input, 'posix');
  return { translation, atomicity: posix.atomicity.violations, durability: posix.durability.violations, posix };
}

describe('logicalOps: every way a writer reaches the disk', () => {
  it('an O_DSYNC temp: its writes are durable when they return, so no fsync is needed', () => {
    const lines = replaceVia([
      `7 write(4<${D}/.x>, ""..., 4096) = 4096`,
      `7 write(4<${D}/.x>, ""..., 1904) = 1904`,
    ]).map((line) => line.replace('O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC', 'O_WRONLY|O_CREAT|O_EXCL|O_DSYNC|O_CLOEXEC'));
    const { translation, atomicity, durability } = judged(lines);
    expect(
      translation.input.ops.filter((op) => op.kind === 'write').map((op) => op.kind === 'write' && op.syncedBy),
    ).toEqual(['O_DSYNC', 'O_DSYNC']);
    expect([atomicity, durability]).toEqual([0, 0]);
  });

  it('pwritev2 with RWF_DSYNC: durable per call; without the flag the same writer is torn', () => {
    const fill = [
      `7 pwritev2(4<${D}/.x>, [...], 1, 0, RWF_DSYNC) = 4096`,
      `7 pwritev2(4<${D}/.x>, [...], 1, 4096, RWF_DSYNC) = 1904`,
    ];
    expect(judged(replaceVia(fill)).atomicity).toBe(0);
    expect(judged(replaceVia(fill.map((line) => line.replace('RWF_DSYNC', '0')))).atomicity).toBeGreaterThan(0);
  });

  it('sync() persists everything before it: the data before the rename and the rename itself', () => {
    const lines = replaceVia([`7 write(4<${D}/.x>, ""..., 6000) = 6000`, `7 sync() = 0`], {
      dirSync: ['7 sync() = 0'],
    });
    const { translation, atomicity, durability } = judged(lines);
    expect(translation.input.ops.filter((op) => op.kind === 'sync_all')).toHaveLength(2);
    expect([atomicity, durability]).toEqual([0, 0]);
  });

  it("syncfs() counts only on the target's file system: elsewhere it is a note and persists nothing", () => {
    const lines = replaceVia([`7 write(4<${D}/.x>, ""..., 6000) = 6000`, `7 fsync(4<${D}/.x>) = 0`], {
      dirSync: [`7 openat(AT_FDCWD</w>, "/proc", O_RDONLY|O_DIRECTORY) = 6</proc>`, `7 syncfs(6</proc>) = 0`],
    });
    const elsewhere = judged(lines, { fileSystems: new Map([['/proc', false]]) });
    expect(elsewhere.durability).toBeGreaterThan(0);
    expect(elsewhere.translation.notes).toEqual([
      "syncfs(/proc) syncs another file system than the target's: it persists nothing of the target's",
    ]);
    const same = judged(lines, { fileSystems: new Map([['/proc', true]]) });
    expect(same.durability).toBe(0);
    // Unknown: the model cannot tell what it reached, so the writer is not judged on a guess.
    expect(judged(lines).translation.unmodelled[0]).toMatch(/syncfs of a file whose file system could not be told/);
  });

  it('a shared mapping: its bytes come from the final content at the mmap, an msync(MS_SYNC) covers them', () => {
    const lines = replaceVia([
      `7 ftruncate(4<${D}/.x>, 6000) = 0`,
      `7 mmap(NULL, 6000, PROT_READ|PROT_WRITE, MAP_SHARED, 4<${D}/.x>, 0) = 0x7f0000000000`,
      `7 msync(0x7f0000000000, 6000, MS_SYNC) = 0`,
      `7 munmap(0x7f0000000000, 6000) = 0`,
    ]);
    const { translation, atomicity, durability } = judged(lines);
    const mapped = translation.input.ops.find((op) => op.kind === 'write');
    expect(mapped).toMatchObject({ via: 'mapping', offset: 0 });
    expect(mapped?.kind === 'write' && mapped.data.equals(NEW)).toBe(true);
    expect(translation.input.ops.find((op) => op.kind === 'sync')).toMatchObject({
      range: { offset: 0, length: 6000 },
    });
    expect([atomicity, durability]).toEqual([0, 0]);
    // msync without MS_SYNC only schedules the write-back: the mapped bytes stay unsynced.
    expect(judged(lines.map((line) => line.replace('MS_SYNC', 'MS_ASYNC'))).atomicity).toBeGreaterThan(0);
  });

  it('bytes copied in the kernel (sendfile, splice, copy_file_range) land where the output fd says', () => {
    const { translation } = judged(
      replaceVia([
        `7 sendfile(4<${D}/.x>, 3</w/src>, [0] => [2000], 2000) = 2000`,
        `7 splice(6<pipe:[9]>, NULL, 4<${D}/.x>, NULL, 2000, 0) = 2000`,
        `7 copy_file_range(3</w/src>, [4000], 4<${D}/.x>, [4000], 2000, 0) = 2000`,
        `7 fsync(4<${D}/.x>) = 0`,
      ]),
    );
    expect(
      translation.input.ops.filter((op) => op.kind === 'write').map((op) => op.kind === 'write' && op.offset),
    ).toEqual([0, 2000, 4000]);
    expect(translation.unknownBytes).toBe(0);
  });

  it('fallocate: zeros where it grows the file or punches it; space alone changes nothing', () => {
    const { translation } = judged(
      replaceVia([
        `7 fallocate(4<${D}/.x>, 0, 0, 6000) = 0`,
        `7 pwrite64(4<${D}/.x>, ""..., 6000, 0) = 6000`,
        `7 fallocate(4<${D}/.x>, FALLOC_FL_KEEP_SIZE, 0, 9000) = 0`,
        `7 fallocate(4<${D}/.x>, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 100) = 0`,
      ]),
    );
    const writes = translation.input.ops.filter((op) => op.kind === 'write');
    expect(writes.map((op) => op.kind === 'write' && [op.offset, op.data.length, op.via])).toEqual([
      [0, 6000, 'allocate'],
      [0, 6000, undefined],
      [0, 100, 'allocate'],
    ]);
    expect(translation.unmodelled).toEqual([]);
    expect(
      judged(replaceVia([`7 fallocate(4<${D}/.x>, FALLOC_FL_COLLAPSE_RANGE, 0, 4096) = 0`])).translation.unmodelled[0],
    ).toMatch(/shifts the bytes after its range/);
  });

  it('an anonymous O_TMPFILE, written, fsynced and given a name by linkat, is one file from open to rename', () => {
    const lines = [
      `7 openat(AT_FDCWD</w>, "${D}", O_WRONLY|O_CLOEXEC|O_TMPFILE, 0600) = 4<${D}/#2146322>(deleted)`,
      `7 write(4<${D}/#2146322>(deleted), ""..., 6000) = 6000`,
      `7 fsync(4<${D}/#2146322>(deleted)) = 0`,
      `7 linkat(AT_FDCWD</w>, "/proc/self/fd/4", AT_FDCWD</w>, "${D}/.x", AT_SYMLINK_FOLLOW) = 0`,
      `7 close(4<${D}/.x>) = 0`,
      `7 rename("${D}/.x", "${TARGET}") = 0`,
      `7 openat(AT_FDCWD</w>, "${D}", O_RDONLY|O_DIRECTORY) = 5<${D}>`,
      `7 fsync(5<${D}>) = 0`,
    ];
    const { translation, atomicity, durability } = judged(lines);
    expect(translation.input.ops.map((op) => op.kind)).toEqual(['write', 'sync', 'link', 'close', 'rename', 'sync']);
    const inos = new Set(translation.input.ops.slice(0, 5).map((op) => (op as { ino: number }).ino));
    expect(inos.size).toBe(1);
    expect([atomicity, durability]).toEqual([0, 0]);
    // linkat(fd, "", …, AT_EMPTY_PATH) names the same file.
    const empty = lines.map((line) =>
      line.includes('linkat')
        ? `7 linkat(4<${D}/#2146322>(deleted), "", AT_FDCWD</w>, "${D}/.x", AT_EMPTY_PATH) = 0`
        : line,
    );
    expect(judged(empty).translation.input.ops.map((op) => op.kind)).toEqual([
      'write',
      'sync',
      'link',
      'close',
      'rename',
      'sync',
    ]);
  });

  it('renameat2 with RENAME_EXCHANGE swaps the two names; RENAME_NOREPLACE is a rename', () => {
    const lines = [
      `7 openat(AT_FDCWD</w>, "${D}/.x", O_RDWR|O_CREAT|O_EXCL, 0600) = 4<${D}/.x>`,
      `7 write(4<${D}/.x>, ""..., 6000) = 6000`,
      `7 fsync(4<${D}/.x>) = 0`,
      `7 close(4<${D}/.x>) = 0`,
      `7 renameat2(AT_FDCWD</w>, "${D}/.x", AT_FDCWD</w>, "${TARGET}", RENAME_NOREPLACE) = -1 EEXIST (File exists)`,
      `7 renameat2(AT_FDCWD</w>, "${D}/.x", AT_FDCWD</w>, "${TARGET}", RENAME_EXCHANGE) = 0`,
      `7 openat(AT_FDCWD</w>, "${D}", O_RDONLY|O_DIRECTORY) = 5<${D}>`,
      `7 fsync(5<${D}>) = 0`,
      `7 unlink("${D}/.x") = 0`,
    ];
    const { translation, atomicity, durability } = judged(lines);
    const exchange = translation.input.ops.find((op) => op.kind === 'exchange');
    expect(exchange).toMatchObject({ fromName: '.x', toName: 'target.dat', other: 3 });
    expect(translation.input.ops.at(-1)).toMatchObject({ kind: 'unlink', name: '.x', ino: 3 });
    expect([atomicity, durability]).toEqual([0, 0]);
  });

  it('a symlink swapped over the target by rename is followed to the file it names', () => {
    const lines = [
      `7 openat(AT_FDCWD</w>, "${D}/target.dat.v2", O_WRONLY|O_CREAT|O_EXCL, 0600) = 4<${D}/target.dat.v2>`,
      `7 write(4<${D}/target.dat.v2>, ""..., 6000) = 6000`,
      `7 fsync(4<${D}/target.dat.v2>) = 0`,
      `7 close(4<${D}/target.dat.v2>) = 0`,
      `7 symlink("target.dat.v2", "${D}/.l") = 0`,
      `7 rename("${D}/.l", "${TARGET}") = 0`,
      `7 openat(AT_FDCWD</w>, "${D}", O_RDONLY|O_DIRECTORY) = 5<${D}>`,
      `7 fsync(5<${D}>) = 0`,
    ];
    const finalContents = new Map([[`${D}/target.dat.v2`, NEW]]);
    const { translation, atomicity, durability } = judged(lines, {
      finalContents,
      finalLinks: new Map([[TARGET, 'target.dat.v2']]),
    });
    expect(translation.input.ops.find((op) => op.kind === 'symlink')).toMatchObject({
      name: '.l',
      text: 'target.dat.v2',
    });
    expect([atomicity, durability]).toEqual([0, 0]);
  });

  it('an ioctl it does not know on a watched file is listed as unmodelled; a read-only one is not', () => {
    const known = judged(
      replaceVia([
        `7 ioctl(4<${D}/.x>, TCGETS, 0x7ffc) = -1 ENOTTY (Inappropriate ioctl for device)`,
        `7 ioctl(4<${D}/.x>, FIGETBSZ, [4096]) = 0`,
      ]),
    );
    expect(known.translation.unmodelled).toEqual([]);
    const unknown = judged(replaceVia([`7 ioctl(4<${D}/.x>, FS_IOC_SETFLAGS, [FS_IMMUTABLE_FL]) = 0`]));
    expect(unknown.translation.unmodelled[0]).toMatch(
      /ioctl\(FS_IOC_SETFLAGS\) changes the file in a way the model does not follow/,
    );
  });

  it('a reflink clone brings the final bytes of its range', () => {
    const { translation } = judged(
      replaceVia([`7 ioctl(4<${D}/.x>, BTRFS_IOC_CLONE or FICLONE, 3) = 0`, `7 fsync(4<${D}/.x>) = 0`]),
    );
    const clone = translation.input.ops.find((op) => op.kind === 'write');
    expect(clone).toMatchObject({ via: 'clone', offset: 0 });
    expect(clone?.kind === 'write' && clone.data.equals(NEW)).toBe(true);
  });
});
