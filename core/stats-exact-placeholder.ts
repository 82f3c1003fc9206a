/**
 * PLACEHOLDER, replaced at merge by the one-sided Fisher exact test in core/stats.ts (same names and
 * signatures). A naive sum over the hypergeometric upper tail: correct for the small tables tests use,
 * not tuned for large ones.
 */

/** How many of `total` trials had the event (were retried, failed, …). */
export interface Proportion {
  hits: number;
  total: number;
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}

function tail(treated: Proportion, baseline: Proportion, from: number): number {
  const population = treated.total + baseline.total;
  const events = treated.hits + baseline.hits;
  const draws = treated.total;
  const highest = Math.min(draws, events);
  let p = 0;
  for (let x = from; x <= highest; x++) {
    if (draws - x > population - events) continue;
    p += Math.exp(logChoose(events, x) + logChoose(population - events, draws - x) - logChoose(population, draws));
  }
  return Math.min(1, p);
}

/** P(the treated group has at least its observed events | both groups share one rate), margins fixed. */
export function fisherExactGreater(treated: Proportion, baseline: Proportion): number {
  if (treated.total === 0 || baseline.total === 0) return 1;
  return tail(treated, baseline, treated.hits);
}

/** Whether any table with these margins could reach p <= alpha: the most extreme one decides. */
export function fisherCanReachSignificance(treated: Proportion, baseline: Proportion, alpha: number): boolean {
  if (treated.total === 0 || baseline.total === 0) return false;
  const highest = Math.min(treated.total, treated.hits + baseline.hits);
  return tail(treated, baseline, highest) <= alpha;
}
