/** The distribution-free confidence interval of a median, and a median known only as a figure. */

import { percentileOfSorted } from './descriptive.js';

/** The confidence of each median's interval in the net-latency rule. */
export const MEDIAN_CONFIDENCE = 0.95;

/** A median with the interval that covers the population's median at `confidence`. */
export interface MedianInterval {
  /** Type-7 p50 of the samples. */
  p50: number;
  lower: number;
  upper: number;
  /** Samples behind it; 0 for a figure known without its samples (pointMedian). */
  n: number;
  /** The coverage the interval reaches: below MEDIAN_CONFIDENCE under 6 samples (then min..max); null for a point. */
  confidence: number | null;
}

/**
 * The distribution-free interval of a median: order statistics x(k)..x(n+1-k), with k the largest
 * whose coverage 1 − 2·P(Binomial(n, ½) ≤ k − 1) is at least `confidence`. It assumes only
 * independent samples (no normal shape: latencies are skewed), and needs no resampling, so the same
 * samples always give the same interval. Under 6 samples no k reaches 95%: min..max, with what it covers.
 */
export function medianInterval(samples: readonly number[], confidence = MEDIAN_CONFIDENCE): MedianInterval {
  const n = samples.length;
  if (n === 0) return { p50: Number.NaN, lower: Number.NaN, upper: Number.NaN, n: 0, confidence: 0 };
  const sorted = Array.from(Float64Array.from(samples).sort());
  const tail = (1 - confidence) / 2;
  // Walk Binomial(n, ½) up from 0 in logarithms (2^-n underflows past n = 1074):
  // pmf(j) = pmf(j − 1)·(n − j + 1)/j.
  let logPmf = -n * Math.LN2;
  let below = Math.exp(logPmf); // P(B ≤ k − 1)
  let k = 1;
  while (k + 1 <= (n + 1) / 2) {
    const nextLogPmf = logPmf + Math.log((n - k + 1) / k);
    const nextBelow = below + Math.exp(nextLogPmf);
    if (nextBelow > tail) break;
    logPmf = nextLogPmf;
    below = nextBelow;
    k++;
  }
  const coverage = 1 - 2 * below;
  return {
    p50: percentileOfSorted(sorted, 50),
    lower: sorted[k - 1] as number,
    upper: sorted[n - k] as number,
    n,
    confidence: coverage,
  };
}

/**
 * A median known only as a figure, without its samples (a results file from before bench wrote them): an interval of
 * no width.
 */
export function pointMedian(value: number): MedianInterval {
  return { p50: value, lower: value, upper: value, n: 0, confidence: null };
}
