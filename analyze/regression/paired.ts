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
import { hodgesLehmann, walshAverages, walshTrim } from '../../core/stats.js';

export interface PairedInterval {
  /** Ratio scale: exp of the Hodges-Lehmann estimate and bounds of the log differences. */
  estimate: number;
  lower: number;
  upper: number;
  pairs: number;
  /** The exact coverage of the interval (at least the confidence asked for). */
  coverage: number;
}

/** The Hodges-Lehmann interval of head − base over paired log quantiles, as a ratio. */
export function pairedRatioInterval(
  baseLogs: readonly number[],
  headLogs: readonly number[],
  confidence: number,
): PairedInterval | undefined {
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
export function trimmedRatioInterval(
  baseLogs: readonly number[],
  headLogs: readonly number[],
  trim: number,
): { estimate: number; lower: number; upper: number } {
  const walsh = walshAverages(headLogs.map((head, i) => head - (baseLogs[i] as number)));
  const m = walsh.length;
  return {
    estimate: Math.exp(hodgesLehmann(walsh)),
    lower: Math.exp(walsh[trim] as number),
    upper: Math.exp(walsh[m - 1 - trim] as number),
  };
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
