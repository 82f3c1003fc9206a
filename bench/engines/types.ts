import type { Clock } from '../clock.js';
import type { EngineName } from '../cases.js';

/** One scenario's sampling, as either engine runs it. */
export interface SampleJob<T> {
  /** Runs before every iteration, outside the timed window: hands the next write its input. */
  prepare(): T;
  /** The timed call when the subject can write synchronously: no promise inside the window. */
  sync?: (input: T) => void;
  /** The timed call otherwise (awaited inside the window). */
  async: (input: T) => Promise<void>;
  /**
   * The call when the subject times its own write (a per-op command: spawn → exit, as hyperfine
   * does): it resolves to that time in ms, and the engine records it as the sample in place of its
   * own window. Preferred over the other two when present.
   */
  selfTimed?: (input: T) => Promise<number>;
  warmupIterations: number;
  samples: number;
  clock: Clock;
  /** After each timed iteration, outside the window (progress). */
  onSample?(done: number): void;
}

/** How a self-timed sample was taken, for the rows' detail. */
export const SELF_TIMED =
  'each sample is the time the subject measured itself (a command: spawn ' +
  "to exit, as hyperfine -N times it), not the engine's window";

export interface EngineRun {
  /** Every timed sample in milliseconds, in the order they were taken when `ordered`. */
  samplesMs: number[];
  /** False when the order could not be recovered; the samples are then sorted ascending. */
  ordered: boolean;
  /** How this engine timed the call, for the rows' detail. */
  timing: string;
}

export interface SamplingEngine {
  readonly name: EngineName;
  sample<T>(job: SampleJob<T>): Promise<EngineRun>;
}

/**
 * Neither engine hands back its samples in the order taken (both sort them for their statistics).
 * We watch the clock calls they make and rebuild the sequence, then keep it only when it is, as a
 * multiset, exactly what the engine itself returned; a change inside an engine cannot slip
 * mis-ordered or foreign numbers into the results.
 */
export function recoverOrder(
  inOrder: readonly number[],
  engineSamples: readonly number[],
): { samplesMs: number[]; ordered: boolean } {
  const sortedEngine = [...engineSamples].sort((a, b) => a - b);
  const sortedOurs = [...inOrder].sort((a, b) => a - b);
  const same =
    sortedOurs.length === sortedEngine.length &&
    sortedOurs.every(
      (value, i) => Math.abs(value - (sortedEngine[i] as number)) <= 1e-9 * Math.max(1, Math.abs(value)),
    );
  return same ? { samplesMs: [...inOrder], ordered: true } : { samplesMs: sortedEngine, ordered: false };
}
