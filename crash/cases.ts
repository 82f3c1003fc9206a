import type { Profile } from '../core/profile.js';
import { BATCH_CRASH_SCENARIOS, CRASH_SCENARIOS, type CrashScenarioId } from '../core/schema.js';
import type { PointId } from './strace/points.js';

/** What each crash scenario does (the ids and their order belong to the CSV contract, core/schema.ts). */
export const SCENARIOS: Record<CrashScenarioId, string> = {
  kill_at_step: 'SIGKILL at each step of the write path (strace injection, aimed from a recorded trace)',
  inject_error: 'an I/O error at one step (strace error injection): the writer must fail cleanly',
  fault_point: "the reference writer's own in-process fault points (its io seam): kills, errors, real short writes",
  tiny_fs:
    'real ENOSPC and short writes on a 256 KiB tmpfs, or on each --fs file system filled to 256 KiB free (root only)',
  random_kill: 'seeded stress loop: rewrite the target with distinct contents, SIGKILL at random moments',
  concurrent: 'K writers write different contents to one target at once, repeated',
  power_loss:
    'a power loss at every point of a fault-free run: which states can be ' +
    'on disk under a persistence model, each checked (old or new content; a ' +
    'reported success survives)',
  crash_image:
    'on each --fs (root): the writer frozen right after each step of its write ' +
    'path and right after it exits 0, a copy of the device mounted (journal ' +
    'replayed) and read: what a real disk kept, beside what the model allows',
  cas_stale: 'reference: compare-and-swap with a stale expected hash must be rejected as a conflict',
  concurrent_cas: 'reference: K locked CAS writers against one expected hash: exactly one wins',
  lock_rev: 'reference: advisory lock serializes read-modify-write (a shared rev counter ends at the number of writes)',
  batch_kill_at_step:
    "a writer's batch form (many files in one call): SIGKILL at each step of the batch (strace, aimed from a " +
    'recorded trace); every file must be its old or its new content, and a recovery batch must succeed',
  batch_inject_error:
    "a writer's batch form: an I/O error (EIO) on the fsync of the batch's first file; it must fail cleanly, " +
    'every file old or new and no temp left',
  batch_power_loss:
    "a writer's batch form: a power loss at every point of a fault-free batch, each file judged on its own " +
    '(old or new content in every state; after a reported success, every file new)',
};
export type ScenarioId = CrashScenarioId;
export const SCENARIO_IDS: readonly ScenarioId[] = CRASH_SCENARIOS;

/** How long a user checker may take on one crash state (or image) before it counts as hung, by default. */
export const CHECKER_TIMEOUT_S = 30;

/** Scenarios that need strace; without it they are skipped with one line saying why. */
export const NEEDS_STRACE: readonly ScenarioId[] = [
  'kill_at_step',
  'inject_error',
  'power_loss',
  'crash_image',
  ...BATCH_CRASH_SCENARIOS,
];

/** The scenarios of a writer's batch form (many files in one call): only writers that have one run them. */
export const BATCH_SCENARIOS: readonly ScenarioId[] = BATCH_CRASH_SCENARIOS;

/** Scenarios only the built-in reference writer can run (they use its lock and CAS options or its io seam). */
export const REFERENCE_ONLY: readonly ScenarioId[] = ['fault_point', 'cas_stale', 'concurrent_cas', 'lock_rev'];

/** Kill steps, in write-path order. */
export const KILL_STEPS: readonly PointId[] = [
  'after_temp_create',
  'mid_payload',
  'before_fsync',
  'before_rename',
  'before_dir_fsync',
  'after_dir_fsync',
];

/**
 * Error injections: the errno, where it is delivered (first applicable point),
 * and whether it persists. A failed write or fsync is one event: a writer that retries it and then
 * reports success is exactly the false success the gate exists for (retrying fsync after EIO
 * "succeeds" while the data is gone). EXDEV and EACCES on rename are conditions of the directory:
 * every retry of the rename fails too, so a writer that retries must still end up reporting failure.
 */
export interface ErrorFault {
  id: string;
  errno: string;
  at: readonly PointId[];
  persistent: boolean;
}
export const ERROR_FAULTS: readonly ErrorFault[] = [
  { id: 'write_enospc', errno: 'ENOSPC', at: ['mid_payload', 'first_write'], persistent: false },
  { id: 'write_eio', errno: 'EIO', at: ['first_write'], persistent: false },
  { id: 'fsync_eio', errno: 'EIO', at: ['before_fsync'], persistent: false },
  { id: 'rename_exdev', errno: 'EXDEV', at: ['before_rename'], persistent: true },
  { id: 'rename_eacces', errno: 'EACCES', at: ['before_rename'], persistent: true },
  { id: 'create_eacces', errno: 'EACCES', at: ['temp_create'], persistent: false },
];

/** In-process fault points of the reference writer (crash/helpers/fault-point-once.ts). */
export const FAULT_POINTS = {
  kill_after_temp_create: { kind: 'kill', step: 'after_temp_create' },
  kill_mid_payload: { kind: 'kill', step: 'mid_payload' },
  kill_before_fsync: { kind: 'kill', step: 'before_fsync' },
  kill_before_rename: { kind: 'kill', step: 'before_rename' },
  kill_before_dir_fsync: { kind: 'kill', step: 'before_dir_fsync' },
  kill_after_dir_fsync: { kind: 'kill', step: 'after_dir_fsync' },
  enospc_after_short_write: { kind: 'error', step: 'mid_payload' },
  eio_on_fsync: { kind: 'error', step: 'before_fsync' },
  exdev_on_rename: { kind: 'error', step: 'before_rename' },
  eacces_on_temp_create: { kind: 'error', step: 'temp_create' },
  short_writes: { kind: 'ok', step: 'write' },
} as const;
export type FaultPointId = keyof typeof FAULT_POINTS;
export const FAULT_POINT_IDS = Object.keys(FAULT_POINTS) as FaultPointId[];

/** How much each scenario does per profile. Quick is the PR gate (crash ≈ 30 s); full is nightly. */
export interface CrashPlan {
  /** Trials per kill step and per error fault, per subject and size. */
  trialsPerStep: number;
  /** Attempts per injected trial before it counts as not reached. */
  attempts: number;
  /** Random-kill trials per subject and size. */
  randomKills: number;
  /**
   * Concurrent writers and rounds. Quick races 4 a round, full 10: every writer is held until all
   * have created their temp, so two already expose a shared temp; each one more is a traced start.
   */
  writers: number;
  rounds: number;
  casTrials: number;
  /** lock_rev: workers × increments each. */
  revWorkers: number;
  revIncrements: number;
  tinyFsTrials: number;
  /**
   * Which of the run's sizes each family of scenarios uses. Kills and injected errors want the
   * largest (a payload written in several calls has a middle); concurrent rounds of ten 8 MiB
   * writers with fsync cost seconds each, so quick races the middle size.
   */
  sizes: { injected: SizePick; randomKill: SizePick; concurrent: SizePick; batch: SizePick };
  /** power_loss: crash states checked per writer, size and model before a seeded sample takes over. */
  maxStates: number;
  /** --command: seconds per command and model the checker may spend on crash states. */
  commandBudgetS: number;
}

export type SizePick = 'largest' | 'middle' | 'smallest' | 'all';

/** The sizes a pick selects from the run's sizes (sorted ascending, never empty). */
export function pickSizes(sizes: readonly number[], pick: SizePick): number[] {
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  if (pick === 'all') return sorted;
  if (pick === 'largest') return [sorted[sorted.length - 1] as number];
  if (pick === 'smallest') return [sorted[0] as number];
  return [sorted[Math.floor((sorted.length - 1) / 2)] as number];
}

export const PLANS: Record<Profile, CrashPlan> = {
  quick: {
    trialsPerStep: 1,
    attempts: 3,
    randomKills: 4,
    writers: 4,
    rounds: 1,
    casTrials: 3,
    revWorkers: 10,
    revIncrements: 10,
    tinyFsTrials: 1,
    // A batch is many small files: its scenarios write each file at the run's smallest size.
    sizes: { injected: 'largest', randomKill: 'largest', concurrent: 'middle', batch: 'smallest' },
    maxStates: 1000,
    commandBudgetS: 10,
  },
  full: {
    trialsPerStep: 3,
    attempts: 3,
    randomKills: 25,
    writers: 10,
    rounds: 8,
    casTrials: 10,
    revWorkers: 10,
    revIncrements: 10,
    tinyFsTrials: 3,
    sizes: { injected: 'all', randomKill: 'all', concurrent: 'all', batch: 'smallest' },
    maxStates: 4000,
    commandBudgetS: 30,
  },
};
