/** bench's domain types: what its plan, runner, checks and rows share (no module here imports upward). */
import type { RunResult } from '../core/process.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import type { BenchScenarioChoice, EngineName } from './cases.js';

/** A count bought with time: as many runs as fit in `budgetMs`, clamped to [minSamples, maxSamples]. */
export interface SampleBudget {
  budgetMs: number;
  minSamples: number;
  maxSamples: number;
}

/**
 * How much sampling a profile buys. The sample count of a line is planned from a short pilot so
 * that its timed writes take about `budgetMs`, clamped to [minSamples, maxSamples]: fast writes get
 * many samples, an 8 MiB durable write gets the minimum (a time and count cap at once).
 */
export interface SamplingPlan extends SampleBudget {
  /**
   * The budget of a line of a per-op command (a process per write, 10–100 ms each): the in-process
   * budget would leave it at the minimum, too few to tell its p50 from its noop's (core/stats.ts netLatency).
   */
  perOp: SampleBudget;
  /** Untimed pilot writes used to plan the count (they also warm the path up). */
  pilotWrites: number;
  /** The engine's own warm-up iterations before the first round's timed ones. */
  warmupIterations: number;
  /**
   * A line's samples are taken in this many rounds, the subjects of one size and mode taking
   * turns (in a rotating order), so load that comes and goes on the machine touches them alike and
   * ratios such as reference/floor stay honest. Later rounds warm up with a third of the iterations.
   */
  rounds: number;
  /**
   * Runs of a transport's calibration (noop command, noop round trip): its p50's interval is half the net-latency
   * rule.
   */
  calibration: SampleBudget;
  /** One-shot writes traced per traced line; 0 turns accounting off. */
  tracedWrites: number;
  /** Trace every size, or only the smallest one (counts do not depend on size; bytes scale with it). */
  traceAllSizes: boolean;
  /** A fixed sample count (--samples): no pilot, no budget. */
  fixedSamples?: number;
}

/** The batch scenario's work: `files` of `fileBytes` each, round robin over `dirs` directories. */
export interface BatchShape {
  files: number;
  dirs: number;
  fileBytes: number;
  /** Timed repetitions of each way of writing them (per subject), after one untimed warm-up of each. */
  repetitions: number;
}

export interface BenchSettings {
  /**
   * The scenarios to run (`--scenarios`): the write scenario's timing and accounting, the batch
   * scenario. Absent: the write scenario only, as before batches existed.
   */
  scenarios?: readonly BenchScenarioChoice[];
  engines: readonly EngineName[];
  modes: readonly WriteMode[];
  plan: SamplingPlan;
  /** The batch scenario's shape; resolveBenchSettings always sets it (absent: the quick profile's). */
  batch?: BatchShape;
}

export interface BenchLine {
  subject: WriterSubject;
  mode: WriteMode;
  size: number;
}

/** The subjects of one size and mode, timed together in rounds: the timing pass's unit of work. */
export interface TimingGroup {
  size: number;
  mode: WriteMode;
  subjects: WriterSubject[];
}

/** What a run of bench will do (Suite.plan): its settings, over the run's subjects and sizes. */
export interface BenchPlan {
  settings: BenchSettings;
  subjects: readonly WriterSubject[];
  sizes: readonly number[];
}

/** The target as the runner read it back: its bytes, or why it could not be read (checks.ts judges it). */
export type TargetRead = { bytes: Buffer } | { unreadable: string };

/** What checks.ts needs of a traced one-shot write's process. */
export type TracedRun = Pick<RunResult, 'exitCode' | 'timedOut' | 'spawnError' | 'signal' | 'stderr'>;
