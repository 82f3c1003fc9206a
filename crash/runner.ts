import { performance } from 'node:perf_hooks';
import { mapPool } from '../core/pool.js';
import { runProcess } from '../core/process.js';
import { METRICS } from '../core/schema.js';
import { bundleSelfScripts } from '../core/self-script-bundle.js';
import type { SuiteContext } from '../core/suite.js';
import type { WriterSubject } from '../core/subjects/types.js';
import { toolVersion } from '../core/tools.js';
import { NEEDS_STRACE, pickSizes, REFERENCE_ONLY, SCENARIOS, type ScenarioId } from './cases.js';
import { CrashRun, type CrashSettings } from './context.js';
import { describeProfile, fixedTempRow } from './syscall-profile.js';
import { concurrent, casStale, concurrentCas } from './scenarios/concurrent.js';
import { injectedTasks, runInjectedTask } from './scenarios/injected.js';
import { powerLoss } from './scenarios/power-loss.js';
import { randomKill } from './scenarios/random-kill.js';
import { FAULT_POINT_SCRIPT, faultPoint, faultPointTasks, lockRev, REV_WORKER_SCRIPT } from './scenarios/reference-only.js';
import { tinyFs } from './scenarios/tiny-fs.js';
import { mountTinyFs } from './tiny-fs.js';

/** Why a subject is left out of crash. */
const EXCLUDED: Record<string, string> = {
  floor: 'floor is a timing baseline with no error handling or cleanup by design; crash-testing it would only restate that',
};

/** The self scripts crash spawns by the hundred: bundled once when running from source. */
const SELF_SCRIPTS = ['core/subjects/builtin-once.ts', 'core/subjects/driver-once.ts', FAULT_POINT_SCRIPT, REV_WORKER_SCRIPT];

function isReference(subject: WriterSubject): boolean {
  return subject.kind === 'builtin' && subject.name === 'reference';
}

/** strace missing, or present but unable to trace here (ptrace blocked): the reason, in one line. */
async function straceProblem(binary: string): Promise<string | undefined> {
  const skipped = `${NEEDS_STRACE.slice(0, -1).join(', ')} and ${NEEDS_STRACE.at(-1)} are skipped (the other crash scenarios run)`;
  if (toolVersion(binary, ['-V']) === undefined) {
    return `${binary === 'strace' ? 'strace not found on PATH' : `strace not found at ${binary}`}: ${skipped}; install strace (Debian/Ubuntu: apt-get install strace; Fedora: dnf install strace; Alpine: apk add strace)`;
  }
  const probe = await runProcess([binary, '-f', '-q', '-o', '/dev/null', '--', 'true'], { timeoutMs: 20_000 });
  if (probe.exitCode === 0) return undefined;
  const why = (probe.stderr.trim().split('\n')[0] ?? '') || `exit ${probe.exitCode}`;
  return `strace cannot trace here (${why}; ptrace may be blocked in this container): ${skipped}`;
}

export async function runCrash(ctx: SuiteContext, settings: CrashSettings): Promise<void> {
  const started = performance.now();
  const skip = (scenario: string, subject: string, reason: string): void => {
    ctx.sink.add({ suite: 'crash', scenario, subject, metric: METRICS.skipped, value: 1, unit: 'count', detail: reason });
  };
  for (const subject of ctx.subjects) {
    const reason = EXCLUDED[subject.name];
    if (subject.kind === 'builtin' && reason) skip('all', subject.name, reason);
  }
  const subjects = ctx.subjects.filter((subject) => !(subject.kind === 'builtin' && EXCLUDED[subject.name]));
  const straceMissing = [...NEEDS_STRACE, 'tiny_fs', 'concurrent'].some((id) => settings.scenarios.includes(id as ScenarioId)) ? await straceProblem(settings.strace) : undefined;
  if (straceMissing) {
    const unforced = settings.scenarios.includes('concurrent') ? '; concurrent rounds run without holding the writers so they overlap, and say so' : '';
    ctx.progress.note(`crash: ${straceMissing}${unforced}`);
    for (const id of NEEDS_STRACE) if (settings.scenarios.includes(id)) skip(id, '', straceMissing);
  }
  const release = await bundleSelfScripts(ctx.workspace.dir('crash', 'bundle'), SELF_SCRIPTS);
  const run = new CrashRun(ctx, settings, straceMissing);
  try {
    const runnable = settings.scenarios.filter((scenario) => !(straceMissing && NEEDS_STRACE.includes(scenario)) && eligibleFor(scenario, subjects).length > 0);
    const pooled = runnable.filter((scenario) => POOLED.includes(scenario));
    if (pooled.length > 0) await runPooled(run, pooled, subjects);
    for (const scenario of runnable.filter((id) => !POOLED.includes(id))) {
      const scenarioStart = performance.now();
      await runScenario(run, scenario, eligibleFor(scenario, subjects), sizesFor(scenario, ctx.sizes, settings), skip);
      ctx.progress.finish();
      addPace(run, scenario, (performance.now() - scenarioStart) / 1000);
    }
  } finally {
    release();
  }
  ctx.sink.addAll(run.tally.rows());
  for (const subject of subjects) {
    const profile = describeProfile(run.factsFor(subject));
    ctx.sink.add({
      suite: 'crash',
      scenario: 'profile',
      subject: subject.name,
      mode: 'durable',
      metric: METRICS.syscallProfile,
      value: profile ? profile.gaps.length : null,
      unit: 'durability gaps',
      engine: 'strace',
      detail: profile?.text ?? (straceMissing ? `no trace: ${straceMissing}` : 'no fault-free trace was recorded (kill_at_step and inject_error did not run)'),
    });
    const fixedTemp = fixedTempRow(run.factsFor(subject));
    if (fixedTemp) ctx.sink.add({ suite: 'crash', scenario: 'profile', subject: subject.name, mode: 'durable', engine: 'strace', ...fixedTemp });
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.sink.add({ suite: 'crash', scenario: 'all', subject: '', metric: METRICS.wallSeconds, value: seconds, unit: 's' });
  ctx.sink.add({ suite: 'crash', scenario: 'all', subject: '', metric: METRICS.trialsPerSecond, value: run.tally.attempts / seconds, unit: 'trials/s', detail: `${run.tally.attempts} trials in ${seconds.toFixed(1)} s, ${settings.jobs} at once` });
}

function eligibleFor(scenario: ScenarioId, subjects: readonly WriterSubject[]): WriterSubject[] {
  return REFERENCE_ONLY.includes(scenario) ? subjects.filter(isReference) : [...subjects];
}

/** A scenario's wall time and pace rows, and a visible warning when most of its trials missed. */
function addPace(run: CrashRun, scenario: ScenarioId, seconds: number, overlap = ''): void {
  const attempts = run.tally.records.filter((record) => record.scenario === scenario).length;
  run.ctx.sink.add({ suite: 'crash', scenario, subject: '', metric: METRICS.wallSeconds, value: seconds, unit: 's', detail: overlap });
  run.ctx.sink.add({ suite: 'crash', scenario, subject: '', metric: METRICS.trialsPerSecond, value: seconds > 0 ? attempts / seconds : null, unit: 'trials/s', detail: `${attempts} trials (reached or not) in ${seconds.toFixed(1)} s${overlap ? `, ${overlap}` : ''}` });
  warnIfMostlyNotReached(run, scenario);
}

/**
 * Scenarios whose trials each own a directory and need no quiet machine share one pool, so the
 * jobs stay busy across scenario boundaries: a writer that retries a persistent fault for seconds
 * (atomically retries EACCES for 7.5 s) overlaps everything else instead of holding up a scenario
 * on its own. The others run alone, in order: they race K writers at once or mount a file system.
 */
const POOLED: readonly ScenarioId[] = ['kill_at_step', 'inject_error', 'fault_point', 'random_kill', 'power_loss'];

interface PoolTask {
  scenario: ScenarioId;
  /** Longer tasks start first, so the pool does not end on one long task with the other jobs idle. */
  expectedLength: number;
  execute: () => Promise<void>;
}

function poolTasks(run: CrashRun, scenario: ScenarioId, subjects: readonly WriterSubject[]): PoolTask[] {
  const units = subjects.flatMap((subject) => sizesFor(scenario, run.ctx.sizes, run.settings).map((size) => ({ subject, size })));
  switch (scenario) {
    case 'kill_at_step':
    case 'inject_error':
      return injectedTasks(scenario, units).map((task) => ({
        scenario,
        expectedLength: typeof task.step !== 'string' && task.step.persistent ? 3 : 1,
        execute: () => runInjectedTask(run, task),
      }));
    case 'fault_point':
      return faultPointTasks(units).map(({ subject, size, point }) => ({ scenario, expectedLength: 0, execute: () => faultPoint(run, subject, size, point) }));
    case 'random_kill':
      return units.map(({ subject, size }) => ({ scenario, expectedLength: 2, execute: () => randomKill(run, subject, size) }));
    case 'power_loss':
      // After the injected tasks of the same writer and size, whose recordings it reads.
      return units.map(({ subject, size }) => ({ scenario, expectedLength: -1, execute: () => powerLoss(run, subject, size) }));
    default:
      throw new Error(`crash: ${scenario} is not a pooled scenario`);
  }
}

async function runPooled(run: CrashRun, scenarios: readonly ScenarioId[], subjects: readonly WriterSubject[]): Promise<void> {
  const tasks = scenarios.flatMap((scenario) => poolTasks(run, scenario, eligibleFor(scenario, subjects))).sort((a, b) => b.expectedLength - a.expectedLength);
  const spans = new Map<ScenarioId, { start: number; end: number }>();
  run.ctx.progress.start(`crash ${scenarios.join(', ')}`, tasks.length);
  await mapPool(tasks, run.settings.jobs, async (task) => {
    const start = performance.now();
    await task.execute();
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

function sizesFor(scenario: ScenarioId, sizes: readonly number[], settings: CrashSettings): number[] {
  const pick = scenario === 'random_kill' ? settings.plan.sizes.randomKill : scenario === 'concurrent' || scenario === 'concurrent_cas' || scenario === 'cas_stale' ? settings.plan.sizes.concurrent : settings.plan.sizes.injected;
  return pickSizes(sizes, pick);
}

/** The scenarios that run alone: K writers racing, or a mounted tiny file system. */
async function runScenario(run: CrashRun, scenario: ScenarioId, subjects: readonly WriterSubject[], sizes: readonly number[], skip: (scenario: string, subject: string, reason: string) => void): Promise<void> {
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
        skip('tiny_fs', '', fsMount.skipped);
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

/** A scenario whose trials mostly missed their step fails loudly: a visible line, besides its gate. */
function warnIfMostlyNotReached(run: CrashRun, scenario: ScenarioId): void {
  const bySubject = new Map<string, { reached: number; missed: number }>();
  for (const record of run.tally.records) {
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
