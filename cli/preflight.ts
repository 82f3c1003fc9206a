import { preflightAnalyzeInputs } from '../analyze/preflight.js';
import { InputError } from '../core/errors.js';
import { checkOutDir } from '../core/out-dir.js';
import { resolveSubjects } from '../core/subjects/resolve.js';
import type { SuiteRun } from '../core/suite.js';
import type { ToolNeed } from '../core/suite.js';
import { installHint, toolVersion } from '../core/tools.js';
import type { ResolvedRun } from './run-options.js';

/**
 * Everything a run is given, checked before any suite starts (bad input: one line, exit 2, nothing
 * measured, nothing written): the output directory, every writer subject (template, placeholders,
 * binary), each suite's own options and what it will run (git, wrappers, crash checker), the
 * analyzer's thresholds and known-differences files, and the tools the selected scenarios need.
 * A missing tool is refused too, unless `--skip-unavailable`: then the suites skip what needs it,
 * with a note and `skipped` rows. Returns those notes.
 */
export function preflight(runs: readonly SuiteRun[], run: ResolvedRun): string[] {
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
  return notes;
}

function groupByBinary(needs: readonly ToolNeed[]): Map<string, ToolNeed[]> {
  const byBinary = new Map<string, ToolNeed[]>();
  for (const need of needs) byBinary.set(need.binary, [...(byBinary.get(need.binary) ?? []), need]);
  return byBinary;
}
