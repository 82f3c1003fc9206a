/** bench's command-line options: how they appear (BENCH_OPTIONS) and what they mean once parsed. */
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { SuiteOption } from '../core/suite.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import { WRITE_MODES, type WriteMode } from '../core/writer/types.js';
import {
  BENCH_SCENARIO_CHOICES,
  DEFAULT_BENCH_SCENARIOS,
  DEFAULT_ENGINE,
  DEFAULT_MODES,
  ENGINES,
  type BenchScenarioChoice,
  type EngineName,
} from './cases.js';

export const BENCH_OPTIONS: readonly SuiteOption[] = [
  {
    flags: '--scenarios <list>',
    description:
      'bench scenarios, comma-separated: write (every subject × mode × size, timed and traced) and batch ' +
      '(N files across K directories: one batch call against the single write file after file, for each ' +
      'subject with a batch form)',
    defaultValue: DEFAULT_BENCH_SCENARIOS.join(','),
  },
  {
    flags: '--batch-files <n>',
    description: 'files in each batch of the batch scenario (default: quick 100, full 1000)',
  },
  {
    flags: '--batch-dirs <k>',
    description: 'directories the batch spreads its files over, round robin (default: quick 10, full 20)',
  },
  {
    flags: '--engine <name>',
    description: `sampling engine: ${ENGINES.join(', ')} or both (both writes the rows of each)`,
    defaultValue: DEFAULT_ENGINE,
  },
  {
    flags: '--modes <list>',
    description: `write modes to bench, comma-separated (${WRITE_MODES.join(', ')})`,
    defaultValue: DEFAULT_MODES.join(','),
  },
  {
    flags: '--samples <n>',
    description:
      'fixed timed samples per line (subject × mode × size), and runs of its spawn-cost noop ' +
      "(default: planned from the profile's time budget)",
  },
  {
    flags: '--trace-writes <n>',
    description:
      'one-shot writes traced under strace per line (subject × mode × size) ' +
      'for fsync/rename/bytes accounting; 0 turns it off (default: quick 1, full 3)',
  },
];

export function parseEngines(raw: unknown, flag = '--engine'): EngineName[] {
  const text = String(raw ?? DEFAULT_ENGINE)
    .trim()
    .toLowerCase();
  if (text === 'both') return [...ENGINES];
  const names = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(ENGINES as readonly string[]).includes(name))
      throw new InputError(`${flag}: unknown engine ${JSON.stringify(name)}; expected ${ENGINES.join(', ')} or both`);
  }
  if (names.length === 0) throw new InputError(`${flag}: empty; expected tinybench, mitata or both`);
  return [...new Set(names)] as EngineName[];
}

export function parseModes(raw: unknown, flag = '--modes'): WriteMode[] {
  const names = String(raw ?? DEFAULT_MODES.join(','))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(WRITE_MODES as readonly string[]).includes(name))
      throw new InputError(`${flag}: unknown mode ${JSON.stringify(name)}; expected ${WRITE_MODES.join(', ')}`);
  }
  if (names.length === 0) throw new InputError(`${flag}: empty; expected some of ${WRITE_MODES.join(', ')}`);
  // Report order is the canonical order, whatever order they were typed in.
  return WRITE_MODES.filter((mode) => names.includes(mode));
}

export function parseScenarios(raw: unknown, flag = '--scenarios'): BenchScenarioChoice[] {
  const names = String(raw ?? DEFAULT_BENCH_SCENARIOS.join(','))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const known = BENCH_SCENARIO_CHOICES.join(', ');
  for (const name of names) {
    if (!(BENCH_SCENARIO_CHOICES as readonly string[]).includes(name))
      throw new InputError(`${flag}: unknown scenario ${JSON.stringify(name)}; expected ${known}`);
  }
  if (names.length === 0) throw new InputError(`${flag}: empty; expected some of ${known}`);
  return BENCH_SCENARIO_CHOICES.filter((name) => names.includes(name));
}

/** What each of BENCH_OPTIONS means once parsed. */
export const benchOptionsSchema = suiteOptionsSchema({
  scenarios: parseScenarios,
  batchFiles: optionParsers.count(1, 100_000),
  batchDirs: optionParsers.count(1, 10_000),
  engine: parseEngines,
  modes: parseModes,
  samples: optionParsers.count(1, 1_000_000),
  traceWrites: optionParsers.count(0, 10_000),
});
export type BenchOptions = z.infer<typeof benchOptionsSchema>;
