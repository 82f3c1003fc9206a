import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../core/trace/strace.js';
import { ContentCache } from '../powerloss/state.js';
import { StateSpace } from '../powerloss/space.js';
import { MODELS } from '../powerloss/models/index.js';
import { commandSteps, missedStep } from './faults.js';
import { fileViolations, placedFiles } from './file-checks.js';
import { replayMismatch } from './replay.js';
import type { TreeSnapshot } from './tree.js';
import { treeOps } from './tree-ops.js';

const W = '/w/work';
const OLD_REF = Buffer.from('old-ref\n');
const NEW_REF = Buffer.from('new-ref\n');
const OBJECT = Buffer.from('object bytes');

/** A tree as snapshotTree would give it (identity by path: no hard links here). */
function tree(dirs: string[], files: Record<string, Buffer>): TreeSnapshot {
  const identity = new Map([...dirs, ...Object.keys(files)].map((file, i) => [file, `1:${i + 100}`] as const));
  return { root: W, dirs, files: new Map(Object.entries(files)), links: new Map(), identity, special: [] };
}

const BEFORE = tree([W, `${W}/.git`, `${W}/.git/objects`], { [`${W}/.git/ref`]: OLD_REF });
const AFTER = tree([W, `${W}/.git`, `${W}/.git/objects`, `${W}/.git/objects/ab`], {
  [`${W}/.git/ref`]: NEW_REF,
  [`${W}/.git/objects/ab/cdef`]: OBJECT,
});

// git's way: a new fan-out directory, an object written to a temp there and linked to its name, then
// a ref written to a lock file, fsynced, and renamed over the ref. No directory is ever fsynced.
const COMMIT = [
  `9 mkdir("${W}/.git/objects/ab", 0777) = 0`,
  `9 openat(AT_FDCWD<${W}>, ".git/objects/ab/tmp_1", O_RDWR|O_CREAT|O_EXCL, 0444) = 3<${W}/.git/objects/ab/tmp_1>`,
  `9 write(3<${W}/.git/objects/ab/tmp_1>, ""..., 12) = 12`,
  `9 close(3<${W}/.git/objects/ab/tmp_1>) = 0`,
  `9 link("${W}/.git/objects/ab/tmp_1", "${W}/.git/objects/ab/cdef") = 0`,
  `9 unlink("${W}/.git/objects/ab/tmp_1") = 0`,
  `9 openat(AT_FDCWD<${W}>, "${W}/.git/ref.lock", O_RDWR|O_CREAT|O_EXCL, 0666) = 3<${W}/.git/ref.lock>`,
  `9 write(3<${W}/.git/ref.lock>, ""..., 8) = 8`,
  `9 fsync(3<${W}/.git/ref.lock>) = 0`,
  `9 close(3<${W}/.git/ref.lock>) = 0`,
  `9 rename("${W}/.git/ref.lock", "${W}/.git/ref") = 0`,
];

const run = (lines: string[]) =>
  treeOps({ trace: parseTrace(lines.join('\n')), before: BEFORE, after: AFTER, reportedSuccess: true });

describe('treeOps: the directory-tree bridge', () => {
  it('follows every file under the work directory, the directories the command makes included', () => {
    const { input, unmodelled, unknownBytes } = run(COMMIT);
    expect(input.ops.map((op) => op.kind)).toEqual([
      'mkdir',
      'create',
      'write',
      'close',
      'link',
      'unlink',
      'create',
      'write',
      'sync',
      'close',
      'rename',
    ]);
    const [mkdir, create] = input.ops;
    // The temp is created in the directory the run made, not in one of the initial tree.
    expect(create).toMatchObject({ dir: (mkdir as { ino: number }).ino, name: 'tmp_1' });
    expect(input.ops[4]?.call).toBe('link(.git/objects/ab/tmp_1 → .git/objects/ab/cdef)');
    expect(unmodelled).toEqual([]);
    expect(unknownBytes).toBe(0);
    expect(replayMismatch(input, AFTER, 1)).toBeUndefined();
  });

  it('a write the trace does not show makes the run not judged', () => {
    const missingWrite = COMMIT.filter((line) => !line.includes('write(3<') || !line.includes('ref.lock'));
    const { input } = run(missingWrite);
    expect(replayMismatch(input, AFTER, 1)).toBe('.git/ref does not hold the bytes its traced calls wrote');
    const { input: noLink } = run(COMMIT.filter((line) => !line.startsWith('9 link(')));
    expect(replayMismatch(noLink, AFTER, 1)).toMatch(/^\.git\/objects\/ab\/cdef is there after the run/);
  });

  it('a file the command deletes keeps the bytes the trace printed whole (-xx), and only those', () => {
    const journal = (data: string, length: number) => [
      `9 openat(AT_FDCWD<${W}>, "j", O_RDWR|O_CREAT|O_EXCL, 0644) = 4<${W}/j>`,
      `9 pwrite64(4<${W}/j>, ${data}, ${length}, 0) = ${length}`,
      `9 unlink("${W}/j") = 0`,
    ];
    const write = (lines: string[]) => {
      const { input, unknownBytes } = run(lines);
      const op = input.ops.find((candidate) => candidate.kind === 'write') as { data: Buffer };
      return { data: op.data.toString('latin1'), unknownBytes };
    };
    expect(write(journal('"\\x6a\\x6f\\x75\\xff"', 4))).toEqual({ data: 'jou\xff', unknownBytes: 0 });
    // Cut by strace's string limit: the bytes are not known, and the report counts them.
    expect(write(journal('"\\x6a\\x6f"...', 4)).unknownBytes).toBe(4);
  });

  it('judges each renamed or linked file on its own: torn never, and there at the end once fsynced', () => {
    const { input } = run(COMMIT);
    const cache = new ContentCache(input);
    const files = placedFiles(input, cache, (ino) => (ino === 2 ? '.git' : '.git/objects/ab'));
    expect(files.map((file) => [file.label, file.durable, file.mayBeAbsent])).toEqual([
      ['.git/objects/ab/cdef', false, true],
      ['.git/ref', true, false],
    ]);
    const space = new StateSpace(input, MODELS.posix);
    const checks = new Set<string>();
    for (let n = 0; n < space.size; n++)
      for (const found of fileViolations(input, space.state(n), cache, files))
        checks.add(`${found.check} ${found.file.label}`);
    // The object's data was never fsynced: its name can persist over zeros. The ref was fsynced, so it is
    // never torn, but its rename can be lost with no directory fsync after it.
    expect([...checks].sort()).toEqual(['atomicity .git/objects/ab/cdef', 'durability .git/ref']);
  });
});

describe('the steps a fault is aimed at', () => {
  it('is every call that changes a file under the work directory, counted as strace counts per process', () => {
    const trace = parseTrace(COMMIT.join('\n'));
    const { steps, unaimable } = commandSteps(run(COMMIT), trace);
    expect(unaimable).toEqual([]);
    expect(steps.map((step) => `${step.syscall}#${step.nth} ${step.dir}`)).toEqual([
      'mkdir#1 .git/objects',
      'openat#1 .git/objects/ab',
      'write#1 .git/objects/ab',
      'link#1 .git/objects/ab',
      'unlink#1 .git/objects/ab',
      'openat#2 .git',
      'write#2 .git',
      'fsync#1 .git',
      'rename#1 .git',
    ]);
    const write = steps[6]!;
    // The trial's own trace must show the kill on that very call.
    const killedAt = (lines: string[]) => parseTrace([...lines, '9 +++ killed by SIGKILL +++'].join('\n'));
    const upTo = (count: number, last: string) => [...COMMIT.slice(0, count), last];
    expect(
      missedStep(
        killedAt(upTo(7, `9 write(3<${W}/.git/ref.lock>, ""..., 8 <unfinished ...>`)),
        write,
        'kill_at_step',
        'EIO',
        W,
      ),
    ).toBeUndefined();
    expect(missedStep(killedAt(COMMIT.slice(0, 5)), write, 'kill_at_step', 'EIO', W)).toBe(
      'write call #2 never came (it made 1)',
    );
    const injected = upTo(7, `9 write(3<${W}/.git/ref.lock>, ""..., 8) = -1 EIO (Input/output error) (INJECTED)`);
    expect(missedStep(parseTrace(injected.join('\n')), write, 'inject_error', 'EIO', W)).toBeUndefined();
    expect(missedStep(parseTrace(injected.join('\n')), write, 'kill_at_step', 'EIO', W)).toBe(
      'write call #2 was not where the command was killed',
    );
  });
});
