/**
 * How a command that measures runs: every input checked first, then the suites, into the results
 * pair; and, for a command that also reports (gate, readiness, parity --readiness), the analysis of
 * those rows — both staged in one commit, written together at the very end (core/out-commit.ts), so
 * a signal leaves --out as it was or complete.
 */
import { analyze, type AnalyzeFiles, type AnalyzeOptions, type AnalyzeOutcome } from '../analyze/index.js';
import { OutputCommit } from '../core/out-commit.js';
import { Progress, SilentProgress } from '../core/progress.js';
import { runSuites } from '../core/run-suites.js';
import type { SuiteRun } from '../core/suite.js';
import { preflight } from './preflight.js';
import type { ResolvedRun } from './run-options.js';

/** What a run of suites reports: where its CSV lands, where it can be read until the commit, the run and its rows. */
export interface RunReport {
  csvPath: string;
  readablePath: string;
  runId: string;
  rows: number;
}

/** Runs the suites into the results pair (written now, or staged in `commit`). */
export async function measure(runs: SuiteRun[], run: ResolvedRun, commit?: OutputCommit): Promise<RunReport> {
  return (await measureChecked(runs, run, commit)).report;
}

/** measure, and what its preflight parsed of the analyzer's files (for the analysis that follows). */
async function measureChecked(
  runs: SuiteRun[],
  run: ResolvedRun,
  commit?: OutputCommit,
): Promise<{ report: RunReport; analyzeFiles: AnalyzeFiles }> {
  // Every input is checked, and every suite planned, before any suite starts: bad input measures nothing and writes
  // nothing.
  const { notes, fileSystems, planned, subjects, analyzeFiles } = preflight(runs, run);
  for (const { suite, plan } of planned) await suite.probe?.(plan);
  const progress = run.json ? new SilentProgress() : new Progress();
  for (const note of notes) progress.note(note);
  // The run's context names the file systems that will be made, not those asked for and skipped.
  const config = { ...run.config, ...(fileSystems.made.length ? { fs: fileSystems.made } : { fs: undefined }) };
  const outcome = await runSuites(planned, {
    ...run,
    config,
    subjects,
    progress,
    commit,
    fileSystems: fileSystems.made,
    skippedFileSystems: fileSystems.skipped,
  });
  return {
    report: {
      csvPath: outcome.csvPath,
      readablePath: outcome.readablePath,
      runId: outcome.runId,
      rows: outcome.rows.length,
    },
    analyzeFiles,
  };
}

/** What analyzing the rows just measured adds to the run's own settings: which suites, what fails. */
export type AnalyzeChoices = Pick<AnalyzeOptions, 'suites' | 'requireJudged'>;

/** Runs the suites, then analyzes their rows; the results pair and the report are committed together, or not at all. */
export async function measureThenAnalyze(
  runs: SuiteRun[],
  run: ResolvedRun,
  choices: AnalyzeChoices = {},
): Promise<{ result: RunReport; outcome: AnalyzeOutcome }> {
  const commit = new OutputCommit();
  try {
    const { report: result, analyzeFiles } = await measureChecked(runs, run, commit);
    const outcome = await analyze({
      ...choices,
      inputs: [result.readablePath],
      inputNames: [result.csvPath],
      outDir: run.outDir,
      thresholdsFile: run.config.thresholds,
      ...analyzeFiles,
      knownDifferencesFile: run.config.knownDifferences,
      json: run.json,
      commit,
    });
    commit.commit();
    return { result, outcome };
  } finally {
    await commit.dispose();
  }
}
