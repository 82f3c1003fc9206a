/**
 * `writegate validate-gate`: the regression gate measured on itself, on this machine, now.
 *
 * K rounds on one commit. Each round runs the bench three times in separate processes, in a rotating
 * order — base, the same again (A/A), and the probe slowed by a known amount — and compares base with
 * each exactly as the PR gate compares base with head (`analyze --baseline`). The probe is a built-in
 * writer behind a JSON-lines driver (slowed-probe.ts) that, after every write, spins for `effect` ×
 * (that write's own time + the driver round trip), or does one extra fsync.
 *
 * Reports false alarms (A/A comparisons the gate failed) and detections (slowed runs it called a
 * regression), with Mann-Whitney U scored on the same samples, the noise it saw and the load average,
 * into <out>/validate-gate.md and .json. Exit 0 when the targets hold (no false alarm; ≥ 95%
 * detections), 1 when they do not, 2 on bad input.
 *
 * Here: flags → settings (settings.ts), the measuring (runner.ts: bench-run.ts, steering.ts), re-scoring
 * kept runs (rescore.ts), writing the summary (output.ts). Scoring and rendering are analyze's
 * (analyze/regression/validation-report.ts).
 */
import path from 'node:path';
import { type Command, Option } from 'commander';
import { WRITE_MODES } from '../../core/writer/index.js';
import { parseNonNegativeInt } from '../parse.js';
import { rescore } from './rescore.js';
import { validateGate } from './runner.js';
import { commandLine, parseSettings, type ValidateFlags } from './settings.js';

export function registerValidateGateCommand(program: Command): void {
  program
    .command('validate-gate')
    .description(
      'measure the regression gate itself: K A/A comparisons on this commit ' +
        '(false alarms), K with a known slowdown (detections)',
    )
    .option('--subject <name>', 'built-in writer behind the probe driver', 'reference')
    .option('--size <size>', 'payload size', '1KiB')
    .option('--mode <mode>', `write mode (${WRITE_MODES.join(', ')})`, 'durable')
    .option('-k, --comparisons <n>', 'A/A comparisons, and as many with the slowdown', '20')
    .option(
      '--rounds <n>',
      'interleaved bench runs per arm in each comparison, as the PR workflow ' +
        'runs base and head (20 × 20 × 3 runs: about 25 minutes here; -k 5 for a quick look)',
      '20',
    )
    .option(
      '--effect <fraction>',
      'injected slowdown (spin): every probe write takes this fraction longer, as the bench sees it',
      '0.25',
    )
    .addOption(
      new Option(
        '--inject <how>',
        "spin: wait effect × (the write's own time + the driver round trip) after " +
          'each write; fsync: one extra fsync per write',
      )
        .choices(['spin', 'fsync'])
        .default('spin'),
    )
    .option('--samples <n>', 'timed samples per bench run', '100')
    .option('--out <dir>', 'where validate-gate.md and validate-gate.json go', 'results/validate-gate')
    .option('--regression-policy <file>', 'per-metric minimum effects (JSON; see README)')
    .addOption(
      new Option(
        '--multiplicity <how>',
        "bonferroni: a comparison's gated timing series judged as one family at " +
          "95% (the gate's rule); none: each at 95% alone, to measure what the correction buys",
      )
        .choices(['bonferroni', 'none'])
        .default('bonferroni'),
    )
    .option('--rescore <dir>', 'judge the runs an earlier validate-gate kept in <dir>/runs again (no measuring)')
    .option('--rescore-runs <n>', 'with --rescore: only the first n runs of each arm')
    .option('--json', 'print the figures as JSON on stdout', false)
    .action(async (flags: ValidateFlags) => {
      const settings = parseSettings(flags);
      if (flags.rescore) {
        process.exitCode = rescore(
          path.resolve(flags.rescore),
          settings,
          flags.rescoreRuns === undefined
            ? undefined
            : Math.max(1, parseNonNegativeInt(flags.rescoreRuns, '--rescore-runs')),
        );
        return;
      }
      process.exitCode = await validateGate(settings, commandLine(settings));
    });
}
