/** Proportions: Fisher's exact test on a 2x2 table of event counts, and what its margins can reach. */

import { logChoose } from './distributions.js';

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
  const logPmf = (x: number) =>
    logChoose(events, x) + logChoose(population - events, draws - x) - logChoose(population, draws);
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
