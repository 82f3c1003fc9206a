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
  return { trace: parseTrace(lines.join('\n')), dir: D, tmpDir: T, target: TARGET, old: OLD, fresh: NEW, reportedSuccess: true, finalContents };
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
    expect(rename).toMatchObject({ fromDir: 2, fromName: '.x', toDir: 1, toName: 'target.dat', ino: temp, replaced: 3 });
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
      run([`7 openat(AT_FDCWD</w>, "${TARGET}", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3<${TARGET}>`, `7 write(3<${TARGET}>, ""..., 6000) = 6000`, `7 close(3<${TARGET}>) = 0`]),
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
