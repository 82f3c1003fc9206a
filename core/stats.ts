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

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n - 1). */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
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
}

/** Type-7 p50/p95/p99, mean and coefficient of variation of `samples` (NaN figures when there are none). */
export function summarize(samples: readonly number[]): SampleSummary {
  // Sorted as doubles in a typed array: far faster than Array#sort with a comparator on a million samples.
  const sorted = Array.from(Float64Array.from(samples).sort());
  return {
    n: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    mean: mean(sorted),
    cv: coefficientOfVariation(sorted),
  };
}

const MIB = 1024 * 1024;

/** Throughput in MiB/s: the payload size over the p50 latency (infinite when the p50 is not positive). */
export function throughputMiBs(sizeBytes: number, p50Ms: number): number {
  return p50Ms > 0 ? sizeBytes / MIB / (p50Ms / 1000) : Number.POSITIVE_INFINITY;
}

/** p50 with the transport's own cost taken out; never below zero (noise can make it so). */
export function netLatency(p50: number, overheadMs: number): { value: number; clamped: boolean } {
  const net = p50 - overheadMs;
  return net < 0 ? { value: 0, clamped: true } : { value: net, clamped: false };
}
