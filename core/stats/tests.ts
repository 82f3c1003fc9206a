/**
 * Hypothesis tests and their intervals: Mann-Whitney U, the Wilcoxon signed-rank distribution with
 * the Hodges-Lehmann estimate read from Walsh averages, and Welch's t interval.
 */
import { mean, variance } from './descriptive.js';
import { normalCdf, studentTQuantile } from './distributions.js';

/**
 * Mann-Whitney U with the normal approximation, tie correction and continuity correction. Not the
 * gate's test (see resampling.ts for why): validate-gate runs it on the same samples so the choice
 * between the two stays a measured one.
 */
export interface MannWhitneyResult {
  /** U of `head` (how often a head sample beats a base sample, ties half). */
  u: number;
  /** z of U against its null mean, continuity-corrected; positive when head tends to be larger. */
  z: number;
  /** One-sided p-value for "head is stochastically larger". */
  pGreater: number;
  pTwoSided: number;
}

export function mannWhitneyU(base: readonly number[], head: readonly number[]): MannWhitneyResult {
  const n1 = base.length;
  const n2 = head.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU: an arm has no samples');
  const all = [...base.map((value) => ({ value, head: false })), ...head.map((value) => ({ value, head: true }))].sort(
    (a, b) => a.value - b.value,
  );
  const n = all.length;
  let headRankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { value: number }).value === (all[i] as { value: number }).value) j++;
    const rank = (i + j) / 2 + 1;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if ((all[k] as { head: boolean }).head) headRankSum += rank;
    i = j + 1;
  }
  const u = headRankSum - (n2 * (n2 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, pGreater: 0.5, pTwoSided: 1 };
  const diff = u - meanU;
  const z = diff === 0 ? 0 : (diff - Math.sign(diff) * 0.5) / Math.sqrt(variance);
  const pGreater = 1 - normalCdf(z);
  return { u, z, pGreater, pTwoSided: Math.min(1, 2 * Math.min(pGreater, 1 - pGreater)) };
}

/**
 * The null distribution of the signed-rank statistic T+ for n pairs: P(T+ ≤ t) for t = 0..n(n+1)/2,
 * by the exact recursion over ranks (probabilities, not counts, so large n stays in range).
 */
export function signedRankCdf(n: number): number[] {
  const known = cdfCache.get(n);
  if (known) return known;
  const cdf = computeSignedRankCdf(n);
  cdfCache.set(n, cdf);
  return cdf;
}

const cdfCache = new Map<number, number[]>();

function computeSignedRankCdf(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  let density = new Array<number>(max + 1).fill(0);
  density[0] = 1;
  for (let rank = 1; rank <= n; rank++) {
    const next = new Array<number>(max + 1).fill(0);
    for (let t = 0; t <= max; t++) {
      const p = density[t] as number;
      if (p === 0) continue;
      next[t] = (next[t] as number) + p / 2;
      if (t + rank <= max) next[t + rank] = (next[t + rank] as number) + p / 2;
    }
    density = next;
  }
  const cdf: number[] = [];
  let sum = 0;
  for (const p of density) cdf.push((sum += p));
  return cdf;
}

/**
 * How many of the M sorted Walsh averages the interval leaves out at each end. Leaving out k, the
 * bound [W(k), W(M − 1 − k)] (0-based) misses on each side with probability P(T+ ≤ k), so k is the
 * largest with P(T+ ≤ k) ≤ (1 − confidence)/2 (n = 10 at 95%: k = 8). Undefined when even the widest
 * interval (k = 0: from the smallest to the largest) falls short of the confidence.
 */
export function walshTrim(n: number, confidence: number): { trim: number; coverage: number } | undefined {
  const tail = (1 - confidence) / 2;
  const cdf = signedRankCdf(n);
  if ((cdf[0] as number) > tail) return undefined;
  let trim = 0;
  while ((cdf[trim + 1] as number) <= tail) trim++;
  return { trim, coverage: 1 - 2 * (cdf[trim] as number) };
}

/**
 * Every pairwise mean (dᵢ + dⱼ)/2, i ≤ j, sorted: what the Hodges-Lehmann estimate and interval
 * are read from.
 */
export function walshAverages(differences: readonly number[]): Float64Array {
  const n = differences.length;
  const walsh = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) walsh[k++] = ((differences[i] as number) + (differences[j] as number)) / 2;
  // A typed array sorts numerically, and several times faster than an array with a comparator.
  return walsh.sort();
}

/** The Hodges-Lehmann estimate: the median of the sorted Walsh averages (walshAverages). */
export function hodgesLehmann(sortedWalsh: Float64Array): number {
  const m = sortedWalsh.length;
  return m % 2 === 1
    ? (sortedWalsh[(m - 1) / 2] as number)
    : ((sortedWalsh[m / 2 - 1] as number) + (sortedWalsh[m / 2] as number)) / 2;
}

/** Welch's t interval of mean(b) − mean(a), with the Welch-Satterthwaite degrees of freedom. */
export interface WelchInterval {
  difference: number;
  lower: number;
  upper: number;
  degreesOfFreedom: number;
}

/** Welch's interval of mean(b) − mean(a) at `confidence`; undefined below two values per sample. */
export function welchInterval(
  a: readonly number[],
  b: readonly number[],
  confidence: number,
): WelchInterval | undefined {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return undefined;
  const va = variance(a) / na;
  const vb = variance(b) / nb;
  const se = Math.sqrt(va + vb);
  const difference = mean(b) - mean(a);
  if (se === 0) return { difference, lower: difference, upper: difference, degreesOfFreedom: na + nb - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  return { difference, lower: difference - t * se, upper: difference + t * se, degreesOfFreedom: df };
}
