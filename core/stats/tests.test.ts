import { describe, expect, it } from 'vitest';
import { normalCdf } from './distributions.js';
import { mannWhitneyU } from './tests.js';

describe('mannWhitneyU', () => {
  it('matches the hand-computed answer for fully separated samples', () => {
    // n1 = n2 = 3: U = 9, mean 4.5, variance 9/12·7 = 5.25, z = (4.5 − 0.5)/√5.25 = 1.7457.
    const result = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(result.u).toBe(9);
    expect(result.z).toBeCloseTo(1.7457, 4);
    expect(result.pGreater).toBeCloseTo(0.04043, 4);
    expect(result.pTwoSided).toBeCloseTo(0.08086, 4);
  });

  it('counts ties as half and corrects the variance for them', () => {
    // Ranks of [1,2,2] ∪ [2,3]: 1, 3, 3, 3, 5 → head rank sum 8, U = 8 − 3 = 5; tie term 3³−3 = 24.
    const result = mannWhitneyU([1, 2, 2], [2, 3]);
    expect(result.u).toBe(5);
    const variance = ((3 * 2) / 12) * (6 - 24 / (5 * 4));
    expect(result.z).toBeCloseTo((5 - 3 - 0.5) / Math.sqrt(variance), 10);
  });

  it('is symmetric: swapping the arms gives n1·n2 − U and the opposite z', () => {
    const a = [3.1, 2.2, 5.0, 4.4, 1.9];
    const b = [2.5, 6.1, 7.3, 3.3];
    const forward = mannWhitneyU(a, b);
    const backward = mannWhitneyU(b, a);
    expect(forward.u + backward.u).toBe(a.length * b.length);
    expect(forward.z).toBeCloseTo(-backward.z, 12);
  });

  it('says nothing when every value is the same', () => {
    expect(mannWhitneyU([2, 2], [2, 2, 2])).toMatchObject({ z: 0, pTwoSided: 1 });
  });
});

describe('normalCdf', () => {
  it('matches standard normal table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });
});
