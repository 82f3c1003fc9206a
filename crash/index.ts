import type { Suite } from '../core/suite.js';
import { NEEDS_STRACE, type ScenarioId } from './cases.js';
import { runCrash } from './runner.js';
import { CRASH_OPTIONS, crashOptionsSchema, resolveCrashSettings, type CrashOptions } from './settings.js';

/**
 * `writegate crash`: durability under kills, I/O errors, races and power loss, and a hostile environment, for any
 * writer subject. Kills at every step of the write path and injects I/O errors with strace (each
 * trial checked against its own trace), real ENOSPC on a tiny tmpfs, random kills in a stress
 * loop, concurrent writers, and the reference writer's CAS, lock and in-process fault points.
 */
export const crashSuite: Suite<CrashOptions> = {
  name: 'crash',
  summary:
    'kill each write-path step (strace, verified per trial), inject I/O errors, real ENOSPC on a tiny tmpfs, random kills, concurrent writers; the floor baseline is excluded (no cleanup by design)',
  options: CRASH_OPTIONS,
  optionsSchema: crashOptionsSchema,
  preflight(ctx, options) {
    const settings = resolveCrashSettings(ctx.profile, options);
    // tiny_fs traces its writes when it runs, and it runs only as root.
    const tracing = (id: ScenarioId) => NEEDS_STRACE.includes(id) || (id === 'tiny_fs' && process.getuid?.() === 0);
    const needing = settings.scenarios.filter(tracing);
    return needing.length ? [{ tool: 'strace', binary: settings.strace, purpose: `crash ${needing.join(', ')}` }] : [];
  },
  async run(ctx, options) {
    await runCrash(ctx, resolveCrashSettings(ctx.profile, options));
  },
};
