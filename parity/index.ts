import type { Suite } from '../core/suite.js';
import { PARITY_OPTIONS, parityOptionsSchema, type ParityOptions } from './options.js';
import { parityWork, planParity } from './plan.js';
import { runParity } from './runner.js';
import type { ParityPlan } from './types.js';

export { PARITY_OPTIONS, parityOptionsSchema, type ParityOptions } from './options.js';

/**
 * Semantic parity: native git vs each wrapper over a matrix of mutating git commands. Rows
 * only (see rows.ts); the gates and the report live in analyze's parity section.
 */
export const paritySuite: Suite<ParityOptions, ParityPlan> = {
  name: 'parity',
  summary:
    'native git vs wrappers over a matrix of mutating git commands: exit code, repository state, key diagnostics',
  options: PARITY_OPTIONS,
  optionsSchema: parityOptionsSchema,
  plan: (ctx, options) => planParity(ctx, options),
  plannedWork(plan) {
    return parityWork(plan.cases.length, Object.keys(plan.wrappers).length);
  },
  async run(ctx, plan) {
    await runParity(ctx, plan);
  },
};
