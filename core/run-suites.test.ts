import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { besideProgress, plannedStages, runBatches } from './run-suites.js';
import type { Suite, SuiteContext, SuiteRun } from './suite.js';

const ctx = { sizes: [1024, 2048] } as unknown as SuiteContext;

function suite(name: 'bench' | 'crash' | 'parity' | 'hook', plannedWork?: (ctx: SuiteContext) => number, untimed = false): SuiteRun {
  const made: Suite = { name, summary: '', options: [], optionsSchema: z.unknown(), run: async () => {}, ...(plannedWork ? { plannedWork } : {}), ...(untimed ? { untimed } : {}) };
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

describe('runBatches', () => {
  const names = (batches: SuiteRun[][]) => batches.map((batch) => batch.map((run) => run.suite.name));
  it('runs a timed suite alone and consecutive untimed ones side by side', () => {
    const [bench, crash, parity, hook] = [suite('bench'), suite('crash', undefined, true), suite('parity', undefined, true), suite('hook')];
    expect(names(runBatches([bench, crash, parity, hook]))).toEqual([['bench'], ['crash', 'parity'], ['hook']]);
    expect(names(runBatches([crash, bench, parity]))).toEqual([['crash'], ['bench'], ['parity']]);
    expect(names(runBatches([bench, hook]))).toEqual([['bench'], ['hook']]);
  });
});

describe('besideProgress', () => {
  it('says when a suite beside another starts and ends, passes notes on, and shows no live counts', () => {
    const lines: string[] = [];
    const progress = besideProgress({ start: () => lines.push('start'), tick: () => lines.push('tick'), note: (line) => lines.push(line), finish: () => lines.push('finish') }, 'parity', 'crash');
    progress.start('parity', 26);
    progress.tick(5);
    progress.note('parity: a warning');
    progress.finish();
    expect(lines[0]).toBe('parity: running beside crash');
    expect(lines[1]).toBe('parity: a warning');
    expect(lines[2]).toMatch(/^parity: 26\/26 done in \d+\.\ds \(beside crash\)$/);
    expect(lines).toHaveLength(3);
  });
});
