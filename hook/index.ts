import type { Suite } from '../core/suite.js';
import { HOOK_OPTIONS, hookOptionsSchema, type HookOptions } from './options.js';
import { planHook } from './plan.js';
import { probeHooks, runHook } from './runner.js';
import type { HookPlan } from './types.js';
import { hookWork } from './work.js';

export { HOOK_OPTIONS, hookOptionsSchema, type HookOptions } from './options.js';

/**
 * `writegate hook`: does a PreToolUse hook send the wrapper only what it may? Every command line of
 * the corpus goes through each hook as Claude Code would send it, in the default environment and in
 * each opt-in env set (some lines again, for determinism); rows only (see rows.ts), the gates and the
 * report live in analyze's hook section. With --audit, recorded sessions are turned into rows too.
 */
export const hookSuite: Suite<HookOptions, HookPlan> = {
  name: 'hook',
  summary:
    'PreToolUse hooks: which commands each rewrites, in the default and opt-in ' +
    'environments; arguments kept, valid and deterministic answers, latency; ' +
    'audit of recorded sessions',
  options: HOOK_OPTIONS,
  optionsSchema: hookOptionsSchema,
  plan: (ctx, options) => planHook(ctx, options),
  async probe(plan) {
    await probeHooks(plan.hooks, plan.settings.timeoutMs);
  },
  plannedWork(plan) {
    return plan.calls ? hookWork(plan.calls) : 0;
  },
  async run(ctx, plan) {
    await runHook(ctx, plan);
  },
};
