/**
 * Every way of reaching the disk the trace model knows, judged by the persistence models: each
 * durable writer is atomic and durable under every model of a disk file system, and each one-call-short twin fails the
 * check that names its fault. These are the tests that fail if a mechanism is mistreated (an
 * O_DSYNC write taken as unsynced, a sync() taken as a no-op, an msync taken as an fsync of the
 * whole file).
 */
import { describe, expect, it } from 'vitest';
import { explore } from './explore.js';
import { RunBuilder } from './run-builder.js';
import type { ModelId, PowerLossInput } from './types.js';

const OLD = Buffer.from('old line\n'.repeat(1200));
const FRESH = Buffer.from('NEW LINE\n'.repeat(1500)); // 13500 bytes: 4 blocks
const CHUNK = 4096;
/** Every model of a file system on a disk (tmpfs keeps nothing: models/tmpfs.test.ts). */
const ON_DISK: ModelId[] = ['posix', 'ext4-ordered', 'xfs', 'btrfs'];

type Step = (run: RunBuilder, ids: { dir: number; tmp: number }) => void;

/** An existing target replaced by a temp in its directory: create, fill, [steps], close, rename, [after]. */
function replace(fill: Step, after: Step = () => {}): PowerLossInput {
  const run = new RunBuilder();
  const dir = run.dir('/data');
  run.existingFile(dir, 'target.dat', OLD);
  const tmp = run.create(dir, '.x.tmp');
  fill(run, { dir, tmp });
  run.close(tmp).rename(dir, '.x.tmp', dir, 'target.dat');
  after(run, { dir, tmp });
  return run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH });
}

const chunks = (run: RunBuilder, tmp: number, how: Parameters<RunBuilder['write']>[3] = {}): void => {
  for (let offset = 0; offset < FRESH.length; offset += CHUNK)
    run.write(tmp, offset, FRESH.subarray(offset, offset + CHUNK), how);
};
const dirFsync: Step = (run, { dir }) => run.fsync(dir);

function verdict(input: PowerLossInput, model: ModelId) {
  const found = explore(input, model, { maxStates: 5000 });
  return { atomicity: found.atomicity.violations, durability: found.durability.violations, found };
}

describe.each(ON_DISK)('durable writers (%s)', (model) => {
  const durable: Record<string, PowerLossInput> = {
    'O_DSYNC writes, rename, directory fsync': replace(
      (run, { tmp }) => chunks(run, tmp, { syncedBy: 'O_DSYNC' }),
      dirFsync,
    ),
    'RWF_DSYNC writes, rename, directory fsync': replace(
      (run, { tmp }) => chunks(run, tmp, { syncedBy: 'RWF_DSYNC' }),
      dirFsync,
    ),
    'sync() after the temp and after the rename': replace(
      (run, { tmp }) => {
        chunks(run, tmp);
        run.syncAll('system');
      },
      (run) => run.syncAll('system'),
    ),
    'syncfs() after the temp and after the rename': replace(
      (run, { tmp }) => {
        chunks(run, tmp);
        run.syncAll('file system');
      },
      (run) => run.syncAll('file system'),
    ),
    'a shared mapping msynced, then the directory fsynced': replace((run, { tmp }) => {
      run.truncate(tmp, FRESH.length).write(tmp, 0, FRESH, { via: 'mapping' }).msync(tmp, 0, FRESH.length).fsync(tmp);
    }, dirFsync),
  };
  it.each(Object.keys(durable))('%s: atomic and durable', (name) => {
    const { atomicity, durability, found } = verdict(durable[name] as PowerLossInput, model);
    expect(found.exhaustive).toBe(true);
    expect(atomicity).toBe(0);
    expect(found.durability.states).toBeGreaterThan(0);
    expect(durability).toBe(0);
  });
});

describe('known-bad twins fail the check that names their fault (posix)', () => {
  it('O_DSYNC writes without a directory fsync: durability only, the rename named', () => {
    const { atomicity, durability, found } = verdict(
      replace((run, { tmp }) => chunks(run, tmp, { syncedBy: 'O_DSYNC' })),
      'posix',
    );
    expect(atomicity).toBe(0);
    expect(durability).toBeGreaterThan(0);
    expect(found.violations.find((v) => v.check === 'durability')?.explanation).toMatch(
      /renameat2\(.*\) did not persist: directory \/data was never fsynced after it/,
    );
  });

  it('the same writes without O_DSYNC are torn: a synchronous write is what made them durable', () => {
    const { atomicity } = verdict(
      replace((run, { tmp }) => chunks(run, tmp), dirFsync),
      'posix',
    );
    expect(atomicity).toBeGreaterThan(0);
  });

  it('a mapping never msynced or fsynced: atomicity, and the explanation names msync', () => {
    const input = replace((run, { tmp }) => {
      run.truncate(tmp, FRESH.length).write(tmp, 0, FRESH, { via: 'mapping' });
    }, dirFsync);
    const { atomicity, found } = verdict(input, 'posix');
    expect(atomicity).toBeGreaterThan(0);
    expect(found.violations.find((v) => v.check === 'atomicity')?.explanation).toMatch(
      /persisted, the file data did not .*shared mapping were never msynced \(MS_SYNC\) or fsynced/,
    );
  });

  it('sync() before the rename but none after it: the rename can be lost (durability)', () => {
    const input = replace((run, { tmp }) => {
      chunks(run, tmp);
      run.syncAll('system');
    });
    const { atomicity, durability } = verdict(input, 'posix');
    expect(atomicity).toBe(0);
    expect(durability).toBeGreaterThan(0);
  });

  it('without its sync() calls the sync writer fails both checks: sync() is not a no-op', () => {
    const { atomicity, durability } = verdict(
      replace((run, { tmp }) => chunks(run, tmp)),
      'posix',
    );
    expect(atomicity).toBeGreaterThan(0);
    expect(durability).toBeGreaterThan(0);
  });

  it('an msync covers only its range: writes outside it stay unsynced', () => {
    const input = replace((run, { tmp }) => {
      run
        .write(tmp, 0, FRESH.subarray(0, CHUNK), { via: 'mapping' })
        .msync(tmp, 0, CHUNK)
        .write(tmp, CHUNK, FRESH.subarray(CHUNK));
    }, dirFsync);
    expect(verdict(input, 'posix').atomicity).toBeGreaterThan(0);
    const covered = replace((run, { tmp }) => {
      run.write(tmp, 0, FRESH, { via: 'mapping' }).msync(tmp, 0, FRESH.length);
    }, dirFsync);
    expect(verdict(covered, 'posix').atomicity).toBe(0);
  });
});

describe.each(ON_DISK)('names (%s)', (model) => {
  it(
    'RENAME_EXCHANGE of a synced temp with the target, directory fsynced, ' +
      'old content unlinked: atomic and durable',
    () => {
      const run = new RunBuilder();
      const dir = run.dir('/data');
      run.existingFile(dir, 'target.dat', OLD);
      const tmp = run.create(dir, '.x.tmp');
      chunks(run, tmp);
      run.fsync(tmp).close(tmp).exchange(dir, '.x.tmp', dir, 'target.dat').fsync(dir).unlink(dir, '.x.tmp');
      const { atomicity, durability } = verdict(
        run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH }),
        model,
      );
      expect(atomicity).toBe(0);
      expect(durability).toBe(0);
    },
  );

  it('a symlink swapped over the target: followed to the file it names', () => {
    const run = new RunBuilder();
    const dir = run.dir('/data');
    run.existingFile(dir, 'target.dat', OLD);
    const version = run.create(dir, 'target.dat.v2');
    chunks(run, version);
    run.fsync(version).close(version);
    run.symlink(dir, '.link.tmp', 'target.dat.v2');
    run.rename(dir, '.link.tmp', dir, 'target.dat').fsync(dir);
    const { atomicity, durability } = verdict(run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH }), model);
    expect(atomicity).toBe(0);
    expect(durability).toBe(0);
  });
});

describe('a symlink to data never fsynced, or to a name that may not persist (posix)', () => {
  it('the symlink can outlive the data it points at: atomicity', () => {
    const run = new RunBuilder();
    const dir = run.dir('/data');
    run.existingFile(dir, 'target.dat', OLD);
    const version = run.create(dir, 'target.dat.v2');
    chunks(run, version);
    run.close(version).symlink(dir, '.link.tmp', 'target.dat.v2');
    run.rename(dir, '.link.tmp', dir, 'target.dat').fsync(dir);
    expect(
      verdict(run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH }), 'posix').atomicity,
    ).toBeGreaterThan(0);
  });

  it('a symlink whose target name is in another directory that was never fsynced can dangle', () => {
    const run = new RunBuilder();
    const dir = run.dir('/data');
    const store = run.dir('/store');
    run.existingFile(dir, 'target.dat', OLD);
    const version = run.create(store, 'v2');
    chunks(run, version);
    run.fsync(version).close(version).symlink(dir, '.link.tmp', '/store/v2');
    run.rename(dir, '.link.tmp', dir, 'target.dat').fsync(dir);
    const { atomicity, found } = verdict(run.build({ target: { dir, name: 'target.dat' }, fresh: FRESH }), 'posix');
    expect(atomicity).toBeGreaterThan(0);
    expect(found.violations.some((v) => v.target.kind === 'absent')).toBe(true);
  });
});
