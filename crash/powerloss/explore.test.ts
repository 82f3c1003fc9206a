import { describe, expect, it } from 'vitest';
import { explore } from './explore.js';
import { MODELS } from './models/index.js';
import { RunBuilder } from './run-builder.js';
import { selectStates } from './selection.js';
import { StateSpace } from './space.js';
import type { ModelId } from './types.js';

const OLD = Buffer.from('old line\n'.repeat(1200)); // 10800 bytes: 3 blocks
const FRESH = Buffer.from('NEW LINE\n'.repeat(1500)); // 13500 bytes: 4 blocks

/** open(tmp) → write(s) → [fsync tmp] → close → rename(tmp → target) → [fsync dir]. */
function tempThenRename(
  options: {
    fsyncTemp?: boolean;
    fsyncDir?: boolean;
    chunk?: number;
    fsyncBeforeLastWrite?: boolean;
    fsyncOther?: boolean;
    old?: boolean;
  } = {},
) {
  const run = new RunBuilder();
  const dir = run.dir('/data');
  if (options.old !== false) run.existingFile(dir, 'target.dat', OLD);
  const other = run.existingFile(dir, 'other.log', Buffer.from('x'));
  const tmp = run.create(dir, '.x.tmp');
  const chunk = options.chunk ?? FRESH.length;
  if (options.fsyncBeforeLastWrite) {
    run.write(tmp, 0, FRESH.subarray(0, chunk)).fsync(tmp).write(tmp, chunk, FRESH.subarray(chunk));
  } else {
    run.writeInChunks(tmp, FRESH, chunk);
  }
  if (options.fsyncTemp) run.fsync(tmp);
  if (options.fsyncOther) run.fsync(other);
  run.close(tmp).rename(dir, '.x.tmp', dir, 'target.dat');
  if (options.fsyncDir) run.fsync(dir);
  return run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH });
}

const BOTH: ModelId[] = ['posix', 'ext4-ordered'];

describe('ALICE toy case: temp, write, rename over the target', () => {
  it('without any fsync, posix reaches an empty or partial target', () => {
    const result = explore(tempThenRename(), 'posix');
    expect(result.exhaustive).toBe(true);
    expect(result.atomicity.violations).toBeGreaterThan(0);
    const first = result.violations.find((v) => v.check === 'atomicity')!;
    expect(first.afterCall).toMatch(/^renameat2/);
    expect(first.explanation).toContain('renameat2(/data/.x.tmp → /data/target.dat) persisted, the file data did not');
    expect(first.explanation).toContain('the target is 0 bytes');
  });

  it.each(BOTH)('with fsync of the temp before the rename and of the directory after, %s finds nothing', (model) => {
    const result = explore(tempThenRename({ fsyncTemp: true, fsyncDir: true }), model);
    expect(result.exhaustive).toBe(true);
    expect(result.atomicity).toEqual({ states: result.states, violations: 0 });
    expect(result.durability.states).toBeGreaterThan(0);
    expect(result.durability.violations).toBe(0);
    expect(result.violations).toEqual([]);
  });
});

describe.each(BOTH)('temp + write + fsync + rename without a directory fsync (%s)', (model) => {
  it('is atomic but not durable: the old content survives a success', () => {
    const result = explore(tempThenRename({ fsyncTemp: true }), model);
    expect(result.atomicity.violations).toBe(0);
    expect(result.durability.violations).toBeGreaterThan(0);
    const durability = result.violations.find((v) => v.check === 'durability')!;
    expect(durability.target.kind).toBe('old');
    expect(durability.explanation).toMatch(/^after success \(exit 0\) the target still holds the old content/);
    expect(durability.explanation).toContain('directory /data was never fsynced after it');
  });
});

describe('unsynced data under posix', () => {
  it('an fsync before the last write leaves a partial target reachable', () => {
    const result = explore(tempThenRename({ fsyncBeforeLastWrite: true, chunk: 8192, fsyncDir: true }), 'posix');
    expect(result.atomicity.violations).toBeGreaterThan(0);
    const views = result.violations.map((v) => v.target);
    expect(views).toContainEqual(expect.objectContaining({ kind: 'other', shape: 'fresh-prefix', size: 8192 }));
  });

  it('an fsync of another inode does not cover the temp', () => {
    const result = explore(tempThenRename({ fsyncOther: true, fsyncDir: true }), 'posix');
    expect(result.atomicity.violations).toBeGreaterThan(0);
    expect(result.violations[0]!.explanation).toContain('persisted, the file data did not');
  });
});

describe.each(BOTH)('in-place O_TRUNC + write, no temp (%s)', (model) => {
  it('exposes an empty or partial target', () => {
    const run = new RunBuilder();
    const dir = run.dir('/data');
    const target = run.existingFile(dir, 'target.dat', OLD);
    run.truncate(target, 0).writeInChunks(target, FRESH, 4096).fsync(target).close(target);
    const result = explore(run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH }), model);
    expect(result.atomicity.violations).toBeGreaterThan(0);
    const first = result.violations[0]!;
    expect(first.check).toBe('atomicity');
    expect(first.afterCall).toMatch(/O_TRUNC/);
    expect(first.target).toMatchObject({ kind: 'other', shape: 'empty' });
    // The fsync at the end makes the finished state durable.
    expect(result.durability.violations).toBe(0);
  });
});

describe.each(BOTH)('cross-directory rename (%s)', (model) => {
  it('temp in another directory, fsync file, rename into the target directory, fsync it: passes', () => {
    const run = new RunBuilder();
    const staging = run.dir('/data/staging');
    const dir = run.dir('/data/live');
    run.existingFile(dir, 'target.dat', OLD);
    const tmp = run.create(staging, 'x.tmp');
    run.writeInChunks(tmp, FRESH, 4096).fsync(tmp).close(tmp).rename(staging, 'x.tmp', dir, 'target.dat').fsync(dir);
    const result = explore(run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH }), model);
    expect(result.exhaustive).toBe(true);
    expect(result.atomicity.violations).toBe(0);
    expect(result.durability.violations).toBe(0);
    expect(result.durability.states).toBeGreaterThan(0);
  });
});

describe('ext4-ordered forgives replace-via-rename without fsync; posix does not', () => {
  const input = tempThenRename({ chunk: 4096 });
  it('posix: the renamed-over target can be empty or partial', () => {
    const result = explore(input, 'posix');
    expect(result.atomicity.violations).toBeGreaterThan(0);
  });
  it(
    'ext4-ordered: auto_da_alloc forces the data before the rename commits, ' +
      'but without a commit the old file survives a success',
    () => {
      const result = explore(input, 'ext4-ordered');
      expect(result.atomicity.violations).toBe(0);
      expect(result.durability.violations).toBeGreaterThan(0);
      expect(result.violations[0]!.target.kind).toBe('old');
    },
  );
  it('ext4-ordered: no forgiveness when the rename replaces nothing (no auto_da_alloc for a new name)', () => {
    const result = explore(tempThenRename({ chunk: 4096, old: false }), 'ext4-ordered');
    expect(result.atomicity.violations).toBeGreaterThan(0);
    expect(result.violations[0]!.target).toMatchObject({ kind: 'other' });
  });
});

describe('ext4-ordered: fsync of the renamed file commits the rename', () => {
  it('an fsync after the rename of the renamed inode reaches the rename (its latest metadata op)', () => {
    const run = new RunBuilder();
    const dir = run.dir('/data');
    run.existingFile(dir, 'target.dat', OLD);
    const tmp = run.create(dir, '.x.tmp');
    run.write(tmp, 0, FRESH).close(tmp).rename(dir, '.x.tmp', dir, 'target.dat').fsync(tmp);
    const input = run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH });
    expect(explore(input, 'ext4-ordered').durability.violations).toBe(0);
    // posix promises nothing about the name from a file fsync.
    expect(explore(input, 'posix').durability.violations).toBeGreaterThan(0);
  });
});

describe('seeded sampling', () => {
  const input = tempThenRename({ chunk: 1024 }); // 14 writes: a space well past 50 states
  it('is exhaustive within the bound and says so', () => {
    const result = explore(input, 'posix', { maxStates: 1_000_000 });
    expect(result.exhaustive).toBe(true);
    expect(result.states).toBe(result.spaceSize);
  });
  it('samples past the bound: deterministic for a seed, reports the full size', () => {
    const a = explore(input, 'posix', { maxStates: 50, seed: 7 });
    const b = explore(input, 'posix', { maxStates: 50, seed: 7 });
    const c = explore(input, 'posix', { maxStates: 50, seed: 8 });
    expect(a.exhaustive).toBe(false);
    expect(a.states).toBe(50);
    expect(typeof a.spaceSize === 'number' && a.spaceSize > 50).toBe(true);
    expect(b).toEqual(a);
    expect(c.states).toBe(50);
    const space = new StateSpace(input, MODELS.posix);
    expect(selectStates(space, 50, 7)).toEqual(selectStates(space, 50, 7));
    expect(selectStates(space, 50, 7).numbers).not.toEqual(selectStates(space, 50, 8).numbers);
    expect(a.atomicity.violations).toBeGreaterThan(0);
  });
});
