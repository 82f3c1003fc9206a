/** The xfs model on the representative writers; each expectation names the rule (models/xfs.ts) behind it. */
import { describe, expect, it } from 'vitest';
import { explore } from '../explore.js';
import { allowedViews, inPlaceRewrite, tempRename } from '../writer-shapes.js';

const verdict = (input: Parameters<typeof explore>[0]) => explore(input, 'xfs', { maxStates: 100_000 });

describe('xfs', () => {
  it('atomic replace (write temp, fsync, rename, fsync dir): no atomicity and no durability violation', () => {
    const found = verdict(tempRename({ fsyncTemp: true, fsyncDir: true }));
    expect(found.exhaustive).toBe(true);
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.states).toBeGreaterThan(0);
    expect(found.durability.violations).toBe(0);
  });

  it(
    'replace without any fsync: the renamed file can be empty or a prefix ' +
      '(rule 5: no data flush on rename; rule 1: the rename is logged first)',
    () => {
      const input = tempRename();
      const found = verdict(input);
      expect(found.atomicity.violations).toBeGreaterThan(0);
      const shapes = found.violations.filter((v) => v.check === 'atomicity').map((v) => v.target);
      expect(shapes).toContainEqual(expect.objectContaining({ kind: 'other', shape: 'empty' }));
      expect(shapes).toContainEqual(expect.objectContaining({ kind: 'other', shape: 'fresh-prefix' }));
      expect(
        found.violations.find((v) => v.target.kind === 'other' && v.target.shape === 'empty')!.explanation,
      ).toContain('renameat2(/data/.x.tmp → /data/target.dat) persisted, the file data did not');
      // ext4's auto_da_alloc would have forced the data before the rename; XFS has no such rule.
      expect(explore(input, 'ext4-ordered').atomicity.violations).toBe(0);
      expect(found.durability.violations).toBeGreaterThan(0);
    },
  );

  it('no zero-filled size (rule 3), but appended blocks may tear into zeros (rule 4)', () => {
    const views = [...allowedViews(tempRename(), 'xfs').values()].flatMap((point) => point.views);
    expect(views.some((view) => view.kind === 'other' && view.shape === 'zeros')).toBe(false);
    expect(views.some((view) => view.kind === 'other' && view.shape === 'mixed')).toBe(true);
    // posix allows the size over zeros; ext4-ordered tears only in place (an appended file never mixes).
    expect(
      [...allowedViews(tempRename(), 'posix').values()].some((point) =>
        point.views.some((view) => view.kind === 'other' && view.shape === 'zeros'),
      ),
    ).toBe(true);
    expect(
      [...allowedViews(tempRename(), 'ext4-ordered').values()].some((point) =>
        point.views.some((view) => view.kind === 'other' && view.shape === 'mixed'),
      ),
    ).toBe(false);
  });

  it('no directory fsync: atomic, but a reported success can be lost, the directory named', () => {
    const found = verdict(tempRename({ fsyncTemp: true }));
    expect(found.atomicity.violations).toBe(0);
    expect(found.durability.violations).toBeGreaterThan(0);
    const durability = found.violations.find((v) => v.check === 'durability')!;
    expect(durability.target.kind).toBe('old');
    expect(durability.explanation).toContain('directory /data was never fsynced after it');
  });

  it('fsync of the renamed file forces the log up to its rename (rule 2): durable, where fdatasync is not', () => {
    const fsynced = verdict(tempRename({ fsyncAfterRename: true }));
    expect(fsynced.durability.violations).toBe(0);
    // Before that fsync the rename may be logged without the data: not atomic.
    expect(fsynced.atomicity.violations).toBeGreaterThan(0);
    expect(verdict(tempRename({ fsyncAfterRename: 'fdatasync' })).durability.violations).toBeGreaterThan(0);
    // fdatasync of the temp before the rename still makes its data durable.
    const datasynced = verdict(tempRename({ fsyncTemp: 'fdatasync', fsyncDir: true }));
    expect(datasynced.atomicity.violations).toBe(0);
    expect(datasynced.durability.violations).toBe(0);
  });

  it(
    'O_TRUNC in place: the zero-length file is reachable (rule 5: the flush ' +
      'on close after a truncate is not waited for)',
    () => {
      const found = verdict(inPlaceRewrite());
      expect(found.atomicity.violations).toBeGreaterThan(0);
      expect(found.violations[0]!.afterCall).toMatch(/O_TRUNC/);
      expect(found.violations[0]!.target).toMatchObject({ kind: 'other', shape: 'empty' });
      // After the writes and their fsync, the new content is there; the close flushes nothing more.
      expect(verdict(inPlaceRewrite({ fsync: true })).durability.violations).toBe(0);
      expect(found.durability.violations).toBeGreaterThan(0);
    },
  );
});
