/** The btrfs model on the representative writers; each expectation names the rule (models/btrfs.ts) behind it. */
import { describe, expect, it } from 'vitest';
import { explore } from '../explore.js';
import { RunBuilder } from '../run-builder.js';
import { MODELS } from './index.js';
import { allowedViews, inPlaceRewrite, SHAPE_FRESH, syncedWriter, tempRename } from '../writer-shapes.js';

const verdict = (input: Parameters<typeof explore>[0]) => explore(input, 'btrfs', { maxStates: 100_000 });

describe('btrfs', () => {
  it('atomic replace (write temp, fsync, rename, fsync dir): no atomicity and no durability violation', () => {
    const found = verdict(tempRename({ fsyncTemp: true, fsyncDir: true }));
    expect(found.exhaustive).toBe(true);
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.states).toBeGreaterThan(0);
    expect(found.durability.violations).toBe(0);
  });

  it('the same across directories, the target directory fsynced (rule 6: its log carries the new name)', () => {
    const found = verdict(tempRename({ crossDir: true, fsyncTemp: true, fsyncDir: true }));
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.violations).toBe(0);
  });

  it(
    'replace without any fsync: empty, partial or zero-filled target (rules ' +
      '2–4: the rename flush is only started, the size may run ahead)',
    () => {
      const input = tempRename();
      const found = verdict(input);
      expect(found.atomicity.violations).toBeGreaterThan(0);
      const shapes = found.violations.filter((v) => v.check === 'atomicity').map((v) => v.target);
      expect(shapes).toContainEqual(expect.objectContaining({ kind: 'other', shape: 'empty' }));
      expect(shapes).toContainEqual(expect.objectContaining({ kind: 'other', shape: 'zeros' }));
      expect(
        found.violations.find((v) => v.target.kind === 'other' && v.target.shape === 'empty')!.explanation,
      ).toContain('renameat2(/data/.x.tmp → /data/target.dat) persisted, the file data did not');
      expect(found.durability.violations).toBeGreaterThan(0);
    },
  );

  it('no directory fsync: atomic, but a reported success can be lost, the directory named', () => {
    const found = verdict(tempRename({ fsyncTemp: true }));
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.violations).toBeGreaterThan(0);
    const durability = found.violations.find((v) => v.check === 'durability')!;
    expect(durability.target.kind).toBe('old');
    expect(durability.explanation).toContain('directory /data was never fsynced after it');
  });

  it('fsync of the renamed file: its data is durable, its new name is allowed but not promised (rule 5)', () => {
    const input = tempRename({ fsyncAfterRename: true });
    const found = verdict(input);
    expect(found.durability.violations).toBeGreaterThan(0);
    const last = allowedViews(input, 'btrfs').get(input.ops.length - 1)!;
    expect([...last.kinds].sort()).toEqual(['new', 'old']);
    // xfs promises it (the log is forced up to the rename); btrfs does not here.
    expect(explore(input, 'xfs').durability.violations).toBe(0);
  });

  it(
    'a file fsync may carry its name into the log ahead of the commits (rule ' +
      '5): the synced temp can persist without an earlier create',
    () => {
      const run = new RunBuilder();
      const dir = run.dir('/data');
      const other = run.create(dir, 'other.log');
      const tmp = run.create(dir, '.x.tmp');
      run.write(tmp, 0, SHAPE_FRESH).fsync(tmp);
      const input = run.build({ target: { dir, name: '.x.tmp' }, fresh: SHAPE_FRESH });
      const createOf = (ino: number) => input.ops.find((op) => op.kind === 'create' && op.ino === ino)!.index;
      const choices = MODELS.btrfs.metadataChoices(input, input.ops.length - 1);
      const persists = (choice: (typeof choices)[number], op: number) =>
        choice.entries.some((change) => change.op === op);
      // Not a commit prefix (other.log was created first), but what the log tree can replay.
      expect(choices.some((choice) => persists(choice, createOf(tmp)) && !persists(choice, createOf(other)))).toBe(
        true,
      );
      // And not promised: the state with neither is there too.
      expect(choices.some((choice) => choice.entries.length === 0)).toBe(true);
      expect(allowedViews(input, 'btrfs').get(input.ops.length - 1)!.kinds).toEqual(new Set(['new', 'missing']));
    },
  );

  it('sync() before and after the rename, or O_DSYNC writes and a directory fsync: atomic and durable (rules 5–7)', () => {
    for (const how of ['sync()', 'O_DSYNC'] as const) {
      const found = verdict(syncedWriter(how));
      expect(found.atomicity.violations).toBe(0);
      expect(found.durability.violations).toBe(0);
    }
  });

  it(
    'O_TRUNC in place: the zero-length file is reachable (rule 3: the flush ' +
      'on close after a truncate is not waited for)',
    () => {
      const found = verdict(inPlaceRewrite());
      expect(found.atomicity.violations).toBeGreaterThan(0);
      expect(found.violations[0]!.target).toMatchObject({ kind: 'other', shape: 'empty' });
      expect(verdict(inPlaceRewrite({ fsync: true })).durability.violations).toBe(0);
    },
  );
});
