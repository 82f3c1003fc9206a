import { describe, expect, it } from 'vitest';
import { METRICS } from '../../core/schema.js';
import { faultRows } from './faults.js';

describe('a command whose every step is a child process', () => {
  it('still writes its trials, all of them not reached, so the kill and error gates cannot pass on nothing', () => {
    const unaimable = [
      { label: 'write(a.txt)', reason: 'made by a child process' },
      { label: 'rename(a.tmp → a.txt)', reason: 'made by a child process' },
    ];
    const rows = faultRows('cmd', 0, [], unaimable);
    for (const scenario of ['kill_at_step', 'inject_error']) {
      const of = (metric: string) => rows.find((row) => row.scenario === scenario && row.metric === metric)?.value;
      expect(of(METRICS.trials)).toBe(2);
      expect(of(METRICS.notReached)).toBe(2);
      expect(of(METRICS.notReachedRate)).toBe(1);
    }
    expect(faultRows('cmd', 0, [], [])).toEqual([]);
  });
});
