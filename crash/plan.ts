import type { WriterSubject } from '../core/subjects/types.js';
import {
  CHECKER_TIMEOUT_S,
  BATCH_SCENARIOS,
  ERROR_FAULTS,
  FAULT_POINT_IDS,
  KILL_STEPS,
  pickSizes,
  PLANS,
  REFERENCE_ONLY,
  SCENARIO_IDS,
  type CrashPlan,
  type ErrorFault,
  type FaultPointId,
  type ScenarioId,
} from './cases.js';
import os from 'node:os';
import type { Profile } from '../core/profile.js';
import { InputError } from '../core/errors.js';
import type { PlanContext } from '../core/suite.js';
import type { CrashOptions } from './options.js';
import type { CommandSettings, CrashSettings, CrashSuitePlan } from './types.js';
import { parseCommands, parseWrappers, withWrappers } from './command/spec.js';
import type { PointId } from './strace/points.js';
import { BATCH_FSYNC_EIO, BATCH_KILL_POINTS, type BatchPoint } from './batch/points.js';

/**
 * crash's work list: which subjects and sizes each scenario runs, split into the shared pool and the scenarios that
 * run alone.
 */

/**
 * The run's crash, resolved once (Suite.plan): its scenarios pick crash_image by default when a fresh
 * file system will be made; asked for by name, it needs --fs.
 */
export function planCrash(ctx: PlanContext, options: CrashOptions): CrashSuitePlan {
  // A batch form the user gave a command writer (--batch-cmd, a config "batch"): the batch scenarios then run by
  // default. A driver's batch form shows only when asked, and the built-ins' always exist: neither turns them on.
  const batchGiven = ctx.subjects.some((subject) => subject.kind === 'command' && subject.batch !== undefined);
  const settings = resolveCrashSettings(ctx.profile, options, ctx.fileSystems, batchGiven, ctx.config.wrappers);
  if (settings.scenarios.includes('crash_image') && !ctx.config.fs?.length) {
    throw new InputError(
      '--crash-scenarios crash_image: needs --fs (ext4, xfs or btrfs): it copies ' +
        'the device of a file system made fresh for the run',
    );
  }
  return { settings, subjects: ctx.subjects, sizes: ctx.sizes };
}

/** The suite's parsed options folded into the profile's plan. */
export function resolveCrashSettings(
  profile: Profile,
  options: CrashOptions,
  fileSystems: readonly string[] = [],
  batchGiven = false,
  configuredWrappers: Readonly<Record<string, string>> = {},
): CrashSettings {
  const base = PLANS[profile];
  const plan: CrashPlan = {
    ...base,
    trialsPerStep: options.crashTrials ?? base.trialsPerStep,
    attempts: options.crashAttempts ?? base.attempts,
    randomKills: options.crashKills ?? base.randomKills,
    writers: options.crashWriters ?? base.writers,
    rounds: options.crashRounds ?? base.rounds,
    maxStates: options.crashMaxStates ?? base.maxStates,
    commandBudgetS: options.commandBudget ?? base.commandBudgetS,
  };
  const jobs = options.crashJobs ?? Math.min(4, os.availableParallelism() + 1);
  const checker = options.crashChecker && {
    ...options.crashChecker,
    timeoutMs: (options.crashCheckerTimeout ?? CHECKER_TIMEOUT_S) * 1000,
  };
  // crash_image copies a fresh file system's device: by default it runs whenever --fs made one. The
  // batch scenarios run by default only when the user gave a writer a batch form (--batch-cmd).
  const scenarios =
    options.crashScenarios ??
    SCENARIO_IDS.filter(
      (id) => (id !== 'crash_image' || fileSystems.length > 0) && (!BATCH_SCENARIOS.includes(id) || batchGiven),
    );
  const commands = commandSettings(options, plan, checker, configuredWrappers);
  return {
    scenarios,
    plan,
    jobs,
    strace: options.crashStrace ?? 'strace',
    // With --command the checker judges the commands' directories, not the writers' states.
    checker: commands ? undefined : checker,
    ...(commands ? { commands } : {}),
  };
}

/** --command and its companions, checked before anything runs; undefined when no command is given. */
function commandSettings(
  options: CrashOptions,
  plan: CrashPlan,
  checker: CrashSettings['checker'],
  configuredWrappers: Readonly<Record<string, string>>,
): CommandSettings | undefined {
  const commands = parseCommands(options.command ?? [], options.commandSetup, checker);
  if (commands.length === 0) {
    if (options.commandWrapper?.length)
      throw new InputError('--command-wrapper: there is no --command to run through it');
    if (options.commandBudget !== undefined) throw new InputError('--command-budget: there is no --command to budget');
    return undefined;
  }
  const wrappers = parseWrappers(options.commandWrapper ?? [], configuredWrappers);
  return {
    subjects: withWrappers(commands, wrappers),
    budgetMs: plan.commandBudgetS * 1000,
    checkerTimeoutMs: (options.crashCheckerTimeout ?? CHECKER_TIMEOUT_S) * 1000,
  };
}

/** Why a subject is left out of crash. */
export const EXCLUDED: Record<string, string> = {
  floor:
    'floor is a timing baseline with no error handling or cleanup by design; crash-testing it would only restate that',
};

export function isExcluded(subject: WriterSubject): boolean {
  return subject.kind === 'builtin' && EXCLUDED[subject.name] !== undefined;
}

function isReference(subject: WriterSubject): boolean {
  return subject.kind === 'builtin' && subject.name === 'reference';
}

export function eligibleFor(scenario: ScenarioId, subjects: readonly WriterSubject[]): WriterSubject[] {
  if (BATCH_SCENARIOS.includes(scenario)) return subjects.filter((subject) => subject.batch !== undefined);
  return REFERENCE_ONLY.includes(scenario) ? subjects.filter(isReference) : [...subjects];
}

export function sizesFor(scenario: ScenarioId, sizes: readonly number[], settings: CrashSettings): number[] {
  const pick =
    scenario === 'random_kill'
      ? settings.plan.sizes.randomKill
      : scenario === 'concurrent' || scenario === 'concurrent_cas' || scenario === 'cas_stale'
        ? settings.plan.sizes.concurrent
        : BATCH_SCENARIOS.includes(scenario)
          ? settings.plan.sizes.batch
          : settings.plan.sizes.injected;
  return pickSizes(sizes, pick);
}

/**
 * Scenarios whose trials each own a directory and need no quiet machine share one pool, so the
 * jobs stay busy across scenario boundaries: a writer that retries a persistent fault for seconds
 * (atomically retries EACCES for 7.5 s) overlaps everything else instead of holding up a scenario
 * on its own. The others run alone, in order: they race K writers at once or mount a file system.
 */
export const POOLED: readonly ScenarioId[] = [
  'kill_at_step',
  'inject_error',
  'fault_point',
  'random_kill',
  'power_loss',
  ...BATCH_SCENARIOS,
];

/** One unit of work of an injected scenario: a subject and size at one kill step or one error fault. */
export interface InjectedTask {
  scenario: 'kill_at_step' | 'inject_error';
  subject: WriterSubject;
  size: number;
  /** A kill step (KILL_STEPS) or an error fault (ERROR_FAULTS). */
  step: PointId | ErrorFault;
}

/**
 * The tasks of the kill scenario (SIGKILL at the entry of each step's call) and the error scenario (one errno at
 * one step), one per subject × size × step, so a pool keeps every job busy instead of waiting on
 * the slowest subject. Steps are the outer loop, so the first tasks of a run record different
 * subjects at once. Persistent faults come first: a writer that retries them (atomically retries
 * EACCES for seconds) runs longest, and started early it overlaps everything else.
 */
export function injectedTasks(
  scenario: InjectedTask['scenario'],
  units: readonly { subject: WriterSubject; size: number }[],
): InjectedTask[] {
  const steps: readonly (PointId | ErrorFault)[] =
    scenario === 'kill_at_step'
      ? KILL_STEPS
      : [...ERROR_FAULTS].sort((a, b) => Number(b.persistent) - Number(a.persistent));
  return steps.flatMap((step) => units.map(({ subject, size }) => ({ scenario, subject, size, step })));
}

/** One unit of the shared pool. */
export type PooledTask = { expectedLength: number } & (
  | InjectedTask
  | { scenario: 'fault_point'; subject: WriterSubject; size: number; point: FaultPointId }
  | { scenario: 'random_kill' | 'power_loss' | 'batch_power_loss'; subject: WriterSubject; size: number }
  | { scenario: 'batch_kill_at_step' | 'batch_inject_error'; subject: WriterSubject; size: number; point: BatchPoint }
);

/** The pooled scenarios' tasks, longest first, so the pool does not end on one long task with the other jobs idle. */
export function planPooled(
  scenarios: readonly ScenarioId[],
  subjects: readonly WriterSubject[],
  sizes: readonly number[],
  settings: CrashSettings,
): PooledTask[] {
  const tasks = scenarios.flatMap((scenario): PooledTask[] => {
    const units = eligibleFor(scenario, subjects).flatMap((subject) =>
      sizesFor(scenario, sizes, settings).map((size) => ({ subject, size })),
    );
    switch (scenario) {
      case 'kill_at_step':
      case 'inject_error':
        return injectedTasks(scenario, units).map((task) => ({
          ...task,
          expectedLength: typeof task.step !== 'string' && task.step.persistent ? 3 : 1,
        }));
      case 'fault_point':
        return FAULT_POINT_IDS.flatMap((point) =>
          units.map(({ subject, size }) => ({ scenario, subject, size, point, expectedLength: 0 })),
        );
      case 'random_kill':
        return units.map((unit) => ({ scenario, ...unit, expectedLength: 2 }));
      case 'power_loss':
      case 'batch_power_loss':
        // After the injected tasks of the same writer and size, whose recordings it reads.
        return units.map((unit) => ({ scenario, ...unit, expectedLength: -1 }));
      case 'batch_kill_at_step':
        return BATCH_KILL_POINTS.flatMap((point) =>
          units.map((unit) => ({ scenario, ...unit, point, expectedLength: 1 })),
        );
      case 'batch_inject_error':
        return units.map((unit) => ({ scenario, ...unit, point: BATCH_FSYNC_EIO.point, expectedLength: 1 }));
      default:
        throw new Error(`crash: ${scenario} is not a pooled scenario`);
    }
  });
  return tasks.sort((a, b) => b.expectedLength - a.expectedLength);
}
