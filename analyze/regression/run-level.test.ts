import { describe, expect, it } from 'vitest';
import { welchRatioInterval } from './run-level.js';

describe('welchRatioInterval', () => {
  it('matches a hand-computed Welch interval on log scale', () => {
    // base logs 0, 0.1, −0.1 (mean 0, var 0.01); head logs 0.2, 0.3, 0.1 (mean 0.2, var 0.01).
    // se = √(0.01/3 + 0.01/3) = 0.08165, df = 4, t = 2.776 → 0.2 ± 0.2267.
    const interval = welchRatioInterval([0, 0.1, -0.1], [0.2, 0.3, 0.1], 0.95)!;
    expect(interval.degreesOfFreedom).toBeCloseTo(4, 10);
    expect(Math.log(interval.lower)).toBeCloseTo(0.2 - 0.22667, 4);
    expect(Math.log(interval.upper)).toBeCloseTo(0.2 + 0.22667, 4);
  });

  it('needs two runs per arm', () => {
    expect(welchRatioInterval([0], [0.1, 0.2], 0.95)).toBeUndefined();
  });
});
