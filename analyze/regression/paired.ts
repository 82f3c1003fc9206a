/**
 * The run-level test for interleaved rounds. When base and head ran as pairs — round i of base
 * right next to round i of head, as the PR workflow and validate-gate run them — a load spike that
 * slows round i slows both arms of that round. Judging the per-round differences of the log
 * quantiles cancels it; judging the two arms as independent samples (Welch, bootstrap) counts it
 * twice and reports "too noisy". The interval is the Hodges-Lehmann one of the Wilcoxon signed-rank
 * test: distribution-free, so one wild round moves it by one Walsh average instead of stretching a
 * standard deviation, and exact for any number of pairs from 6 up (with 5 or fewer no interval
 * reaches 95%, and the caller falls back to the unpaired test).
 */

export interface PairedInterval {
  /** Ratio scale: exp of the Hodges-Lehmann estimate and bounds of the log differences. */
  estimate: number;
  lower: number;
  upper: number;
  pairs: number;
  /** The exact coverage of the interval (at least the confidence asked for). */
  coverage: number;
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

/** Every pairwise mean (dᵢ + dⱼ)/2, i ≤ j, sorted: what the Hodges-Lehmann estimate and interval are read from. */
export function walshAverages(differences: readonly number[]): Float64Array {
  const n = differences.length;
  const walsh = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[k++] = ((differences[i] as number) + (differences[j] as number)) / 2;
  // A typed array sorts numerically, and several times faster than an array with a comparator.
  return walsh.sort();
}

/** The Hodges-Lehmann interval of head − base over paired log quantiles, as a ratio. */
export function pairedRatioInterval(baseLogs: readonly number[], headLogs: readonly number[], confidence: number): PairedInterval | undefined {
  const n = baseLogs.length;
  if (n !== headLogs.length) return undefined;
  const plan = walshTrim(n, confidence);
  if (!plan) return undefined;
  return { ...trimmedRatioInterval(baseLogs, headLogs, plan.trim), pairs: n, coverage: plan.coverage };
}

/**
 * The Hodges-Lehmann estimate of head − base over paired log figures and the interval that leaves
 * `trim` sorted Walsh averages out at each end, as ratios: the one computation behind the fixed-n
 * interval above and compare's sequential looks.
 */
export function trimmedRatioInterval(baseLogs: readonly number[], headLogs: readonly number[], trim: number): { estimate: number; lower: number; upper: number } {
  const walsh = walshAverages(headLogs.map((head, i) => head - (baseLogs[i] as number)));
  const m = walsh.length;
  const median = m % 2 === 1 ? (walsh[(m - 1) / 2] as number) : ((walsh[m / 2 - 1] as number) + (walsh[m / 2] as number)) / 2;
  return { estimate: Math.exp(median), lower: Math.exp(walsh[trim] as number), upper: Math.exp(walsh[m - 1 - trim] as number) };
}

/**
 * The fewest interleaved rounds whose paired interval can reach `confidence` for each of a family
 * of `familySize` series judged together (Bonferroni: each at 1 − (1 − confidence)/m). Below it
 * even the widest interval falls short, the median falls back to the unpaired tests, and those count
 * a round's shared load twice: a real slowdown then reads "too noisy". One series at 95% needs 6;
 * 4–6 series need 8; 18 need 10.
 */
export function pairsNeeded(familySize: number, confidence: number): number {
  const each = familySize > 1 ? 1 - (1 - confidence) / familySize : confidence;
  let n = 1;
  while (!walshTrim(n, each)) n++;
  return n;
}
