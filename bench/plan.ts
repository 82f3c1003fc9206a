import type { Profile } from '../core/profile.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import type { BenchOptions } from './options.js';
import type { BenchLine, BenchPlan, BenchSettings, SampleBudget, SamplingPlan, TimingGroup } from './types.js';
import type { PlanContext } from '../core/suite.js';

export type { BenchLine, BenchPlan, BenchSettings, SampleBudget, SamplingPlan, TimingGroup } from './types.js';

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
  return { engines: options.engine, modes: options.modes, plan };
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
