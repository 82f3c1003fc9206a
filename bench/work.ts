import type { WriterSubject } from '../core/subjects/types.js';
import {
  lineBudget,
  PARALLEL_TRACES,
  timingGroups,
  tracedLines,
  type BenchSettings,
  type SamplingPlan,
  type TimingGroup,
} from './plan.js';

/**
 * bench's planned work for the whole-run ETA, in rough seconds on a two-core runner. Only proportions
 * matter (the ETA scales them by the pace it measures); the constants come from quick runs on such a
 * runner: a line takes its budget, or its minimum sample count of writes when those take longer (8 MiB),
 * plus about 50 ms (pilot, warm-up, turns); a traced one-shot write about 0.8 s of one of the two
 * tracing jobs (a process started under strace).
 */
const LINE_OVERHEAD_S = 0.05;
const TRACED_WRITE_S = 0.8;

/** A process started per write (a per-op command) costs about this much before it writes a byte. */
const PROCESS_START_S = 0.015;

/** A write's rough time before any is measured: a fixed cost plus the payload at about 300 MiB/s. */
function assumedWriteS(sizeBytes: number, subject: Pick<WriterSubject, 'kind'>): number {
  return (subject.kind === 'command' ? PROCESS_START_S : 0.0005) + sizeBytes / (300 * 2 ** 20);
}

/**
 * One (size, mode) group sampled on one engine: each subject's line takes its own budget (a per-op command's is
 * longer).
 */
export function groupWork(group: TimingGroup, plan: SamplingPlan): number {
  return group.subjects.reduce((sum, subject) => {
    const write = assumedWriteS(group.size, subject);
    const budget = lineBudget(plan, subject);
    const line =
      plan.fixedSamples !== undefined
        ? plan.fixedSamples * write
        : Math.max(budget.budgetMs / 1000, budget.minSamples * write);
    return sum + line + LINE_OVERHEAD_S;
  }, 0);
}

/**
 * The noop calibration of each subject with a transport (about its budget; a round trip hits the count cap far
 * sooner).
 */
function calibrationWork(subjects: readonly WriterSubject[], plan: SamplingPlan): number {
  const commands = subjects.filter((subject) => subject.kind === 'command').length;
  const perSubject =
    plan.fixedSamples === undefined ? plan.calibration.budgetMs / 1000 : plan.fixedSamples * PROCESS_START_S;
  return commands * perSubject;
}

/** The strace pass over `jobs` lines. */
export function accountingWork(jobs: number, tracedWrites: number): number {
  return (jobs * tracedWrites * TRACED_WRITE_S) / PARALLEL_TRACES;
}

export function benchWork(
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  settings: BenchSettings,
): number {
  const distinct = [...new Set(sizes)];
  if (subjects.length === 0 || distinct.length === 0) return 0;
  const timing =
    timingGroups(subjects, distinct, settings.modes).reduce((sum, group) => sum + groupWork(group, settings.plan), 0) *
    settings.engines.length;
  const traced =
    settings.plan.tracedWrites > 0
      ? accountingWork(
          tracedLines(subjects, distinct, settings.modes, settings.plan).length,
          settings.plan.tracedWrites,
        )
      : 0;
  return calibrationWork(subjects, settings.plan) + timing + traced;
}
