import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { isAbsent, MAX_TIMEOUT_MS } from '../core/parse.js';
import { optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import type { Suite, SuiteContext } from '../core/suite.js';
import { checkAuditFiles, resolveHookSettings, resolveHooks } from './plan.js';
import { DEFAULT_CALL_TIMEOUT_MS, probeHooks, runHook } from './runner.js';
import { hookWork, planHookRun } from './work.js';
import { HOOK_CASES } from './cases.js';

/**
 * The hook suite's own options (the hooks and env sets come from the config): `--audit FILE...`,
 * transcripts and hook logs of recorded sessions; `--hook-timeout MS`, per call; `--every-case`, every
 * command line sent as often as the full profile sends it (readiness sets it).
 */
export const hookOptionsSchema = suiteOptionsSchema({
  audit: (value: unknown): string[] => (isAbsent(value) ? [] : (Array.isArray(value) ? value : [value]).map(String)),
  hookTimeout: optionParsers.count(1, MAX_TIMEOUT_MS),
  everyCase: optionParsers.switch(),
});
export type HookOptions = z.infer<typeof hookOptionsSchema>;

/**
 * `writegate hook`: does a PreToolUse hook send the wrapper only what it may? Every command line of
 * the corpus goes through each hook as Claude Code would send it, in the default environment and in
 * each opt-in env set (some lines again, for determinism); rows only (see rows.ts), the gates and the
 * report live in analyze's hook section. With --audit, recorded sessions are turned into rows too.
 */
export const hookSuite: Suite<HookOptions> = {
  name: 'hook',
  summary: 'PreToolUse hooks: which commands each rewrites, in the default and opt-in environments; arguments kept, valid and deterministic answers, latency; audit of recorded sessions',
  options: [
    { flags: '--audit <files...>', description: 'also audit recorded sessions: Claude Code transcripts and `writegate hook-shim` logs' },
    { flags: '--hook-timeout <ms>', description: `per call: a hook that has not answered by then is killed and its answer counts as invalid (default ${DEFAULT_CALL_TIMEOUT_MS})` },
    { flags: '--every-case', description: 'send every command line as often as the full profile does (quick sends each once and a spread of them twice, for determinism; readiness sets this)', defaultValue: false },
  ],
  optionsSchema: hookOptionsSchema,
  preflight(ctx, options) {
    const settings = resolveHookSettings(options, ctx.profile);
    const hooks = resolveHooks(ctx.config.hooks, process.env.PATH ?? '');
    if (hooks.length === 0 && settings.auditFiles.length === 0) throw new InputError('hook: nothing to run; give --hook NAME=COMMAND (or "hooks" in the config file), or --audit FILE');
    checkAuditFiles(settings.auditFiles);
    return [];
  },
  async probe(ctx, options) {
    await probeHooks(resolveHooks(ctx.config.hooks, process.env.PATH ?? ''), resolveHookSettings(options, ctx.profile).timeoutMs);
  },
  plannedWork(ctx: SuiteContext, options: HookOptions) {
    const hooks = resolveHooks(ctx.config.hooks, process.env.PATH ?? '');
    return hooks.length ? hookWork(planHookRun(hooks, ctx.config, ctx.profile, resolveHookSettings(options, ctx.profile), HOOK_CASES)) : 0;
  },
  async run(ctx: SuiteContext, options: HookOptions) {
    await runHook(ctx, resolveHookSettings(options, ctx.profile));
  },
};
