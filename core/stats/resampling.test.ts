import { describe, expect, it } from 'vitest';
import { latencySamples } from '../../test/fixtures/trend/synthetic.js';
import { blockLength, bootstrapQuantileRatio, quantileOf } from './resampling.js';

const options = { quantile: 50, confidence: 0.95, replicates: 1000, seed: 7 };

describe('bootstrapQuantileRatio', () => {
  it('puts an exact ×1.25 shift at 1.25 and its interval well above 1', () => {
    const base = latencySamples({ subject: 'x', median: 2, sigma: 0.08, samples: 120 }, 1);
    const head = base.map((v) => v * 1.25);
    const interval = bootstrapQuantileRatio([base], [head], options);
    expect(interval.estimate).toBeCloseTo(1.25, 12);
    expect(interval.lower).toBeGreaterThan(1.1);
    expect(interval.upper).toBeGreaterThan(interval.lower);
  });

  it('gives an interval around 1 for two draws of one distribution', () => {
    const base = latencySamples({ subject: 'x', median: 2, sigma: 0.1, samples: 150 }, 11);
    const head = latencySamples({ subject: 'x', median: 2, sigma: 0.1, samples: 150 }, 12);
    const interval = bootstrapQuantileRatio([base], [head], options);
    expect(interval.lower).toBeLessThan(1);
    expect(interval.upper).toBeGreaterThan(1);
  });

  it('is a pure function of its inputs and seed', () => {
    const base = latencySamples({ subject: 'x', median: 1, samples: 50 }, 3);
    const head = latencySamples({ subject: 'x', median: 1.1, samples: 50 }, 4);
    expect(bootstrapQuantileRatio([base], [head], options)).toEqual(bootstrapQuantileRatio([base], [head], options));
    expect(bootstrapQuantileRatio([base], [head], { ...options, seed: 8 }).lower).not.toBe(
      bootstrapQuantileRatio([base], [head], options).lower,
    );
  });

  it('covers the true ratio (1) in about 95% of A/A pairs with independent noise', () => {
    let covered = 0;
    const pairs = 200;
    for (let i = 0; i < pairs; i++) {
      const base = latencySamples({ subject: 'x', median: 2, sigma: 0.15, samples: 80 }, 1000 + i);
      const head = latencySamples({ subject: 'x', median: 2, sigma: 0.15, samples: 80 }, 5000 + i);
      const interval = bootstrapQuantileRatio([base], [head], { ...options, replicates: 400, seed: i });
      if (interval.lower <= 1 && interval.upper >= 1) covered++;
    }
    expect(covered / pairs).toBeGreaterThan(0.88);
    expect(covered / pairs).toBeLessThan(0.995);
  });

  it('widens the interval for bursty (autocorrelated) noise, where an iid bootstrap is overconfident', () => {
    const bursty = { subject: 'x', median: 2, sigma: 0.15, burst: 0.9, samples: 200 };
    const base = latencySamples(bursty, 21);
    const head = latencySamples(bursty, 22);
    const iid = bootstrapQuantileRatio([base], [head], { ...options, blockLength: 1 });
    const blocked = bootstrapQuantileRatio([base], [head], options);
    expect(blocked.upper - blocked.lower).toBeGreaterThan(1.3 * (iid.upper - iid.lower));
  });

  it('resamples whole runs too, so a shift between interleaved rounds widens the interval', () => {
    // Three rounds per arm; each round's level differs by up to ±15% (a loaded runner), samples within a round are
    // tight.
    const round = (level: number, seed: number) =>
      latencySamples({ subject: 'x', median: 2 * level, sigma: 0.03, samples: 40 }, seed);
    const base = [round(1.0, 1), round(1.15, 2), round(0.9, 3)];
    const head = [round(1.12, 4), round(0.95, 5), round(1.1, 6)];
    const twoStage = bootstrapQuantileRatio(base, head, options);
    const withinOnly = bootstrapQuantileRatio(base, head, { ...options, resampleRuns: false });
    expect(twoStage.upper - twoStage.lower).toBeGreaterThan(2 * (withinOnly.upper - withinOnly.lower));
    expect(twoStage.lower).toBeLessThan(1);
  });

  it('keeps every run its own length and weight when runs are not resampled', () => {
    const interval = bootstrapQuantileRatio(
      [[1, 1, 1, 1]],
      [
        [2, 2, 2, 2],
        [3, 3, 3, 3, 3, 3],
      ],
      { ...options, resampleRuns: false },
    );
    expect(interval).toMatchObject({ estimate: 3, lower: 3, upper: 3 });
  });

  it('refuses empty arms and a non-positive base', () => {
    expect(() => bootstrapQuantileRatio([[]], [[1]], options)).toThrow(/no samples/);
    expect(() => bootstrapQuantileRatio([[0, 0, 0]], [[1]], options)).toThrow(/not positive/);
  });
});

describe('blockLength and quantileOf', () => {
  it('uses the cube root of the run length', () => {
    expect([1, 8, 27, 100, 1000].map(blockLength)).toEqual([1, 2, 3, 5, 10]);
  });

  it('pools strata for the quantile', () => {
    expect(
      quantileOf(
        [
          [1, 2],
          [3, 4, 5],
        ],
        50,
      ),
    ).toBe(3);
  });
});
