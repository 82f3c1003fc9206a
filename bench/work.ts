import type { WriterSubject } from '../core/subjects/types.js';
import { PARALLEL_TRACES, timingGroups, tracedLines, type BenchSettings, type SamplingPlan, type TimingGroup } from './plan.js';

/**
 * bench's planned work for the whole-run ETA, in rough seconds on a two-core runner. Only proportions
 * matter (the ETA scales them by the pace it measures); the constants come from quick runs on such a
 * runner: a line takes its budget, or its minimum sample count of writes when those take longer (8 MiB),
 * plus about 50 ms (pilot, warm-up, turns); a traced one-shot write about 0.8 s of one of the two
 * tracing jobs (a process started under strace).
 */
const LINE_OVERHEAD_S = 0.05;
const TRACED_WRITE_S = 0.8;

/** A write's rough time before any is measured: a fixed cost plus the payload at about 300 MiB/s. */
function assumedWriteS(sizeBytes: number): number {
  return 0.0005 + sizeBytes / (300 * 2 ** 20);
}

/** One (size, mode) group sampled on one engine. */
export function groupWork(group: TimingGroup, plan: SamplingPlan): number {
  const write = assumedWriteS(group.size);
  const line = plan.fixedSamples !== undefined ? plan.fixedSamples * write : Math.max(plan.budgetMs / 1000, plan.minSamples * write);
  return group.subjects.length * (line + LINE_OVERHEAD_S);
}

/** The strace pass over `jobs` lines. */
export function accountingWork(jobs: number, tracedWrites: number): number {
  return (jobs * tracedWrites * TRACED_WRITE_S) / PARALLEL_TRACES;
}

export function benchWork(subjects: readonly WriterSubject[], sizes: readonly number[], settings: BenchSettings): number {
  const distinct = [...new Set(sizes)];
  if (subjects.length === 0 || distinct.length === 0) return 0;
  const timing = timingGroups(subjects, distinct, settings.modes).reduce((sum, group) => sum + groupWork(group, settings.plan), 0) * settings.engines.length;
  const traced = settings.plan.tracedWrites > 0 ? accountingWork(tracedLines(subjects, distinct, settings.modes, settings.plan).length, settings.plan.tracedWrites) : 0;
  return timing + traced;
}
