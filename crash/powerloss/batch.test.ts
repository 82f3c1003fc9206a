import { describe, expect, it } from 'vitest';
import { explore } from './explore.js';
import { RunBuilder } from './run-builder.js';
import type { ModelId } from './types.js';

/** Three files over two directories: d0/a.txt and d0/b.txt existed, d1/c.txt is new. */
const FILES = [
  { dir: 0, name: 'a.txt', old: Buffer.from('old a\n'.repeat(900)), fresh: Buffer.from('NEW A\n'.repeat(1000)) },
  { dir: 0, name: 'b.txt', old: Buffer.from('old b\n'.repeat(300)), fresh: Buffer.from('NEW B\n'.repeat(400)) },
  { dir: 1, name: 'c.txt', old: undefined, fresh: Buffer.from('NEW C\n'.repeat(700)) },
] as const;

interface BatchShape {
  /** Files whose temp is not fsynced before its rename (by index in FILES). */
  unsynced?: number[];
  /** Fsync each unique parent directory once after the renames (the reference batch). */
  fsyncDirs?: boolean;
  /** Overwrite this file in place (O_TRUNC + write + fsync) instead of temp + rename. */
  inPlace?: number;
}

/** A batch writer: for each file temp → write → [fsync] → close → rename; then [fsync d0, fsync d1]. */
function batch(shape: BatchShape = {}) {
  const run = new RunBuilder();
  const dirs = [run.dir('/w/d0'), run.dir('/w/d1')];
  for (const file of FILES) if (file.old) run.existingFile(dirs[file.dir]!, file.name, file.old);
  FILES.forEach((file, i) => {
    const dir = dirs[file.dir]!;
    if (shape.inPlace === i) {
      const ino = run.lookup(dir, file.name);
      run.truncate(ino, 0).writeInChunks(ino, file.fresh, 4096).fsync(ino).close(ino);
      return;
    }
    const tmp = run.create(dir, `.${file.name}.tmp`);
    run.writeInChunks(tmp, file.fresh, 4096);
    if (!shape.unsynced?.includes(i)) run.fsync(tmp);
    run.close(tmp).rename(dir, `.${file.name}.tmp`, dir, file.name);
  });
  if (shape.fsyncDirs) for (const dir of dirs) run.fsync(dir);
  return run.build({
    targets: FILES.map((file) => ({
      dir: dirs[file.dir]!,
      name: file.name,
      fresh: file.fresh,
      label: `d${file.dir}/${file.name}`,
    })),
  });
}

const ALL_MODELS: ModelId[] = ['posix', 'ext4-ordered', 'xfs', 'btrfs'];

describe('a batch judged file by file', () => {
  it.each(ALL_MODELS)(
    'the reference batch (fsync each file, rename each, fsync each parent once): nothing under %s',
    (model) => {
      const input = batch({ fsyncDirs: true });
      expect(input.targets.map((target) => target.old === undefined)).toEqual([false, false, true]);
      const result = explore(input, model, { maxStates: 100_000 });
      expect(result.exhaustive).toBe(true);
      expect(result.atomicity).toEqual({ states: result.states, violations: 0 });
      expect(result.durability.states).toBeGreaterThan(0);
      expect(result.durability.violations).toBe(0);
      expect(result.violations).toEqual([]);
    },
  );

  it('renames every file but fsyncs no directory: a durability violation under posix, each file still atomic', () => {
    const result = explore(batch(), 'posix', { maxStates: 100_000 });
    expect(result.exhaustive).toBe(true);
    expect(result.atomicity.violations).toBe(0);
    expect(result.durability.violations).toBeGreaterThan(0);
    const durability = result.violations.filter((v) => v.check === 'durability');
    // Each file's own smallest loss, named: d0/a.txt can only be lost with d0/b.txt (d0's entries persist in order).
    expect(new Set(durability.map((v) => v.targetName))).toEqual(new Set(['d0/a.txt', 'd0/b.txt', 'd1/c.txt']));
    const a = durability.find((v) => v.targetName === 'd0/a.txt')!;
    expect(a.failingTargets).toBe(2);
    expect(a.explanation).toMatch(/^after success \(exit 0\) the target d0\/a\.txt still holds the old content/);
    expect(a.explanation).toContain('as do 1 other of the 3 files judged');
    expect(a.explanation).toContain('directory /w/d0 was never fsynced after it');
    const c = durability.find((v) => v.targetName === 'd1/c.txt')!;
    expect(c.target.kind).toBe('absent');
    expect(c.failingTargets).toBe(1);
    expect(c.explanation).toContain('the target d1/c.txt is absent: renameat2(/w/d1/.c.txt.tmp → /w/d1/c.txt) did not');
    expect(c.explanation).toContain('directory /w/d1 was never fsynced after it');
  });

  it('fsyncing only one of the two directories still loses the other directory’s file after success', () => {
    const run = batch();
    const d0 = run.targets[0]!.dir;
    const last = run.ops.length;
    run.ops.push({ kind: 'sync', ino: d0, dataOnly: false, index: last, call: 'fsync(/w/d0)' });
    const result = explore(run, 'posix', { maxStates: 100_000 });
    expect(result.durability.violations).toBeGreaterThan(0);
    const failing = result.violations.filter((v) => v.check === 'durability').map((v) => v.targetName);
    expect(new Set(failing)).toEqual(new Set(['d1/c.txt']));
  });

  it.each(['posix', 'xfs', 'btrfs'] as ModelId[])(
    'one file renamed without an fsync of its data: an atomicity violation naming that file (%s)',
    (model) => {
      const result = explore(batch({ unsynced: [1], fsyncDirs: true }), model, { maxStates: 100_000 });
      expect(result.atomicity.violations).toBeGreaterThan(0);
      const atomicity = result.violations.filter((v) => v.check === 'atomicity');
      expect(new Set(atomicity.map((v) => v.targetName))).toEqual(new Set(['d0/b.txt']));
      expect(atomicity[0]!.explanation).toContain('the target d0/b.txt');
      expect(atomicity[0]!.explanation).toContain('persisted, the file data did not');
      expect(atomicity[0]!.explanation).toContain('the file was never fsynced');
    },
  );

  it('one file of the batch rewritten in place: torn at the first write, the others untouched', () => {
    const result = explore(batch({ inPlace: 0, fsyncDirs: true }), 'posix', { maxStates: 100_000 });
    expect(result.atomicity.violations).toBeGreaterThan(0);
    const first = result.violations.find((v) => v.check === 'atomicity')!;
    expect(first.targetName).toBe('d0/a.txt');
    expect(first.afterCall).toMatch(/O_TRUNC/);
    expect(first.target).toMatchObject({ kind: 'other', shape: 'empty' });
    expect(first.failingTargets).toBe(1);
  });

  it('a single target built either way judges the same', () => {
    const make = (asList: boolean) => {
      const run = new RunBuilder();
      const dir = run.dir('/data');
      const fresh = FILES[0].fresh;
      run.existingFile(dir, 'target.dat', FILES[0].old);
      const tmp = run.create(dir, '.x.tmp');
      run.writeInChunks(tmp, fresh, 4096).close(tmp).rename(dir, '.x.tmp', dir, 'target.dat');
      return asList
        ? run.build({ targets: [{ dir, name: 'target.dat', fresh }] })
        : run.build({ target: { dir, name: 'target.dat' }, fresh });
    };
    const listed = explore(make(true), 'posix');
    expect(explore(make(false), 'posix')).toEqual(listed);
    expect(listed.violations[0]!.explanation).toContain(': the target is');
    expect(listed.violations[0]!.failingTargets).toBe(1);
  });
});
