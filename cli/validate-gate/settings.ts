import path from 'node:path';
import type { ValidationSettings } from '../../analyze/regression/validation-report.js';
import { InputError } from '../../core/errors.js';
import { WRITE_MODES } from '../../core/writer/index.js';
import { parseNonNegativeInt, parseSize } from '../parse.js';

/** validate-gate's flags as commander hands them over. */
export interface ValidateFlags {
  subject: string;
  size: string;
  mode: string;
  comparisons: string;
  rounds: string;
  effect: string;
  inject: 'spin' | 'fsync';
  samples: string;
  out: string;
  regressionPolicy?: string;
  rescore?: string;
  rescoreRuns?: string;
  multiplicity: ValidationSettings['multiplicity'];
  json: boolean;
}

export interface Settings extends ValidationSettings {
  outDir: string;
  json: boolean;
}

export function parseSettings(flags: ValidateFlags): Settings {
  const rounds = parseNonNegativeInt(flags.comparisons, '--comparisons', 1000);
  if (rounds < 1) throw new InputError('--comparisons: at least 1');
  const runsPerArm = parseNonNegativeInt(flags.rounds, '--rounds', 1000);
  // One run per arm measures no run-to-run variance, so the gate would call every change unconfirmed.
  if (runsPerArm < 2)
    throw new InputError(
      '--rounds: at least 2 (with one run per arm the gate judges no timing ' +
        'change: it cannot see how far whole runs move)',
    );
  const samples = parseNonNegativeInt(flags.samples, '--samples', 100_000);
  if (samples < 5) throw new InputError('--samples: at least 5 (the comparison needs 5 per arm)');
  const effect = Number(flags.effect);
  if (!Number.isFinite(effect) || effect <= 0 || effect > 10)
    throw new InputError(`--effect: a fraction like 0.25 (+25%), got ${JSON.stringify(flags.effect)}`);
  if (!(WRITE_MODES as readonly string[]).includes(flags.mode))
    throw new InputError(`--mode: expected ${WRITE_MODES.join(', ')}, got ${JSON.stringify(flags.mode)}`);
  return {
    subject: flags.subject,
    sizeBytes: parseSize(flags.size, '--size'),
    mode: flags.mode,
    rounds,
    runsPerArm,
    effect,
    inject: flags.inject,
    samples,
    outDir: path.resolve(flags.out),
    policyFile: flags.regressionPolicy,
    multiplicity: flags.multiplicity,
    json: flags.json,
  };
}

/** The command that reproduces these figures, with every default spelled out. */
export function commandLine(settings: Settings): string {
  return [
    'writegate validate-gate',
    `--subject ${settings.subject}`,
    `--size ${settings.sizeBytes}`,
    `--mode ${settings.mode}`,
    `-k ${settings.rounds}`,
    `--rounds ${settings.runsPerArm}`,
    `--effect ${settings.effect}`,
    `--inject ${settings.inject}`,
    `--samples ${settings.samples}`,
    ...(settings.policyFile ? [`--regression-policy ${settings.policyFile}`] : []),
    ...(settings.multiplicity !== 'bonferroni' ? [`--multiplicity ${settings.multiplicity}`] : []),
  ].join(' ');
}
