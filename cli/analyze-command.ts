import path from 'node:path';
import type { Command } from 'commander';
import {
  analyze,
  GATED_SUITES,
  listGatesText,
  preflightAnalyzeInputs,
  RESULTS_CSV,
  type GatedSuite,
} from '../analyze/index.js';
import { loadConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { optionalWholeNumber } from '../core/parse.js';
import { checkOutDir } from '../core/out-dir.js';
import { reportVerdict } from './verdict.js';

interface AnalyzeFlags {
  out: string;
  thresholds?: string;
  knownDifferences?: string;
  suites?: string;
  config?: string;
  json: boolean;
  listGates: boolean;
  baseline?: string;
  history?: string;
  historyWindow?: string;
  historyAppend: boolean;
  remeasure?: string;
  regressionPolicy?: string;
  requireJudged: boolean;
}

/** A comma-separated list of CSVs (a base measured in several interleaved rounds is several files). */
function csvList(raw: string | undefined, flag: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const files = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (files.length === 0) throw new InputError(`${flag}: expected one or more CSV files, comma-separated`);
  return files;
}

/** `--suites a,b`: some of the gated suites, or undefined for every one; anything else is bad input. */
export function parseSuites(raw: string | undefined): GatedSuite[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(GATED_SUITES as readonly string[]).includes(name));
  if (unknown.length || names.length === 0)
    throw new InputError(`--suites: expected some of ${GATED_SUITES.join(', ')}, got ${JSON.stringify(raw)}`);
  return names as GatedSuite[];
}

/** `writegate analyze [CSV…]`: the analyzer on results already on disk; prints the verdict and sets the exit code. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('turn results CSVs into <out>/RESULTS.md and a verdict; exit 0 pass, 1 a gate failed, 2 bad input')
    .argument('[csv...]', `results CSVs to merge (default: <out>/${RESULTS_CSV})`)
    .option('--out <dir>', 'where RESULTS.md is written and the default input is read', 'results')
    .option('--thresholds <file>', 'JSON file overriding or disabling default gates by id (see --list-gates)')
    .option('--known-differences <file>', 'parity known-differences file')
    .option('--suites <list>', "evaluate only these suites' gates, comma-separated (default: every suite in the input)")
    .option(
      '--config <file>',
      'config file for thresholds and knownDifferences (default: ./writegate.config.json if present)',
    )
    .option(
      '--baseline <csv,...>',
      'results of the base commit from the same job (interleaved rounds: several ' +
        'files, comma-separated); judge the inputs against them',
    )
    .option(
      '--history <dir>',
      'judge the inputs against earlier runs of the same machine class kept in <dir>, then append them',
    )
    .option('--history-window <n>', 'earlier runs to judge against (default 20)')
    .option('--no-history-append', 'judge against --history without appending this run')
    .option(
      '--remeasure <csv,...>',
      'a re-measure of the regressions suspected against --history: confirms them or not',
    )
    .option(
      '--regression-policy <file>',
      'JSON: per-metric minimum effect or report-only, e.g. {"metrics":{"latency_p95_ms":{"minEffect":0.3}}}',
    )
    .option(
      '--require-judged',
      'a gate instance the harness could not judge (a writer whose I/O its tracer ' +
        'cannot see, a net latency the spawn cost leaves not measurable, a hook ' +
        'latency too noisy to judge) fails instead of standing apart',
      false,
    )
    .option('--json', 'print a machine-readable summary on stdout', false)
    .option('--list-gates', 'print the default gates (id, threshold, source) and exit', false)
    .action(async (csvs: string[], flags: AnalyzeFlags) => {
      if (flags.listGates) {
        process.stdout.write(listGatesText(flags.json));
        return;
      }
      const { config } = loadConfig(flags.config);
      checkOutDir(flags.out);
      const outDir = path.resolve(flags.out);
      // As given, so error messages name the file the way the user wrote it.
      const files = {
        thresholdsFile: flags.thresholds ?? config.thresholds,
        knownDifferencesFile: flags.knownDifferences ?? config.knownDifferences,
      };
      // Both files are checked whatever the input holds: a broken known-differences file is bad input
      // even when no parity rows would consult it.
      const parsed = preflightAnalyzeInputs(files);
      const outcome = await analyze({
        inputs: csvs.length ? csvs : [path.join(outDir, RESULTS_CSV)],
        outDir,
        ...files,
        ...parsed,
        suites: parseSuites(flags.suites),
        json: flags.json,
        baselineInputs: csvList(flags.baseline, '--baseline'),
        historyDir: flags.history,
        historyWindow: optionalWholeNumber(flags.historyWindow, '--history-window', 1, 10_000),
        historyAppend: flags.historyAppend,
        remeasureInputs: csvList(flags.remeasure, '--remeasure'),
        regressionPolicyFile: flags.regressionPolicy,
        requireJudged: flags.requireJudged,
      });
      reportVerdict(outcome, flags.json, { command: 'analyze' });
    });
}
