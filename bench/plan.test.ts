import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { sizeLabel } from './cases.js';
import { parseOptions } from '../core/suite-options.js';
import { benchOptionsSchema } from './index.js';
import {
  BATCH_SHAPES,
  countDetail,
  plannedCount,
  plannedSamples,
  resolveBenchSettings,
  roundShare,
  SAMPLING_PLANS,
} from './plan.js';

const settingsFor = (profile: 'quick' | 'full', raw: Record<string, unknown>) =>
  resolveBenchSettings(profile, parseOptions(benchOptionsSchema, raw));

describe('bench options', () => {
  it("defaults to the write scenario alone, tinybench, every mode, the profile's plan", () => {
    const settings = settingsFor('quick', {});
    expect(settings).toEqual({
      scenarios: ['write'],
      engines: ['tinybench'],
      modes: ['durable', 'fast', 'unchanged'],
      plan: SAMPLING_PLANS.quick,
      batch: BATCH_SHAPES.quick,
    });
  });

  it('runs the batch scenario when asked, with its shape from the profile, the flags and --samples', () => {
    expect(settingsFor('quick', { scenarios: 'batch' })).toMatchObject({
      scenarios: ['batch'],
      batch: { files: 100, dirs: 10, fileBytes: 1024, repetitions: 11 },
    });
    expect(settingsFor('full', { scenarios: 'batch, write' }).scenarios).toEqual(['write', 'batch']);
    expect(settingsFor('full', {}).batch).toEqual({ files: 1000, dirs: 20, fileBytes: 1024, repetitions: 21 });
    expect(settingsFor('quick', { batchFiles: '12', batchDirs: '3', samples: '4' }).batch).toEqual({
      files: 12,
      dirs: 3,
      fileBytes: 1024,
      repetitions: 4,
    });
  });

  it('takes both engines, modes in canonical order, a fixed count and a traced-write count', () => {
    const settings = settingsFor('full', {
      engine: 'both',
      modes: 'unchanged, durable',
      samples: '7',
      traceWrites: '0',
    });
    expect(settings.engines).toEqual(['tinybench', 'mitata']);
    expect(settings.modes).toEqual(['durable', 'unchanged']);
    expect(settings.plan).toMatchObject({ fixedSamples: 7, tracedWrites: 0, traceAllSizes: true });
  });

  it.each([
    [{ engine: 'benchmark.js' }, /--engine: unknown engine "benchmark.js"/],
    [{ modes: 'durable,sloppy' }, /--modes: unknown mode "sloppy"/],
    [{ samples: '0' }, /--samples: expected a whole number >= 1/],
    [{ traceWrites: '-1' }, /--trace-writes: expected a whole number >= 0/],
    [{ scenarios: 'write,batches' }, /^--scenarios: unknown scenario "batches"; expected write, batch$/],
    [{ scenarios: ' , ' }, /^--scenarios: empty; expected some of write, batch$/],
    [{ batchFiles: '0' }, /--batch-files: expected a whole number >= 1/],
    [
      { batchFiles: '5', batchDirs: '6' },
      /^--batch-dirs: 6 directories for 5 files would leave some empty; give at most as many directories as files$/,
    ],
  ])('refuses %o with one line naming the flag', (options, message) => {
    expect(() => settingsFor('quick', options)).toThrow(InputError);
    expect(() => settingsFor('quick', options)).toThrow(message);
  });
});

describe('sample planning', () => {
  const plan = SAMPLING_PLANS.quick;
  const inProcess = { kind: 'builtin' } as const;
  const perOp = { kind: 'command' } as const;
  it('fits the budget, within the minimum and maximum', () => {
    expect(plannedSamples(plan, inProcess, plan.budgetMs / 50)).toBe(50);
    expect(plannedSamples(plan, inProcess, 1000)).toBe(plan.minSamples);
    expect(plannedSamples(plan, inProcess, 0.0001)).toBe(plan.maxSamples);
    expect(plannedSamples({ ...plan, fixedSamples: 3 }, inProcess, 1000)).toBe(3);
  });

  it('gives a process per write its own time budget, not the in-process minimum', () => {
    // A 17 ms spawn-and-write: the in-process 100 ms would leave 12; 1.5 s buys 88.
    expect(plannedSamples(plan, inProcess, 17)).toBe(12);
    expect(plannedSamples(plan, perOp, 17)).toBe(88);
    expect(plannedSamples(plan, { kind: 'driver' }, 17)).toBe(12);
    // Bounded both ways: a 400 ms write still gets 12, a 1 ms one at most the cap; --samples still wins.
    expect(plannedSamples(plan, perOp, 400)).toBe(plan.perOp.minSamples);
    expect(plannedSamples(plan, perOp, 1)).toBe(plan.perOp.maxSamples);
    expect(plannedSamples({ ...plan, fixedSamples: 5 }, perOp, 17)).toBe(5);
    expect(plannedSamples(SAMPLING_PLANS.full, perOp, 17)).toBe(352);
    expect(countDetail(plan, perOp)).toBe(
      'count planned for about 1.5 s of writes (a process per write), within 12–150',
    );
    expect(countDetail(plan, inProcess)).toBe('count planned for about 100 ms of writes, within 12–200');
  });

  it("plans the calibration's noop runs by time too", () => {
    expect(plannedCount(plan.calibration, 17)).toBe(58);
    expect(plannedCount(plan.calibration, 0.05)).toBe(plan.calibration.maxSamples);
    expect(plannedCount(plan.calibration, 500)).toBe(plan.calibration.minSamples);
  });

  it('splits a count over rounds as evenly as possible, summing to the count', () => {
    expect([0, 1, 2].map((r) => roundShare(20, 3, r))).toEqual([6, 7, 7]);
    expect([0, 1, 2].map((r) => roundShare(2, 3, r))).toEqual([0, 1, 1]);
  });

  it('labels sizes the way they are written on the command line', () => {
    expect([1024, 131072, 8388608, 1000].map(sizeLabel)).toEqual(['1KiB', '128KiB', '8MiB', '1000B']);
  });
});
