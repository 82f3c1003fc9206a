import os from 'node:os';
import type { WritegateConfig } from '../core/config.js';
import type { Profile } from '../core/profile.js';
import type { HookCase } from './cases.js';
import { floorOf, type FloorChoice } from './floor.js';
import { casesSentAgain, envSets, planCalls, planLatencyCalls, type EnvSet, type HookCall, type HookSettings, type HookUnderTest } from './plan.js';

/**
 * Short processes, mostly starting up: two per core keep the cores busy while each waits on its
 * start-up I/O (measured on 2 cores: 12.4 s with one per core, 11.0 s with two, 10.5 s with three).
 */
export function callConcurrency(): number {
  return Math.max(1, Math.min(8, os.availableParallelism() * 2));
}

/** Every call a hook run makes: the judged calls (run callConcurrency() at once), then the timed ones, one at a time. */
export interface HookRunPlan {
  sets: EnvSet[];
  /** The cases sent a second time (determinism). */
  again: HookCase[];
  calls: HookCall[];
  /** The latency pass: each hook's calls interleaved with its floor's. */
  timed: HookCall[];
  /** Each hook's floor, or why it has none. */
  floors: ReadonlyMap<HookUnderTest, FloorChoice>;
}

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
  const timed = hooks.flatMap((hook) => sets.flatMap((set) => planLatencyCalls(hook, set, cases, settings.latencySamples, floorFor(hook))));
  return { sets, again, calls, timed, floors };
}

/**
 * The calls' planned work for the whole-run ETA, in rough seconds: a hook is a user's program, taken
 * as 0.1 s a call (a small script's start-up). Only proportions matter.
 */
export function hookWork(plan: Pick<HookRunPlan, 'calls' | 'timed'>): number {
  const CALL_S = 0.1;
  return (plan.calls.length / callConcurrency() + plan.timed.length) * CALL_S;
}
