import { describe, expect, it } from 'vitest';
import {
  coefficientOfVariation,
  fisherCanReachSignificance,
  fisherExactGreater,
  fisherSmallestPValue,
  mean,
  medianInterval,
  netLatency,
  notMeasurableReason,
  percentile,
  pointMedian,
  summarize,
  throughputMiBs,
} from '../stats.js';

describe('summarize', () => {
  it('gives the type-7 percentiles, mean and cv of the samples, in any order', () => {
    const samples = [5, 1, 4, 2, 3, 10, 7, 6, 9, 8];
    expect(summarize(samples)).toEqual({
      n: 10,
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      p99: percentile(samples, 99),
      mean: mean([...samples].sort((a, b) => a - b)),
      cv: coefficientOfVariation([...samples].sort((a, b) => a - b)),
      min: 1,
      p5: percentile(samples, 5),
      p25: percentile(samples, 25),
      p75: percentile(samples, 75),
      max: 10,
    });
    expect(summarize(samples).p50).toBe(5.5);
    // rank 0.25·9 = 2.25 → 3 + 0.25·1; rank 0.05·9 = 0.45 → 1 + 0.45·1
    expect(summarize(samples).p25).toBeCloseTo(3.25, 12);
    expect(summarize(samples).p5).toBeCloseTo(1.45, 12);
  });

  it('is NaN with no samples, and has no cv for one', () => {
    expect(summarize([]).p50).toBeNaN();
    expect(summarize([3]).cv).toBeNaN();
  });
});

describe('throughput and net latency', () => {
  it('throughput is the payload over the p50, in MiB/s', () => {
    expect(throughputMiBs(2 * 1024 * 1024, 500)).toBe(4);
    expect(throughputMiBs(1024, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('the interval of a median', () => {
  it('takes the order statistics whose binomial coverage reaches 95%', () => {
    const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    // n = 10: P(B ≤ 1) = 11/1024 ≤ 2.5% < P(B ≤ 2) = 56/1024, so x(2)..x(9), covering 1 − 22/1024.
    expect(medianInterval(ranks(10))).toEqual({ p50: 5.5, lower: 2, upper: 9, n: 10, confidence: 1 - 22 / 1024 });
    // n = 12: P(B ≤ 2) = 79/4096, so x(3)..x(10); n = 20: P(B ≤ 5) = 21700/2^20, so x(6)..x(15).
    expect(medianInterval(ranks(12))).toMatchObject({ lower: 3, upper: 10 });
    expect(medianInterval(ranks(12)).confidence).toBeCloseTo(1 - 158 / 4096, 12);
    expect(medianInterval(ranks(20))).toMatchObject({ lower: 6, upper: 15 });
    // Order does not matter; the p50 is the type-7 one.
    expect(medianInterval([9, 1, 5, 3, 7, 2, 8, 4, 6, 10])).toMatchObject({ p50: 5.5, lower: 2, upper: 9 });
  });

  it('under 6 samples is the full range, saying it covers less', () => {
    expect(medianInterval([3, 1, 2, 5, 4])).toEqual({ p50: 3, lower: 1, upper: 5, n: 5, confidence: 1 - 2 / 32 });
    expect(medianInterval([4])).toMatchObject({ lower: 4, upper: 4, confidence: 0 });
    expect(medianInterval([]).p50).toBeNaN();
  });

  it('stays finite past the point where 2^-n underflows', () => {
    const many = Array.from({ length: 5000 }, (_, i) => i);
    const { lower, upper, confidence } = medianInterval(many);
    // The normal approximation: n/2 ± 1.96·√n/2 ≈ 2500 ± 69.3.
    expect(lower).toBeGreaterThan(2425);
    expect(lower).toBeLessThan(2435);
    expect(upper).toBe(4999 - lower);
    expect(confidence).toBeGreaterThanOrEqual(0.95);
    expect(confidence).toBeLessThan(0.953);
  });
});

describe('net latency: the noop taken out only when clearly below the writer', () => {
  const around = (center: number, n: number) => Array.from({ length: n }, (_, i) => center + (i - (n - 1) / 2) * 0.1);

  it("gives a net figure when the noop's interval lies wholly below the writer's", () => {
    const net = netLatency(medianInterval(around(20, 12)), medianInterval(around(15, 10)));
    expect(net.measurable).toBe(true);
    expect(net.measurable && net.value).toBeCloseTo(5, 12);
  });

  it("is not measurable when the intervals overlap, even with the writer's p50 above the noop's", () => {
    // Writer 16–18 ms around 17, noop 16.5–18.5 around 17.5: the difference is inside the noise.
    const writer = medianInterval(around(17, 21));
    const noop = medianInterval(around(17.2, 21));
    expect(writer.p50).toBeGreaterThan(noop.p50 - 0.5);
    const net = netLatency(writer, noop);
    expect(net.measurable).toBe(false);
    expect(notMeasurableReason(net, String)).toMatch(
      /^not measurable: noop p50 17\.2 ms \(.* 21 samples\) vs writer p50 17 ms \(.*\): the intervals overlap/,
    );
    // Nothing else, with the same samples a little further apart than the intervals are wide.
    expect(netLatency(medianInterval(around(17, 21)), medianInterval(around(15, 21))).measurable).toBe(true);
  });

  it('is not measurable, never 0, when the noop costs more than the write', () => {
    // The case: a noop of 18.2 ms against a writer of 16–18 ms.
    const net = netLatency(medianInterval(around(17, 12)), medianInterval(around(18.2, 10).map((ms) => ms + 0.5)));
    expect(net).not.toHaveProperty('value');
    expect(notMeasurableReason(net, String)).toMatch(/the noop's interval lies above the writer's/);
  });

  it('takes a noop known only as a figure as exact, and says its samples are missing', () => {
    expect(netLatency(medianInterval([31, 32, 33]), pointMedian(30))).toMatchObject({ measurable: true, value: 2 });
    const inside = netLatency(medianInterval([31, 32, 33]), pointMedian(32));
    expect(inside.measurable).toBe(false);
    expect(notMeasurableReason(inside, String)).toMatch(/noop p50 32 ms \(its samples are not in the input\)/);
  });
});

describe('one-sided Fisher exact test', () => {
  // [treated hits, treated total, baseline hits, baseline total, p]. p is what
  // scipy.stats.fisher_exact([[a, n1 - a], [c, n2 - c]], alternative='greater').pvalue gives (scipy 1.17.1),
  // and equals the exact hypergeometric tail sum(C(K,x) C(N-K,n1-x) / C(N,n1), x >= a) computed with
  // Python's fractions.Fraction; the fraction is in the comment.
  const reference: [number, number, number, number, number][] = [
    [3, 10, 1, 10, 0.2910216718266254], // 94/323
    [5, 20, 1, 40, 0.013161590017229994], // 1734/131747
    [7, 7, 0, 7, 0.0002913752913752914], // 1/3432
    [2, 50, 8, 200, 0.6291265054690488], // 27528880956839/43757305911495 (below the mode: the lower-tail branch)
    [10, 100, 2, 100, 0.016520054662092484], // 286485539/17341682268
    [1, 3, 0, 3, 0.5], // 1/2
    [3, 3, 0, 3, 0.05], // 1/20
    [40, 1000, 20, 1000, 0.006069770757779366], // exact fraction; scipy prints 0.006069770757779359
  ];

  it.each(reference)('%i/%i against %i/%i gives p = %f', (a, n1, c, n2, p) => {
    expect(fisherExactGreater({ hits: a, total: n1 }, { hits: c, total: n2 })).toBeCloseTo(p, 12);
    expect(Math.abs(fisherExactGreater({ hits: a, total: n1 }, { hits: c, total: n2 }) - p) / p).toBeLessThan(1e-9);
  });

  it('is 1 when nothing happened, when the treated rate is as low as it can be, or a group is empty', () => {
    expect(fisherExactGreater({ hits: 0, total: 10 }, { hits: 0, total: 10 })).toBe(1);
    expect(fisherExactGreater({ hits: 0, total: 10 }, { hits: 5, total: 10 })).toBe(1);
    expect(fisherExactGreater({ hits: 0, total: 0 }, { hits: 5, total: 10 })).toBe(1);
    expect(fisherExactGreater({ hits: 2, total: 2 }, { hits: 0, total: 0 })).toBe(1);
  });

  it('grows as the treated rate falls, the baseline fixed', () => {
    const ps = [6, 5, 4, 3, 2].map((a) => fisherExactGreater({ hits: a, total: 20 }, { hits: 2, total: 20 }));
    for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThan(ps[i - 1]!);
  });

  it('rejects counts that are not a proportion', () => {
    expect(() => fisherExactGreater({ hits: 3, total: 2 }, { hits: 0, total: 2 })).toThrow(RangeError);
    expect(() => fisherExactGreater({ hits: 1.5, total: 2 }, { hits: 0, total: 2 })).toThrow(RangeError);
    expect(() => fisherExactGreater({ hits: 1, total: 2 }, { hits: -1, total: 2 })).toThrow(RangeError);
  });
});

describe('smallest achievable p-value', () => {
  // Every event in the treated group: C(K, x) C(N-K, n1-x) / C(N, n1) at x = min(K, n1), by hand with fractions.
  it('is the probability of the most extreme table for these margins', () => {
    expect(fisherSmallestPValue({ hits: 3, total: 10 }, { hits: 1, total: 10 })).toBeCloseTo(14 / 323, 14);
    expect(fisherSmallestPValue({ hits: 5, total: 20 }, { hits: 1, total: 40 })).toBeCloseTo(102 / 131747, 14);
    expect(fisherSmallestPValue({ hits: 3, total: 3 }, { hits: 0, total: 3 })).toBeCloseTo(1 / 20, 14);
    expect(fisherSmallestPValue({ hits: 1, total: 3 }, { hits: 0, total: 3 })).toBeCloseTo(1 / 2, 14);
    expect(fisherSmallestPValue({ hits: 0, total: 50 }, { hits: 0, total: 50 })).toBe(1);
  });

  it('says when a sample can never be significant at alpha', () => {
    // Three calls each, all three failures rewritten: p = 1/20 = 0.05 at best.
    expect(fisherCanReachSignificance({ hits: 3, total: 3 }, { hits: 0, total: 3 }, 0.05)).toBe(true);
    expect(fisherCanReachSignificance({ hits: 3, total: 3 }, { hits: 0, total: 3 }, 0.01)).toBe(false);
    // One failure among six calls: at best 1/2.
    expect(fisherCanReachSignificance({ hits: 1, total: 3 }, { hits: 0, total: 3 }, 0.05)).toBe(false);
    // No failures at all: no table with these margins shows anything.
    expect(fisherCanReachSignificance({ hits: 0, total: 1000 }, { hits: 0, total: 1000 }, 0.05)).toBe(false);
    expect(fisherCanReachSignificance({ hits: 3, total: 10 }, { hits: 1, total: 10 }, 0.05)).toBe(true);
  });

  it('is never above the p-value of the observed table', () => {
    for (const [a, n1, c, n2] of [
      [3, 10, 1, 10],
      [2, 50, 8, 200],
      [0, 5, 3, 5],
      [4, 4, 4, 9],
    ] as const) {
      expect(fisherSmallestPValue({ hits: a, total: n1 }, { hits: c, total: n2 })).toBeLessThanOrEqual(
        fisherExactGreater({ hits: a, total: n1 }, { hits: c, total: n2 }),
      );
    }
  });
});
