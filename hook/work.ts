import os from 'node:os';
import type { HookRunPlan } from './types.js';

export type { HookRunPlan } from './types.js';

/**
 * Short processes, mostly starting up: two per core keep the cores busy while each waits on its
 * start-up I/O (measured on 2 cores: 12.4 s with one per core, 11.0 s with two, 10.5 s with three).
 */
export function callConcurrency(): number {
  return Math.max(1, Math.min(8, os.availableParallelism() * 2));
}

/**
 * The calls' planned work for the whole-run ETA, in rough seconds: a hook is a user's program, taken
 * as 0.1 s a call (a small script's start-up). Only proportions matter.
 */
export function hookWork(plan: Pick<HookRunPlan, 'calls' | 'timed'>): number {
  const CALL_S = 0.1;
  return (plan.calls.length / callConcurrency() + plan.timed.length) * CALL_S;
}
