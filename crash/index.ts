import type { Suite } from '../core/suite.js';
import { NEEDS_STRACE, type ScenarioId } from './cases.js';
import { CRASH_OPTIONS, crashOptionsSchema, type CrashOptions } from './options.js';
import { planCrash } from './plan.js';
import { runCrash } from './runner.js';
import type { CrashSuitePlan } from './types.js';
import { crashWork } from './work.js';

export { CRASH_OPTIONS, crashOptionsSchema, type CrashOptions } from './options.js';

/**
 * `writegate crash`: durability under kills, I/O errors, races and power loss, and a hostile environment, for any
 * writer subject. Kills at every step of the write path and injects I/O errors with strace (each
 * trial checked against its own trace), real ENOSPC on a tiny tmpfs, random kills in a stress
 * loop, concurrent writers, and the reference writer's CAS, lock and in-process fault points.
 */
export const crashSuite: Suite<CrashOptions, CrashSuitePlan> = {
  name: 'crash',
  summary:
    'kill each write-path step (strace, verified per trial), inject I/O errors, ' +
    'real ENOSPC on a tiny tmpfs, random kills, concurrent writers; the floor ' +
    'baseline is excluded (no cleanup by design)',
  options: CRASH_OPTIONS,
  optionsSchema: crashOptionsSchema,
  perFileSystem: true,
  plan: planCrash,
  needs({ settings }) {
    // tiny_fs traces its writes when it runs, and it runs only as root.
    const tracing = (id: ScenarioId) => NEEDS_STRACE.includes(id) || (id === 'tiny_fs' && process.getuid?.() === 0);
    const needing = settings.scenarios.filter(tracing);
    return needing.length ? [{ tool: 'strace', binary: settings.strace, purpose: `crash ${needing.join(', ')}` }] : [];
  },
  plannedWork(plan) {
    return crashWork(plan.subjects, plan.sizes, plan.settings);
  },
  async run(ctx, plan) {
    await runCrash(ctx, plan.settings);
  },
};
