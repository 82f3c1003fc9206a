#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { parityReadiness } from '../analyze/index.js';
import { benchSuite } from '../bench/index.js';
import { crashSuite } from '../crash/index.js';
import { InputError, isInputError } from '../core/errors.js';
import { isShuttingDown, shutdownExit } from '../core/lifecycle.js';
import { RESULTS_CSV } from '../core/sink.js';
import { packageRoot } from '../core/self-script.js';
import type { Suite, SuiteRun } from '../core/suite.js';
import { hookSuite } from '../hook/index.js';
import { optionKey, suiteRun } from '../core/suite-options.js';
import { paritySuite } from '../parity/index.js';
import { parseSuites, registerAnalyzeCommand } from './analyze-command.js';
import { registerHookShimCommand } from './hook-shim-command.js';
import { registerReadinessCommand } from './readiness-command.js';
import { measure, measureThenAnalyze } from './measure.js';
import { addRunOptions, resolveRun, type ResolvedRun, type RunFlags } from './run-options.js';
import { collect } from './parse.js';
import { registerValidateGateCommand } from './validate-gate/command.js';
import { registerCompareCommand } from './compare/command.js';
import { printJson, suiteRunJson } from './json-output.js';
import { registerSchemaCommand } from './schema-command.js';
import { reportSuiteVerdict, reportVerdict } from './verdict.js';

/** Every suite `gate` runs, in order. A new suite is one more entry here. */
export const SUITES: readonly Suite[] = [benchSuite, crashSuite, paritySuite, hookSuite];

/**
 * The suites `gate` runs: each one that has something to run. hook has no built-in hook, so without
 * a configured one it is left out (no rows, nothing in the gate table).
 */
export function gateSuites(run: ResolvedRun, only?: readonly string[]): Suite[] {
  const hooked = Object.keys(run.config.hooks ?? {}).length > 0;
  if (only?.includes(hookSuite.name) && !hooked) {
    throw new InputError('--suites: hook needs a hook to run (--hook or "hooks" in the config)');
  }
  return SUITES.filter((suite) => (only ? only.includes(suite.name) : suite !== hookSuite || hooked));
}

function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A suite's raw values as commander parsed them (absent ones at their declared default), parsed once into its options.
 */
function suiteRunFrom(suite: Suite, flags: Record<string, unknown>): SuiteRun {
  const raw: Record<string, unknown> = {};
  for (const option of suite.options) {
    const key = optionKey(option.flags);
    raw[key] = flags[key] ?? option.defaultValue;
  }
  return suiteRun(suite, raw);
}

async function parityReadinessRun(runs: SuiteRun[], run: ResolvedRun) {
  const { result, outcome } = await measureThenAnalyze(runs, run, { suites: ['parity'] });
  return { result, readiness: { readiness: parityReadiness(outcome), report: outcome.reportPath } };
}

export function buildProgram(): Command {
  const program = new Command('writegate')
    .description('Decide, with evidence, whether a file-write path and a command wrapper can be trusted.')
    .version(version())
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  for (const suite of SUITES) {
    const command = addRunOptions(
      program
        .command(suite.name)
        .description(`${suite.summary}; ends with the verdict of its gates on the run (exit 0 pass, 1 a gate failed)`),
      suite.name,
    );
    for (const option of suite.options)
      if (option.repeatable) command.option(option.flags, option.description, collect);
      else command.option(option.flags, option.description, option.defaultValue as string | boolean | undefined);
    command.option(
      '--no-verdict',
      'only measure: write the rows and exit 0 without judging them or writing ' +
        'RESULTS.md (for shards or rounds one `writegate analyze` judges together)',
    );
    command.action(async (flags: RunFlags & Record<string, unknown>) => {
      const run = resolveRun(flags);
      const judge = flags.verdict !== false;
      if (!judge && flags.readiness === true)
        throw new InputError('--no-verdict: --readiness is a verdict; give one or the other');
      const runs = [suiteRunFrom(suite, flags)];
      if (flags.readiness === true) {
        // `parity --readiness`: analyze just the parity rows and print the go/no-go line (exit 0 go, 1 no-go).
        const { result, readiness } = await parityReadinessRun(runs, run);
        if (flags.json) printJson(suiteRunJson(suite.name, result, { readiness }));
        else {
          process.stderr.write(`${suite.name}: ${result.rows} rows → ${result.csvPath}\n`);
          process.stdout.write(`${readiness.readiness.line}\n`);
        }
        process.exitCode = readiness.readiness.go ? 0 : 1;
      } else if (judge) {
        // The same gates `analyze` applies, on this run's rows of this suite alone.
        const { result, outcome } = await measureThenAnalyze(runs, run, { suites: [suite.name] });
        reportSuiteVerdict(suite.name, result, outcome, run.json);
      } else {
        const result = await measure(runs, run);
        if (flags.json) printJson(suiteRunJson(suite.name, result));
        else process.stderr.write(`${suite.name}: ${result.rows} rows → ${result.csvPath}\n`);
      }
    });
  }

  registerAnalyzeCommand(program);
  registerCompareCommand(program);
  registerValidateGateCommand(program);
  registerHookShimCommand(program);
  registerReadinessCommand(program);
  registerSchemaCommand(program);

  addRunOptions(
    program
      .command('gate')
      .description(
        'run every suite on the configured (or built-in) subjects, then analyze; exit 0 pass, 1 fail, 2 bad input',
      ),
    'gate',
  )
    .option('--thresholds <file>', 'thresholds file overriding the default gates')
    .option('--known-differences <file>', 'parity known-differences file')
    .option(
      '--suites <list>',
      'run and judge only these suites, comma-separated (bench, crash, parity, hook); ' +
        'default: every suite, hook when a hook is configured',
    )
    .option(
      '--require-judged',
      'a gate instance the harness could not judge (a writer whose I/O its tracer ' +
        'cannot see, a net latency the spawn cost leaves not measurable, a hook ' +
        'latency too noisy to judge) fails instead of standing apart',
      false,
    )
    .action(async (flags: RunFlags & { requireJudged?: boolean; suites?: string }) => {
      const only = parseSuites(flags.suites);
      const run = resolveRun(flags);
      const runs = gateSuites(run, only).map((suite) => suiteRunFrom(suite, {}));
      const { result, outcome } = await measureThenAnalyze(runs, run, {
        requireJudged: flags.requireJudged === true,
        ...(only ? { suites: only } : {}),
      });
      reportVerdict(outcome, run.json, {
        command: 'gate',
        run_id: result.runId,
        csv: path.join(run.outDir, RESULTS_CSV),
      });
    });
  return program;
}

/**
 * Any message on one line: a newline inside it (a JSON parser's quote of the file, a tool's output) is shown as \\n.
 */
function oneLine(message: string): string {
  return message.replace(/\r?\n/g, '\\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Interrupted: whatever failed after the signal is a consequence of stopping, not an error to
    // report; the lifecycle finishes the cleanup and exits 130/143/129.
    if (isShuttingDown()) return await shutdownExit();
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      process.stderr.write(`writegate: ${oneLine(error.message.replace(/^error: /, ''))}\n`);
      return 2;
    }
    if (isInputError(error)) {
      process.stderr.write(`writegate: ${oneLine(error.message)}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    const stackOrHint = process.env.WRITEGATE_DEBUG
      ? `\n${(error as Error).stack ?? ''}`
      : ' (set WRITEGATE_DEBUG=1 for a stack trace)';
    process.stderr.write(`writegate: internal error: ${oneLine(message)}${stackOrHint}\n`);
    return 3;
  }
}
