/**
 * `writegate compare`: base against head of the user's own writer, in one command. Each round runs a
 * bench of the base and one of the head, each in its own process, side by side (ABBA); then the
 * analyzer judges the head's gates and the change (analyze/comparison): pass, regressed,
 * inconclusive (not a pass: exit 1 unless --allow-inconclusive) or fail.
 *
 * Here: flags → settings (settings.ts), the rounds the family needs (family.ts), the measuring
 * (runner.ts). Judging and the report are the analyzer's.
 */
import { Command, Option } from 'commander';
import { WRITE_MODES } from '../../core/writer/index.js';
import { printJson, compareJson } from '../json-output.js';
import { collect } from '../parse.js';
import { familySize, MIN_AUTO_ROUNDS, planRounds } from './family.js';
import { runCompare } from './runner.js';
import { ARMS, DEFAULT_COMPARE_SAMPLES, parseCompareSettings, type CompareFlags } from './settings.js';

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description("base against head of your own writer: interleaved bench rounds, then the head's gates and the regression rule; exit 0 pass, 1 regressed, failed or inconclusive, 2 bad input")
    .option('--base <name=template>', "the base's per-op writer command, e.g. 'mytool=./base/mytool write {source} {target}' (repeatable)", collect)
    .option('--head <name=template>', "the head's per-op writer command under the same name, e.g. 'mytool=./head/mytool write {source} {target}' (repeatable)", collect)
    .option('--base-driver <name=command>', "the base's persistent JSON-lines driver (repeatable; protocol in README)", collect)
    .option('--head-driver <name=command>', "the head's driver under the same name (repeatable)", collect)
    .option('--rounds <n>', `interleaved rounds (a base run and a head run each); auto: what the compared series need to be judged together, at least ${MIN_AUTO_ROUNDS}`, 'auto')
    .option('--sizes <list>', 'payload sizes, e.g. 1KiB,128KiB,8MiB; KiB/MiB/GiB are 1024-based, KB/MB/GB 1000-based, bare k/m/g are refused (default: 1KiB,128KiB,8MiB)')
    .option('--modes <list>', `write modes, comma-separated (${WRITE_MODES.join(', ')}); a writer without {mode} runs durable and unchanged only`)
    .option('--samples <n>', `timed samples per line in each run (default ${DEFAULT_COMPARE_SAMPLES}: a run's median is what its round contributes)`)
    .addOption(new Option('--profile <name>', 'sampling plan of each run').choices(['quick', 'full']).default('quick'))
    .option('--thresholds <file>', 'JSON file overriding or disabling default gates by id (see analyze --list-gates)')
    .option('--config <file>', 'config file whose thresholds apply (default: ./writegate.config.json if present); the writers come from --base and --head')
    .option('--regression-policy <file>', 'JSON: per-metric minimum effect or report-only, e.g. {"metrics":{"latency_p95_ms":{"minEffect":0.3}}}')
    .option('--allow-inconclusive', 'exit 0 when the rounds could not tell either way (still reported as inconclusive)', false)
    .option('--out <dir>', 'where RESULTS.md, trend.json and every round\'s CSV (rounds/) go', 'results')
    .option('--json', 'print a machine-readable summary on stdout', false)
    .action(async (flags: CompareFlags) => {
      const settings = parseCompareSettings(flags);
      const log = (line: string) => process.stderr.write(`compare: ${line}\n`);
      const family = familySize(settings.headSubjects, settings.sizes, settings.modes, settings.policies);
      const plan = planRounds(family, settings.requestedRounds);
      log(`${settings.subjects.join(', ')}: ${family} gated timing series judged together need at least ${plan.needed} rounds; measuring ${plan.rounds} (${ARMS.join(' and ')} side by side in each, the order alternating)`);
      if (plan.warning) log(`warning: ${plan.warning}`);
      const outcome = await runCompare(settings, plan, log);
      const verdict = outcome.comparison;
      if (!verdict) throw new Error('compare: the analyzer returned no comparison verdict');
      if (settings.json) printJson(compareJson(outcome, verdict, plan));
      else {
        process.stderr.write(`${verdict.line}\nreport: ${outcome.reportPath}\n`);
        for (const reason of verdict.reasons.slice(1)) process.stderr.write(`  ${reason}\n`);
      }
      process.exitCode = verdict.exitCode;
    });
}
