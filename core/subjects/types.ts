import type { WriteMode } from '../writer/types.js';

export type SubjectKind = 'builtin' | 'command' | 'driver';

/** One write, prepared outside any timed window: the content both in memory and in a file. */
export interface WriteRequest {
  target: string;
  /** A file holding the new content (what per-op commands and drivers read). */
  source: string;
  /** The same content in memory (what in-process subjects write). */
  content: Buffer;
  mode: WriteMode;
}

export interface WriteOutcome {
  ok: boolean;
  /** Why it failed: the thrown error, the exit code and stderr, or the driver's message. */
  error?: string;
}

/** What one operation costs a transport before the subject does any work. */
export interface TransportOverhead {
  /** The median of samplesMs. */
  ms: number;
  /** Every measured run, in the order taken: how much the cost itself varies. */
  samplesMs: number[];
  /** How it was obtained, e.g. "noop template, median of 20" or "estimate: python3 --version startup". */
  method: string;
  estimated: boolean;
}

/** A write the subject timed itself. */
export interface TimedWriteOutcome extends WriteOutcome {
  elapsedMs: number;
}

export interface WriterSession {
  write(request: WriteRequest): Promise<WriteOutcome>;
  /** Present for in-process synchronous subjects, so a sampler can time them without a promise. */
  writeSync?(request: WriteRequest): WriteOutcome;
  /**
   * Present for per-op commands: the write timed from just before the spawn to the exit, as hyperfine
   * times a command, so a sampler can take that figure and count none of writegate's own work
   * (promises, bookkeeping) around it.
   */
  writeTimed?(request: WriteRequest): Promise<TimedWriteOutcome>;
  close(): Promise<void>;
}

/** A process that performs exactly one write: what strace traces and what the crash suite kills. */
export interface OneShot {
  argv: string[];
  /** Extra environment for that process (e.g. a lock or CAS option of a built-in). */
  env?: Record<string, string>;
}

export interface OneShotOptions {
  /** Built-in reference only: serialize with the advisory lock. */
  lock?: boolean;
  /** Built-in reference only: compare-and-swap against this sha256 of the current content. */
  expectSha256?: string;
}

/**
 * A writer under test. bench and crash see only this interface; whether it runs in-process, as one
 * command per write, or as a persistent driver is the transport's business.
 */
export interface WriterSubject {
  readonly name: string;
  readonly kind: SubjectKind;
  readonly description: string;
  readonly modes: readonly WriteMode[];
  open(): Promise<WriterSession>;
  /** The transport's own per-operation cost, measured on this machine; undefined for in-process. */
  calibrate(scratchDir: string, samples: number): Promise<TransportOverhead | undefined>;
  oneShot(request: Omit<WriteRequest, 'content'>, options?: OneShotOptions): OneShot;
}
