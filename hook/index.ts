import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { mapPool } from '../core/pool.js';
import { isAbsent, optionParsers, suiteOptionsSchema } from '../core/suite-options.js';
import type { Profile } from '../core/profile.js';
import type { Suite, SuiteContext } from '../core/suite.js';
import { auditFiles } from './audit/index.js';
import { HOOK_CASES, type HookCase } from './cases.js';
import { judgeCase, policyFigures, type CaseVerdict } from './checks.js';
import { envSets, latencySamples, planCalls, planLatencyCalls, resolveHooks, selectCases, type HookCall, type HookUnderTest } from './plan.js';
import { auditRows, policyRows } from './rows.js';
import { callHook, createHookSandbox, DEFAULT_CALL_TIMEOUT_MS, type CallOutcome, type HookSandbox } from './runner.js';

/**
 * The hook suite's own options (the hooks and env sets come from the config): `--audit FILE...`,
 * transcripts and hook logs of recorded sessions; `--hook-timeout MS`, per call; `--every-case`, the
 * whole corpus whatever the profile (readiness sets it).
 */
export const hookOptionsSchema = suiteOptionsSchema({
  audit: (value: unknown): string[] => (isAbsent(value) ? [] : (Array.isArray(value) ? value : [value]).map(String)),
  hookTimeout: optionParsers.count(1),
  everyCase: optionParsers.switch(),
});
export type HookOptions = z.infer<typeof hookOptionsSchema>;

export interface HookSettings {
  auditFiles: readonly string[];
  timeoutMs: number;
  /** Calls in the latency pass, per hook × env set. */
  latencySamples: number;
  /** Send every command line of the corpus, whatever the profile. */
  everyCase: boolean;
}

export function resolveHookSettings(options: HookOptions, profile: Profile): HookSettings {
  return {
    auditFiles: options.audit.map((file) => path.resolve(file)),
    timeoutMs: options.hookTimeout ?? DEFAULT_CALL_TIMEOUT_MS,
    latencySamples: latencySamples(profile),
    everyCase: options.everyCase,
  };
}

/** Each audit file must be a readable regular file: checked before anything runs. */
function checkAuditFiles(files: readonly string[]): void {
  for (const file of files) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      throw new InputError(`--audit: ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (!stat.isFile()) throw new InputError(`--audit: ${file} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}; give transcript or hook-log files`);
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch {
      throw new InputError(`--audit: ${file}: cannot read (permission denied)`);
    }
  }
}

/**
 * `writegate hook`: does a PreToolUse hook send the wrapper only what it may? Every command line of
 * the corpus goes through each hook as Claude Code would send it, in the default environment and in
 * each opt-in env set, twice; rows only (see rows.ts), the gates and the report live in analyze's hook
 * section. With --audit, recorded sessions are turned into rows too.
 */
export const hookSuite: Suite<HookOptions> = {
  name: 'hook',
  summary: 'PreToolUse hooks: which commands each rewrites, in the default and opt-in environments; arguments kept, valid and deterministic answers, latency; audit of recorded sessions',
  options: [
    { flags: '--audit <files...>', description: 'also audit recorded sessions: Claude Code transcripts and `writegate hook-shim` logs' },
    { flags: '--hook-timeout <ms>', description: `per call: a hook that has not answered by then is killed and its answer counts as invalid (default ${DEFAULT_CALL_TIMEOUT_MS})` },
    { flags: '--every-case', description: 'send every command line of the corpus (the quick profile sends a spread of it; full and readiness send all)', defaultValue: false },
  ],
  optionsSchema: hookOptionsSchema,
  preflight(ctx, options) {
    const settings = resolveHookSettings(options, ctx.profile);
    const hooks = resolveHooks(ctx.config.hooks, process.env.PATH ?? '');
    if (hooks.length === 0 && settings.auditFiles.length === 0) throw new InputError('hook: nothing to run; give --hook NAME=COMMAND (or "hooks" in the config file), or --audit FILE');
    checkAuditFiles(settings.auditFiles);
    return [];
  },
  async run(ctx: SuiteContext, options: HookOptions) {
    await runHook(ctx, resolveHookSettings(options, ctx.profile));
  },
};

/** Short processes, mostly starting up: one per core keeps the cores busy without queueing on them. */
function concurrency(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export async function runHook(ctx: SuiteContext, settings: HookSettings, corpus: readonly HookCase[] = HOOK_CASES): Promise<void> {
  if (settings.auditFiles.length) {
    checkAuditFiles(settings.auditFiles);
    ctx.progress.note(`hook: auditing ${settings.auditFiles.length} file(s)`);
    ctx.sink.addAll(auditRows(await auditFiles(settings.auditFiles)));
  }
  const hooks = resolveHooks(ctx.config.hooks, process.env.PATH ?? '');
  if (hooks.length === 0) return;
  const sets = envSets(ctx.config.hookEnvs);
  const cases = selectCases(corpus, ctx.profile, settings.everyCase);
  const calls = planCalls(hooks, sets, cases, ctx.profile);
  const sandboxes = new Map<string, HookSandbox>();
  for (const hook of hooks) for (const set of sets) sandboxes.set(key(hook, set.name), createHookSandbox(ctx.workspace.dir('hook', hook.name, set.name)));
  const timed = hooks.flatMap((hook) => sets.flatMap((set) => planLatencyCalls(hook, set, cases, settings.latencySamples)));
  const limit = concurrency();
  ctx.progress.note(
    `hook: ${cases.length} command(s) × ${hooks.map((hook) => hook.name).join(', ')} × env set(s) ${sets.map((set) => set.name).join(', ')}: ${calls.length} calls, ${limit} at a time, then ${timed.length} timed one at a time`,
  );
  ctx.progress.start('hook', calls.length + timed.length);
  const call = async (one: HookCall): Promise<CallOutcome> => {
    const outcome = await callHook(one.hook, one, sandboxes.get(key(one.hook, one.envSet.name)) as HookSandbox, settings.timeoutMs);
    ctx.progress.tick();
    return outcome;
  };
  const outcomes = await mapPool(calls, limit, call);
  const timings = await mapPool(timed, 1, call);
  for (const hook of hooks) {
    for (const set of sets) {
      const mine = (list: readonly CallOutcome[]) => list.filter((outcome) => outcome.call.hook === hook && outcome.call.envSet.name === set.name);
      const verdicts = judgeAll(cases, mine(outcomes));
      const durations = mine(timings).map((outcome) => outcome.durationMs);
      ctx.sink.addAll(policyRows(hook, set, policyFigures(verdicts, mine(outcomes).length, durations), verdicts, corpus.length));
    }
  }
}

function key(hook: HookUnderTest, set: string): string {
  return `${hook.name}\u0000${set}`;
}

function judgeAll(cases: readonly HookCase[], outcomes: readonly CallOutcome[]): CaseVerdict[] {
  const byCase = new Map<string, CallOutcome[]>();
  for (const outcome of outcomes) byCase.set(outcome.call.hookCase.id, [...(byCase.get(outcome.call.hookCase.id) ?? []), outcome]);
  return cases.map((hookCase) => judgeCase(hookCase, (byCase.get(hookCase.id) ?? []).sort((a, b) => a.call.run - b.call.run).map((outcome) => outcome.answer)));
}
