import type { Command } from 'commander';
import { rewriteReadiness } from '../analyze/index.js';
import type { GatedSuite } from '../analyze/types.js';
import { InputError } from '../core/errors.js';
import type { SuiteRun } from '../core/suite.js';
import { suiteRun } from '../core/suite-options.js';
import { crashSuite } from '../crash/index.js';
import { hookSuite } from '../hook/index.js';
import { paritySuite } from '../parity/index.js';
import { measureThenAnalyze } from './measure.js';
import { collect } from './parse.js';
import { addRunOptions, resolveRun, type RunFlags } from './run-options.js';
import { printJson, readinessRunJson } from './json-output.js';

type ReadinessFlags = RunFlags & {
  hookTimeout?: string;
  command?: string[];
  commandSetup?: string;
  crashChecker?: string;
  commandBudget?: string;
};

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
    .option(
      '--command <name=template>',
      'also judge the crash safety of each wrapper: this command (or a built-in example, e.g. ' +
        'git-commit-fsync-all) natively and through every wrapper, under power loss, with --crash-checker ' +
        '(crash --command); repeatable',
      collect,
    )
    .option('--command-setup <template>', 'prepares each --command work directory {dir}, as for crash')
    .option('--crash-checker <command>', "your check of a --command's work directory {dir}, as for crash")
    .option('--command-budget <seconds>', 'per --command and model, as for crash')
    .action(async (flags: ReadinessFlags) => {
      const run = resolveRun(flags);
      if (Object.keys(run.config.hooks ?? {}).length === 0)
        throw new InputError('readiness: no hook to judge; give --hook NAME=COMMAND (or "hooks" in the config file)');
      const runs = [
        suiteRun(hookSuite, { hookTimeout: flags.hookTimeout, everyCase: true }),
        suiteRun(paritySuite, { readiness: true }),
      ] as SuiteRun[];
      // With a command and its checker, the wrappers' crash safety is part of the answer.
      const crash = flags.command?.length
        ? suiteRun(crashSuite, {
            command: flags.command,
            commandSetup: flags.commandSetup,
            crashChecker: flags.crashChecker,
            commandBudget: flags.commandBudget,
            crashScenarios: 'power_loss',
          })
        : undefined;
      if (crash) runs.push(crash as SuiteRun);
      const suites: GatedSuite[] = crash ? ['hook', 'parity', 'crash'] : ['hook', 'parity'];
      const { result, outcome } = await measureThenAnalyze(runs, run, { suites });
      const readiness = rewriteReadiness(outcome);
      if (run.json) printJson(readinessRunJson(result, outcome.reportPath, readiness));
      else {
        process.stderr.write(`readiness: ${result.rows} rows → ${result.csvPath}; report: ${outcome.reportPath}\n`);
        process.stdout.write(`${readiness.line}\n`);
      }
      process.exitCode = readiness.go ? 0 : 1;
    });
}
