import { performance } from 'node:perf_hooks';
import { mapPool } from '../core/pool.js';
import { runProcess } from '../core/process.js';
import { CRASH_MARKERS } from '../core/schema.js';
import { bundleSelfScripts } from '../core/self-script-bundle.js';
import type { SuiteContext } from '../core/suite.js';
import { toolVersion } from '../core/tools.js';
import { seccompFilterWorks } from '../core/trace/seccomp.js';
import type { WriterSubject } from '../core/subjects/types.js';
import { BATCH_SCENARIOS, NEEDS_STRACE, SCENARIOS, type ScenarioId } from './cases.js';
import { CrashRun, type CrashSettings } from './context.js';
import { runCommands } from './command/run.js';
import type { CommandSettings } from './types.js';
import { eligibleFor, EXCLUDED, isExcluded, planPooled, POOLED, sizesFor, type PooledTask } from './plan.js';
import { paceRows, profileRows, runTotalRows, skippedRow, trialRows } from './rows.js';
import { concurrent, casStale, concurrentCas } from './scenarios/concurrent.js';
import { planOverlap } from './scenarios/overlap.js';
import { runInjectedTask } from './scenarios/injected.js';
import { powerLoss } from './scenarios/power-loss.js';
import { batchPowerLoss } from './scenarios/batch-power-loss.js';
import { runBatchInjectedTask } from './scenarios/batch-injected.js';
import { randomKill } from './scenarios/random-kill.js';
import { FAULT_POINT_SCRIPT, faultPoint, lockRev, REV_WORKER_SCRIPT } from './scenarios/reference-only.js';
import { tinyFs } from './scenarios/tiny-fs.js';
import { crashImage, imageUnavailable } from './scenarios/crash-image.js';
import { mountTinyFs } from './tiny-fs.js';
import { aloneWork, pooledWork } from './work.js';

/** Why a writer is left out of the batch scenarios. */
const NO_BATCH_FORM =
  'it has no batch form (a writer takes many files in one call with a "batch" template, --batch-cmd, ' +
  'or a driver that answers write_batch)';

/** Subjects whose concurrent rounds run side by side when each round's overlap is forced. */
const FORCED_SUBJECTS_AT_ONCE = 2;

/** The self scripts crash spawns by the hundred: bundled once when running from source. */
const SELF_SCRIPTS = [
  'core/subjects/builtin-once.ts',
  'core/subjects/builtin-batch-once.ts',
  'core/subjects/driver-once.ts',
  FAULT_POINT_SCRIPT,
  REV_WORKER_SCRIPT,
];

/** strace missing, or present but unable to trace here (ptrace blocked): the reason, in one line. */
async function straceProblem(binary: string, selected: readonly ScenarioId[]): Promise<string | undefined> {
  const needing = NEEDS_STRACE.filter((id) => selected.includes(id));
  const skipped =
    needing.length > 1
      ? `${needing.slice(0, -1).join(', ')} and ${needing.at(-1)} are skipped (the other crash scenarios run)`
      : needing.length === 1
        ? `${needing[0]} is skipped (the other crash scenarios run)`
        : 'what it traces is skipped (the other crash scenarios run)';
  if (toolVersion(binary, ['-V']) === undefined) {
    return (
      `${binary === 'strace' ? 'strace not found on PATH' : `strace not found at ${binary}`}: ${skipped}; ` +
      `install strace (Debian/Ubuntu: apt-get install strace; Fedora: dnf install ` +
      `strace; Alpine: apk add strace)`
    );
  }
  const probe = await runProcess([binary, '-f', '-q', '-o', '/dev/null', '--', 'true'], { timeoutMs: 20_000 });
  if (probe.exitCode === 0) return undefined;
  const why = (probe.stderr.trim().split('\n')[0] ?? '') || `exit ${probe.exitCode}`;
  return `strace cannot trace here (${why}; ptrace may be blocked in this container): ${skipped}`;
}

export async function runCrash(ctx: SuiteContext, settings: CrashSettings): Promise<void> {
  if (settings.commands) {
    // A run with --command judges the commands: the writers and their scenarios are left out.
    await runCommandsOnly(ctx, settings, settings.commands);
    return;
  }
  const started = performance.now();
  for (const subject of ctx.subjects)
    if (isExcluded(subject))
      ctx.sink.add(skippedRow(CRASH_MARKERS.all, subject.name, EXCLUDED[subject.name] as string));
  const subjects = ctx.subjects.filter((subject) => !isExcluded(subject));
  // A batch scenario asked for: a writer without a batch form gets one row saying so, never a pass.
  for (const scenario of settings.scenarios.filter((id) => BATCH_SCENARIOS.includes(id)))
    for (const subject of subjects.filter((one) => one.batch === undefined))
      ctx.sink.add(skippedRow(scenario, subject.name, NO_BATCH_FORM));
  const traces = settings.scenarios.some((id) => NEEDS_STRACE.includes(id) || id === 'tiny_fs' || id === 'concurrent');
  const straceMissing = traces ? await straceProblem(settings.strace, settings.scenarios) : undefined;
  if (straceMissing) {
    const unforced = settings.scenarios.includes('concurrent')
      ? '; concurrent rounds run without holding the writers so they overlap, and say so'
      : '';
    ctx.progress.note(`crash: ${straceMissing}${unforced}`);
    for (const id of NEEDS_STRACE) if (settings.scenarios.includes(id)) ctx.sink.add(skippedRow(id, '', straceMissing));
  }
  const release = await bundleSelfScripts(ctx.workspace.dir('crash', 'bundle'), SELF_SCRIPTS);
  const run = new CrashRun(
    ctx,
    settings,
    straceMissing,
    traces && straceMissing === undefined && (await seccompFilterWorks(settings.strace)),
  );
  try {
    const runnable = settings.scenarios.filter(
      (scenario) => !(straceMissing && NEEDS_STRACE.includes(scenario)) && eligibleFor(scenario, subjects).length > 0,
    );
    const pooled = runnable.filter((scenario) => POOLED.includes(scenario));
    if (pooled.length > 0) await runPooled(run, pooled, subjects);
    for (const scenario of runnable.filter((id) => !POOLED.includes(id))) {
      const scenarioStart = performance.now();
      await runAlone(run, scenario, eligibleFor(scenario, subjects), sizesFor(scenario, ctx.sizes, settings));
      ctx.progress.finish();
      addPace(run, scenario, (performance.now() - scenarioStart) / 1000);
    }
  } finally {
    release();
  }
  ctx.sink.addAll(trialRows(run.trials));
  for (const subject of subjects) ctx.sink.addAll(profileRows(subject.name, run.factsFor(subject), straceMissing));
  ctx.sink.addAll(runTotalRows((performance.now() - started) / 1000, run.trials.attempts, settings.jobs));
}

async function runCommandsOnly(ctx: SuiteContext, settings: CrashSettings, commands: CommandSettings): Promise<void> {
  const started = performance.now();
  const straceMissing = await straceProblem(settings.strace, settings.scenarios);
  if (straceMissing) {
    ctx.progress.note(`crash: ${straceMissing}`);
    for (const command of commands.subjects) ctx.sink.add(skippedRow('power_loss', command.name, straceMissing));
    return;
  }
  const run = new CrashRun(ctx, settings, undefined, await seccompFilterWorks(settings.strace));
  await runCommands(run, commands);
  addPace(run, 'power_loss', (performance.now() - started) / 1000);
}

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
    case 'batch_power_loss':
      return batchPowerLoss(run, task.subject, task.size);
    case 'batch_kill_at_step':
    case 'batch_inject_error':
      return runBatchInjectedTask(run, task);
  }
}

/** Runs the pooled scenarios' tasks on the run's jobs, then their pace rows (each scenario's span of the pool). */
export async function runPooled(
  run: CrashRun,
  scenarios: readonly ScenarioId[],
  subjects: readonly WriterSubject[],
): Promise<void> {
  const tasks = planPooled(scenarios, subjects, run.ctx.sizes, run.settings);
  const spans = new Map<ScenarioId, { start: number; end: number }>();
  run.ctx.progress.start(`crash ${scenarios.join(', ')}`, tasks.length, pooledWork(tasks, run.settings));
  await mapPool(tasks, run.settings.jobs, async (task) => {
    const start = performance.now();
    await runPooledTask(run, task);
    const span = spans.get(task.scenario);
    spans.set(task.scenario, { start: Math.min(span?.start ?? start, start), end: performance.now() });
    run.ctx.progress.tick();
  });
  run.ctx.progress.finish();
  const overlap =
    scenarios.length > 1 ? `sharing ${run.settings.jobs} jobs with ${scenarios.length - 1} other scenario(s)` : '';
  for (const scenario of scenarios) {
    const span = spans.get(scenario);
    if (span) addPace(run, scenario, (span.end - span.start) / 1000, overlap);
  }
}

/** The scenarios that run alone: K writers racing, or a mounted tiny file system. */
export async function runAlone(
  run: CrashRun,
  scenario: ScenarioId,
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
): Promise<void> {
  const { ctx, settings } = run;
  const units = subjects.flatMap((subject) => sizes.map((size) => ({ subject, size })));
  const label = `crash ${scenario}`;
  const work = aloneWork(scenario, subjects, sizes, settings);
  switch (scenario) {
    case 'concurrent': {
      ctx.progress.start(label, units.length * settings.plan.rounds, work);
      const planned = await mapPool(units, settings.jobs, async (unit) => ({
        ...unit,
        plan: await planOverlap(run, unit.subject, unit.size),
      }));
      // A forced round holds every writer until all have created their temp, so another subject's
      // round beside it cannot spoil the overlap; an unforced round relies on timing and runs alone.
      await mapPool(
        planned.filter((unit) => unit.plan.forced),
        FORCED_SUBJECTS_AT_ONCE,
        ({ subject, size, plan }) => concurrent(run, subject, size, plan),
      );
      await mapPool(
        planned.filter((unit) => !unit.plan.forced),
        1,
        ({ subject, size, plan }) => concurrent(run, subject, size, plan),
      );
      return;
    }
    case 'cas_stale':
    case 'concurrent_cas':
      ctx.progress.start(label, units.length, work);
      await mapPool(units, 1, ({ subject, size }) =>
        scenario === 'cas_stale' ? casStale(run, subject, size) : concurrentCas(run, subject, size),
      );
      return;
    case 'lock_rev':
      ctx.progress.start(label, subjects.length, work);
      for (const subject of subjects) await lockRev(run, subject);
      return;
    case 'crash_image': {
      const unavailable = imageUnavailable(run);
      if (unavailable) {
        ctx.progress.note(`crash: crash_image skipped: ${unavailable}`);
        ctx.sink.add(skippedRow('crash_image', '', unavailable));
        return;
      }
      ctx.progress.start(label, units.length, work);
      // One at a time: an image is a copy of the whole device, which other writers would be changing.
      await mapPool(units, 1, ({ subject, size }) => crashImage(run, subject, size));
      return;
    }
    case 'tiny_fs': {
      const fsMount = await mountTinyFs(ctx.workspace, ctx.trials);
      if ('skipped' in fsMount) {
        ctx.progress.note(`crash: tiny_fs skipped: ${fsMount.skipped}`);
        ctx.sink.add(skippedRow('tiny_fs', '', fsMount.skipped));
        return;
      }
      try {
        ctx.progress.start(label, subjects.length, work);
        for (const subject of subjects) await tinyFs(run, subject, fsMount);
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
      run.ctx.progress.note(
        `crash: WARNING ${scenario} for ${subject}: ${missed} of ${reached + missed} trials ` +
          `did not reach their step (${SCENARIOS[scenario]}); its figures rest on ${reached} trial(s)`,
      );
    }
  }
}
