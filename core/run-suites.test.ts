import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plannedStages } from './run-suites.js';
import type { PlannedSuite, Suite } from './suite.js';

interface Plan {
  sizes: number[];
}
const plan: Plan = { sizes: [1024, 2048] };

function suite(name: 'bench' | 'crash' | 'parity', plannedWork?: (plan: Plan) => number): PlannedSuite {
  const made: Suite<unknown, Plan> = {
    name,
    summary: '',
    options: [],
    optionsSchema: z.unknown(),
    plan: () => plan,
    run: async () => {},
    ...(plannedWork ? { plannedWork } : {}),
  };
  return { suite: made as PlannedSuite['suite'], plan };
}

describe('plannedStages', () => {
  it('asks each suite for the work of its plan, in run order', () => {
    expect(plannedStages([suite('bench', (c) => c.sizes.length * 10), suite('crash', () => 30)])).toEqual([
      { name: 'bench', work: 20 },
      { name: 'crash', work: 30 },
    ]);
  });

  it('plans nothing when a suite cannot say, or says something that is not a work figure', () => {
    expect(plannedStages([suite('bench', () => 20), suite('parity')])).toBeUndefined();
    expect(plannedStages([suite('bench', () => Number.NaN)])).toBeUndefined();
    expect(plannedStages([suite('bench', () => -1)])).toBeUndefined();
  });
});
