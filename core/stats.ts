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

/** Type-7 percentiles (min to max), mean and coefficient of variation of `samples` (NaN figures when there are none). */
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

const MIB = 1024 * 1024;

/** Throughput in MiB/s: the payload size over the p50 latency (infinite when the p50 is not positive). */
export function throughputMiBs(sizeBytes: number, p50Ms: number): number {
  return p50Ms > 0 ? sizeBytes / MIB / (p50Ms / 1000) : Number.POSITIVE_INFINITY;
}

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
  // Walk Binomial(n, ½) up from 0 in logarithms (2^-n underflows past n = 1074): pmf(j) = pmf(j − 1)·(n − j + 1)/j.
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
  return { p50: percentileOfSorted(sorted, 50), lower: sorted[k - 1] as number, upper: sorted[n - k] as number, n, confidence: coverage };
}

/** A median known only as a figure, without its samples (a results file from before bench wrote them): an interval of no width. */
export function pointMedian(value: number): MedianInterval {
  return { p50: value, lower: value, upper: value, n: 0, confidence: null };
}

export type NetLatency =
  | { measurable: true; value: number; writer: MedianInterval; overhead: MedianInterval }
  | { measurable: false; writer: MedianInterval; overhead: MedianInterval };

/**
 * A writer's p50 with its transport's cost (a noop's p50: a process start, a round trip) taken out,
 * only when that cost is clearly below the writer's own time: the noop's interval lies wholly below
 * the writer's. Otherwise the difference is within the noise of the two medians (or negative), and no
 * figure — not 0, not the difference — says anything about the write. Two disjoint 95% intervals are
 * a stricter test than one at 5%: the side to err on, since a net figure can pass a gate.
 */
export function netLatency(writer: MedianInterval, overhead: MedianInterval): NetLatency {
  return overhead.upper < writer.lower ? { measurable: true, value: writer.p50 - overhead.p50, writer, overhead } : { measurable: false, writer, overhead };
}

/** Why a net latency is not measurable, in one line (bench's row and the report say it alike); `ms` formats a figure. */
export function notMeasurableReason(net: NetLatency, ms: (value: number) => string): string {
  const spread = (m: MedianInterval) =>
    m.n === 0 ? 'its samples are not in the input' : `${ms(m.lower)}–${ms(m.upper)} ms, ${Math.floor((m.confidence ?? 0) * 100)}% interval of ${m.n} sample${m.n === 1 ? '' : 's'}`;
  const { writer, overhead } = net;
  const how = overhead.lower > writer.upper ? "the noop's interval lies above the writer's" : 'the intervals overlap';
  return `not measurable: noop p50 ${ms(overhead.p50)} ms (${spread(overhead)}) vs writer p50 ${ms(writer.p50)} ms (${spread(writer)}): ${how}, so the write's own time cannot be told from the noop's`;
}

/** How many of `total` trials had the event (failed, were retried, …). */
export interface Proportion {
  hits: number;
  total: number;
}

function checkProportion(p: Proportion, name: string): void {
  if (!Number.isInteger(p.hits) || !Number.isInteger(p.total) || p.hits < 0 || p.total < 0 || p.hits > p.total) {
    throw new RangeError(`${name}: expected whole numbers with 0 <= hits <= total, got ${p.hits}/${p.total}`);
  }
}

/** ln C(n, k), summed term by term: exact enough for the tables an audit produces, and no gamma function. */
function logChoose(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let sum = 0;
  for (let i = 1; i <= m; i++) sum += Math.log((n - m + i) / i);
  return sum;
}

/**
 * The 2x2 table as Fisher's test sees it: with both row totals and the total number of events fixed,
 * the treated group's event count X is hypergeometric.
 */
function hypergeometric(treated: Proportion, baseline: Proportion) {
  checkProportion(treated, 'treated');
  checkProportion(baseline, 'baseline');
  const population = treated.total + baseline.total;
  const events = treated.hits + baseline.hits;
  const draws = treated.total;
  const lowest = Math.max(0, draws - (population - events));
  const highest = Math.min(draws, events);
  const logPmf = (x: number) => logChoose(events, x) + logChoose(population - events, draws - x) - logChoose(population, draws);
  // pmf(x + 1) / pmf(x), so a tail is summed from one logarithm and ratios, without huge binomials.
  const ratioUp = (x: number) => ((events - x) * (draws - x)) / ((x + 1) * (population - events - draws + x + 1));
  return { population, events, draws, lowest, highest, logPmf, ratioUp };
}

/**
 * One-sided Fisher exact test (hypergeometric upper tail): P(the treated group's rate is at least the
 * one observed | both groups share one rate), conditional on the margins. The same number as
 * scipy.stats.fisher_exact([[a, n1 - a], [c, n2 - c]], alternative='greater'). A group with no trials
 * gives 1: nothing was observed that could be unusual.
 */
export function fisherExactGreater(treated: Proportion, baseline: Proportion): number {
  const h = hypergeometric(treated, baseline);
  const a = treated.hits;
  if (treated.total === 0 || baseline.total === 0 || a <= h.lowest) return 1;
  // Sum whichever side has the smaller terms, going outward from its start so each term shrinks:
  // the upper tail directly above the mode, else one minus the lower tail.
  const mode = Math.floor(((h.draws + 1) * (h.events + 1)) / (h.population + 2));
  if (a > mode) {
    let term = 1;
    let sum = 1;
    for (let x = a; x < h.highest; x++) {
      term *= h.ratioUp(x);
      sum += term;
    }
    return Math.min(1, Math.exp(h.logPmf(a)) * sum);
  }
  let term = 1;
  let sum = 1;
  for (let x = a - 1; x > h.lowest; x--) {
    term /= h.ratioUp(x - 1);
    sum += term;
  }
  return Math.min(1, Math.max(0, 1 - Math.exp(h.logPmf(a - 1)) * sum));
}

/**
 * The smallest p-value fisherExactGreater can give for these margins: every event in the treated
 * group (or as many as it has trials). When even that is above alpha, no outcome with these margins
 * could be significant: there is not enough data to say anything, whatever the rates look like.
 */
export function fisherSmallestPValue(treated: Proportion, baseline: Proportion): number {
  const h = hypergeometric(treated, baseline);
  if (treated.total === 0 || baseline.total === 0 || h.highest <= h.lowest) return 1;
  return Math.exp(h.logPmf(h.highest));
}

/** Whether these margins can reach significance at alpha at all (smallest p-value <= alpha). */
export function fisherCanReachSignificance(treated: Proportion, baseline: Proportion, alpha: number): boolean {
  return fisherSmallestPValue(treated, baseline) <= alpha;
}
