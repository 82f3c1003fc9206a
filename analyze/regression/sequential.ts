/**
 * Paired intervals that stay valid however often they are looked at (README: "Sequential compare").
 * `compare` judges its series after every ABBA pair of rounds and stops once each is decided. Each
 * look is the Hodges-Lehmann interval of the per-round differences (paired.ts), but trimmed at a
 * per-look level chosen so that, over every look up to the horizon, the chance that the true change
 * ever falls outside the interval stays within the series' share of the family's error: a
 * Pocock-type group-sequential boundary on the exact signed-rank scale.
 *
 * The boundary is distribution-free: under "no change beyond θ" the signs of the differences from θ
 * are fair coins independent of their sizes, and the relative ranks of a growing series of
 * continuous sizes are independent and uniform, so the joint law of the signed-rank statistics at
 * every look depends only on the looks. It is found by simulating that law from a fixed seed.
 */
import { seededRandom } from '../../core/rng.js';
import { signedRankCdf } from '../../core/stats.js';
import { trimmedRatioInterval, type PairedInterval } from './paired.js';

export interface SequentialDesign {
  /** The last round that may be measured; the boundary spends the error over every look up to it. */
  horizon: number;
  /** Rounds between looks: 2, so that each look has as many base-first as head-first rounds. */
  lookEvery: number;
  /** 1 − the error allowed this series over all looks together (the family's share, Bonferroni). */
  confidence: number;
}

export interface SequentialBoundary extends SequentialDesign {
  /** The marginal one-sided level every look is trimmed at (P(T+ ≤ trim) ≤ this). */
  lookTail: number;
  /** Rounds at which a look is taken. */
  looks: number[];
  /** The first look at which an interval exists at all; undefined when none does before the horizon. */
  firstDecision: number | undefined;
  /** Simulated chance of a look ever excluding the true change (at most 1 − confidence). */
  simulatedError: number;
  simulations: number;
}

/** Enough simulated series that the calibration's own error is small beside the level. */
const SIMULATIONS = 120_000;
const SEED = 0x5e9;

/** Index of the first element of `sorted` that is ≥ value. */
function lowerBound(sorted: Float64Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertAt(sorted: Float64Array, length: number, index: number, value: number): void {
  sorted.copyWithin(index + 1, index, length);
  sorted[index] = value;
}

/**
 * For each simulated series under no change, the smallest one-sided marginal tail probability any
 * look reached: min over looks of min(P(T+ ≤ t), P(T+ ≥ t)). A boundary trimmed at level q crosses
 * in exactly the series whose minimum is ≤ q.
 */
function simulatedMinimumTails(looks: readonly number[], simulations: number): Float64Array {
  const horizon = looks[looks.length - 1] as number;
  const cdfs = new Map(looks.map((n) => [n, signedRankCdf(n)]));
  const isLook = new Uint8Array(horizon + 1);
  for (const n of looks) isLook[n] = 1;
  const random = seededRandom(SEED);
  const all = new Float64Array(horizon);
  const plus = new Float64Array(horizon);
  const minima = new Float64Array(simulations);
  for (let s = 0; s < simulations; s++) {
    let tPlus = 0;
    let plusCount = 0;
    let minimum = 1;
    for (let n = 1; n <= horizon; n++) {
      const size = random();
      const positive = random() < 0.5;
      const below = lowerBound(all, n - 1, size);
      insertAt(all, n - 1, below, size);
      // Every earlier positive difference of a larger size moves up one rank.
      const plusBelow = lowerBound(plus, plusCount, size);
      tPlus += plusCount - plusBelow;
      if (positive) {
        tPlus += below + 1;
        insertAt(plus, plusCount, plusBelow, size);
        plusCount++;
      }
      if (isLook[n]) {
        const cdf = cdfs.get(n) as number[];
        const max = (n * (n + 1)) / 2;
        const tail = Math.min(cdf[tPlus] as number, cdf[max - tPlus] as number);
        if (tail < minimum) minimum = tail;
      }
    }
    minima[s] = minimum;
  }
  return minima;
}

const cache = new Map<string, SequentialBoundary>();

/** The looks of a design: every `lookEvery` rounds up to the horizon. */
export function looksOf(design: Pick<SequentialDesign, 'horizon' | 'lookEvery'>): number[] {
  const looks: number[] = [];
  for (let n = design.lookEvery; n <= design.horizon; n += design.lookEvery) looks.push(n);
  return looks;
}

/**
 * The per-look trim level: the largest q such that, in the simulation, the share of series whose
 * looks ever reach a tail ≤ q stays at the allowed error less two standard errors of the simulation
 * (so its own noise cannot push the real error over the level).
 */
export function sequentialBoundary(design: SequentialDesign, simulations = SIMULATIONS): SequentialBoundary {
  const key = `${design.horizon}/${design.lookEvery}/${design.confidence}/${simulations}`;
  const known = cache.get(key);
  if (known) return known;
  const looks = looksOf(design);
  if (looks.length === 0) throw new RangeError(`sequential boundary: no look within ${design.horizon} rounds`);
  const alpha = 1 - design.confidence;
  const minima = simulatedMinimumTails(looks, simulations).sort();
  const allowed = Math.max(0, Math.floor(alpha * simulations - 2 * Math.sqrt(alpha * simulations)));
  // Crossing at level q happens in the series whose minimum is ≤ q: stay strictly below the
  // (allowed + 1)-th smallest minimum, down to the largest attainable marginal tail under it.
  const ceiling = allowed < simulations ? (minima[allowed] as number) : 1;
  const lookTail = looks.reduce(
    (best, n) => signedRankCdf(n).reduce((top, p) => (p < ceiling && p > top ? p : top), best),
    0,
  );
  let crossed = 0;
  for (const minimum of minima) if (minimum <= lookTail) crossed++;
  const firstDecision = looks.find((n) => (signedRankCdf(n)[0] as number) <= lookTail);
  const boundary = { ...design, lookTail, looks, firstDecision, simulatedError: crossed / simulations, simulations };
  cache.set(key, boundary);
  return boundary;
}

/** How many Walsh averages a look at n pairs leaves out at each end; undefined before the first decision. */
export function lookTrim(boundary: SequentialBoundary, n: number): number | undefined {
  const cdf = signedRankCdf(n);
  if ((cdf[0] as number) > boundary.lookTail) return undefined;
  let trim = 0;
  while ((cdf[trim + 1] as number) <= boundary.lookTail) trim++;
  return trim;
}

/**
 * The look's interval of head − base over paired log figures, as a ratio; undefined when the look
 * is not on the design (an odd round) or comes before any interval can reach the level.
 */
export function sequentialPairedInterval(
  baseLogs: readonly number[],
  headLogs: readonly number[],
  boundary: SequentialBoundary,
): PairedInterval | undefined {
  const n = baseLogs.length;
  if (n !== headLogs.length || !boundary.looks.includes(n)) return undefined;
  const trim = lookTrim(boundary, n);
  if (trim === undefined) return undefined;
  return {
    ...trimmedRatioInterval(baseLogs, headLogs, trim),
    pairs: n,
    coverage: 1 - 2 * (signedRankCdf(n)[trim] as number),
  };
}
