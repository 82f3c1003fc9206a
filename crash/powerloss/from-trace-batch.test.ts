import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../core/trace/strace.js';
import { explore } from './explore.js';
import { batchLogicalOps, type RecordedBatchRun } from './from-trace.js';
import { judgeVisibility } from './visibility.js';

const D0 = '/w/1/batch/d0';
const D1 = '/w/1/batch/d1';
const T = '/w/1/tmp';
const FILES = [
  { path: `${D0}/a.txt`, old: Buffer.alloc(5000, 1), fresh: Buffer.alloc(6000, 2) },
  { path: `${D0}/b.txt`, old: Buffer.alloc(3000, 3), fresh: Buffer.alloc(2000, 4) },
  { path: `${D1}/c.txt`, old: undefined, fresh: Buffer.alloc(7000, 5) },
];

/** The reference batch as strace prints it: per file temp, write, fdatasync, close, rename; then each parent fsynced. */
function referenceLines(options: { skipDataSync?: string; skipDirSync?: boolean } = {}): string[] {
  const lines: string[] = [];
  FILES.forEach((file, i) => {
    const dir = file.path.slice(0, file.path.lastIndexOf('/'));
    const temp = `${dir}/.${file.path.slice(dir.length + 1)}.tmp`;
    const fd = 4 + i;
    lines.push(
      `7 openat(AT_FDCWD</w>, "${temp}", O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = ${fd}<${temp}>`,
      `7 write(${fd}<${temp}>, ""..., ${file.fresh.length}) = ${file.fresh.length}`,
    );
    if (options.skipDataSync !== file.path) lines.push(`7 fdatasync(${fd}<${temp}>) = 0`);
    lines.push(`7 close(${fd}<${temp}>) = 0`, `7 rename("${temp}", "${file.path}") = 0`);
  });
  if (!options.skipDirSync)
    for (const [fd, dir] of [
      [9, D0],
      [10, D1],
    ] as const)
      lines.push(
        `7 openat(AT_FDCWD</w>, "${dir}", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = ${fd}<${dir}>`,
        `7 fsync(${fd}<${dir}>) = 0`,
        `7 close(${fd}<${dir}>) = 0`,
      );
  return lines;
}

function batchRun(lines: string[]): RecordedBatchRun {
  return {
    trace: parseTrace(lines.join('\n')),
    tmpDir: T,
    targets: FILES,
    reportedSuccess: true,
    finalContents: new Map(FILES.map((file) => [file.path, file.fresh])),
  };
}

describe('batchLogicalOps: a batch trace judged file by file', () => {
  it('lists every file as a target, in its own directory, each named from the trial', () => {
    const run = batchRun(referenceLines());
    const translation = batchLogicalOps(run);
    const { input } = translation;
    expect(input.targets.map((target) => [target.dir, target.name, target.label])).toEqual([
      [1, 'a.txt', 'batch/d0/a.txt'],
      [1, 'b.txt', 'batch/d0/b.txt'],
      [6, 'c.txt', 'batch/d1/c.txt'],
    ]);
    expect(input.targets.map((target) => target.old?.length)).toEqual([5000, 3000, undefined]);
    expect([...input.initial.dirs.values()].map((dir) => [dir.label, [...dir.entries.keys()]])).toEqual([
      ["the batch's directory batch/d0", ['a.txt', 'b.txt']],
      ["the batch's directory batch/d1", []],
      ['$TMPDIR', []],
    ]);
    const renames = input.ops.filter((op) => op.kind === 'rename');
    expect(renames.map((op) => op.call)).toEqual([
      'rename(batch/d0/.a.txt.tmp → batch/d0/a.txt)',
      'rename(batch/d0/.b.txt.tmp → batch/d0/b.txt)',
      'rename(batch/d1/.c.txt.tmp → batch/d1/c.txt)',
    ]);
    expect(renames.map((op) => op.kind === 'rename' && op.replaced)).toEqual([3, 4, undefined]);
    expect(input.ops.filter((op) => op.kind === 'sync' && (op.ino === 1 || op.ino === 6))).toHaveLength(2);
    expect(judgeVisibility(translation, run)).toEqual({ judged: true });
  });

  it.each(['posix', 'ext4-ordered', 'xfs', 'btrfs'] as const)('the reference batch passes under %s', (model) => {
    const found = explore(batchLogicalOps(batchRun(referenceLines())).input, model, { maxStates: 100_000 });
    expect(found.exhaustive).toBe(true);
    expect([found.atomicity.violations, found.durability.violations]).toEqual([0, 0]);
    expect(found.durability.states).toBeGreaterThan(0);
  });

  it('no directory fsynced: durability fails under posix, explained by the directory never fsynced', () => {
    const found = explore(batchLogicalOps(batchRun(referenceLines({ skipDirSync: true }))).input, 'posix');
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.violations).toBeGreaterThan(0);
    const byName = new Map(found.violations.filter((v) => v.check === 'durability').map((v) => [v.targetName, v]));
    expect([...byName.keys()].sort()).toEqual(['batch/d0/a.txt', 'batch/d0/b.txt', 'batch/d1/c.txt']);
    expect(byName.get('batch/d0/a.txt')!.explanation).toContain(
      "the batch's directory batch/d0 was never fsynced after it",
    );
    expect(byName.get('batch/d1/c.txt')!.explanation).toContain(
      "the batch's directory batch/d1 was never fsynced after it",
    );
  });

  it('one file renamed without a sync of its data: atomicity fails for that file only', () => {
    const lines = referenceLines({ skipDataSync: `${D0}/b.txt` });
    const found = explore(batchLogicalOps(batchRun(lines)).input, 'posix');
    expect(found.atomicity.violations).toBeGreaterThan(0);
    const names = found.violations.filter((v) => v.check === 'atomicity').map((v) => v.targetName);
    expect(new Set(names)).toEqual(new Set(['batch/d0/b.txt']));
    expect(found.violations[0]!.explanation).toContain(
      'rename(batch/d0/.b.txt.tmp → batch/d0/b.txt) persisted, the file data did not',
    );
  });

  it('a run that leaves a file its calls do not account for is not judged, naming the file', () => {
    const lines = referenceLines().filter((line) => !line.includes(`rename("${D1}/.c.txt.tmp"`));
    const run = batchRun(lines);
    const verdict = judgeVisibility(batchLogicalOps(run), run);
    expect(verdict).toMatchObject({ judged: false });
    expect(!verdict.judged && verdict.reason).toContain(
      'the run left the target batch/d1/c.txt, which no traced call made',
    );
  });
});
