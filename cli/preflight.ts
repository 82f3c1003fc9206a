import { preflightAnalyzeInputs, type AnalyzeFiles } from '../analyze/preflight.js';
import { InputError } from '../core/errors.js';
import { checkOutDir } from '../core/out-dir.js';
import { resolveSubjects } from '../core/subjects/resolve.js';
import type { PlannedSuite, SuiteRun, ToolNeed } from '../core/suite.js';
import type { WriterSubject } from '../core/subjects/types.js';
import { installHint, toolVersion } from '../core/tools.js';
import { fsProblem, type FsHost } from '../core/fs/check.js';
import type { FsName } from '../core/fs/kinds.js';
import type { ResolvedRun } from './run-options.js';

/**
 * Everything a run is given, checked before any suite starts (bad input: one line, exit 2, nothing
 * measured, nothing written): the output directory, every writer subject (template, placeholders,
 * binary), each suite's own options and what it will run (git, wrappers, crash checker), the
 * analyzer's thresholds and known-differences files, and the tools the selected scenarios need.
 * A missing tool is refused too, unless `--skip-unavailable`: then the suites skip what needs it,
 * with a note and `skipped` rows. Each suite is planned here, once (Suite.plan): the tools, the
 * probe, the ETA and the run all take that plan. Returns the plans, the subjects and the notes.
 */
export function preflight(runs: readonly SuiteRun[], run: ResolvedRun, host?: FsHost): Preflighted {
  checkOutDir(run.outDir);
  const subjects = resolveSubjects(run.config, run.subjectsFilter);
  // Which file systems will be made is known before the suites plan (crash plans crash_image from it);
  // a refusal waits until after their own checks, so the first bad input is still the one reported.
  const fileSystems = runs.some(({ suite }) => suite.perFileSystem)
    ? checkFileSystems(run, host)
    : ({ made: [], skipped: [], notes: [] } as FileSystemCheck);
  const planContext = {
    profile: run.profile,
    config: run.config,
    subjects,
    sizes: run.sizes,
    fileSystems: fileSystems.made,
  };
  const planned = runs.map(
    ({ suite, options }): PlannedSuite => ({
      suite: suite as PlannedSuite['suite'],
      plan: suite.plan(planContext, options),
    }),
  );
  const needs = planned.flatMap(({ suite, plan }) => suite.needs?.(plan) ?? []);
  const analyzeFiles = preflightAnalyzeInputs({
    thresholdsFile: run.config.thresholds,
    knownDifferencesFile: run.config.knownDifferences,
  });
  const notes: string[] = [];
  for (const [binary, wanted] of groupByBinary(needs)) {
    if (toolVersion(binary, ['-V']) !== undefined) continue;
    const tool = wanted[0]?.tool ?? binary;
    const where = binary.includes('/') ? `at ${binary}` : binary === tool ? 'on PATH' : `on PATH as ${binary}`;
    const missing = `${tool} not found ${where} (needed for ${wanted.map((need) => need.purpose).join('; ')})`;
    if (!run.skipUnavailable)
      throw new InputError(`${missing}; ${installHint(tool)}, or pass --skip-unavailable to skip what needs it`);
    notes.push(`${missing}: skipped (--skip-unavailable)`);
  }
  if (fileSystems.refusal) throw fileSystems.refusal;
  notes.push(...fileSystems.notes);
  return {
    notes,
    fileSystems: { made: fileSystems.made, skipped: fileSystems.skipped },
    planned,
    subjects,
    analyzeFiles,
  };
}

/** What preflight found: notes for the run's output, which --fs file systems will be made, and what runs. */
export interface Preflighted {
  notes: string[];
  fileSystems: { made: FsName[]; skipped: { name: FsName; reason: string }[] };
  /** Each suite with its plan, in run order. */
  planned: PlannedSuite[];
  /** The writer subjects after --subjects filtering, for the run. */
  subjects: readonly WriterSubject[];
  /** The analyzer's input files as parsed, for the analysis after the run. */
  analyzeFiles: AnalyzeFiles;
}

/** The --fs check's outcome: a refusal is held until the suites' own checks have run. */
interface FileSystemCheck {
  made: FsName[];
  skipped: { name: FsName; reason: string }[];
  notes: string[];
  refusal?: InputError;
}

/**
 * Each --fs file system can be made here (root, the kernel has it, its mkfs is installed, a loop
 * device is free), else one line and exit 2; under --skip-unavailable it is skipped with a note.
 */
function checkFileSystems(run: ResolvedRun, host?: FsHost): FileSystemCheck {
  const made: FsName[] = [];
  const skipped: { name: FsName; reason: string }[] = [];
  const notes: string[] = [];
  for (const name of run.fileSystems) {
    const problem = fsProblem([name], host);
    if (problem === undefined) {
      made.push(name);
      continue;
    }
    if (run.fileSystemsByDefault) {
      // Not asked for: the profile's default falls back to the workspace's own file system, and says so.
      notes.push(
        `the ${run.profile} profile runs bench and crash on a fresh ${name} where ` +
          `it can; not here (${problem.replace(/^--fs[^:]*: /, '')}), so they run ` +
          `on the workspace's own file system`,
      );
      continue;
    }
    if (!run.skipUnavailable)
      return { made, skipped, notes, refusal: new InputError(`${problem}; or pass --skip-unavailable to skip it`) };
    notes.push(`${problem}: skipped (--skip-unavailable)`);
    skipped.push({ name, reason: problem });
  }
  return { made, skipped, notes };
}

function groupByBinary(needs: readonly ToolNeed[]): Map<string, ToolNeed[]> {
  const byBinary = new Map<string, ToolNeed[]>();
  for (const need of needs) byBinary.set(need.binary, [...(byBinary.get(need.binary) ?? []), need]);
  return byBinary;
}
