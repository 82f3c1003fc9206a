import fs from 'node:fs';
import path from 'node:path';
import type { WritegateConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { openInputFile } from '../core/input-file.js';
import { resolveExecutable } from '../core/executable.js';
import type { Profile } from '../core/profile.js';
import { HOOK_DEFAULT_ENV_SET } from '../core/schema.js';
import { refuseUnknownPlaceholders, splitTemplate } from '../core/subjects/template.js';
import type { PlanContext } from '../core/suite.js';
import { HOOK_CASES, type HookCase } from './cases.js';
import { floorOf, type HookFloor } from './floor.js';
import type { HookOptions } from './options.js';
import type { EnvSet, HookCall, HookPlan, HookRunPlan, HookSettings, HookUnderTest } from './types.js';

export type { EnvSet, HookCall, HookPlan, HookRunPlan, HookSettings, HookUnderTest } from './types.js';

/**
 * The run's hook suite, resolved and checked once (Suite.plan): its hooks (each program found), its
 * audit files (each readable) and every call it will make. Something to run is required.
 */
export function planHook(
  ctx: Pick<PlanContext, 'profile' | 'config'>,
  options: HookOptions,
  searchPath = process.env.PATH ?? '',
): HookPlan {
  const settings = resolveHookSettings(options, ctx.profile);
  const hooks = resolveHooks(ctx.config.hooks, searchPath);
  if (hooks.length === 0 && settings.auditFiles.length === 0)
    throw new InputError(
      'hook: nothing to run; give --hook NAME=COMMAND (or "hooks" in the config file), or --audit FILE',
    );
  checkAuditFiles(settings.auditFiles);
  return planHooks(ctx, settings, HOOK_CASES, hooks, searchPath);
}

/**
 * The plan of these settings over a corpus: the configured hooks (unless given) and, when there are any, their calls.
 */
export function planHooks(
  ctx: Pick<PlanContext, 'profile' | 'config'>,
  settings: HookSettings,
  corpus: readonly HookCase[] = HOOK_CASES,
  hooks: readonly HookUnderTest[] = resolveHooks(ctx.config.hooks, process.env.PATH ?? ''),
  searchPath = process.env.PATH ?? '',
): HookPlan {
  const cases = [...corpus];
  return {
    settings,
    hooks,
    cases,
    ...(hooks.length ? { calls: planHookRun(hooks, ctx.config, ctx.profile, settings, cases, searchPath) } : {}),
  };
}

/** Every call a hook run makes, and each hook's floor. */
export function planHookRun(
  hooks: readonly HookUnderTest[],
  config: WritegateConfig,
  profile: Profile,
  settings: HookSettings,
  cases: readonly HookCase[],
  searchPath = process.env.PATH ?? '',
): HookRunPlan {
  const sets = envSets(config.hookEnvs);
  const again = casesSentAgain(cases, profile, settings.everyCase);
  const calls = planCalls(hooks, sets, cases, again, profile);
  const floors = new Map(hooks.map((hook) => [hook, floorOf(hook.argv, searchPath)] as const));
  const floorFor = (hook: HookUnderTest) => {
    const choice = floors.get(hook);
    return choice && 'floor' in choice ? choice.floor : undefined;
  };
  const timed = hooks.flatMap((hook) =>
    sets.flatMap((set) => planLatencyCalls(hook, set, cases, settings.latencySamples, floorFor(hook))),
  );
  return { sets, again, calls, timed, floors };
}

import { DEFAULT_CALL_TIMEOUT_MS } from './protocol.js';

export function resolveHookSettings(options: HookOptions, profile: Profile): HookSettings {
  return {
    auditFiles: options.audit.map((file) => path.resolve(file)),
    timeoutMs: options.hookTimeout ?? DEFAULT_CALL_TIMEOUT_MS,
    latencySamples: latencySamples(profile),
    everyCase: options.everyCase,
  };
}

/** Each audit file must be a readable regular file: checked before anything runs. */
export function checkAuditFiles(files: readonly string[]): void {
  for (const file of files) fs.closeSync(openInputFile(file, 'jsonl', '--audit:').fd);
}

/**
 * In the quick profile, up to this many command lines of each class × tag are sent again (a line counts for all its
 * tags).
 */
export const QUICK_PER_GROUP = 2;

/**
 * Every run sends every command line once: the policy (what is rewritten, what is kept) is judged on
 * the whole corpus in every profile. These are the lines sent again, for determinism. Quick: a spread
 * over the corpus — lines are taken in order while any of their class × tag groups has fewer than
 * QUICK_PER_GROUP taken, so every kind of line (a mutating heredoc, a read-only pipe, …) is asked twice
 * in a fraction of the time. Full, or `everyCase` (readiness): every line.
 */
export function casesSentAgain(cases: readonly HookCase[], profile: Profile, everyCase = false): HookCase[] {
  if (profile === 'full' || everyCase) return [...cases];
  const taken = new Map<string, number>();
  const groups = (hookCase: HookCase) =>
    (hookCase.tags.length ? hookCase.tags : ['']).map((tag) => `${hookCase.class}\u0000${tag}`);
  return cases.filter((hookCase) => {
    if (!groups(hookCase).some((group) => (taken.get(group) ?? 0) < QUICK_PER_GROUP)) return false;
    for (const group of groups(hookCase)) taken.set(group, (taken.get(group) ?? 0) + 1);
    return true;
  });
}

/**
 * A line sent again is sent this many times in all. Twice is what determinism needs; the full profile
 * adds a third look (and more latency samples).
 */
export function runsPerCase(profile: Profile): number {
  return profile === 'full' ? 3 : 2;
}

/**
 * Latency is timed in a pass of its own, one call at a time, after the checking passes: calls run in
 * parallel there and would time each other's competition for the cores, not the hook. This many
 * calls per hook × env set, cycling through the cases in order, and as many of its floor.
 */
export function latencySamples(profile: Profile): number {
  return profile === 'full' ? 100 : 20;
}

/**
 * Each hook call has a floor call beside it, with the same input: load that comes and goes hits
 * both alike. The order alternates within pairs (hook first, then floor first), so neither always
 * runs in the other's wake (a warm cache, a just-freed core).
 */
export function planLatencyCalls(
  hook: HookUnderTest,
  envSet: EnvSet,
  cases: readonly HookCase[],
  samples: number,
  floor?: HookFloor,
): HookCall[] {
  if (cases.length === 0) return [];
  return Array.from({ length: samples }, (_, i) => {
    const call: HookCall = { hook, envSet, hookCase: cases[i % cases.length] as HookCase, run: -1 };
    if (!floor) return [call];
    const noop: HookCall = { ...call, floor };
    return i % 2 === 0 ? [call, noop] : [noop, call];
  }).flat();
}

/** Every configured hook (config file and --hook, flags win), checked: template, placeholders, program. */
export function resolveHooks(configured: WritegateConfig['hooks'], searchPath: string): HookUnderTest[] {
  return Object.entries(configured ?? {}).map(([name, template]) => {
    const where = `hook ${name}`;
    const argv = splitTemplate(template, where);
    refuseUnknownPlaceholders(argv, [], where, 'a hook takes none (the call arrives on stdin)');
    const [program = '', ...rest] = argv;
    const resolved = resolveExecutable(program, process.cwd(), searchPath);
    if (!resolved)
      throw new InputError(
        `${where}: ${JSON.stringify(program)} ` +
          `is not an executable file${program.includes('/') ? '' : ' on PATH'} (template: ${template})`,
      );
    return { name, template, argv: [resolved, ...rest.map((arg) => absoluteIfFile(arg))] };
  });
}

/**
 * A hook runs in its own project directory (as Claude Code runs it in yours), so `node my-hook.mjs`
 * given relative to where writegate was started would not be found there: an argument naming an
 * existing file relative to the current directory is made absolute. Anything else is passed as is.
 */
function absoluteIfFile(arg: string): string {
  if (arg === '' || arg.startsWith('-') || path.isAbsolute(arg)) return arg;
  const candidate = path.resolve(arg);
  try {
    return fs.statSync(candidate).isFile() ? candidate : arg;
  } catch {
    return arg;
  }
}

/** `default` (no opt-in variable) first, then every configured opt-in set. */
export function envSets(configured: WritegateConfig['hookEnvs']): EnvSet[] {
  return [
    { name: HOOK_DEFAULT_ENV_SET, vars: {} },
    ...Object.entries(configured ?? {}).map(([name, vars]) => ({ name, vars })),
  ];
}

/**
 * The work list: hook × env set × run × case. A run's calls all come before the next run's, so a hook
 * whose answer depends on something it left behind (a cache, a counter) answers the second time from
 * that state and shows up as not deterministic.
 */
export function planCalls(
  hooks: readonly HookUnderTest[],
  sets: readonly EnvSet[],
  cases: readonly HookCase[],
  again: readonly HookCase[],
  profile: Profile,
): HookCall[] {
  const calls: HookCall[] = [];
  for (const hook of hooks) {
    for (const envSet of sets) {
      for (const hookCase of cases) calls.push({ hook, envSet, hookCase, run: 0 });
      for (let run = 1; run < runsPerCase(profile); run++)
        for (const hookCase of again) calls.push({ hook, envSet, hookCase, run });
    }
  }
  return calls;
}
