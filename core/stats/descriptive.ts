/**
 * Descriptive statistics of a list of values: type-7 percentiles, median, mean, variance, spread, and a latency line's
 * summary.
 */

/**
 * Percentile by linear interpolation between closest ranks (Hyndman-Fan type 7, numpy's default),
 * so figures here match what a reader recomputes from results_raw.csv with common tools.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} outside 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted, p);
}

export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const lo = sorted[lower] as number;
  const hi = sorted[upper] as number;
  return lo + (hi - lo) * (rank - lower);
}

/** The median: the type-7 p50 (the middle value, or the mean of the two middle values). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (n − 1); NaN below two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum / (values.length - 1);
}

/** Sample standard deviation (n − 1). */
export function stddev(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

/** Coefficient of variation: stddev / mean, the noise figure reported beside timings. */
export function coefficientOfVariation(values: readonly number[]): number {
  return stddev(values) / mean(values);
}

/** What a list of latency samples is summed up as; the one place a p50 is computed from samples. */
export interface SampleSummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** NaN below two samples. */
  cv: number;
  /**
   * The rest of the quantile ladder (min, p5, p25, p75, max): what a p50 and p95 hide — a long tail, two
   * modes — shows in the gaps between its rungs. Taken from the same sort, so it costs no second pass.
   */
  min: number;
  p5: number;
  p25: number;
  p75: number;
  max: number;
}

/**
 * Type-7 percentiles (min to max), mean and coefficient of variation of `samples` (NaN figures when there are none).
 */
export function summarize(samples: readonly number[]): SampleSummary {
  // Sorted as doubles in a typed array: far faster than Array#sort with a comparator on a million samples.
  const sorted = Array.from(Float64Array.from(samples).sort());
  const at = (p: number) => percentileOfSorted(sorted, p);
  return {
    n: sorted.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    mean: mean(sorted),
    cv: coefficientOfVariation(sorted),
    min: at(0),
    p5: at(5),
    p25: at(25),
    p75: at(75),
    max: at(100),
  };
}

/**
 * The median and a robust standard deviation: 1.4826 × the median absolute deviation, which equals
 * the standard deviation for normal data while one wild value moves it by at most one rank.
 */
export function robustSpread(values: readonly number[]): { median: number; sigma: number } {
  const middle = median(values);
  return { median: middle, sigma: 1.4826 * median(values.map((value) => Math.abs(value - middle))) };
}
