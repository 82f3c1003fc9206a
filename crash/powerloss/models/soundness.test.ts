/**
 * A sanity check of soundness against the conservative model: on the representative writers, at
 * every crash point, posix allows every kind of target content (old, new, missing, other) that the
 * xfs and btrfs models allow. A file-system model may forbid more than posix (that is its point),
 * never allow something posix forbids. This is not a theorem for every run (posix tears a file
 * against its old bytes, xfs and btrfs against zeros, so the exact bytes differ), only a check on
 * these shapes, in the kinds a crash image is compared in. tmpfs is the one model that breaks it,
 * by design: it loses what posix takes an fsync to promise.
 */
import { describe, expect, it } from 'vitest';
import type { ModelId, PowerLossInput } from '../types.js';
import { allowedViews, inPlaceRewrite, syncedWriter, tempRename } from '../writer-shapes.js';

const WRITERS: Record<string, PowerLossInput> = {
  'atomic replace': tempRename({ fsyncTemp: true, fsyncDir: true }),
  'replace without any fsync': tempRename(),
  'replace without the directory fsync': tempRename({ fsyncTemp: true }),
  'replace of a target that did not exist': tempRename({ old: false, fsyncTemp: true }),
  'rename, then fsync of the renamed file': tempRename({ fsyncAfterRename: true }),
  'rename, then fdatasync of the renamed file': tempRename({ fsyncAfterRename: 'fdatasync' }),
  'fdatasync of the temp, directory fsync': tempRename({ fsyncTemp: 'fdatasync', fsyncDir: true }),
  'across directories, target directory fsynced': tempRename({ crossDir: true, fsyncTemp: true, fsyncDir: true }),
  'across directories, no fsync': tempRename({ crossDir: true }),
  'O_TRUNC in place': inPlaceRewrite(),
  'O_TRUNC in place, fsynced': inPlaceRewrite({ fsync: true }),
  'sync() before and after the rename': syncedWriter('sync()'),
  'O_DSYNC writes, directory fsync': syncedWriter('O_DSYNC'),
};

const posix = new Map(Object.entries(WRITERS).map(([name, input]) => [name, allowedViews(input, 'posix')]));

describe.each(['xfs', 'btrfs'] as ModelId[])('posix allows every target kind %s allows', (model) => {
  it.each(Object.keys(WRITERS))('%s', (name) => {
    const input = WRITERS[name]!;
    const allowed = allowedViews(input, model);
    expect(allowed.size).toBe(input.ops.length + 1);
    for (const [point, { kinds }] of allowed) {
      const conservative = posix.get(name)!.get(point)!.kinds;
      for (const kind of kinds)
        expect(conservative.has(kind), `${model} allows "${kind}" after op ${point}, posix does not`).toBe(true);
    }
  });
});

describe('tmpfs is the exception', () => {
  it('after a correct replace, posix promises the new content; tmpfs keeps only the old', () => {
    const input = WRITERS['atomic replace']!;
    const last = input.ops.length - 1;
    expect([...posix.get('atomic replace')!.get(last)!.kinds]).toEqual(['new']);
    expect([...allowedViews(input, 'tmpfs').get(last)!.kinds]).toEqual(['old']);
  });
});
