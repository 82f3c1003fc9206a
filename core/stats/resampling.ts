/**
 * The significance half of the regression rule: a bootstrap confidence interval of the ratio of a
 * quantile (the median by default) between two sets of raw latency samples.
 *
 * Why a bootstrap of the median ratio and not Mann-Whitney U (both were tried; validate-gate reports
 * both on the same runs so the choice stays a measured one):
 * - It estimates the very number the rule and the gates talk about, "head p50 / base p50", so the
 *   minimum-effect test and the significance test judge one quantity, and the report can say
 *   "p50 +27% (95% CI +19%..+35%)". U tests stochastic ordering: with a few hundred samples it calls a
 *   2% shift significant, and its p-value says nothing about size.
 * - Medians ignore the spikes a shared runner throws in (a neighbour's fsync, a GC pause) that
 *   move means and t-tests.
 * - Runner noise comes in bursts, so neighbouring samples are not independent, which U and a
 *   plain bootstrap both assume. This is a circular block bootstrap: it resamples runs of
 *   ⌈n^(1/3)⌉ consecutive samples (in `sample` order), so a burst stays one piece of evidence
 *   instead of looking like many.
 * - What moves most on a loaded runner is a whole run (another tenant arrives, the disk is busy
 *   for a minute), and samples within one run cannot see that. So an arm measured in several
 *   interleaved rounds is resampled in two stages: each replicate draws the arm's runs with
 *   replacement, then blocks within each drawn run. Run-to-run shifts then widen the interval as
 *   they should, and a gate fed with interleaved rounds does not cry wolf when one round was
 *   unlucky. With one run per arm only the within-run stage exists; that is why the PR workflow
 *   measures base and head in several interleaved rounds. (With few runs this still understates the
 *   spread; analyze/regression/compare-baseline.ts also requires the run-level Welch interval of tests.ts.)
 * - It is seeded from the comparison's key: the same CSVs always give the same verdict, in any
 *   shard order.
 */
import { seededRandom } from '../rng.js';
import { percentileOfSorted } from './descriptive.js';
import { quantileInPlace } from './quantile-select.js';

/** One arm's samples: one array per run, each in sample order. */
export type Strata = readonly (readonly number[])[];

export interface BootstrapOptions {
  /** Which quantile, 0..100 (50 = the median). */
  quantile: number;
  /** Two-sided confidence of the interval, e.g. 0.95. */
  confidence: number;
  replicates: number;
  seed: number;
  /** Samples per block; default ⌈n^(1/3)⌉ per run. 1 is the ordinary (iid) bootstrap. */
  blockLength?: number;
  /** Draw runs with replacement before blocks (default true; only matters with ≥ 2 runs in an arm). */
  resampleRuns?: boolean;
}

export interface RatioInterval {
  /** quantile(head) / quantile(base) on the pooled samples. */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  replicates: number;
}

export const DEFAULT_BOOTSTRAP: Omit<BootstrapOptions, 'seed'> = { quantile: 50, confidence: 0.95, replicates: 2000 };

export function blockLength(n: number): number {
  return Math.max(1, Math.round(Math.cbrt(n)));
}

function total(strata: Strata): number {
  let n = 0;
  for (const stratum of strata) n += stratum.length;
  return n;
}

function pool(strata: Strata, into: Float64Array): void {
  let o = 0;
  for (const stratum of strata) for (const v of stratum) into[o++] = v;
}

/**
 * One replicate of an arm into `out`: as many runs as the arm has, drawn with replacement when
 * `runs` is set (else each run once), each filled by circular blocks to its own length. Returns the
 * number of values written.
 */
function resample(
  strata: Strata,
  out: Float64Array,
  random: () => number,
  fixedBlock: number | undefined,
  runs: boolean,
): number {
  let o = 0;
  const count = strata.length;
  for (let s = 0; s < count; s++) {
    const stratum = (runs && count > 1 ? strata[Math.floor(random() * count)] : strata[s]) as readonly number[];
    const n = stratum.length;
    const length = Math.min(fixedBlock ?? blockLength(n), n);
    let filled = 0;
    while (filled < n) {
      const start = Math.floor(random() * n);
      for (let i = 0; i < length && filled < n; i++, filled++) out[o + filled] = stratum[(start + i) % n] as number;
    }
    o += n;
  }
  return o;
}

/** Room for any replicate: as many runs as the arm has, each as long as its longest. */
function capacity(strata: Strata): number {
  let longest = 0;
  for (const stratum of strata) longest = Math.max(longest, stratum.length);
  return longest * strata.length;
}

export function quantileOf(strata: Strata, p: number): number {
  const buffer = new Float64Array(total(strata));
  pool(strata, buffer);
  return quantileInPlace(buffer, buffer.length, p);
}

/**
 * Percentile interval of quantile(head)/quantile(base). Both arms must be non-empty and the base
 * quantile positive (latencies are); otherwise the ratio has no meaning and this throws.
 */
export function bootstrapQuantileRatio(base: Strata, head: Strata, options: BootstrapOptions): RatioInterval {
  const nBase = total(base);
  const nHead = total(head);
  if (nBase === 0 || nHead === 0) throw new RangeError('bootstrapQuantileRatio: an arm has no samples');
  const baseValue = quantileOf(base, options.quantile);
  if (!(baseValue > 0)) throw new RangeError('bootstrapQuantileRatio: the base quantile is not positive');
  const estimate = quantileOf(head, options.quantile) / baseValue;
  const random = seededRandom(options.seed);
  const runs = options.resampleRuns ?? true;
  const baseBuffer = new Float64Array(capacity(base));
  const headBuffer = new Float64Array(capacity(head));
  const ratios = new Float64Array(options.replicates);
  for (let r = 0; r < options.replicates; r++) {
    const b = quantileInPlace(
      baseBuffer,
      resample(base, baseBuffer, random, options.blockLength, runs),
      options.quantile,
    );
    const h = quantileInPlace(
      headBuffer,
      resample(head, headBuffer, random, options.blockLength, runs),
      options.quantile,
    );
    // A resample whose base quantile is 0 says "infinitely slower": keep it, as the upper tail.
    ratios[r] = b > 0 ? h / b : Number.POSITIVE_INFINITY;
  }
  ratios.sort();
  const sorted = Array.from(ratios);
  const tail = ((1 - options.confidence) / 2) * 100;
  return {
    estimate,
    lower: percentileOfSorted(sorted, tail),
    upper: percentileOfSorted(sorted, 100 - tail),
    confidence: options.confidence,
    replicates: options.replicates,
  };
}
