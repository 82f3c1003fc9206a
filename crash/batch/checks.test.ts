import { describe, expect, it } from 'vitest';
import { checkBatchError, checkBatchKill, type BatchFileHeld } from './checks.js';

const NEW: BatchFileHeld['held'] = { kind: 'new', label: 'new' };
const OLD: BatchFileHeld['held'] = { kind: 'old', label: 'old' };
const files = (...helds: BatchFileHeld['held'][]): BatchFileHeld[] =>
  helds.map((held, i) => ({ label: `d${i % 2}/f${i}.dat`, held }));
const RECOVERED = { recovered: true, why: '', stale: [] };

describe('a batch after a kill', () => {
  it('some files new, some old: not corrupt (a batch is atomic per file), recovery counted', () => {
    const checked = checkBatchKill(
      files(NEW, OLD, OLD),
      ['d0/.f2.dat.x.tmp'],
      RECOVERED,
      'killed',
      'killed by SIGKILL',
    );
    expect(checked).toMatchObject({ corrupt: false, falseSuccess: false, recovered: true, problems: [] });
    expect(checked.tempsAfterKill).toEqual(['d0/.f2.dat.x.tmp']);
    expect(checked.held).toBe(
      'd0/f0.dat: the new content, complete; d1/f1.dat: the old content, intact; d0/f2.dat: the old content, intact',
    );
  });

  it('one torn file is corruption, named', () => {
    const torn = { kind: 'torn' as const, description: 'empty (0 bytes)' };
    const checked = checkBatchKill(files(NEW, torn), [], RECOVERED, 'killed', 'killed by SIGKILL');
    expect(checked.corrupt).toBe(true);
    expect(checked.problems).toEqual(['corruption (d1/f1.dat)']);
  });

  it('a success with one file still old is a false success; a failed recovery is said', () => {
    const failed = { recovered: false, why: 'the recovery batch failed: exit 1', stale: [] };
    const checked = checkBatchKill(files(NEW, OLD), [], failed, 'success', 'exit 0');
    expect(checked.falseSuccess).toBe(true);
    expect(checked.problems).toEqual(['false_success', 'recovery_failed (the recovery batch failed: exit 1)']);
  });
});

describe('a batch after an injected EIO on an fsync', () => {
  it('a clean failure: every file old or new, no temp left', () => {
    const checked = checkBatchError(files(OLD, OLD), [], 'failure', 'exit 1', { sync: true, onTargetData: false });
    expect(checked).toMatchObject({ corrupt: false, falseSuccess: false, problems: [] });
  });

  it('a temp left behind by a writer that exited on its own is an orphan', () => {
    const checked = checkBatchError(files(OLD, OLD), ['d0/.f0.dat.x.tmp'], 'failure', 'exit 1', {
      sync: true,
      onTargetData: false,
    });
    expect(checked.problems).toEqual(['orphan_temp (d0/.f0.dat.x.tmp)']);
  });

  it('success after the failed fsync of a file that became part of the batch is a false success', () => {
    const checked = checkBatchError(files(NEW, NEW), [], 'success', 'exit 0', { sync: true, onTargetData: true });
    expect(checked.falseSuccess).toBe(true);
    expect(checked.problems[0]).toContain('false_success (exit 0 after the fsync of a file');
  });
});
