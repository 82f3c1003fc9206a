import type { SyncIo } from './io.js';

/**
 * durable: temp → write all → fdatasync → rename → fsync(parent).
 * fast: temp → write all → rename; nothing is synced.
 * unchanged: write-if-changed; identical content touches nothing, different content is written durably.
 */
export type WriteMode = 'durable' | 'fast' | 'unchanged';
export const WRITE_MODES: readonly WriteMode[] = ['durable', 'fast', 'unchanged'];

/** What the caller believes the target holds now (compare-and-swap). */
export type ExpectedContent = { sha256: string } | { size: number; mtimeMs: number } | { absent: true };

export interface WriteOptions {
  mode?: WriteMode;
  expected?: ExpectedContent;
  /** Serialize writers of the same target across processes with a `<target>.lock` file. */
  lock?: boolean | { timeoutMs?: number };
  /** Mode bits for a new target; an existing target keeps its own. */
  fileMode?: number;
  /** Test and fault-injection seam: the syscalls the writer makes. Defaults to node:fs. */
  io?: SyncIo;
}

export interface WriteStats {
  bytesWritten: number;
  fsyncCount: number;
  renameCount: number;
  skipped: boolean;
  elapsedMs: number;
}
