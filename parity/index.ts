import type { z } from 'zod';
import type { Suite } from '../core/suite.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import { parityWork, planCases } from './plan.js';
import { runParity } from './runner.js';
import { checkWrappers, resolveNativeGit } from './wrappers.js';

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

/**
 * Semantic parity: native git vs each wrapper over a matrix of mutating git commands. Rows
 * only (see rows.ts); the gates and the report live in analyze's parity section.
 */
export const paritySuite: Suite<ParityOptions> = {
  name: 'parity',
  summary: 'native git vs wrappers over a matrix of mutating git commands: exit code, repository state, key diagnostics',
  options: [
    { flags: '--cases <ids>', description: 'only these parity cases: ids, commands or globs, comma-separated (e.g. push,stash.pop*); default: quick subset or all (full)' },
    { flags: '--known-differences <file>', description: 'known-differences file (JSON) that --readiness and analyze apply; see parity/README.md' },
    {
      flags: '--readiness',
      description: 'run the full matrix, then print one go/no-go line: is it safe to let the wrapper(s) rewrite mutating git commands?',
      defaultValue: false,
    },
  ],
  optionsSchema: parityOptionsSchema,
  preflight(ctx, options) {
    planCases(ctx.profile, options);
    const searchPath = process.env.PATH ?? '';
    resolveNativeGit(ctx.config.git, searchPath);
    checkWrappers(ctx.config.wrappers, searchPath);
    return [];
  },
  plannedWork(ctx, options) {
    return parityWork(planCases(ctx.profile, options).cases.length, Object.keys(ctx.config.wrappers ?? {}).length);
  },
  async run(ctx, options) {
    await runParity(ctx, options);
  },
};
