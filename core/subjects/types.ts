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
  /**
   * The subject has no form for this request (a driver that answered "unknown op" to write_batch):
   * not a failed write, so a suite skips the subject with a note instead of counting an error.
   */
  unsupported?: boolean;
}

/** One file of a batch, prepared outside any timed window. */
export interface BatchFile {
  target: string;
  /** A file holding the new content (what batch commands and drivers read). */
  source: string;
  /** The same content in memory (what in-process subjects write). */
  content: Buffer;
}

/** Many (source, target) pairs written in one call of the subject. */
export interface BatchRequest {
  files: BatchFile[];
  mode: WriteMode;
}

/** A writer's batch form: many files in one call (absent from a subject that has none). */
export interface BatchCapability {
  /** One process that writes the whole batch in one call: what strace traces and crash kills. */
  oneShot(request: { files: Omit<BatchFile, 'content'>[]; mode: WriteMode }): OneShot;
  /**
   * One process that writes the same files with the single write, file after file (what a caller
   * without the batch form does), where the transport can do that in one process (built-ins). Absent:
   * a tracer runs oneShot once per file.
   */
  perFileOneShot?(request: { files: Omit<BatchFile, 'content'>[]; mode: WriteMode }): OneShot;
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
  /** Present when the subject has a batch form (WriterSubject.batch): every file of the request in one call. */
  writeBatch?(request: BatchRequest): Promise<WriteOutcome>;
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
  /** Absent: the writer has no batch form. */
  readonly batch?: BatchCapability;
}
