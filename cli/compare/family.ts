/**
 * What a comparison can decide and when. The gated timing series of the compared subjects (a p50 and
 * a p95 per size and mode each supports) are judged as one family, each series at 1 − 5%/m, and each
 * look's interval is the sequential one (analyze/regression/sequential.ts), valid at every look up to
 * the horizon. Before `firstDecision` rounds no interval exists at that level however the rounds come
 * out, so a horizon short of it can only end inconclusive.
 */
import { sequentialBoundary } from '../../analyze/index.js';
import { pairsNeeded } from '../../analyze/regression/paired.js';
import type { MetricPolicy } from '../../analyze/regression/policy.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import type { WriteMode } from '../../core/writer/types.js';

/** The confidence of the whole family (the analyzer's). */
export const FAMILY_CONFIDENCE = 0.95;

/** Rounds between looks: an ABBA pair, so every look has as many base-first as head-first rounds. */
export const LOOK_EVERY = 2;

export const DEFAULT_MAX_ROUNDS = 60;
export const DEFAULT_MAX_TIME = '5m';

export function familySize(
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  modes: readonly WriteMode[],
  policies: readonly MetricPolicy[],
): number {
  const timing = policies.filter(
    (policy) => policy.suite === 'bench' && policy.kind === 'timing' && policy.gate,
  ).length;
  const lines = subjects.reduce(
    (sum, subject) => sum + sizes.length * modes.filter((mode) => subject.modes.includes(mode)).length,
    0,
  );
  return timing * lines;
}

/** The first look at which a family of this size can decide anything, on a horizon of `horizon` rounds. */
export function firstDecision(family: number, horizon: number): number | undefined {
  const confidence = family > 1 ? 1 - (1 - FAMILY_CONFIDENCE) / family : FAMILY_CONFIDENCE;
  return sequentialBoundary({ horizon, lookEvery: LOOK_EVERY, confidence }).firstDecision;
}

/**
 * The fewest rounds that could decide anything for this family, looked at once: a floor for the
 * advice when the horizon allowed no decision (repeated looks need a few more).
 */
export function roundsAtLeast(family: number): number {
  const needed = pairsNeeded(Math.max(1, family), FAMILY_CONFIDENCE);
  return needed + (needed % LOOK_EVERY);
}

/**
 * The horizon: as many rounds as fit in the time allowed at the pace of the first pair, at most
 * --max-rounds. Only the pair's duration decides it, and that is the same whichever arm is slower, so
 * it tells the boundary nothing about the sign of the change (README: "Sequential compare").
 */
export function horizonFor(maxRounds: number, maxSeconds: number, pairSeconds: number): number {
  const pairs = Math.floor(maxSeconds / Math.max(pairSeconds, 1e-3));
  const evenMax = maxRounds - (maxRounds % LOOK_EVERY);
  return Math.max(LOOK_EVERY, Math.min(evenMax, pairs * LOOK_EVERY));
}
