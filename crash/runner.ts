import { performance } from 'node:perf_hooks';
import { mapPool } from '../core/pool.js';
import type { WriterSubject } from '../core/subjects/types.js';
import { SCENARIOS, type ScenarioId } from './cases.js';
import type { CrashRun } from './context.js';
import { planPooled, type PooledTask } from './plan.js';
import { paceRows, skippedRow } from './rows.js';
import { concurrent, casStale, concurrentCas } from './scenarios/concurrent.js';
import { runInjectedTask } from './scenarios/injected.js';
import { powerLoss } from './scenarios/power-loss.js';
import { randomKill } from './scenarios/random-kill.js';
import { faultPoint, lockRev } from './scenarios/reference-only.js';
import { tinyFs } from './scenarios/tiny-fs.js';
import { mountTinyFs } from './tiny-fs.js';

/** Runs one task of the shared pool: the scenario's trials for one subject and size (and step). */
export async function runPooledTask(run: CrashRun, task: PooledTask): Promise<void> {
  switch (task.scenario) {
    case 'kill_at_step':
    case 'inject_error':
      return runInjectedTask(run, task);
    case 'fault_point':
      return faultPoint(run, task.subject, task.size, task.point);
    case 'random_kill':
      return randomKill(run, task.subject, task.size);
    case 'power_loss':
      return powerLoss(run, task.subject, task.size);
  }
}

/** Runs the pooled scenarios' tasks on the run's jobs, then their pace rows (each scenario's span of the pool). */
export async function runPooled(run: CrashRun, scenarios: readonly ScenarioId[], subjects: readonly WriterSubject[]): Promise<void> {
  const tasks = planPooled(scenarios, subjects, run.ctx.sizes, run.settings);
  const spans = new Map<ScenarioId, { start: number; end: number }>();
  run.ctx.progress.start(`crash ${scenarios.join(', ')}`, tasks.length);
  await mapPool(tasks, run.settings.jobs, async (task) => {
    const start = performance.now();
    await runPooledTask(run, task);
    const span = spans.get(task.scenario);
    spans.set(task.scenario, { start: Math.min(span?.start ?? start, start), end: performance.now() });
    run.ctx.progress.tick();
  });
  run.ctx.progress.finish();
  const overlap = scenarios.length > 1 ? `sharing ${run.settings.jobs} jobs with ${scenarios.length - 1} other scenario(s)` : '';
  for (const scenario of scenarios) {
    const span = spans.get(scenario);
    if (span) addPace(run, scenario, (span.end - span.start) / 1000, overlap);
  }
}

/** The scenarios that run alone: K writers racing, or a mounted tiny file system. */
export async function runAlone(run: CrashRun, scenario: ScenarioId, subjects: readonly WriterSubject[], sizes: readonly number[]): Promise<void> {
  const { ctx, settings } = run;
  const units = subjects.flatMap((subject) => sizes.map((size) => ({ subject, size })));
  const label = `crash ${scenario}`;
  switch (scenario) {
    case 'concurrent':
      // Rounds already run K writers at once; one subject at a time keeps K meaningful.
      ctx.progress.start(label, units.length * settings.plan.rounds);
      await mapPool(units, 1, ({ subject, size }) => concurrent(run, subject, size));
      return;
    case 'cas_stale':
    case 'concurrent_cas':
      ctx.progress.start(label, units.length);
      await mapPool(units, 1, ({ subject, size }) => (scenario === 'cas_stale' ? casStale(run, subject, size) : concurrentCas(run, subject, size)));
      return;
    case 'lock_rev':
      ctx.progress.start(label, subjects.length);
      for (const subject of subjects) await lockRev(run, subject);
      return;
    case 'tiny_fs': {
      const fsMount = await mountTinyFs(ctx.workspace);
      if ('skipped' in fsMount) {
        ctx.progress.note(`crash: tiny_fs skipped: ${fsMount.skipped}`);
        ctx.sink.add(skippedRow('tiny_fs', '', fsMount.skipped));
        return;
      }
      try {
        ctx.progress.start(label, subjects.length);
        for (const subject of subjects) await tinyFs(run, subject, fsMount.dir);
      } finally {
        fsMount.unmount();
      }
      return;
    }
    default:
      throw new Error(`crash: ${scenario} runs in the pool`);
  }
}

/** A scenario's wall time and pace rows, and a visible warning when most of its trials missed. */
export function addPace(run: CrashRun, scenario: ScenarioId, seconds: number, overlap = ''): void {
  const attempts = run.trials.records.filter((record) => record.scenario === scenario).length;
  run.ctx.sink.addAll(paceRows(scenario, seconds, attempts, overlap));
  warnIfMostlyNotReached(run, scenario);
}

/** A scenario whose trials mostly missed their step fails loudly: a visible line, besides its gate. */
function warnIfMostlyNotReached(run: CrashRun, scenario: ScenarioId): void {
  const bySubject = new Map<string, { reached: number; missed: number }>();
  for (const record of run.trials.records) {
    if (record.scenario !== scenario) continue;
    const entry = bySubject.get(record.subject) ?? { reached: 0, missed: 0 };
    if (record.notReached !== undefined) entry.missed += 1;
    else entry.reached += 1;
    bySubject.set(record.subject, entry);
  }
  for (const [subject, { reached, missed }] of bySubject) {
    if (missed > reached) {
      run.ctx.progress.note(`crash: WARNING ${scenario} for ${subject}: ${missed} of ${reached + missed} trials did not reach their step (${SCENARIOS[scenario]}); its figures rest on ${reached} trial(s)`);
    }
  }
}
