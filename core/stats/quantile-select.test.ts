import { describe, expect, it } from 'vitest';
import { seededRandom } from '../rng.js';
import { percentile } from './descriptive.js';
import { quantileInPlace } from './quantile-select.js';

describe('quantileInPlace', () => {
  it('equals the type-7 percentile of core/stats on many random arrays, with ties', () => {
    const random = seededRandom(42);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 60);
      const values = Array.from({ length: n }, () => Math.round(random() * 20) / 2);
      for (const p of [0, 5, 25, 50, 75, 95, 99, 100]) {
        expect(quantileInPlace(Float64Array.from(values), n, p)).toBeCloseTo(percentile(values, p), 12);
      }
    }
  });

  it('interpolates between the two middle values of an even count', () => {
    expect(quantileInPlace(Float64Array.from([4, 1, 3, 2]), 4, 50)).toBe(2.5);
  });

  it('uses only the first `length` values', () => {
    expect(quantileInPlace(Float64Array.from([5, 1, 9, 1000, 1000]), 3, 50)).toBe(5);
  });

  it('is NaN for no values', () => {
    expect(quantileInPlace(new Float64Array(0), 0, 50)).toBeNaN();
  });
});
