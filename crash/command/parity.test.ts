import { describe, expect, it } from 'vitest';
import { decodeDetail, METRICS } from '../../core/schema.js';
import type { CommandExploration } from './explore.js';
import { judgeParity, wrapperParityRows } from './parity.js';

let runs = 0;

type Counts = Partial<Record<'atomicity' | 'durability' | 'checker' | 'violating', [number, number]>>;

function explored(counts: Counts, extra: Partial<CommandExploration> = {}): CommandExploration {
  const count = (pair: [number, number] | undefined) => ({ violations: pair?.[0] ?? 0, states: pair?.[1] ?? 0 });
  return {
    model: 'posix',
    spaceSize: 10_000,
    sampled: 150,
    exhaustive: false,
    distinctTrees: 100,
    checkedTrees: 100,
    atomicity: count(counts.atomicity),
    durability: count(counts.durability),
    checker: count(counts.checker),
    violating: count(counts.violating),
    budgetSpent: false,
    violations: [],
    elapsedMs: 1,
    // Each its own run of different ops, unless a test says otherwise.
    signature: `run ${++runs}`,
    checkedInOrder: [],
    ...extra,
  };
}

describe('crash-safety parity of a wrapper', () => {
  it('a wrapper that tears renamed files the native command never tears is worse', () => {
    const native = explored({ atomicity: [0, 150], checker: [99, 150], violating: [128, 150] });
    const wrapped = explored({ atomicity: [83, 150], checker: [129, 150], violating: [131, 150] });
    const verdict = judgeParity(native, wrapped);
    expect(verdict.verdict).toBe('worse');
    expect(verdict.why).toMatch(
      /torn or empty renamed file \(atomicity\): natively 0\/150 \(0%\), through the wrapper 83\/150/,
    );
  });

  it('the same shares hold; a sampled excess that could be chance is not proven, never a pass', () => {
    const native = explored({ atomicity: [0, 150], checker: [99, 150], violating: [99, 150] });
    expect(judgeParity(native, native).verdict).toBe('same-or-better');
    const slightly = explored({ atomicity: [0, 150], checker: [101, 150], violating: [101, 150] });
    expect(judgeParity(native, slightly).verdict).toBe('not-proven');
    expect(judgeParity(explored({}), explored({})).verdict).toBe('not-proven');
  });

  it('over every state the model allows, any excess is real', () => {
    const native = explored({ checker: [4, 283], violating: [4, 283] }, { exhaustive: true });
    const wrapped = explored({ checker: [5, 283], violating: [5, 283] }, { exhaustive: true });
    expect(judgeParity(native, wrapped).verdict).toBe('worse');
    // …but not when the checker's budget ran out before every state was checked.
    expect(judgeParity(native, { ...wrapped, budgetSpent: true }).verdict).toBe('not-proven');
  });

  it('the same ops and sample on both sides: the trees both checked are compared one for one', () => {
    const trees = (rejected: number[]) => rejected.map((k) => ({ states: 3, rejected: k, checkerRejected: k }));
    const native = explored(
      { checker: [6, 12], violating: [6, 12] },
      { signature: 'same', budgetSpent: true, checkedInOrder: trees([3, 0, 3, 0]) },
    );
    // A passthrough whose checker got further in its budget: the shares differ, the common trees do not.
    const through = explored(
      { checker: [6, 18], violating: [6, 18] },
      { signature: 'same', budgetSpent: true, checkedInOrder: trees([3, 0, 3, 0, 0, 0]) },
    );
    expect(judgeParity(native, through).verdict).toBe('same-or-better');
    const worse = explored(
      { checker: [9, 12], violating: [9, 12] },
      { signature: 'same', budgetSpent: true, checkedInOrder: trees([3, 3, 3, 0]) },
    );
    expect(judgeParity(native, worse).verdict).toBe('worse');
  });

  it('rows: 1 for worse, and no value (not judged, saying why) for a model one side was not explored under', () => {
    const native = explored({ atomicity: [0, 150], violating: [10, 150] });
    const rows = wrapperParityRows(
      { wrapper: 'w', native: 'cmd' },
      'cmd@w',
      4096,
      [native],
      [explored({ atomicity: [90, 150], violating: [100, 150] }), explored({}, { model: 'ext4-ordered' })],
      ['posix', 'ext4-ordered'],
    );
    expect(rows.map((row) => [row.metric, row.value, row.engine, row.size_bytes])).toEqual([
      [METRICS.wrapperCrashParity, 1, 'posix', 4096],
      [METRICS.wrapperCrashParity, null, 'ext4-ordered', 4096],
    ]);
    expect(decodeDetail(METRICS.wrapperCrashParity, rows[1]?.detail ?? '')?.notJudged).toMatch(
      /the native command \(cmd\) was not explored under ext4-ordered/,
    );
    // Neither side explored (both recordings failed): the expected models still get a row each, undecided.
    const none = wrapperParityRows({ wrapper: 'w', native: 'cmd' }, 'cmd@w', 0, [], [], ['posix']);
    expect(none.map((row) => [row.value, row.engine])).toEqual([[null, 'posix']]);
  });

  it('a check the native run had states for and the wrapped run none is not proven, never the same', () => {
    const native = explored({ durability: [0, 12], violating: [0, 150] });
    const through = explored({ durability: [0, 0], violating: [0, 150] });
    expect(judgeParity(native, through)).toMatchObject({
      verdict: 'not-proven',
      why: expect.stringMatching(/durability.*the wrapper's run had no such state to compare/),
    });
  });
});
