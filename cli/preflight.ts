import { preflightAnalyzeInputs } from '../analyze/preflight.js';
import { InputError } from '../core/errors.js';
import { checkOutDir } from '../core/out-dir.js';
import { resolveSubjects } from '../core/subjects/resolve.js';
import type { SuiteRun } from '../core/suite.js';
import type { ToolNeed } from '../core/suite.js';
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
 * with a note and `skipped` rows. Returns those notes.
 */
export function preflight(runs: readonly SuiteRun[], run: ResolvedRun, host?: FsHost): Preflighted {
  checkOutDir(run.outDir);
  resolveSubjects(run.config, run.subjectsFilter);
  const needs = runs.flatMap(({ suite, options }) => suite.preflight?.({ profile: run.profile, config: run.config }, options) ?? []);
  preflightAnalyzeInputs({ thresholdsFile: run.config.thresholds, knownDifferencesFile: run.config.knownDifferences });
  const notes: string[] = [];
  for (const [binary, wanted] of groupByBinary(needs)) {
    if (toolVersion(binary, ['-V']) !== undefined) continue;
    const tool = wanted[0]?.tool ?? binary;
    const where = binary.includes('/') ? `at ${binary}` : binary === tool ? 'on PATH' : `on PATH as ${binary}`;
    const missing = `${tool} not found ${where} (needed for ${wanted.map((need) => need.purpose).join('; ')})`;
    if (!run.skipUnavailable) throw new InputError(`${missing}; ${installHint(tool)}, or pass --skip-unavailable to skip what needs it`);
    notes.push(`${missing}: skipped (--skip-unavailable)`);
  }
  const fileSystems = runs.some(({ suite }) => suite.perFileSystem) ? checkFileSystems(run, notes, host) : { made: [], skipped: [] };
  return { notes, fileSystems };
}

/** What preflight found: notes for the run's output, and which --fs file systems will be made. */
export interface Preflighted {
  notes: string[];
  fileSystems: { made: FsName[]; skipped: { name: FsName; reason: string }[] };
}

/**
 * Each --fs file system can be made here (root, the kernel has it, its mkfs is installed, a loop
 * device is free), else one line and exit 2; under --skip-unavailable it is skipped with a note.
 */
function checkFileSystems(run: ResolvedRun, notes: string[], host?: FsHost): Preflighted['fileSystems'] {
  const made: FsName[] = [];
  const skipped: { name: FsName; reason: string }[] = [];
  for (const name of run.fileSystems) {
    const problem = fsProblem([name], host);
    if (problem === undefined) {
      made.push(name);
      continue;
    }
    if (run.fileSystemsByDefault) {
      // Not asked for: the profile's default falls back to the workspace's own file system, and says so.
      notes.push(`the ${run.profile} profile runs bench and crash on a fresh ${name} where it can; not here (${problem.replace(/^--fs[^:]*: /, '')}), so they run on the workspace's own file system`);
      continue;
    }
    if (!run.skipUnavailable) throw new InputError(`${problem}; or pass --skip-unavailable to skip it`);
    notes.push(`${problem}: skipped (--skip-unavailable)`);
    skipped.push({ name, reason: problem });
  }
  return { made, skipped };
}

function groupByBinary(needs: readonly ToolNeed[]): Map<string, ToolNeed[]> {
  const byBinary = new Map<string, ToolNeed[]>();
  for (const need of needs) byBinary.set(need.binary, [...(byBinary.get(need.binary) ?? []), need]);
  return byBinary;
}
