/**
 * The batch scenario: N files across K directories, written by each subject with a batch form in two
 * ways, one batch call and its single durable write file after file, timed over repetitions (subjects
 * and ways taking turns), then each way traced under strace for its fsync and rename counts.
 */
import path from 'node:path';
import { safeFileName } from '../core/names.js';
import { batchPeerSubjects } from '../core/subjects/resolve.js';
import type { WriterSession, WriterSubject } from '../core/subjects/types.js';
import type { SuiteContext } from '../core/suite.js';
import { straceUnavailableReason } from '../core/tools.js';
import {
  batchFiles,
  batchTree,
  batchVersions,
  treeProblem,
  type BatchTree,
  type BatchVersions,
} from './batch-files.js';
import { batchErrorRow, batchSkippedRow, timingDetail, totalRows, type BatchArm } from './batch-rows.js';
import { traceBatches } from './batch-trace.js';
import { monotonicClock, type Clock } from './clock.js';
import { BATCH_SHAPES, batchWork } from './plan.js';
import type { BatchShape, BenchSettings } from './types.js';

/** Seams for tests, as runBench's. */
export interface BatchDeps {
  clock?: Clock;
  straceUnavailable?: () => string | undefined;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The run's subjects with a batch form, then the built-in batch peers (yardsticks, like the floor and reference). */
export function batchSubjects(subjects: readonly WriterSubject[]): WriterSubject[] {
  const own = subjects.filter((subject) => subject.batch);
  const names = new Set(own.map((subject) => subject.name));
  return [...own, ...batchPeerSubjects().filter((peer) => !names.has(peer.name))];
}

/** One subject in the timing pass: its open session, its two target trees, its samples so far. */
interface Entrant {
  subject: WriterSubject;
  session: WriterSession;
  trees: Record<BatchArm, BatchTree>;
  samples: Record<BatchArm, number[]>;
  /** Why it left the run (a failed write, wrong content, no batch form); its rows say so. */
  out?: string;
}

export async function runBatch(ctx: SuiteContext, settings: BenchSettings, deps: BatchDeps = {}): Promise<void> {
  const shape = settings.batch ?? BATCH_SHAPES[ctx.profile];
  const clock = deps.clock ?? monotonicClock;
  const subjects = batchSubjects(ctx.subjects);
  const versions = batchVersions(ctx.workspace.dir('bench', 'batch-sources'), shape, ctx.seed);
  const emit = (rows: Parameters<typeof ctx.sink.addAll>[0]) => ctx.sink.addAll(rows);
  const timed = await timeBatches(ctx, subjects, shape, versions, clock);
  for (const entrant of timed) {
    if (entrant.out !== undefined) continue;
    const detail = timingDetail(shape, clock.name);
    for (const arm of ['per_file', 'batch'] as const)
      emit(totalRows(entrant.subject.name, shape, arm, entrant.samples[arm], detail));
  }
  const traced = timed.filter((entrant) => entrant.out === undefined).map((entrant) => entrant.subject);
  if (traced.length === 0) return;
  const off =
    settings.plan.tracedWrites === 0
      ? '--trace-writes 0 turned the strace pass off'
      : (deps.straceUnavailable ?? straceUnavailableReason)();
  if (off !== undefined) {
    ctx.progress.note(`bench batch: ${off} (no fsync or rename counts; the batch fsync gate is not judged)`);
    emit([batchSkippedRow('', off)]);
    return;
  }
  emit(
    await traceBatches(traced, {
      dir: ctx.trials.dir('bench', 'batch-trace'),
      shape,
      versions,
      tracedRuns: settings.plan.tracedWrites,
      progress: ctx.progress,
      work: batchWork(traced.length, shape, settings.plan.tracedWrites).trace,
    }),
  );
}

/**
 * The timing pass. Every subject gets a target tree per way; one untimed warm-up of each way creates
 * the targets (version 0), then each repetition writes the other version of every file, the subjects
 * taking turns in a rotating order and each subject's two ways alternating which goes first, so load
 * that comes and goes touches both alike. Every target is read back after every write of a tree.
 */
async function timeBatches(
  ctx: SuiteContext,
  subjects: readonly WriterSubject[],
  shape: BatchShape,
  versions: BatchVersions,
  clock: Clock,
): Promise<Entrant[]> {
  const entrants: Entrant[] = [];
  const emit = (rows: Parameters<typeof ctx.sink.addAll>[0]) => ctx.sink.addAll(rows);
  const leave = (entrant: Entrant, why: string, row = batchErrorRow(entrant.subject.name, shape, why)): void => {
    entrant.out = why;
    ctx.progress.note(`bench batch: ${entrant.subject.name}: ${why}`);
    emit([row]);
  };
  try {
    for (const [index, subject] of subjects.entries()) {
      const root = ctx.trials.dir('bench', 'batch', `${index}-${safeFileName(subject.name)}`);
      let session: WriterSession;
      try {
        session = await subject.open();
      } catch (error) {
        emit([batchErrorRow(subject.name, shape, `cannot open a session: ${message(error)}`)]);
        continue;
      }
      entrants.push({
        subject,
        session,
        trees: {
          per_file: batchTree(path.join(root, 'per-file'), shape),
          batch: batchTree(path.join(root, 'batch'), shape),
        },
        samples: { per_file: [], batch: [] },
      });
    }
    const work = batchWork(entrants.length, shape, 0).timing;
    ctx.progress.start(`bench batch ${shape.files} files × ${entrants.length} subjects`, shape.repetitions + 1, work);
    for (let repetition = -1; repetition < shape.repetitions; repetition++) {
      const version: 0 | 1 = repetition % 2 === 0 ? 1 : 0;
      const turn = repetition < 0 ? 0 : repetition % Math.max(1, entrants.length);
      const order = [...entrants.slice(turn), ...entrants.slice(0, turn)];
      for (const entrant of order) {
        const arms: BatchArm[] = repetition % 2 === 0 ? ['batch', 'per_file'] : ['per_file', 'batch'];
        for (const arm of arms) {
          if (entrant.out !== undefined) break;
          const tree = entrant.trees[arm];
          const files = batchFiles(tree, versions, version);
          const started = clock.now();
          const outcome = await writeArm(entrant.session, arm, files);
          const elapsed = clock.now() - started;
          if (outcome.unsupported) {
            leave(
              entrant,
              outcome.error ?? 'no batch form',
              batchSkippedRow(entrant.subject.name, outcome.error ?? ''),
            );
            break;
          }
          if (!outcome.ok) {
            leave(entrant, `${armText(arm)} failed: ${outcome.error ?? 'no reason given'}`);
            break;
          }
          const problem = treeProblem(tree, versions, version);
          if (problem !== undefined) {
            leave(entrant, `${armText(arm)} reported success, but ${problem}`);
            break;
          }
          if (repetition >= 0) entrant.samples[arm].push(elapsed);
        }
      }
      ctx.progress.tick(repetition + 2);
    }
    ctx.progress.finish();
  } finally {
    for (const entrant of entrants) await entrant.session.close();
  }
  return entrants;
}

function armText(arm: BatchArm): string {
  return arm === 'batch' ? 'the batch call' : 'the single write file after file';
}

/** One way of writing every file: one batch call, or the single durable write for each file in turn. */
async function writeArm(
  session: WriterSession,
  arm: BatchArm,
  files: ReturnType<typeof batchFiles>,
): Promise<{ ok: boolean; error?: string; unsupported?: boolean }> {
  if (arm === 'batch') {
    if (!session.writeBatch) return { ok: false, unsupported: true, error: 'the session has no batch form' };
    return session.writeBatch({ files, mode: 'durable' });
  }
  for (const [i, file] of files.entries()) {
    const outcome = await session.write({ ...file, mode: 'durable' });
    if (!outcome.ok) return { ok: false, error: `file ${i + 1} of ${files.length}: ${outcome.error ?? ''}` };
  }
  return { ok: true };
}
