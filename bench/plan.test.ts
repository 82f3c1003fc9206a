import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { sizeLabel } from './cases.js';
import { parseOptions } from '../core/suite-options.js';
import { benchOptionsSchema } from './index.js';
import { plannedCount, plannedSamples, resolveBenchSettings, roundShare, SAMPLING_PLANS } from './plan.js';

const settingsFor = (profile: 'quick' | 'full', raw: Record<string, unknown>) => resolveBenchSettings(profile, parseOptions(benchOptionsSchema, raw));

describe('bench options', () => {
  it('defaults to tinybench, every mode, the profile\'s plan', () => {
    const settings = settingsFor('quick', {});
    expect(settings).toEqual({ engines: ['tinybench'], modes: ['durable', 'fast', 'unchanged'], plan: SAMPLING_PLANS.quick });
  });

  it('takes both engines, modes in canonical order, a fixed count and a traced-write count', () => {
    const settings = settingsFor('full', { engine: 'both', modes: 'unchanged, durable', samples: '7', traceWrites: '0' });
    expect(settings.engines).toEqual(['tinybench', 'mitata']);
    expect(settings.modes).toEqual(['durable', 'unchanged']);
    expect(settings.plan).toMatchObject({ fixedSamples: 7, tracedWrites: 0, traceAllSizes: true });
  });

  it.each([
    [{ engine: 'benchmark.js' }, /--engine: unknown engine "benchmark.js"/],
    [{ modes: 'durable,sloppy' }, /--modes: unknown mode "sloppy"/],
    [{ samples: '0' }, /--samples: expected a whole number >= 1/],
    [{ traceWrites: '-1' }, /--trace-writes: expected a whole number >= 0/],
  ])('refuses %o with one line naming the flag', (options, message) => {
    expect(() => settingsFor('quick', options)).toThrow(InputError);
    expect(() => settingsFor('quick', options)).toThrow(message);
  });
});

describe('sample planning', () => {
  const plan = SAMPLING_PLANS.quick;
  it('fits the budget, within the minimum and maximum', () => {
    expect(plannedSamples(plan, plan.budgetMs / 50)).toBe(50);
    expect(plannedSamples(plan, 1000)).toBe(plan.minSamples);
    expect(plannedSamples(plan, 0.0001)).toBe(plan.maxSamples);
    expect(plannedSamples({ ...plan, fixedSamples: 3 }, 1000)).toBe(3);
  });

  it('plans the calibration\'s noop runs by time too', () => {
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
