import fs from 'node:fs';
import type { WriterSubject } from '../../core/subjects/types.js';
import { fileSystemProbe, syncfsFileSystems } from '../../core/trace/file-systems.js';
import { resolveCalls, type PathCall } from '../../core/trace/files.js';
import { parseTrace } from '../../core/trace/strace.js';
import type { CrashRun } from '../context.js';
import { batchLogicalOps, type RecordedBatchRun, type Translation } from '../powerloss/from-trace.js';
import { judgeVisibility } from '../powerloss/visibility.js';
import { skippedRow } from '../rows.js';
import type { Content } from '../types.js';
import { runBatchOneShot } from './one-shot.js';
import type { BatchWatch } from './points.js';
import { BATCH_FILES, BatchTrial } from './trial.js';

/** The contents of one batch: per file, what it holds before, what the batch writes, what a recovery batch writes. */
export interface BatchContents {
  old: Content[];
  fresh: Content[];
  recovery: Content[];
}

export function batchContents(run: CrashRun, size: number): BatchContents {
  const each = (label: string) =>
    Array.from({ length: BATCH_FILES }, (_, i) => run.contents.get(size, `${label}-${i}`));
  return { old: each('batch-old'), fresh: each('batch-new'), recovery: each('batch-recovery') };
}

/** The batch of a trial: file i of the trial gets content i. */
export function batchOf(trial: BatchTrial, contents: readonly Content[]): { source: string; target: string }[] {
  return trial.targets.map((target, i) => ({ source: (contents[i] as Content).source, target }));
}

export function watchOf(trial: BatchTrial): BatchWatch {
  return { dirs: trial.dirs, tmpDir: trial.tmp, targets: trial.targets };
}

/**
 * Two fault-free traced batches of one writer and size, in two directories (for aiming), the first
 * whole and translated for the power-loss model. A batch whose trace cannot account for what it
 * left is not judged, with the reason.
 */
export type BatchRecordings =
  | {
      recordings: { calls: PathCall[]; watch: BatchWatch }[];
      run: RecordedBatchRun;
      translation: Translation;
      unseen?: string;
    }
  | { notJudged: string }
  | { noBatchForm: string }
  | { error: string };

/** driver-once's exit when the driver answered write_batch with "unknown op" (core/subjects/driver-once.ts). */
const DRIVER_NO_BATCH_FORM_EXIT = 4;

const SKIPPED = new WeakMap<CrashRun, Set<string>>();

/** A writer whose batch form turned out not to exist: one skipped row per scenario, never a pass. */
export function skipNoBatchForm(run: CrashRun, scenario: string, subject: WriterSubject, reason: string): void {
  let done = SKIPPED.get(run);
  if (!done) SKIPPED.set(run, (done = new Set()));
  const key = `${scenario}\u0000${subject.name}`;
  if (done.has(key)) return;
  done.add(key);
  run.ctx.sink.add(skippedRow(scenario, subject.name, reason));
}

const CACHE = new WeakMap<CrashRun, Map<string, Promise<BatchRecordings>>>();

/** Records once per run, writer and size; every batch scenario shares it. */
export function batchRecordings(run: CrashRun, subject: WriterSubject, size: number): Promise<BatchRecordings> {
  let byKey = CACHE.get(run);
  if (!byKey) CACHE.set(run, (byKey = new Map()));
  const key = `${subject.name}\u0000${size}`;
  let pending = byKey.get(key);
  if (!pending) byKey.set(key, (pending = record(run, subject, size)));
  return pending;
}

async function record(run: CrashRun, subject: WriterSubject, size: number): Promise<BatchRecordings> {
  const { old, fresh } = batchContents(run, size);
  const recordings: { calls: PathCall[]; watch: BatchWatch }[] = [];
  let first: { run: RecordedBatchRun; translation: Translation; unseen?: string } | undefined;
  for (const label of ['batch-record-1', 'batch-record-2']) {
    const trial = BatchTrial.create(run.trialDir(subject, label), old);
    const traceFile = run.traceFile(subject, label);
    const shot = await runBatchOneShot(
      subject,
      { files: batchOf(trial, fresh) },
      {
        cwd: trial.root,
        tmpDir: trial.tmp,
        strace: run.traced(traceFile, ['-f']),
      },
    );
    const trace = parseTrace(shot.trace ?? '');
    const calls = resolveCalls(trace);
    run.checkBox(subject, calls, { dir: trial.box, tmp: trial.tmp });
    const notNew = trial.targets.flatMap((target, i) =>
      trial.held(i, old[i], fresh[i] as Content).kind === 'new' ? [] : [trial.label(target)],
    );
    const listing = trial.listing();
    const fileSystems = syncfsFileSystems(trace, fileSystemProbe(trial.box, [...trial.dirs, trial.tmp]));
    trial.remove();
    fs.rmSync(traceFile, { force: true });
    if (subject.kind === 'driver' && shot.result.exitCode === DRIVER_NO_BATCH_FORM_EXIT)
      return { noBatchForm: 'it has no batch form: the driver answered write_batch with "unknown op"' };
    if (shot.reported !== 'success' || notNew.length > 0)
      return {
        error:
          `its fault-free batch under strace did not succeed (${shot.ending}` +
          `${notNew.length ? `; not new: ${notNew.join(', ')}` : ''})`,
      };
    recordings.push({ calls, watch: watchOf(trial) });
    if (!first) {
      const recorded: RecordedBatchRun = {
        trace,
        tmpDir: trial.tmp,
        targets: trial.targets.map((target, i) => ({
          path: target,
          old: (old[i] as Content).bytes,
          fresh: (fresh[i] as Content).bytes,
        })),
        reportedSuccess: true,
        finalContents: listing.files,
        finalLinks: listing.links,
        fileSystems,
      };
      const translation = batchLogicalOps(recorded);
      const visibility = judgeVisibility(translation, recorded);
      if (!visibility.judged) return { notJudged: visibility.reason };
      first = { run: recorded, translation, ...(visibility.unseen ? { unseen: visibility.unseen } : {}) };
    }
  }
  return { recordings, ...(first as NonNullable<typeof first>) };
}
