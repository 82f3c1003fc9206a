/**
 * core/stats against values from reference implementations and published tables, each named beside
 * its values. No scipy/numpy/R on this machine: Python's standard library (math, statistics — whose
 * quantiles(method='inclusive') is Hyndman-Fan type 7, numpy's default) computed what it can; closed
 * forms computed in Python cover the incomplete beta and Student t; published tables the rest.
 */
import { describe, expect, it } from 'vitest';
import { mean, median, percentile, robustSpread, stddev, summarize, variance } from './descriptive.js';
import {
  erfc,
  incompleteBeta,
  logChoose,
  logGamma,
  normalCdf,
  studentTCdf,
  studentTQuantile,
} from './distributions.js';
import { medianInterval } from './median-interval.js';
import { quantileInPlace } from './quantile-select.js';
import { hodgesLehmann, mannWhitneyU, signedRankCdf, walshAverages, welchInterval } from './tests.js';

const DATA = [12.1, 3.4, 7.7, 0.9, 5.5, 5.5, 22.0, 8.3, 1.2, 9.9, 4.4, 6.1, 15.0];

describe('descriptive statistics', () => {
  // Python 3: statistics.quantiles(DATA, n=100, method='inclusive')[p - 1].
  const PYTHON_TYPE7: [number, number][] = [
    [5, 1.08],
    [25, 4.4],
    [50, 6.1],
    [75, 9.9],
    [95, 17.8],
    [99, 21.16],
  ];

  it.each(PYTHON_TYPE7)('p%i is Python statistics.quantiles (inclusive, type 7): %f', (p, expected) => {
    expect(percentile(DATA, p)).toBeCloseTo(expected, 10);
    expect(quantileInPlace(Float64Array.from(DATA), DATA.length, p)).toBeCloseTo(expected, 10);
  });

  it('summarize gives the same ladder, min and max', () => {
    const s = summarize(DATA);
    expect([s.p5, s.p25, s.p50, s.p75, s.p95, s.p99]).toEqual(
      PYTHON_TYPE7.map(([, value]) => expect.closeTo(value, 10)),
    );
    expect([s.min, s.max, s.n]).toEqual([0.9, 22, 13]);
  });

  it('median, mean, variance and standard deviation are Python statistics.median / fmean / variance / stdev', () => {
    expect(median(DATA)).toBe(6.1);
    expect(median([4, 1, 3, 2])).toBe(2.5); // statistics.median([4, 1, 3, 2])
    expect(mean(DATA)).toBeCloseTo(7.846153846153846, 12);
    expect(variance(DATA)).toBeCloseTo(34.347692307692306, 10);
    expect(stddev(DATA)).toBeCloseTo(5.860690429266189, 12);
    expect(variance([1])).toBeNaN();
  });

  it(
    'robustSpread is the median and 1.4826 × the median absolute deviation ' +
      '(Python statistics.median of |x − median|: 2.7)',
    () => {
      const { median: middle, sigma } = robustSpread(DATA);
      expect(middle).toBe(6.1);
      expect(sigma).toBeCloseTo(4.00302, 10);
    },
  );
});

describe('distributions', () => {
  it.each([
    [0.1, 2.2527126517342055],
    [0.5, 0.5723649429247004],
    [1.5, -0.12078223763524543],
    [3.7, 1.4280723266653883],
    [10, 12.801827480081467],
    [100.5, 361.4355404677776],
  ])('logGamma(%f) is Python math.lgamma: %f', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 11);
  });

  // Python math.erfc; the Numerical Recipes erfcc promises a fractional error below 1.2e-7.
  it.each([
    [-1.5, 1.9661051464753108],
    [0, 1],
    [0.3, 0.6713732405408726],
    [1, 0.15729920705028513],
    [2.5, 0.0004069520174449589],
  ])('erfc(%f) is Python math.erfc: %f', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1.2e-7);
  });

  it.each([
    [-3, 0.0013498980316301035],
    [-1.2, 0.11506967022170833],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1.959963984540054, 0.975],
    [2.5, 0.9937903346742238],
  ])('normalCdf(%f) is Python statistics.NormalDist().cdf: %f', (z, expected) => {
    expect(normalCdf(z)).toBeCloseTo(expected, 7);
  });

  // Integer a, b: I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a), summed exactly in Python with math.comb;
  // a = b = ½: I_x = (2/π)·asin(√x).
  it.each([
    [0.2, 2, 5, 0.34464],
    [0.5, 3, 3, 0.5],
    [0.7, 4, 2, 0.52822],
    [0.35, 10, 7, 0.022855908221352302],
    [0.1, 0.5, 0.5, 0.20483276469913345],
    [0.9, 0.5, 0.5, 0.7951672353008666],
  ])('incompleteBeta(%f, %f, %f) is the closed form: %f', (x, a, b, expected) => {
    expect(incompleteBeta(x, a, b)).toBeCloseTo(expected, 11);
  });

  // Closed forms, computed in Python: df 1 (Cauchy) 1/2 + atan(t)/π; df 2: 1/2 + t / (2·√(2 + t²)).
  it.each([
    [-2, 1, 0.14758361765043326],
    [0.7, 1, 0.6944001122142147],
    [3, 1, 0.8975836176504333],
    [-2, 2, 0.09175170953613693],
    [0.7, 2, 0.7218034876835673],
    [3, 2, 0.9522670168666454],
  ])('studentTCdf(%f, df %i) is the closed form: %f', (t, df, expected) => {
    expect(studentTCdf(t, df)).toBeCloseTo(expected, 11);
  });

  // Published t tables (R qt(p, df) to 6 decimals).
  it.each([
    [0.975, 5, 2.570582],
    [0.95, 10, 1.812461],
    [0.99, 20, 2.527977],
    [0.975, 30, 2.042272],
    [0.995, 3, 5.840909],
  ])('studentTQuantile(%f, df %i) is the table value %f', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 5);
  });

  it.each([
    [10, 3, 4.787491742782046],
    [52, 5, 14.77062192297037],
    [200, 100, 135.7532360812785],
  ])('logChoose(%i, %i) is Python math.log(math.comb(n, k)): %f', (n, k, expected) => {
    expect(logChoose(n, k)).toBeCloseTo(expected, 9);
  });
});

describe('the interval of a median', () => {
  // Published distribution-free median intervals (e.g. Conover, Practical Nonparametric Statistics):
  // n = 20: x(6)..x(15); n = 50: x(18)..x(33); n = 100: x(40)..x(61); coverages from Python math.comb.
  it.each([
    [20, 6, 0.9586105346679688],
    [50, 18, 0.9671608624357315],
    [100, 40, 0.9647997997822952],
  ])('n = %i: from the order statistic x(%i), covering %f', (n, k, coverage) => {
    const samples = Array.from({ length: n }, (_, i) => i + 1);
    const interval = medianInterval(samples);
    expect(interval.lower).toBe(k);
    expect(interval.upper).toBe(n + 1 - k);
    expect(interval.confidence).toBeCloseTo(coverage, 12);
  });
});

describe('rank tests', () => {
  it('signedRankCdf(12) counts sign patterns as Python enumerating all 4096 does', () => {
    const cdf = signedRankCdf(12);
    for (const [t, count] of [
      [0, 1],
      [5, 10],
      [13, 87],
      [14, 107],
      [20, 310],
      [39, 2110],
    ] as const) {
      expect(cdf[t]).toBeCloseTo(count / 4096, 14);
    }
  });

  it('hodgesLehmann is the median of the Walsh averages (Python statistics.median over all i ≤ j pairs)', () => {
    const walsh = walshAverages([0.3, -0.1, 0.8, 0.25, 1.1, -0.4, 0.6]);
    expect(walsh).toHaveLength(28);
    expect(hodgesLehmann(walsh)).toBeCloseTo(0.35, 12);
  });

  it('mannWhitneyU is R wilcox.test(exact = FALSE, correct = TRUE) on fully separated samples', () => {
    // R: wilcox.test(c(4, 5, 6), c(1, 2, 3), alternative = "greater", exact = FALSE)$p.value = 0.04043
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).pGreater).toBeCloseTo(0.04043, 5);
  });

  it('welchInterval is R t.test(b, a)$conf.int: 0.2 ± t(0.975, 4)·√(0.01·2/3)', () => {
    // R: t.test(c(0.2, 0.3, 0.1), c(0, 0.1, -0.1))$conf.int = −0.026696..0.426696, df 4 (equal variances and sizes).
    const interval = welchInterval([0, 0.1, -0.1], [0.2, 0.3, 0.1], 0.95)!;
    expect(interval.degreesOfFreedom).toBeCloseTo(4, 10);
    expect(interval.lower).toBeCloseTo(-0.026696, 5);
    expect(interval.upper).toBeCloseTo(0.426696, 5);
  });
});
