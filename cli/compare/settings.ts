import path from 'node:path';
import { DEFAULT_MODES } from '../../bench/cases.js';
import { parseModes } from '../../bench/index.js';
import { preflightAnalyzeInputs, type AnalyzeFiles } from '../../analyze/index.js';
import { loadPolicies } from '../../analyze/regression/policy.js';
import type { MetricPolicy } from '../../analyze/regression/policy.js';
import { loadConfig, type WritegateConfig } from '../../core/config.js';
import { InputError } from '../../core/errors.js';
import { checkOutDir } from '../../core/out-dir.js';
import { parseProfile, type Profile } from '../../core/profile.js';
import { resolveSubjects } from '../../core/subjects/resolve.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import type { WriteMode } from '../../core/writer/types.js';
import { parseNonNegativeInt, parseSizeList, splitAssignment } from '../parse.js';
import { parseDuration } from '../../core/parse.js';
import { MAX_ROUNDS } from '../../analyze/index.js';
import { DEFAULT_SIZES } from '../run-options.js';

/** compare's flags as commander hands them over. */
export interface CompareFlags {
  base?: string[];
  head?: string[];
  baseDriver?: string[];
  headDriver?: string[];
  baseNoop?: string[];
  headNoop?: string[];
  maxRounds: string;
  maxTime: string;
  sizes?: string;
  modes?: string;
  samples?: string;
  profile: string;
  thresholds?: string;
  regressionPolicy?: string;
  allowInconclusive: boolean;
  config?: string;
  out: string;
  json: boolean;
}

/**
 * Timed samples per line in each run. A run's median is what a round contributes, and from the dozen
 * samples a quick plan gives a slow per-op writer it moves by about 10% between identical runs; the
 * paired interval then needs twice the rounds to show a median within its 10% minimum effect. Forty
 * halve that noise for a second or two per line.
 */
export const DEFAULT_COMPARE_SAMPLES = 40;

export type ArmName = 'base' | 'head';
export const ARMS: readonly ArmName[] = ['base', 'head'];

/** One arm's writers, as the config file the bench run of that arm reads. */
export type ArmWriters = NonNullable<WritegateConfig['writers']>;

export interface CompareSettings {
  arms: Record<ArmName, ArmWriters>;
  /** The compared subjects' names (the same in both arms). */
  subjects: string[];
  /** The head's subjects as the bench will resolve them: what the family is counted from. */
  headSubjects: WriterSubject[];
  /** The most rounds measured (a base run and a head run each); the sequential boundary's horizon at most. */
  maxRounds: number;
  /** Measuring stops before a pair of rounds that would end past this. */
  maxSeconds: number;
  sizes: number[];
  modes: WriteMode[];
  samples: number;
  profile: Profile;
  thresholdsFile?: string;
  /** The thresholds file, parsed once here (analyze takes it as is). */
  thresholds?: AnalyzeFiles['thresholds'];
  policies: MetricPolicy[];
  policyFile?: string;
  allowInconclusive: boolean;
  outDir: string;
  json: boolean;
}

function armWriters(
  commands: readonly string[] = [],
  drivers: readonly string[] = [],
  noops: readonly string[] = [],
  arm: ArmName,
): ArmWriters {
  const writers: ArmWriters = {};
  const add = (raw: string, flag: string, spec: ArmWriters[string]) => {
    const { name } = splitAssignment(raw, flag);
    if (writers[name]) throw new InputError(`${flag}: ${name} is named twice in the ${arm}`);
    writers[name] = spec;
  };
  for (const raw of commands) add(raw, `--${arm}`, { command: splitAssignment(raw, `--${arm}`).value });
  for (const raw of drivers) add(raw, `--${arm}-driver`, { driver: splitAssignment(raw, `--${arm}-driver`).value });
  // The spawn cost of the arm's own program, measured, instead of an estimate from another command's start.
  for (const raw of noops) {
    const { name, value } = splitAssignment(raw, `--${arm}-noop`);
    const writer = writers[name];
    if (!writer || !('command' in writer))
      throw new InputError(`--${arm}-noop: no --${arm} writer command named ${name}`);
    if (writer.noop) throw new InputError(`--${arm}-noop: ${name} is given twice`);
    writers[name] = { ...writer, noop: value };
  }
  return writers;
}

/** The arms' subjects, resolved as the bench will resolve them: bad templates and missing programs are refused here. */
export function armSubjects(writers: ArmWriters): WriterSubject[] {
  const names = Object.keys(writers);
  return resolveSubjects({ writers }, names).filter((subject) => names.includes(subject.name));
}

export function parseCompareSettings(flags: CompareFlags): CompareSettings {
  checkOutDir(flags.out);
  const arms = {
    base: armWriters(flags.base, flags.baseDriver, flags.baseNoop, 'base'),
    head: armWriters(flags.head, flags.headDriver, flags.headNoop, 'head'),
  };
  const [baseNames, headNames] = [Object.keys(arms.base).sort(), Object.keys(arms.head).sort()];
  if (headNames.length === 0)
    throw new InputError(
      "--head: give the head's writer, e.g. --head 'mytool=./head/mytool write {source} {target}' (or --head-driver)",
    );
  if (baseNames.length === 0)
    throw new InputError(
      "--base: give the base's writer, e.g. --base 'mytool=./base/mytool write {source} {target}' (or --base-driver)",
    );
  if (baseNames.join('\0') !== headNames.join('\0')) {
    throw new InputError(
      `--base/--head: each compared writer needs one name in both arms (base: ${baseNames.join(', ')}; ` +
        `head: ${headNames.join(', ')}), so its figures pair up`,
    );
  }
  // In a round both arms are subjects of one bench, as <name>.base and <name>.head (runner.ts).
  for (const name of headNames) {
    for (const taken of [`${name}.base`, `${name}.head`])
      if (headNames.includes(taken))
        throw new InputError(
          `--base/--head: ${taken} would clash with ${name}'s own arms in a round; rename one of them`,
        );
  }
  const headSubjects = armSubjects(arms.head);
  armSubjects(arms.base);
  const requestedModes = flags.modes ? parseModes(flags.modes) : [...DEFAULT_MODES];
  // A mode no compared writer runs would only time the yardsticks: measured, never judged.
  const modes = requestedModes.filter((mode) => headSubjects.some((subject) => subject.modes.includes(mode)));
  if (modes.length === 0)
    throw new InputError(
      `--modes: ${headNames.join(', ')} run none of ${requestedModes.join(', ')} (a ` +
        `writer command without {mode} runs durable and unchanged)`,
    );
  const maxRounds = parseNonNegativeInt(flags.maxRounds, '--max-rounds', MAX_ROUNDS);
  if (maxRounds < 2)
    throw new InputError('--max-rounds: at least 2; each look needs a base-first and a head-first round');
  const maxSeconds = parseDuration(flags.maxTime, '--max-time');
  const samples =
    flags.samples === undefined ? DEFAULT_COMPARE_SAMPLES : parseNonNegativeInt(flags.samples, '--samples', 100_000);
  if (samples < 5) throw new InputError('--samples: at least 5 per run');
  // The config file lends its thresholds, as it does to analyze; the writers come from the flags.
  const { config } = loadConfig(flags.config);
  const thresholds = flags.thresholds ?? config.thresholds;
  const thresholdsFile = thresholds ? path.resolve(thresholds) : undefined;
  const { thresholds: parsedThresholds } = preflightAnalyzeInputs({ thresholdsFile });
  return {
    arms,
    subjects: headNames,
    headSubjects,
    maxRounds,
    maxSeconds,
    sizes: flags.sizes ? parseSizeList(flags.sizes, '--sizes') : DEFAULT_SIZES,
    modes,
    samples,
    profile: parseProfile(flags.profile),
    thresholdsFile,
    ...(parsedThresholds ? { thresholds: parsedThresholds } : {}),
    policies: loadPolicies(flags.regressionPolicy),
    policyFile: flags.regressionPolicy ? path.resolve(flags.regressionPolicy) : undefined,
    allowInconclusive: flags.allowInconclusive,
    outDir: path.resolve(flags.out),
    json: flags.json,
  };
}
