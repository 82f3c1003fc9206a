/** parity's command-line options: how they appear (PARITY_OPTIONS) and what they mean once parsed. */
import type { z } from 'zod';
import type { SuiteOption } from '../core/suite.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';

/** parity's own command-line options, as data (cli/main.ts registers them; `gate` uses the defaults). */
export const PARITY_OPTIONS: readonly SuiteOption[] = [
  {
    flags: '--cases <ids>',
    description:
      'only these parity cases: ids, commands or globs, comma-separated (e.g. ' +
      'push,stash.pop*); default: quick subset or all (full)',
  },
  {
    flags: '--known-differences <file>',
    description: 'known-differences file (JSON) that --readiness and analyze apply; see parity/README.md',
  },
  {
    flags: '--readiness',
    description:
      'run the full matrix, then print one go/no-go line: is it safe to let ' +
      'the wrapper(s) rewrite mutating git commands?',
    defaultValue: false,
  },
];

/**
 * `--cases`: ids, commands or globs, comma-separated; `--known-differences` is read by analyze;
 * `--readiness` is handled by the CLI after the run (analyze's parity section words the line).
 */
export const parityOptionsSchema = suiteOptionsSchema({
  cases: optionParsers.textKeepEmpty(),
  knownDifferences: optionParsers.text(),
  readiness: optionParsers.switch(),
});
export type ParityOptions = z.infer<typeof parityOptionsSchema>;
