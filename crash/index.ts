import { performance } from 'node:perf_hooks';
import { runProcess } from '../core/process.js';
import { CRASH_MARKERS } from '../core/schema.js';
import { bundleSelfScripts } from '../core/self-script-bundle.js';
import type { Suite, SuiteContext } from '../core/suite.js';
import { toolVersion } from '../core/tools.js';
import { NEEDS_STRACE, type ScenarioId } from './cases.js';
import { CrashRun, type CrashSettings } from './context.js';
import { eligibleFor, EXCLUDED, isExcluded, POOLED, sizesFor } from './plan.js';
import { profileRows, runTotalRows, skippedRow, trialRows } from './rows.js';
import { addPace, runAlone, runPooled } from './runner.js';
import { FAULT_POINT_SCRIPT, REV_WORKER_SCRIPT } from './scenarios/reference-only.js';
import { CRASH_OPTIONS, crashOptionsSchema, resolveCrashSettings, type CrashOptions } from './options.js';

/**
 * `writegate crash`: durability under kills, I/O errors, races and power loss, and a hostile environment, for any
 * writer subject. Kills at every step of the write path and injects I/O errors with strace (each
 * trial checked against its own trace), real ENOSPC on a tiny tmpfs, random kills in a stress
 * loop, concurrent writers, and the reference writer's CAS, lock and in-process fault points.
 */
export const crashSuite: Suite<CrashOptions> = {
  name: 'crash',
  summary:
    'kill each write-path step (strace, verified per trial), inject I/O errors, real ENOSPC on a tiny tmpfs, random kills, concurrent writers; the floor baseline is excluded (no cleanup by design)',
  options: CRASH_OPTIONS,
  optionsSchema: crashOptionsSchema,
  preflight(ctx, options) {
    const settings = resolveCrashSettings(ctx.profile, options);
    // tiny_fs traces its writes when it runs, and it runs only as root.
    const tracing = (id: ScenarioId) => NEEDS_STRACE.includes(id) || (id === 'tiny_fs' && process.getuid?.() === 0);
    const needing = settings.scenarios.filter(tracing);
    return needing.length ? [{ tool: 'strace', binary: settings.strace, purpose: `crash ${needing.join(', ')}` }] : [];
  },
  async run(ctx, options) {
    await runCrash(ctx, resolveCrashSettings(ctx.profile, options));
  },
};

/** The self scripts crash spawns by the hundred: bundled once when running from source. */
const SELF_SCRIPTS = ['core/subjects/builtin-once.ts', 'core/subjects/driver-once.ts', FAULT_POINT_SCRIPT, REV_WORKER_SCRIPT];

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
  for (const subject of ctx.subjects) if (isExcluded(subject)) ctx.sink.add(skippedRow(CRASH_MARKERS.all, subject.name, EXCLUDED[subject.name] as string));
  const subjects = ctx.subjects.filter((subject) => !isExcluded(subject));
  const straceMissing = [...NEEDS_STRACE, 'tiny_fs', 'concurrent'].some((id) => settings.scenarios.includes(id as ScenarioId)) ? await straceProblem(settings.strace) : undefined;
  if (straceMissing) {
    const unforced = settings.scenarios.includes('concurrent') ? '; concurrent rounds run without holding the writers so they overlap, and say so' : '';
    ctx.progress.note(`crash: ${straceMissing}${unforced}`);
    for (const id of NEEDS_STRACE) if (settings.scenarios.includes(id)) ctx.sink.add(skippedRow(id, '', straceMissing));
  }
  const release = await bundleSelfScripts(ctx.workspace.dir('crash', 'bundle'), SELF_SCRIPTS);
  const run = new CrashRun(ctx, settings, straceMissing);
  try {
    const runnable = settings.scenarios.filter((scenario) => !(straceMissing && NEEDS_STRACE.includes(scenario)) && eligibleFor(scenario, subjects).length > 0);
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
