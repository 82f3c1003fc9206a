import { METRICS, type RowInput } from '../core/schema.js';
import { InputError } from '../core/errors.js';
import type { SuiteContext } from '../core/suite.js';
import { straceUnavailableReason } from '../core/tools.js';
import { runAccounting, type AccountingJob } from './accounting.js';
import { monotonicClock, type Clock } from './clock.js';
import type { BenchSettings } from './options.js';
import { PayloadStore } from './payloads.js';
import { runTiming, timingScenarios } from './timing.js';

/** Seams for tests: a clock that moves only when told to, a pretend-missing strace. */
export interface BenchDeps {
  clock?: Clock;
  straceUnavailable?: () => string | undefined;
}

/**
 * The bench suite: a timing pass (every subject × mode × size on the chosen engines), then a
 * separate accounting pass (strace on one-shot writes). Rows go to ctx.sink as they are made.
 */
export async function runBench(ctx: SuiteContext, settings: BenchSettings, deps: BenchDeps = {}): Promise<void> {
  if (ctx.subjects.length === 0) throw new InputError('bench: no writer subjects to bench (check --subjects and the config\'s builtins)');
  if (ctx.sizes.length === 0) throw new InputError('bench: no payload sizes (check --sizes)');
  const sizes = [...new Set(ctx.sizes)];
  const emit = (rows: readonly RowInput[]): void => ctx.sink.addAll(rows);
  const payloads = new PayloadStore(ctx.workspace.dir('bench', 'payloads'), ctx.seed);
  await runTiming({
    dir: ctx.workspace.dir('bench', 'timing'),
    subjects: ctx.subjects,
    sizes,
    modes: settings.modes,
    engines: settings.engines,
    plan: settings.plan,
    clock: deps.clock ?? monotonicClock,
    payloads,
    progress: ctx.progress,
    emit,
  });
  if (settings.plan.tracedWrites === 0) return;
  const unavailable = (deps.straceUnavailable ?? straceUnavailableReason)();
  if (unavailable) {
    // Reached only under --skip-unavailable (the CLI refuses a run that needs strace without it).
    ctx.progress.note(`bench: ${unavailable} (fsync_count, rename_count, bytes_written, write_amplification rows are not written; timings are)`);
    emit([{ suite: 'bench', scenario: 'accounting', subject: '', metric: METRICS.skipped, value: 1, unit: 'count', detail: unavailable }]);
    return;
  }
  // Counts do not depend on size; bytes scale with it. quick traces the smallest size only.
  const traced = settings.plan.traceAllSizes ? sizes : [Math.min(...sizes)];
  const jobs: AccountingJob[] = timingScenarios(ctx.subjects, traced, settings.modes).map((scenario) => ({
    ...scenario,
    payloads: payloads.forSize(scenario.size),
  }));
  emit(await runAccounting(jobs, { dir: ctx.workspace.dir('bench', 'trace'), tracedWrites: settings.plan.tracedWrites, progress: ctx.progress }));
}
