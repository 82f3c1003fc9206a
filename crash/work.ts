import type { WriterSubject } from '../core/subjects/types.js';
import type { ScenarioId } from './cases.js';
import type { CrashSettings } from './context.js';
import { eligibleFor, isExcluded, planPooled, POOLED, sizesFor, type PooledTask } from './plan.js';

/**
 * crash's planned work for the whole-run ETA, in rough seconds on a two-core runner. Only proportions
 * matter (the ETA scales them by the pace it measures); the constants are the middle of quick crash
 * runs on such a runner: a trial (a writer process under strace, killed or failed at its step, then
 * checked) takes about 0.9 s of one job, a random kill about 0.3 s, a power-loss task (trace, then
 * every crash state checked) about 2.5 s, a round of K racing writers about 2.2 s, a compare-and-swap
 * trial 0.3 s, the lock round 1 s and a tiny-file-system trial 0.3 s.
 */
const TRIAL_S = 0.9;
const RANDOM_KILL_S = 0.3;
const POWER_LOSS_S = 2.5;
const CONCURRENT_ROUND_S = 2.2;
const CAS_TRIAL_S = 0.3;
const LOCK_REV_S = 1;
const TINY_FS_TRIAL_S = 0.3;
/** crash_image: seven held writers per subject and size, each with a device copied, mounted and read. */
const CRASH_IMAGE_S = 7 * 0.6;

function taskWork(task: PooledTask, settings: CrashSettings): number {
  switch (task.scenario) {
    case 'kill_at_step':
    case 'inject_error':
    case 'fault_point':
      return settings.plan.trialsPerStep * TRIAL_S;
    case 'random_kill':
      return settings.plan.randomKills * RANDOM_KILL_S;
    case 'power_loss':
    case 'batch_power_loss':
      return POWER_LOSS_S;
    case 'batch_kill_at_step':
    case 'batch_inject_error':
      // A trial here is a batch, then a recovery batch: about twice a single write's trial.
      return settings.plan.trialsPerStep * 2 * TRIAL_S;
  }
}

/** The shared pool: its tasks' work spread over the jobs. */
export function pooledWork(tasks: readonly PooledTask[], settings: CrashSettings): number {
  return tasks.reduce((sum, task) => sum + taskWork(task, settings), 0) / Math.max(1, settings.jobs);
}

/** A scenario that runs alone, over the subjects and sizes it runs. */
export function aloneWork(
  scenario: ScenarioId,
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  settings: CrashSettings,
): number {
  const units = subjects.length * sizes.length;
  switch (scenario) {
    case 'concurrent':
      return units * settings.plan.rounds * CONCURRENT_ROUND_S;
    case 'cas_stale':
    case 'concurrent_cas':
      return units * settings.plan.casTrials * CAS_TRIAL_S;
    case 'lock_rev':
      return subjects.length * LOCK_REV_S;
    case 'tiny_fs':
      return subjects.length * settings.plan.tinyFsTrials * TINY_FS_TRIAL_S;
    case 'crash_image':
      return units * CRASH_IMAGE_S;
    default:
      return 0;
  }
}

/**
 * The whole suite as runCrash plans it (assuming strace works: if not, the skipped part counts as done when crash
 * ends).
 */
export function crashWork(
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  settings: CrashSettings,
): number {
  // With --command only the commands run: per command, its two models' budgets bound the time.
  if (settings.commands) return settings.commands.subjects.length * 2 * (settings.commands.budgetMs / 1000);
  const eligible = subjects.filter((subject) => !isExcluded(subject));
  const runnable = settings.scenarios.filter((scenario) => eligibleFor(scenario, eligible).length > 0);
  const pooled = runnable.filter((scenario) => POOLED.includes(scenario));
  const alone = runnable.filter((scenario) => !POOLED.includes(scenario));
  return (
    (pooled.length ? pooledWork(planPooled(pooled, eligible, sizes, settings), settings) : 0) +
    alone.reduce(
      (sum, scenario) =>
        sum + aloneWork(scenario, eligibleFor(scenario, eligible), sizesFor(scenario, sizes, settings), settings),
      0,
    )
  );
}
