import type { Command } from 'commander';
import { rewriteReadiness } from '../analyze/index.js';
import { InputError } from '../core/errors.js';
import type { SuiteRun } from '../core/suite.js';
import { suiteRun } from '../core/suite-options.js';
import { hookSuite } from '../hook/index.js';
import { paritySuite } from '../parity/index.js';
import { measureThenAnalyze } from './measure.js';
import { addRunOptions, resolveRun, type RunFlags } from './run-options.js';
import { printJson, readinessRunJson } from './json-output.js';

type ReadinessFlags = RunFlags & { hookTimeout?: string };

/**
 * `writegate readiness`: may this hook rewrite mutating commands? Runs the hook policy run (--hook,
 * --hook-env) and parity's full matrix (--wrapper) in one run, analyzes both from the results CSV and
 * prints one GO / NO-GO line with every reason; exit 0 for GO, 1 for NO-GO, 2 for bad input.
 */
export function registerReadinessCommand(program: Command): void {
  addRunOptions(
    program
      .command('readiness')
      .description(
        'run the hook policy run and parity over the wrappers it rewrites to, ' +
          'then print one GO / NO-GO line for mutating rewrite',
      ),
    'readiness',
  )
    .option('--hook-timeout <ms>', 'per hook call, as for `writegate hook`')
    .option('--thresholds <file>', 'thresholds file overriding the default gates')
    .option('--known-differences <file>', 'parity known-differences file')
    .action(async (flags: ReadinessFlags) => {
      const run = resolveRun(flags);
      if (Object.keys(run.config.hooks ?? {}).length === 0)
        throw new InputError('readiness: no hook to judge; give --hook NAME=COMMAND (or "hooks" in the config file)');
      const runs = [
        suiteRun(hookSuite, { hookTimeout: flags.hookTimeout, everyCase: true }),
        suiteRun(paritySuite, { readiness: true }),
      ] as SuiteRun[];
      const { result, outcome } = await measureThenAnalyze(runs, run, { suites: ['hook', 'parity'] });
      const readiness = rewriteReadiness(outcome);
      if (run.json) printJson(readinessRunJson(result, outcome.reportPath, readiness));
      else {
        process.stderr.write(`readiness: ${result.rows} rows → ${result.csvPath}; report: ${outcome.reportPath}\n`);
        process.stdout.write(`${readiness.line}\n`);
      }
      process.exitCode = readiness.go ? 0 : 1;
    });
}
