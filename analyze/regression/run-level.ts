/**
 * The run-level half of the significance test. An arm measured in R interleaved rounds holds R
 * independent looks at the machine; with R = 3 or 5 the bootstrap, which treats the runs it has as
 * the whole population, understates how far the next run could land (it has no n − 1 and no Student
 * t). So the ratio is also judged on the runs themselves: Welch's t interval of the difference of the
 * mean per-run log-quantiles, with Student t quantiles at the Welch-Satterthwaite degrees of freedom.
 * The verdict uses the union of this interval and the bootstrap one: significant only when both say so.
 */
import { percentile, welchInterval } from '../../core/stats.js';

export interface RunLevelInterval {
  /** Ratio scale: exp of the log-scale bounds. */
  lower: number;
  upper: number;
  degreesOfFreedom: number;
}

/** Per-run quantile on log scale; runs with a non-positive quantile are dropped. */
export function runLogQuantiles(strata: readonly (readonly number[])[], p: number): number[] {
  return strata
    .map((stratum) => percentile(stratum, p))
    .filter((q) => q > 0)
    .map(Math.log);
}

/** Welch interval of mean(head) − mean(base) on log scale, as a ratio interval. Needs ≥ 2 runs per arm. */
export function welchRatioInterval(
  baseLogs: readonly number[],
  headLogs: readonly number[],
  confidence: number,
): RunLevelInterval | undefined {
  const interval = welchInterval(baseLogs, headLogs, confidence);
  if (!interval) return undefined;
  return {
    lower: Math.exp(interval.lower),
    upper: Math.exp(interval.upper),
    degreesOfFreedom: interval.degreesOfFreedom,
  };
}
