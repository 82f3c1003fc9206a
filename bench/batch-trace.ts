/**
 * The batch scenario's accounting: each way of writing the batch, run as one-shot processes under the
 * same strace as every traced write (bench/strace-log.ts), counted over the batch's directories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import { runProcess } from '../core/process.js';
import type { ProgressSink } from '../core/progress.js';
import type { RowInput } from '../core/schema.js';
import type { OneShot, WriterSubject } from '../core/subjects/types.js';
import { seccompFilterWorks } from '../core/trace/seccomp.js';
import { batchFiles, batchTree, treeProblem, type BatchVersions } from './batch-files.js';
import { batchErrorRow, batchSkippedRow, countRows, type BatchArm, type BatchTraceCounts } from './batch-rows.js';
import { tracedRunProblem } from './checks.js';
import { accountTraceDirs, straceArgv, type DirsAccounting } from './strace-log.js';
import type { BatchShape } from './types.js';

const TRACE_TIMEOUT_MS = 600_000;
/** driver-once's exit code for a driver that answered write_batch with "unknown op". */
const NO_BATCH_FORM_EXIT = 4;

export interface BatchTraceSettings {
  dir: string;
  shape: BatchShape;
  versions: BatchVersions;
  /** Traced runs of each way per subject; the counts are the most any of them made. */
  tracedRuns: number;
  progress: ProgressSink;
  work: number;
}

class NoBatchForm extends Error {}

/** Every subject's two ways traced, in turn (two at a time would only share the disk's syncs). */
export async function traceBatches(
  subjects: readonly WriterSubject[],
  settings: BatchTraceSettings,
): Promise<RowInput[]> {
  const seccomp = await seccompFilterWorks();
  const rows: RowInput[] = [];
  let done = 0;
  settings.progress.start('bench batch accounting (strace)', subjects.length * 2 * settings.tracedRuns, settings.work);
  for (const [index, subject] of subjects.entries()) {
    try {
      for (const arm of ['per_file', 'batch'] as const) {
        const runs: DirsAccounting[] = [];
        for (let run = 0; run < settings.tracedRuns; run++) {
          const root = path.join(settings.dir, `${index}-${safeFileName(subject.name)}`, `${arm}-${run}`);
          runs.push(await traceArm(subject, arm, root, settings, seccomp));
          settings.progress.tick(++done);
        }
        // The most any traced run made: an extra fsync in one run of three is still one the gate must see.
        const mostOf = (pick: (a: DirsAccounting) => number): number => Math.max(...runs.map(pick));
        const counts: BatchTraceCounts = {
          fsyncCount: mostOf((a) => a.fsyncCount),
          dirFsyncCount: mostOf((a) => a.dirFsyncCount),
          renameCount: mostOf((a) => a.renameCount),
        };
        rows.push(
          ...countRows(subject.name, settings.shape, arm, counts, methodText(subject, arm, settings.tracedRuns)),
        );
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      settings.progress.note(`bench batch: accounting ${subject.name} failed: ${why}`);
      rows.push(
        error instanceof NoBatchForm
          ? batchSkippedRow(subject.name, why)
          : batchErrorRow(subject.name, settings.shape, `strace accounting: ${why}`),
      );
    }
  }
  settings.progress.finish();
  return rows;
}

function methodText(subject: WriterSubject, arm: BatchArm, runs: number): string {
  const how =
    arm === 'batch'
      ? 'one batch one-shot process (subject.batch.oneShot)'
      : subject.batch?.perFileOneShot
        ? 'one process writing each file with the single write in turn (subject.batch.perFileOneShot)'
        : 'one single-write one-shot process per file (subject.oneShot), summed';
  return (
    `strace -f -y, the most of ${runs} traced run(s) of ${how}, apart from the timed pass: fsync/fdatasync/` +
    'sync_file_range of the batch directories or files in them; rename/renameat/renameat2 into them'
  );
}

/** One traced run of one way into a fresh tree whose targets hold version 0; it writes version 1. */
async function traceArm(
  subject: WriterSubject,
  arm: BatchArm,
  root: string,
  settings: BatchTraceSettings,
  seccomp: boolean,
): Promise<DirsAccounting> {
  const tree = batchTree(root, settings.shape);
  for (const [i, target] of tree.targets.entries())
    fs.writeFileSync(target, settings.versions.contents[0][i] as Buffer);
  const files = batchFiles(tree, settings.versions, 1).map(({ source, target }) => ({ source, target }));
  const oneShots: OneShot[] =
    arm === 'batch'
      ? [(subject.batch as NonNullable<WriterSubject['batch']>).oneShot({ files, mode: 'durable' })]
      : subject.batch?.perFileOneShot
        ? [subject.batch.perFileOneShot({ files, mode: 'durable' })]
        : files.map((file) => subject.oneShot({ ...file, mode: 'durable' }));
  const total: DirsAccounting = { fsyncCount: 0, dirFsyncCount: 0, renameCount: 0, bytesWritten: 0 };
  for (const [n, oneShot] of oneShots.entries()) {
    const traceFile = `${root}.${n}.strace`;
    const result = await runProcess([...straceArgv(traceFile, seccomp), ...oneShot.argv], {
      env: oneShot.env,
      timeoutMs: TRACE_TIMEOUT_MS,
    });
    if (arm === 'batch' && subject.kind === 'driver' && result.exitCode === NO_BATCH_FORM_EXIT)
      throw new NoBatchForm('the driver has no batch form (it answered write_batch with "unknown op")');
    const problem = tracedRunProblem(result, TRACE_TIMEOUT_MS);
    if (problem !== undefined) throw new Error(problem);
    const counts = accountTraceDirs(fs.readFileSync(traceFile, 'utf8'), tree.dirs, process.cwd());
    fs.rmSync(traceFile, { force: true });
    total.fsyncCount += counts.fsyncCount;
    total.dirFsyncCount += counts.dirFsyncCount;
    total.renameCount += counts.renameCount;
    total.bytesWritten += counts.bytesWritten;
  }
  const problem = treeProblem(tree, settings.versions, 1);
  if (problem !== undefined)
    throw new Error(`the traced ${arm === 'batch' ? 'batch' : 'writes'} did not land: ${problem}`);
  return total;
}
