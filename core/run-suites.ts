import { shedGarbage } from './fork-cost.js';
import type { WritegateConfig } from './config.js';
import { captureEnvironment } from './env.js';
import type { Profile } from './profile.js';
import type { ProgressSink } from './progress.js';
import type { ResultRow } from './schema.js';
import { OutputCommit } from './out-commit.js';
import { KeptFiles } from './kept-files.js';
import { RowSink, stageResults } from './sink.js';
import type { WriterSubject } from './subjects/types.js';
import type { PlannedSuite, SuiteContext } from './suite.js';
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
  /** The writer subjects preflight resolved (after --subjects filtering). */
  subjects: readonly WriterSubject[];
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
export async function runSuites(runs: readonly PlannedSuite[], settings: RunSettings): Promise<RunOutcome> {
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
      subjects: settings.subjects,
      sizes: settings.sizes,
      seed: settings.seed,
      progress: settings.progress,
    };
    const stages = plannedStages(runs, settings.fileSystems?.length ?? 0);
    if (stages) settings.progress.planRun?.(stages);
    /** How each fresh file system was made (the first pass's; every pass makes it the same way). */
    const made = new Map<FsName, string>();
    for (const { suite, plan } of runs) {
      settings.progress.beginStage?.(suite.name);
      shedGarbage();
      const fileSystems = suite.perFileSystem ? (settings.fileSystems ?? []) : [];
      if (fileSystems.length === 0) await suite.run(ctx, plan);
      for (const name of fileSystems) {
        // Made fresh for each suite's pass, so one suite's files never change what the next one measures.
        const mounted = mountFresh(workspace, name);
        if (!made.has(name)) made.set(name, mounted.setup);
        try {
          settings.progress.note(`${suite.name} on a fresh ${name}`);
          await suite.run({ ...ctx, trials: TrialPlace.on(workspace, mounted), sink: sink.onFileSystem(name) }, plan);
        } finally {
          mounted.release();
        }
        if (isShuttingDown()) throw new InterruptedError();
      }
      if (suite.perFileSystem) {
        for (const { name, reason } of settings.skippedFileSystems ?? []) {
          sink.onFileSystem(name).add({
            suite: suite.name,
            scenario: FS_SKIPPED_SCENARIO,
            subject: '',
            metric: METRICS.skipped,
            detail: reason,
          });
        }
      }
      settings.progress.finish();
      if (isShuttingDown()) throw new InterruptedError();
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

/** Each suite's planned work, for the whole-run ETA; none when a suite cannot say (no ETA beats a wrong one). */
export function plannedStages(runs: readonly PlannedSuite[], fileSystems = 0): PlannedStage[] | undefined {
  const stages: PlannedStage[] = [];
  for (const { suite, plan } of runs) {
    const passes = suite.perFileSystem ? Math.max(1, fileSystems) : 1;
    const work = (suite.plannedWork?.(plan) ?? Number.NaN) * passes;
    if (!Number.isFinite(work) || work < 0) return undefined;
    stages.push({ name: suite.name, work });
  }
  return stages;
}
