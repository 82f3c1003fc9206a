/**
 * `writegate compare`: base against head of the user's own writer, in one command. Each round is one
 * bench process timing base and head as two subjects of the same lines, the order alternating
 * between rounds (ABBA). After each pair of rounds every judged series is looked at with an interval that stays
 * valid however often it is looked at, and measuring stops as soon as the answer is known — regressed,
 * shown within the minimum effect (pass), or improved — or when --max-time or --max-rounds runs out
 * (inconclusive: exit 1 unless --allow-inconclusive). Then the analyzer judges the head's gates and the
 * change once more for the report (analyze/comparison).
 *
 * Here: flags → settings (settings.ts), the family and the horizon (family.ts), the measuring and the
 * looks (runner.ts). Judging and the report are the analyzer's.
 */
import { type Command, Option } from 'commander';
import { WRITE_MODES } from '../../core/writer/index.js';
import { printJson, compareJson } from '../json-output.js';
import { collect } from '../parse.js';
import { DEFAULT_MAX_ROUNDS, DEFAULT_MAX_TIME } from './family.js';
import { MAX_ROUNDS } from '../../analyze/index.js';
import { runCompare } from './runner.js';
import { DEFAULT_COMPARE_SAMPLES, parseCompareSettings, type CompareFlags } from './settings.js';
import { formatSeconds } from '../../core/progress.js';

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'base against head of your own writer: interleaved bench rounds, then ' +
        "the head's gates and the regression rule; exit 0 pass, 1 regressed, failed " +
        'or inconclusive, 2 bad input',
    )
    .option(
      '--base <name=template>',
      "the base's per-op writer command, e.g. 'mytool=./base/mytool write {source} {target}' (repeatable)",
      collect,
    )
    .option(
      '--head <name=template>',
      "the head's per-op writer command under the same name, e.g. 'mytool=./head/mytool " +
        "write {source} {target}' (repeatable)",
      collect,
    )
    .option(
      '--base-driver <name=command>',
      "the base's persistent JSON-lines driver (repeatable; protocol in docs/writers.md)",
      collect,
    )
    .option('--head-driver <name=command>', "the head's driver under the same name (repeatable)", collect)
    .option(
      '--base-noop <name=template>',
      "a command that starts the base's program and does nothing, for its measured spawn cost (repeatable)",
      collect,
    )
    .option('--head-noop <name=template>', 'the same for the head (repeatable)', collect)
    .option(
      '--max-time <duration>',
      'stop measuring before a pair of rounds would end past this (e.g. 300s, 5m); undecided then is inconclusive',
      DEFAULT_MAX_TIME,
    )
    .option(
      '--max-rounds <n>',
      `the most interleaved rounds (a base run and a head run each), at most ${MAX_ROUNDS}`,
      String(DEFAULT_MAX_ROUNDS),
    )
    .option(
      '--sizes <list>',
      'payload sizes, e.g. 1KiB,128KiB,8MiB; KiB/MiB/GiB are 1024-based, KB/MB/GB ' +
        '1000-based, bare k/m/g are refused (default: 1KiB,128KiB,8MiB)',
    )
    .option(
      '--modes <list>',
      `write modes, comma-separated (${WRITE_MODES.join(', ')}); a writer without ` +
        `{mode} runs durable and unchanged only`,
    )
    .option(
      '--samples <n>',
      `timed samples per line in each run (default ${DEFAULT_COMPARE_SAMPLES}: ` +
        `a run's median is what its round contributes)`,
    )
    .addOption(new Option('--profile <name>', 'sampling plan of each run').choices(['quick', 'full']).default('quick'))
    .option('--thresholds <file>', 'JSON file overriding or disabling default gates by id (see analyze --list-gates)')
    .option(
      '--config <file>',
      'config file whose thresholds apply (default: ./writegate.config.json ' +
        'if present); the writers come from --base and --head',
    )
    .option(
      '--regression-policy <file>',
      'JSON: per-metric minimum effect or report-only, e.g. {"metrics":{"latency_p95_ms":{"minEffect":0.3}}}',
    )
    .option(
      '--allow-inconclusive',
      'exit 0 when the rounds could not tell either way by --max-time or --max-rounds (still reported as inconclusive)',
      false,
    )
    .option('--out <dir>', "where RESULTS.md, trend.json and every round's CSV (rounds/) go", 'results')
    .option('--json', 'print a machine-readable summary on stdout', false)
    .action(async (flags: CompareFlags) => {
      const settings = parseCompareSettings(flags);
      const log = (line: string) => process.stderr.write(`compare: ${line}\n`);
      const result = await runCompare(settings, log);
      const verdict = result.outcome.comparison;
      if (!verdict) throw new Error('compare: the analyzer returned no comparison verdict');
      if (settings.json) printJson(compareJson(result.outcome, verdict, result));
      else {
        process.stderr.write(
          `${verdict.line}\nafter ${result.rounds} rounds in ${formatSeconds(result.seconds)}; ` +
            `report: ${result.outcome.reportPath}\n`,
        );
        for (const reason of verdict.reasons.slice(1)) process.stderr.write(`  ${reason}\n`);
      }
      process.exitCode = verdict.exitCode;
    });
}
