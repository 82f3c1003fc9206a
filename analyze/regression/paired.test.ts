import { describe, expect, it } from 'vitest';
import { signedRankCdf, walshTrim } from '../../core/stats.js';
import { pairedRatioInterval, pairsNeeded } from './paired.js';
import { welchRatioInterval } from './run-level.js';

describe('signedRankCdf', () => {
  it('matches counted subsets of ranks: n = 10 has 25 of 1024 sign patterns with T+ ≤ 8 and 33 with T+ ≤ 9', () => {
    const cdf = signedRankCdf(10);
    expect(cdf).toHaveLength(56);
    expect(cdf[8]).toBeCloseTo(25 / 1024, 12);
    expect(cdf[9]).toBeCloseTo(33 / 1024, 12);
    expect(cdf[55]).toBeCloseTo(1, 12);
  });
});

describe('walshTrim', () => {
  it('gives the textbook 95% interval for 10 pairs: leave out 8 Walsh averages at each end', () => {
    expect(walshTrim(10, 0.95)).toEqual({ trim: 8, coverage: expect.closeTo(1 - 50 / 1024, 12) });
  });

  it('needs 6 pairs for 95%: with 5 even the widest interval covers only 1 − 2/32', () => {
    expect(walshTrim(5, 0.95)).toBeUndefined();
    expect(walshTrim(6, 0.95)).toEqual({ trim: 0, coverage: expect.closeTo(1 - 2 / 64, 12) });
  });
});

describe('pairedRatioInterval', () => {
  it('is the Hodges-Lehmann estimate and the extreme Walsh averages for 6 pairs', () => {
    const base = [0, 0, 0, 0, 0, 0];
    const interval = pairedRatioInterval(base, [1, 2, 3, 4, 5, 6], 0.95)!;
    expect(interval.pairs).toBe(6);
    expect(Math.log(interval.estimate)).toBeCloseTo(3.5, 12);
    expect(Math.log(interval.lower)).toBeCloseTo(1, 12);
    expect(Math.log(interval.upper)).toBeCloseTo(6, 12);
  });

  it('cancels what a round did to both arms, where the unpaired Welch interval cannot', () => {
    // Rounds 2 and 4 ran during load spikes (e^1 and e^2 slower); head is 20% slower in every round.
    const base = [0, 1, 0, 2, 0, 0.5, 0, 0];
    const head = base.map((log) => log + Math.log(1.2));
    const paired = pairedRatioInterval(base, head, 0.95)!;
    expect(paired.lower).toBeCloseTo(1.2, 12);
    expect(paired.upper).toBeCloseTo(1.2, 12);
    const welch = welchRatioInterval(base, head, 0.95)!;
    expect(welch.upper / welch.lower).toBeGreaterThan(2);
  });

  it('keeps its estimate and lower bound when one round goes wild (only the upper bound follows it)', () => {
    const base = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const head = [0.2, 0.21, 0.19, 0.22, 0.18, 0.2, 0.23, 0.17, 0.2, 3];
    const interval = pairedRatioInterval(base, head, 0.95)!;
    expect(interval.lower).toBeGreaterThan(Math.exp(0.17));
    expect(interval.estimate).toBeGreaterThan(Math.exp(0.19));
    expect(interval.estimate).toBeLessThan(Math.exp(0.22));
    expect(interval.upper).toBeGreaterThan(Math.exp(1));
  });

  it('refuses arms of different lengths or too few pairs', () => {
    expect(pairedRatioInterval([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 0.95)).toBeUndefined();
    expect(pairedRatioInterval([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 0.95)).toBeUndefined();
  });
});

describe('pairsNeeded', () => {
  it('is the fewest pairs whose widest interval reaches the per-series level of the family', () => {
    // 2^n ≥ 2m / (1 − confidence): one series 6 (64 ≥ 40), 4 and 6 series 8 (256 ≥ 240), 18 series 10.
    expect(pairsNeeded(1, 0.95)).toBe(6);
    expect(pairsNeeded(4, 0.95)).toBe(8);
    expect(pairsNeeded(6, 0.95)).toBe(8);
    expect(pairsNeeded(7, 0.95)).toBe(9);
    expect(pairsNeeded(18, 0.95)).toBe(10);
  });

  it('agrees with walshTrim: one pair fewer gives no interval at the per-series level', () => {
    for (const m of [1, 2, 5, 12, 40]) {
      const n = pairsNeeded(m, 0.95);
      const each = m > 1 ? 1 - 0.05 / m : 0.95;
      expect(walshTrim(n, each)).toBeDefined();
      expect(walshTrim(n - 1, each)).toBeUndefined();
    }
  });
});
