/** The batch scenario's rows: one subject's timed repetitions of each arm, and its traced counts. */
import { encodeDetail, METRICS, type RowInput } from '../core/schema.js';
import { BATCH_SCENARIO } from './cases.js';
import { roundMs } from './summary.js';
import type { BatchShape } from './types.js';

/** The two ways of writing a batch's files: one batch call, or the single write file after file. */
export type BatchArm = 'batch' | 'per_file';

const TOTAL_METRIC = { batch: METRICS.batchTotalMs, per_file: METRICS.perFileTotalMs } as const;
const FSYNC_METRIC = { batch: METRICS.batchFsyncCount, per_file: METRICS.perFileFsyncCount } as const;
const RENAME_METRIC = { batch: METRICS.batchRenameCount, per_file: METRICS.perFileRenameCount } as const;

const base = (subject: string, shape: BatchShape) => ({
  suite: 'bench' as const,
  scenario: BATCH_SCENARIO,
  subject,
  mode: 'durable',
  size_bytes: shape.fileBytes,
});

export function timingDetail(shape: BatchShape, clock: string): string {
  return (
    `wall time of all ${shape.files} files across ${shape.dirs} directories, durable; one untimed warm-up of each ` +
    `way first, then ${shape.repetitions} repetitions, the subjects and the two ways taking turns; every ` +
    `repetition writes the other version of every file and every target is read back after it; clock ${clock}`
  );
}

/** Every timed repetition of one arm, in the order taken. */
export function totalRows(
  subject: string,
  shape: BatchShape,
  arm: BatchArm,
  samplesMs: readonly number[],
  detail: string,
): RowInput[] {
  return samplesMs.map((value, sample) => ({
    ...base(subject, shape),
    metric: TOTAL_METRIC[arm],
    value: roundMs(value),
    unit: 'ms',
    sample,
    detail,
  }));
}

/** What one arm's traced one-shots did to the batch's directories (the most any traced run made). */
export interface BatchTraceCounts {
  fsyncCount: number;
  dirFsyncCount: number;
  renameCount: number;
}

export function countRows(
  subject: string,
  shape: BatchShape,
  arm: BatchArm,
  counts: BatchTraceCounts,
  method: string,
): RowInput[] {
  const detail = { files: shape.files, dirs: shape.dirs, dirFsyncs: counts.dirFsyncCount, method };
  return [
    {
      ...base(subject, shape),
      metric: FSYNC_METRIC[arm],
      value: counts.fsyncCount,
      unit: 'count',
      detail: encodeDetail(FSYNC_METRIC[arm], detail),
    },
    { ...base(subject, shape), metric: RENAME_METRIC[arm], value: counts.renameCount, unit: 'count', detail: method },
  ];
}

/** A subject's batch that failed or left wrong content: its timings are dropped. */
export function batchErrorRow(subject: string, shape: BatchShape, error: string): RowInput {
  return {
    ...base(subject, shape),
    metric: METRICS.writeErrors,
    value: 1,
    unit: 'count',
    detail: error.split('\n')[0] ?? '',
  };
}

/**
 * Something of the scenario did not run, and why: for one subject (it has no batch form), or for all
 * (subject empty: no strace, so no counts and the fsync gate is not judged).
 */
export function batchSkippedRow(subject: string, reason: string): RowInput {
  return {
    suite: 'bench',
    scenario: BATCH_SCENARIO,
    subject,
    metric: METRICS.skipped,
    value: 1,
    unit: 'count',
    detail: reason,
  };
}
