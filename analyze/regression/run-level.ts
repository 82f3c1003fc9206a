/**
 * The run-level half of the significance test. An arm measured in R interleaved rounds holds R
 * independent looks at the machine; with R = 3 or 5 the bootstrap, which treats the runs it has as
 * the whole population, understates how far the next run could land (it has no n − 1 and no Student
 * t). So the ratio is also judged on the runs themselves: Welch's t interval of the difference of the
 * mean per-run log-quantiles, with Student t quantiles at the Welch-Satterthwaite degrees of freedom.
 * The verdict uses the union of this interval and the bootstrap one: significant only when both say so.
 */
import { mean, percentile } from '../../core/stats.js';

export interface RunLevelInterval {
  /** Ratio scale: exp of the log-scale bounds. */
  lower: number;
  upper: number;
  degreesOfFreedom: number;
}

/** Per-run quantile on log scale; runs with a non-positive quantile are dropped. */
export function runLogQuantiles(strata: readonly (readonly number[])[], p: number): number[] {
  return strata.map((stratum) => percentile(stratum, p)).filter((q) => q > 0).map(Math.log);
}

function variance(values: readonly number[]): number {
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum / (values.length - 1);
}

/** Welch interval of mean(head) − mean(base) on log scale, as a ratio interval. Needs ≥ 2 runs per arm. */
export function welchRatioInterval(baseLogs: readonly number[], headLogs: readonly number[], confidence: number): RunLevelInterval | undefined {
  const na = baseLogs.length;
  const nb = headLogs.length;
  if (na < 2 || nb < 2) return undefined;
  const va = variance(baseLogs) / na;
  const vb = variance(headLogs) / nb;
  const se = Math.sqrt(va + vb);
  const diff = mean(headLogs) - mean(baseLogs);
  if (se === 0) return { lower: Math.exp(diff), upper: Math.exp(diff), degreesOfFreedom: na + nb - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  return { lower: Math.exp(diff - t * se), upper: Math.exp(diff + t * se), degreesOfFreedom: df };
}

/** Student t CDF, from the regularized incomplete beta function. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (0 < p < 1) by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile: p ${p}, df ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Regularized incomplete beta I_x(a, b) (Numerical Recipes `betai`, continued fraction by Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export function logGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = g[0] as number;
  for (let i = 1; i < 9; i++) sum += (g[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
