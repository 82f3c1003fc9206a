/**
 * The sequential compare's error, by simulation: many synthetic comparisons, each looked at after
 * every ABBA pair of rounds and stopped by the same rule `compare` uses (stopping.ts), with per-round
 * differences as a shared 2-core runner gives them: heavy-tailed (Student t, 3 degrees of freedom),
 * a spread of 0.08 in log (identical runs side by side differ by 6–13% in their medians), p95s three
 * times as spread, and a small order effect that ABBA alternates.
 */
import { describe, expect, it } from 'vitest';
import { timingDecision } from '../regression/compare-baseline.js';
import { seededRandom } from '../../core/rng.js';
import { sequentialBoundary, sequentialPairedInterval, type SequentialBoundary } from '../regression/sequential.js';
import { lookOutcome, type SeriesLook } from './stopping.js';

const COMPARISONS = 10_000;
const HORIZON = 40;
const FAMILY_CONFIDENCE = 0.95;
/** One size in durable and unchanged: two medians (10% minimum effect) and two p95s (20%). */
const SERIES = [
  { tail: false, minEffect: 0.1, spread: 0.08 },
  { tail: false, minEffect: 0.1, spread: 0.08 },
  { tail: true, minEffect: 0.2, spread: 0.24 },
  { tail: true, minEffect: 0.2, spread: 0.24 },
];
const ORDER_EFFECT = 0.02;

function studentT3(random: () => number): number {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const z = normal();
  const chi = normal() ** 2 + normal() ** 2 + normal() ** 2;
  // Scaled to unit variance (a t with 3 degrees of freedom has variance 3).
  return z / Math.sqrt(chi / 3) / Math.sqrt(3);
}

interface Simulated {
  regressed: number;
  decided: number;
  /** Comparisons in which some series' interval ever excluded its true change. */
  missed: number;
  rounds: number[];
}

/** `toHorizon`: keep looking after a decision, to measure the intervals' error over every look. */
function simulate(
  effect: number,
  boundaryOf: (confidence: number) => SequentialBoundary,
  seed: number,
  toHorizon = false,
  comparisons = COMPARISONS,
): Simulated {
  const random = seededRandom(seed);
  const perSeries = 1 - (1 - FAMILY_CONFIDENCE) / SERIES.length;
  const boundary = boundaryOf(perSeries);
  const result: Simulated = { regressed: 0, decided: 0, missed: 0, rounds: [] };
  const truth = Math.log(1 + effect);
  for (let c = 0; c < comparisons; c++) {
    const differences = SERIES.map(() => [] as number[]);
    let missed = false;
    let outcome = 'continue';
    let round = 0;
    let decidedAt: number | undefined;
    while ((toHorizon || outcome === 'continue') && round < HORIZON) {
      for (let step = 0; step < boundary.lookEvery; step++) {
        round++;
        const order = round % 2 === 1 ? ORDER_EFFECT : -ORDER_EFFECT;
        SERIES.forEach((series, i) => differences[i]?.push(truth + order + series.spread * studentT3(random)));
      }
      const looks: SeriesLook[] = SERIES.map((series, i) => {
        const headLogs = differences[i] as number[];
        const interval = sequentialPairedInterval(
          headLogs.map(() => 0),
          headLogs,
          boundary,
        );
        if (!interval) return { tail: series.tail, decision: 'undecided' };
        if (Math.log(interval.lower) > truth || Math.log(interval.upper) < truth) missed = true;
        return {
          tail: series.tail,
          decision: timingDecision(
            { direction: 'lower_is_better', minEffect: series.minEffect },
            interval.lower,
            interval.upper,
          ),
        };
      });
      if (outcome === 'continue') {
        outcome = lookOutcome(looks);
        if (outcome !== 'continue') decidedAt = round;
      }
    }
    if (outcome === 'regressed') result.regressed++;
    if (outcome !== 'continue') result.decided++;
    if (missed) result.missed++;
    result.rounds.push(decidedAt ?? round);
  }
  return result;
}

const corrected = (confidence: number) => sequentialBoundary({ horizon: HORIZON, lookEvery: 2, confidence });
/** Each look trimmed as if it were the only one: what an uncorrected sequential compare would do. */
const uncorrected = (confidence: number): SequentialBoundary => ({
  ...corrected(confidence),
  lookTail: (1 - confidence) / 2,
});

describe('sequential compare, simulated', () => {
  it(`${COMPARISONS} A/A comparisons: at most 5% regressed, and every interval ` +
    `holds its truth at every look in 95%`, () => {
    const aa = simulate(0, corrected, 1);
    expect(aa.regressed / COMPARISONS).toBeLessThanOrEqual(0.05);
    expect(aa.missed / COMPARISONS).toBeLessThanOrEqual(0.05);
    // Most identical comparisons end decided (harmless) well before the horizon.
    expect(aa.decided / COMPARISONS).toBeGreaterThan(0.9);
  }, 60_000);

  it(`intervals looked at after every pair up to round ${HORIZON} hold their ` +
    `truth at every look in 95%; uncorrected looks do not`, () => {
    // Every look to the horizon costs a sort per series per look: 2,000 comparisons pin the rate to ±0.5%.
    const comparisons = 2_000;
    expect(simulate(0, corrected, 3, true, comparisons).missed / comparisons).toBeLessThanOrEqual(0.05);
    // What this test guards: the same looks, each trimmed as if it were the only one (about 18%).
    expect(simulate(0, uncorrected, 3, true, comparisons).missed / comparisons).toBeGreaterThan(0.1);
  }, 120_000);

  it(`a change of twice the minimum effect is decided regressed in at least 95% of ${COMPARISONS}`, () => {
    const slowed = simulate(0.2, corrected, 2);
    expect(slowed.regressed / COMPARISONS).toBeGreaterThanOrEqual(0.95);
    expect(slowed.missed / COMPARISONS).toBeLessThanOrEqual(0.05);
  }, 60_000);
});
