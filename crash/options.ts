/** crash's command-line options: how they appear (CRASH_OPTIONS) and what they mean once parsed. */
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { resolveExecutable } from '../core/executable.js';
import { isAbsent, MAX_TIMEOUT_MS } from '../core/parse.js';
import { placeholdersIn, splitTemplate } from '../core/subjects/template.js';
import type { SuiteOption } from '../core/suite.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import { BATCH_SCENARIOS, SCENARIO_IDS, type ScenarioId } from './cases.js';

/** crash's own command-line options, as data (cli/main.ts registers them; `gate` uses the defaults). */
export const CRASH_OPTIONS: readonly SuiteOption[] = [
  {
    flags: '--crash-scenarios <list>',
    description:
      `crash scenarios to run, comma-separated (default all: ${SCENARIO_IDS.join(', ')}; ` +
      `crash_image only with --fs; ${BATCH_SCENARIOS.join(', ')} only with --batch-cmd)`,
  },
  {
    flags: '--crash-trials <n>',
    description: 'trials per kill step, per error fault and per fault point (default: quick 1, full 3)',
  },
  {
    flags: '--crash-attempts <n>',
    description: 'attempts per injected trial before it counts as not reached (default 3)',
  },
  { flags: '--crash-kills <n>', description: 'random-kill trials per subject and size (default: quick 4, full 25)' },
  { flags: '--crash-writers <k>', description: 'concurrent writers per round (default: quick 4, full 10)' },
  { flags: '--crash-rounds <n>', description: 'concurrent rounds per subject and size (default: quick 1, full 8)' },
  {
    flags: '--crash-jobs <n>',
    description:
      'trials run at once, each in its own directory (default: CPU count + 1, ' +
      'at most 4: a writer retrying a fault sleeps, so one extra job keeps the CPUs busy)',
  },
  {
    flags: '--crash-strace <path>',
    description: 'the strace binary for injection and traces (default: strace on PATH)',
  },
  {
    flags: '--crash-max-states <n>',
    description:
      'power_loss: crash states checked per writer, size and model; past it ' +
      'a seeded sample, and the report says so (default: quick 1000, full 4000)',
  },
  {
    flags: '--crash-checker <command>',
    description:
      "power_loss: your application's own consistency check, run on every distinct " +
      "crash state as a directory ({dir} holds the target's directory as dir/ " +
      "and the writer's temp directory as tmp/; with --command, the command's work directory); " +
      'exit 0 = consistent, 1 = not; ' +
      'anything else, or no answer in time, is an error. Run without a shell, ' +
      "e.g. 'node check.mjs {dir}'",
  },
  {
    flags: '--command <name=template>',
    description:
      'power_loss of a whole command instead of the writers: NAME=TEMPLATE runs TEMPLATE (no shell, no ' +
      'placeholder) in a work directory --command-setup prepares fresh, and every file it touches there ' +
      'is followed; needs --crash-checker. Or a built-in example: git-commit, git-commit-fsync-all, ' +
      'sqlite-full, sqlite-off (each with its own setup and checker). Repeatable',
    repeatable: true,
  },
  {
    flags: '--command-setup <template>',
    description:
      "prepares each --command's empty work directory {dir} (e.g. 'sh make-repo.sh {dir}'); with {size}, " +
      'once per size of the run, each a size class of its own; run without a shell, in the ' +
      "command's isolated environment",
  },
  {
    flags: '--command-wrapper <name=template>',
    description:
      'crash-safety parity: each --command also runs through this wrapper (an argv prefix, as ' +
      "parity's --wrapper; the config file's wrappers count too), same setup, same checker; a wrapper " +
      'that leaves more violating crash states than the native command fails. Repeatable',
    repeatable: true,
  },
  {
    flags: '--command-budget <seconds>',
    description:
      'per --command and persistence model: how long the checker may spend on crash states before ' +
      'the rest are left unchecked (and the report says how many were checked) (default: quick 10, full 30)',
  },
  {
    flags: '--crash-checker-timeout <seconds>',
    description: 'power_loss: how long the checker may take on one crash state before it counts as hung (default 30)',
  },
];

/** The user's crash-state checker command, validated before anything is measured. */
function checkerCommand(value: unknown, flag: string): { template: string; argv: string[] } | undefined {
  if (isAbsent(value)) return undefined;
  const template = String(value);
  const argv = splitTemplate(template, flag);
  const unknown = [...placeholdersIn(argv)].filter((name) => name !== 'dir');
  if (unknown.length) throw new InputError(`${flag}: unknown placeholder {${unknown[0]}}; the only one is {dir}`);
  if (!placeholdersIn(argv).has('dir'))
    throw new InputError(`${flag}: the command must name the crash state's directory as {dir}: ${template}`);
  const binary = argv[0] as string;
  if (resolveExecutable(binary) === undefined)
    throw new InputError(`${flag}: ${binary} is not an executable file${binary.includes('/') ? '' : ' on PATH'}`);
  return { template, argv };
}

/** The scenarios asked for; undefined when none were named (the plan then picks them, crash/plan.ts). */
function scenarioList(value: unknown, flag: string): ScenarioId[] | undefined {
  if (isAbsent(value)) return undefined;
  const names = String(value)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIO_IDS as string[]).includes(name));
  if (unknown.length)
    throw new InputError(`${flag}: unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIO_IDS.join(', ')}`);
  // Run order is the catalogue's, whatever order the list was given in.
  return SCENARIO_IDS.filter((id) => names.includes(id));
}

/** What each of CRASH_OPTIONS means once parsed. */
export const crashOptionsSchema = suiteOptionsSchema({
  crashScenarios: scenarioList,
  crashTrials: optionParsers.count(1, 1000),
  crashAttempts: optionParsers.count(1, 100),
  crashKills: optionParsers.count(1, 10_000),
  crashWriters: optionParsers.count(1, 256),
  crashRounds: optionParsers.count(1, 1000),
  crashJobs: optionParsers.count(1, 64),
  crashStrace: optionParsers.text(),
  crashMaxStates: optionParsers.count(1, 10_000_000),
  crashChecker: checkerCommand,
  // Seconds, as a timer's milliseconds at most 2^31 − 1.
  crashCheckerTimeout: optionParsers.count(1, Math.floor(MAX_TIMEOUT_MS / 1000)),
  command: textList,
  commandSetup: optionParsers.text(),
  commandWrapper: textList,
  commandBudget: optionParsers.count(1, 3600),
});

/** A repeatable flag's values (commander collects them), or undefined when not given. */
function textList(value: unknown): string[] | undefined {
  if (isAbsent(value)) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}
export type CrashOptions = z.infer<typeof crashOptionsSchema>;
