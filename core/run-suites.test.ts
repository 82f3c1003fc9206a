import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plannedStages } from './run-suites.js';
import type { Suite, SuiteContext, SuiteRun } from './suite.js';

const ctx = { sizes: [1024, 2048] } as unknown as SuiteContext;

function suite(name: 'bench' | 'crash' | 'parity', plannedWork?: (ctx: SuiteContext) => number): SuiteRun {
  const made: Suite = { name, summary: '', options: [], optionsSchema: z.unknown(), run: async () => {}, ...(plannedWork ? { plannedWork } : {}) };
  return { suite: made, options: {} };
}

describe('plannedStages', () => {
  it('asks each suite for its work, in run order, with the run\'s context', () => {
    expect(plannedStages([suite('bench', (c) => c.sizes.length * 10), suite('crash', () => 30)], ctx)).toEqual([
      { name: 'bench', work: 20 },
      { name: 'crash', work: 30 },
    ]);
  });

  it('plans nothing when a suite cannot say, or says something that is not a work figure', () => {
    expect(plannedStages([suite('bench', () => 20), suite('parity')], ctx)).toBeUndefined();
    expect(plannedStages([suite('bench', () => Number.NaN)], ctx)).toBeUndefined();
    expect(plannedStages([suite('bench', () => -1)], ctx)).toBeUndefined();
  });
});
