import type { Command } from 'commander';
import { analyze, rewriteReadiness } from '../analyze/index.js';
import { InputError } from '../core/errors.js';
import type { OutputCommit } from '../core/out-commit.js';
import type { SuiteRun } from '../core/suite.js';
import { suiteRun } from '../core/suite-options.js';
import { hookSuite } from '../hook/index.js';
import { paritySuite } from '../parity/index.js';
import { addRunOptions, resolveRun, type ResolvedRun, type RunFlags } from './run-options.js';
import { printJson, readinessRunJson } from './json-output.js';

/** What a run of suites reports: where its CSV lands, where it can be read until the commit, the run and its rows. */
export interface RunReport {
  csvPath: string;
  readablePath: string;
  runId: string;
  rows: number;
}

/** How main.ts runs suites (preflight, run, stage or commit); handed in so this file does not import main. */
export type RunSuites = (runs: SuiteRun[], flags: RunFlags, run: ResolvedRun, commit?: OutputCommit) => Promise<RunReport>;

/** How main.ts wraps a command that writes the results and a report in one commit. */
export type WithCommit = <T>(work: (commit: OutputCommit) => Promise<T>) => Promise<T>;

type ReadinessFlags = RunFlags & { hookTimeout?: string };

/**
 * `writegate readiness`: may this hook rewrite mutating commands? Runs the hook policy run (--hook,
 * --hook-env) and parity's full matrix (--wrapper) in one run, analyzes both from the results CSV and
 * prints one GO / NO-GO line with every reason; exit 0 for GO, 1 for NO-GO, 2 for bad input.
 */
export function registerReadinessCommand(program: Command, runSuites: RunSuites, withCommit: WithCommit): void {
  addRunOptions(program.command('readiness').description('run the hook policy run and parity over the wrappers it rewrites to, then print one GO / NO-GO line for mutating rewrite'), 'readiness')
    .option('--hook-timeout <ms>', 'per hook call, as for `writegate hook`')
    .option('--thresholds <file>', 'thresholds file overriding the default gates')
    .option('--known-differences <file>', 'parity known-differences file')
    .action(async (flags: ReadinessFlags) => {
      const run = resolveRun(flags);
      if (Object.keys(run.config.hooks ?? {}).length === 0) throw new InputError('readiness: no hook to judge; give --hook NAME=COMMAND (or "hooks" in the config file)');
      const runs = [suiteRun(hookSuite, { hookTimeout: flags.hookTimeout, everyCase: true }), suiteRun(paritySuite, { readiness: true })] as SuiteRun[];
      const { result, outcome } = await withCommit(async (commit) => {
        const measured = await runSuites(runs, flags, run, commit);
        const analyzed = await analyze({
          inputs: [measured.readablePath],
          inputNames: [measured.csvPath],
          outDir: run.outDir,
          suites: ['hook', 'parity'],
          thresholdsFile: run.config.thresholds,
          knownDifferencesFile: run.config.knownDifferences,
          json: run.json,
          commit,
        });
        return { result: measured, outcome: analyzed };
      });
      const readiness = rewriteReadiness(outcome);
      if (run.json) printJson(readinessRunJson(result, outcome.reportPath, readiness));
      else {
        process.stderr.write(`readiness: ${result.rows} rows → ${result.csvPath}; report: ${outcome.reportPath}\n`);
        process.stdout.write(`${readiness.line}\n`);
      }
      process.exitCode = readiness.go ? 0 : 1;
    });
}
