import type { Profile } from '../core/profile.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import type { BenchOptions } from './options.js';
import { InputError } from '../core/errors.js';
import type {
  BatchShape,
  BenchLine,
  BenchPlan,
  BenchSettings,
  SampleBudget,
  SamplingPlan,
  TimingGroup,
} from './types.js';
import type { PlanContext } from '../core/suite.js';

export type {
  BatchShape,
  BenchLine,
  BenchPlan,
  BenchSettings,
  SampleBudget,
  SamplingPlan,
  TimingGroup,
} from './types.js';

/**
 * The batch scenario per profile. Quick: 100 × 1 KiB over 10 directories, 11 repetitions (the median's
 * 95% interval then runs from the second-fastest to the second-slowest). Full: 1000 × 1 KiB over 20
 * directories, 21 repetitions, so a directory holds 50 files and the one-sync-per-directory saving shows.
 */
export const BATCH_SHAPES: Record<Profile, BatchShape> = {
  quick: { files: 100, dirs: 10, fileBytes: 1024, repetitions: 11 },
  full: { files: 1000, dirs: 20, fileBytes: 1024, repetitions: 21 },
};

export const SAMPLING_PLANS: Record<Profile, SamplingPlan> = {
  // The PR gate: all of bench + crash + parity in about a minute on two cores.
  quick: {
    budgetMs: 100,
    minSamples: 12,
    maxSamples: 200,
    perOp: { budgetMs: 1500, minSamples: 12, maxSamples: 150 },
    pilotWrites: 3,
    warmupIterations: 3,
    rounds: 3,
    calibration: { budgetMs: 1000, minSamples: 10, maxSamples: 200 },
    tracedWrites: 1,
    traceAllSizes: false,
  },
  // Nightly: enough samples for a p95 that holds still between runs, every size traced three times.
  full: {
    budgetMs: 1500,
    minSamples: 40,
    maxSamples: 1000,
    perOp: { budgetMs: 6000, minSamples: 40, maxSamples: 600 },
    pilotWrites: 5,
    warmupIterations: 10,
    rounds: 5,
    calibration: { budgetMs: 4000, minSamples: 30, maxSamples: 1000 },
    tracedWrites: 3,
    traceAllSizes: true,
  },
};

/** Traced processes run two at a time: counts do not depend on timing, and this machine has two cores. */
export const PARALLEL_TRACES = 2;

/** The run's bench: its settings, over the run's subjects and sizes; resolved once (Suite.plan). */
export function planBench(ctx: PlanContext, options: BenchOptions): BenchPlan {
  return { settings: resolveBenchSettings(ctx.profile, options), subjects: ctx.subjects, sizes: ctx.sizes };
}

/** The suite's parsed options folded into the profile's sampling plan. */
export function resolveBenchSettings(profile: Profile, options: BenchOptions): BenchSettings {
  const plan: SamplingPlan = { ...SAMPLING_PLANS[profile] };
  if (options.samples !== undefined) plan.fixedSamples = options.samples;
  if (options.traceWrites !== undefined) plan.tracedWrites = options.traceWrites;
  return {
    scenarios: options.scenarios,
    engines: options.engine,
    modes: options.modes,
    plan,
    batch: batchShape(profile, options),
  };
}

/** The profile's batch shape with --batch-files, --batch-dirs and --samples (repetitions) folded in. */
export function batchShape(
  profile: Profile,
  options: Pick<BenchOptions, 'batchFiles' | 'batchDirs' | 'samples'>,
): BatchShape {
  const shape: BatchShape = { ...BATCH_SHAPES[profile] };
  if (options.batchFiles !== undefined) shape.files = options.batchFiles;
  if (options.batchDirs !== undefined) shape.dirs = options.batchDirs;
  if (options.samples !== undefined) shape.repetitions = options.samples;
  if (shape.dirs > shape.files)
    throw new InputError(
      `--batch-dirs: ${shape.dirs} directories for ${shape.files} files would leave some empty; ` +
        'give at most as many directories as files',
    );
  return shape;
}

/** The count `msPerRun` buys within `budget`. */
export function plannedCount(budget: SampleBudget, msPerRun: number): number {
  const fit = msPerRun > 0 ? Math.floor(budget.budgetMs / msPerRun) : budget.maxSamples;
  return Math.min(budget.maxSamples, Math.max(budget.minSamples, fit));
}

/** The budget of one subject's lines: a per-op command's own, else the plan's. */
export function lineBudget(plan: SamplingPlan, subject: Pick<WriterSubject, 'kind'>): SampleBudget {
  return subject.kind === 'command' ? plan.perOp : plan;
}

/** The count a pilot estimate buys within the line's budget (or --samples). */
export function plannedSamples(
  plan: SamplingPlan,
  subject: Pick<WriterSubject, 'kind'>,
  pilotMsPerWrite: number,
): number {
  return plan.fixedSamples ?? plannedCount(lineBudget(plan, subject), pilotMsPerWrite);
}

/** How a line's count was planned, for its `samples` row. */
export function countDetail(plan: SamplingPlan, subject: Pick<WriterSubject, 'kind'>): string {
  if (plan.fixedSamples !== undefined) return 'count fixed by --samples';
  const budget = lineBudget(plan, subject);
  const seconds = budget.budgetMs >= 1000 ? `${budget.budgetMs / 1000} s` : `${budget.budgetMs} ms`;
  return (
    `count planned for about ${seconds} of writes${subject.kind === 'command' ? ' (a process per write)' : ''}, ` +
    `within ${budget.minSamples}–${budget.maxSamples}`
  );
}

/** How many of `total` samples round `round` of `rounds` takes: as even as possible, summing to total. */
export function roundShare(total: number, rounds: number, round: number): number {
  return Math.floor((total * (round + 1)) / rounds) - Math.floor((total * round) / rounds);
}

/** The pilot's writes just went down the same path: the engine's own warm-up tops them up to the plan's. */
export function firstWarmup(plan: SamplingPlan, piloted: number): number {
  return piloted > 0 ? Math.max(1, plan.warmupIterations - piloted) : plan.warmupIterations;
}

/** The later rounds' warm-up: a third of the first round's. */
export function laterWarmup(plan: SamplingPlan): number {
  return Math.ceil(plan.warmupIterations / 3);
}

/** Every (size, mode) some subject supports, with the subjects that support it; sizes outermost. */
export function timingGroups(
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  modes: readonly WriteMode[],
): TimingGroup[] {
  const groups: TimingGroup[] = [];
  for (const size of sizes) {
    for (const mode of modes) {
      const supporting = subjects.filter((subject) => subject.modes.includes(mode));
      if (supporting.length) groups.push({ size, mode, subjects: supporting });
    }
  }
  return groups;
}

/**
 * The accounting pass's work: every (size, mode, subject) a subject supports, sizes outermost so
 * neighbours in time share a size. Counts do not depend on size (bytes scale with it), so unless the
 * plan traces every size only the smallest one is traced.
 */
export function tracedLines(
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  modes: readonly WriteMode[],
  plan: SamplingPlan,
): BenchLine[] {
  const traced = plan.traceAllSizes ? sizes : [Math.min(...sizes)];
  return timingGroups(subjects, traced, modes).flatMap((group) =>
    group.subjects.map((subject) => ({ subject, mode: group.mode, size: group.size })),
  );
}

/** A durable 1 KiB file costs about this much written alone (two syncs), and about half in a batch. */
const DURABLE_FILE_S = 0.002;
/** A traced one-shot process: about what a traced write costs in the write scenario (bench/work.ts). */
const TRACED_PROCESS_S = 0.8;

/**
 * The batch scenario's planned work for the whole-run ETA, in rough seconds on a two-core runner: its
 * timing pass (every subject's two ways, warm-up included) and its strace pass (each way traced).
 */
export function batchWork(subjects: number, shape: BatchShape, tracedRuns: number): { timing: number; trace: number } {
  const perRepetition = shape.files * DURABLE_FILE_S * 1.5;
  return {
    timing: subjects * (shape.repetitions + 1) * perRepetition,
    trace: subjects * 2 * tracedRuns * (TRACED_PROCESS_S + shape.files * DURABLE_FILE_S),
  };
}
