import type { Profile } from '../core/profile.js';
import { BENCH_SCENARIOS } from '../core/schema.js';
import { WRITE_MODES, type WriteMode } from '../core/writer/types.js';

/** Every bench row carries this scenario; mode and size_bytes say which write it was. */
export const SCENARIO = BENCH_SCENARIOS.write;
/** Rows about a transport's own cost (spawn, round trip), one per subject. */
export const CALIBRATION_SCENARIO = BENCH_SCENARIOS.calibration;

/** The three write modes: a changed write, durable; a changed write, fast; unchanged content (an idempotent skip). */
export const DEFAULT_MODES: readonly WriteMode[] = WRITE_MODES;

export const ENGINES = ['tinybench', 'mitata'] as const;
export type EngineName = (typeof ENGINES)[number];
export const DEFAULT_ENGINE: EngineName = 'tinybench';


/**
 * How much sampling a profile buys. The sample count of a scenario is planned from a short pilot so
 * that its timed writes take about `budgetMs`, clamped to [minSamples, maxSamples]: fast writes get
 * many samples, an 8 MiB durable write gets the minimum (a time and count cap at once).
 */
export interface SamplingPlan {
  budgetMs: number;
  minSamples: number;
  maxSamples: number;
  /** Untimed pilot writes used to plan the count (they also warm the path up). */
  pilotWrites: number;
  /** The engine's own warm-up iterations before the first round's timed ones. */
  warmupIterations: number;
  /**
   * A scenario's samples are taken in this many rounds, the subjects of one size and mode taking
   * turns (in a rotating order), so load that comes and goes on the machine touches them alike and
   * ratios such as reference/floor stay honest. Later rounds warm up with a third of the iterations.
   */
  rounds: number;
  /** Runs of a transport's calibration (noop command, noop round trip). */
  calibrationSamples: number;
  /** One-shot writes traced per accounting scenario; 0 turns accounting off. */
  tracedWrites: number;
  /** Trace every size, or only the smallest one (counts do not depend on size; bytes scale with it). */
  traceAllSizes: boolean;
  /** A fixed sample count (--samples): no pilot, no budget. */
  fixedSamples?: number;
}

export const SAMPLING_PLANS: Record<Profile, SamplingPlan> = {
  // The PR gate: all of bench + crash + parity in about a minute on two cores.
  quick: { budgetMs: 100, minSamples: 12, maxSamples: 200, pilotWrites: 3, warmupIterations: 3, rounds: 3, calibrationSamples: 10, tracedWrites: 1, traceAllSizes: false },
  // Nightly: enough samples for a p95 that holds still between runs, every size traced three times.
  full: { budgetMs: 1500, minSamples: 40, maxSamples: 1000, pilotWrites: 5, warmupIterations: 10, rounds: 5, calibrationSamples: 30, tracedWrites: 3, traceAllSizes: true },
};

/** The count a pilot estimate buys within the plan's budget. */
export function plannedSamples(plan: SamplingPlan, pilotMsPerWrite: number): number {
  if (plan.fixedSamples !== undefined) return plan.fixedSamples;
  const fit = pilotMsPerWrite > 0 ? Math.floor(plan.budgetMs / pilotMsPerWrite) : plan.maxSamples;
  return Math.min(plan.maxSamples, Math.max(plan.minSamples, fit));
}

export function sizeLabel(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return `${bytes}B`;
}

/** How many of `total` samples round `round` of `rounds` takes: as even as possible, summing to total. */
export function roundShare(total: number, rounds: number, round: number): number {
  return Math.floor((total * (round + 1)) / rounds) - Math.floor((total * round) / rounds);
}
