import type { WritegateConfig } from './config.js';
import { captureEnvironment } from './env.js';
import type { Profile } from './profile.js';
import { performance } from 'node:perf_hooks';
import type { ProgressSink } from './progress.js';
import type { ResultRow } from './schema.js';
import { OutputCommit } from './out-commit.js';
import { KeptFiles } from './kept-files.js';
import { RowSink, stageResults } from './sink.js';
import { resolveSubjects } from './subjects/resolve.js';
import type { SuiteContext, SuiteRun } from './suite.js';
import type { PlannedStage } from './run-meter.js';
import { InterruptedError, isShuttingDown } from './lifecycle.js';
import { sweepLeftovers } from './sweep.js';
import { Workspace } from './workspace.js';
import { mountFresh } from './fs/mount.js';
import type { FsName } from './fs/kinds.js';
import { FS_SKIPPED_SCENARIO, METRICS } from './schema.js';
import { TrialPlace } from './trial-place.js';

export interface RunSettings {
  outDir: string;
  profile: Profile;
  config: WritegateConfig;
  subjectsFilter?: readonly string[];
  sizes: readonly number[];
  seed: number;
  progress: ProgressSink;
  /** Fresh file systems the file-writing suites run on, one pass each (`--fs`); none: the workspace's own. */
  fileSystems?: readonly FsName[];
  /** File systems asked for that cannot be made here, skipped under --skip-unavailable, with why. */
  skippedFileSystems?: readonly { name: FsName; reason: string }[];
  /**
   * The command's commit, when it writes more than the results pair (gate, readiness): the pair is
   * staged in it, to be written with the report. Without it the run commits the pair itself.
   */
  commit?: OutputCommit;
}

export interface RunOutcome {
  /** Where the results CSV is (or, under a command's commit, will be once committed). */
  csvPath: string;
  /** Where it can be read now: the CSV itself, or its staged copy until the commit. */
  readablePath: string;
  rows: readonly ResultRow[];
  runId: string;
}

/**
 * Runs suites in one private workspace and commits their rows once at the end, so a failed or
 * interrupted run leaves the previous results file as it was. It first sweeps what killed runs left
 * (core/sweep.ts); once an interrupting signal has arrived it commits nothing (core/lifecycle.ts).
 */
export async function runSuites(runs: readonly SuiteRun[], settings: RunSettings): Promise<RunOutcome> {
  const subjects = resolveSubjects(settings.config, settings.subjectsFilter);
  sweepLeftovers(settings.outDir);
  const workspace = Workspace.create();
  try {
    const env = captureEnvironment(workspace.root, settings.profile, { config: settings.config });
    const sink = new RowSink();
    const kept = new KeptFiles(workspace);
    const ctx: SuiteContext = {
      workspace,
      trials: TrialPlace.workspace(workspace),
      sink,
      keep: (file, name) => kept.keep(file, name),
      profile: settings.profile,
      config: settings.config,
      subjects,
      sizes: settings.sizes,
      seed: settings.seed,
      progress: settings.progress,
    };
    const stages = plannedStages(runs, ctx, settings.fileSystems?.length ?? 0);
    if (stages) settings.progress.planRun?.(stages);
    /** How each fresh file system was made (the first pass's; every pass makes it the same way). */
    const made = new Map<FsName, string>();
    const runOne = async ({ suite, options }: SuiteRun, progress: ProgressSink, rows: RowSink): Promise<void> => {
      progress.beginStage?.(suite.name);
      const mine = { ...ctx, progress, sink: rows };
      const fileSystems = suite.perFileSystem ? (settings.fileSystems ?? []) : [];
      if (fileSystems.length === 0) await suite.run(mine, options);
      for (const name of fileSystems) {
        // Made fresh for each suite's pass, so one suite's files never change what the next one measures.
        const mounted = mountFresh(workspace, name);
        if (!made.has(name)) made.set(name, mounted.setup);
        try {
          progress.note(`${suite.name} on a fresh ${name}`);
          await suite.run({ ...mine, trials: TrialPlace.on(workspace, mounted), sink: rows.onFileSystem(name) }, options);
        } finally {
          mounted.release();
        }
        if (isShuttingDown()) throw new InterruptedError();
      }
      if (suite.perFileSystem) {
        for (const { name, reason } of settings.skippedFileSystems ?? []) {
          rows.onFileSystem(name).add({ suite: suite.name, scenario: FS_SKIPPED_SCENARIO, subject: '', metric: METRICS.skipped, detail: reason });
        }
      }
      progress.finish();
      if (isShuttingDown()) throw new InterruptedError();
    };
    for (const batch of runBatches(runs)) {
      const [first, ...beside] = batch as [SuiteRun, ...SuiteRun[]];
      if (beside.length === 0) {
        await runOne(first, settings.progress, sink);
        continue;
      }
      // Untimed suites side by side: the first shows its progress, the others a line at start and end,
      // and each collects its rows apart so the results keep one block per suite.
      const apart = beside.map(() => sink.apart());
      const outcomes = await Promise.allSettled([
        runOne(first, settings.progress, sink),
        ...beside.map((run, i) => runOne(run, besideProgress(settings.progress, run.suite.name, first.suite.name), apart[i] as RowSink)),
      ]);
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      for (const rows of apart) sink.append(rows);
    }
    if (made.size) env.fs_made = [...made].map(([name, setup]) => `${name}: ${setup}`).join(' | ');
    if (isShuttingDown()) throw new InterruptedError();
    const suites = runs.map((run) => run.suite.name);
    const commit = settings.commit ?? new OutputCommit();
    try {
      const { csvPath, stagedCsv } = stageResults(commit, settings.outDir, suites, sink.rows, env);
      kept.stage(commit, settings.outDir);
      if (settings.commit) return { csvPath, readablePath: stagedCsv, rows: sink.rows, runId: sink.runId };
      commit.commit();
      return { csvPath, readablePath: csvPath, rows: sink.rows, runId: sink.runId };
    } finally {
      if (!settings.commit) void commit.dispose();
    }
  } finally {
    await workspace.dispose();
  }
}

/**
 * The order suites run in: each timed suite alone, consecutive untimed ones (Suite.untimed) together,
 * since their results do not depend on the machine's pace and running them side by side shortens a
 * gate by the shorter one's time.
 */
export function runBatches(runs: readonly SuiteRun[]): SuiteRun[][] {
  const batches: SuiteRun[][] = [];
  for (const run of runs) {
    const last = batches[batches.length - 1];
    if (run.suite.untimed && last?.every((entry) => entry.suite.untimed)) last.push(run);
    else batches.push([run]);
  }
  return batches;
}

/** Progress of a suite running beside another: a line when it starts and one when it ends; notes pass through. */
export function besideProgress(progress: ProgressSink, suite: string, beside: string): ProgressSink {
  let started = 0;
  let label = suite;
  let total = 0;
  return {
    start(line, steps) {
      if (started === 0) progress.note(`${suite}: running beside ${beside}`);
      started = performance.now();
      label = line;
      total = steps;
    },
    tick() {},
    note: (line) => progress.note(line),
    finish() {
      if (started) progress.note(`${label}: ${total}/${total} done in ${((performance.now() - started) / 1000).toFixed(1)}s (beside ${beside})`);
    },
  };
}

/** Each suite's planned work, for the whole-run ETA; none when a suite cannot say (no ETA beats a wrong one). */
export function plannedStages(runs: readonly SuiteRun[], ctx: SuiteContext, fileSystems = 0): PlannedStage[] | undefined {
  const stages: PlannedStage[] = [];
  for (const { suite, options } of runs) {
    const passes = suite.perFileSystem ? Math.max(1, fileSystems) : 1;
    const work = (suite.plannedWork?.(ctx, options) ?? Number.NaN) * passes;
    if (!Number.isFinite(work) || work < 0) return undefined;
    stages.push({ name: suite.name, work });
  }
  return stages;
}
