import fs from 'node:fs';
import type { OneShotOptions, WriterSubject } from '../../core/subjects/types.js';
import type { CrashRun } from '../context.js';
import { runOneShot, type OneShotRun } from '../one-shot.js';
import type { TrialDir } from '../sandbox.js';
import { aimAt, firstFired, injectArgs, type Aim } from '../strace/aim.js';
import { missReason, POINTS, type HitExpectation, type PointId } from '../strace/points.js';
import { parseTrace } from '../../core/trace/strace.js';
import { buildWritePath, describeCall, type Watched } from '../strace/write-path.js';

/**
 * Forcing the writers of a concurrent round to overlap, whatever their speed.
 *
 * Each writer runs under strace with a SIGSTOP injected right after one call of its own write path
 * (the open that creates its temp file, else its first payload write), aimed from two fault-free
 * recordings like every other injected fault. The harness waits until every writer of the round
 * is stopped there (strace writes "stopped by SIGSTOP" to each writer's trace), and only then
 * continues them: so every writer has created its temp before any writer goes on to write, fsync
 * or rename. Afterwards each writer's own trace must show the stop on the intended call, before its
 * rename; a round where that is not so did not overlap as intended and is not counted.
 */

/** How a round's stopped writers are let go: one after the other (each runs to its exit), or all together. */
export type ReleaseOrder = 'one_at_a_time' | 'all_at_once';

export type OverlapPlan = { forced: true; aim: Aim; expect: HitExpectation } | { forced: false; reason: string };

/** Where a writer is held, in order of preference. */
const HOLD_POINTS: readonly PointId[] = ['temp_create', 'first_write'];

/** How long the harness waits for every writer to reach its stop before giving the round up. */
const BARRIER_TIMEOUT_MS = 20_000;
/**
 * Released one at a time, a writer that has neither renamed nor exited after this long (waiting on a stopped one?)
 * lets the rest go.
 */
const ONE_AT_A_TIME_PATIENCE_MS = 5_000;
const POLL_MS = 5;

/** Whether (and where) this subject's writers can be held for a forced overlap; else why not, in one line. */
export async function planOverlap(run: CrashRun, subject: WriterSubject, size: number): Promise<OverlapPlan> {
  if (run.straceMissing !== undefined)
    return { forced: false, reason: 'strace is not available to hold the writers (see the strace note of this run)' };
  const recordings = await run.recordings(subject, size);
  if ('error' in recordings) return { forced: false, reason: `no call to hold the writers at: ${recordings.error}` };
  if ('notJudged' in recordings)
    return {
      forced: false,
      reason: `no call to hold the writers at: its trace cannot be followed (${recordings.notJudged})`,
    };
  const misses: string[] = [];
  for (const point of HOLD_POINTS) {
    const aimed = aimAt(point, recordings.first, recordings.second, recordings.expect);
    if (aimed.kind === 'aimed') return { forced: true, aim: aimed.aim, expect: recordings.expect };
    misses.push(`${point}: ${aimed.reason}`);
  }
  return { forced: false, reason: `no call to hold the writers at (${misses.join('; ')})` };
}

/** What the fault column says about a forced round. */
export function describeForced(count: number, aim: Aim, order: ReleaseOrder): string {
  const release =
    order === 'one_at_a_time' ? 'then continued one at a time, each to its exit' : 'then continued all together';
  return `${count} writers, each held right after ${POINTS[aim.point]} [${aim.basis}] until all were held, ${release}`;
}

/** A writer held (or to be held) at a SIGSTOP, followed through its trace file: crash_image holds one the same way. */
export interface Held {
  index: number;
  traceFile: string;
  stracePid?: number;
  shot?: OneShotRun;
  /** Stops seen in the trace so far (thread id when the trace has them), and how many were continued. */
  stops: { tid?: number }[];
  continued: number;
  /** Its trace shows a rename that returned: the next writer can go (one at a time). */
  renamed: boolean;
  /** How far the trace has been read, and an unfinished last line. */
  offset: number;
  partial: string;
}

export const STOPPED = /^(?:(\d+)\s+)?--- stopped by SIGSTOP ---$/gm;
/** A rename that returned, whole or resumed (`rename(...) = 0`, `<... renameat2 resumed>...) = -1 ENOENT`). */
const RENAMED =
  /^(?:\d+\s+)?(?:renameat2?\(|rename\(|<\.\.\. renameat2? resumed>|<\.\.\. rename resumed>).*\)\s+=\s+-?\d+/m;

/** Reads what strace appended to a writer's trace since the last look and notes any new stop. */
export function poll(writer: Held): number {
  let fd: number;
  try {
    fd = fs.openSync(writer.traceFile, 'r');
  } catch {
    return writer.stops.length;
  }
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, writer.offset);
      if (n <= 0) break;
      writer.offset += n;
      const text = writer.partial + chunk.subarray(0, n).toString('utf8');
      const cut = text.lastIndexOf('\n');
      writer.partial = text.slice(cut + 1);
      const lines = text.slice(0, cut + 1);
      for (const match of lines.matchAll(STOPPED))
        writer.stops.push(match[1] === undefined ? {} : { tid: Number(match[1]) });
      if (writer.stops.length > 0 && RENAMED.test(lines)) writer.renamed = true;
    }
  } finally {
    fs.closeSync(fd);
  }
  return writer.stops.length;
}

/** The process strace started (its only child): who stopped when the trace has no thread ids (no -f). */
function straceChild(stracePid: number | undefined): number | undefined {
  if (stracePid === undefined) return undefined;
  try {
    const first = fs.readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** Continues every stop of this writer not yet continued (later stops too: another thread reaching the same count). */
export function continueStops(writer: Held): void {
  poll(writer);
  for (; writer.continued < writer.stops.length; writer.continued++) {
    const pid = writer.stops[writer.continued]?.tid ?? straceChild(writer.stracePid);
    if (pid === undefined) continue;
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps continuing stops until `done()` or the deadline. */
export async function drive(
  writers: readonly Held[],
  done: () => boolean,
  deadline = Number.POSITIVE_INFINITY,
): Promise<void> {
  while (!done() && Date.now() < deadline) {
    for (const writer of writers) if (writer.shot === undefined) continueStops(writer);
    await sleep(POLL_MS);
  }
}

/**
 * Runs one forced round: every source written to the trial's target by its own writer, all held at
 * the aimed call until all are there, then released in `order`. Returns the writers' runs and, when
 * the overlap was not achieved or not confirmed by each writer's own trace, why (the round must
 * then not count).
 */
export async function forcedRound(
  run: CrashRun,
  subject: WriterSubject,
  trial: TrialDir,
  sources: readonly string[],
  plan: Extract<OverlapPlan, { forced: true }>,
  order: ReleaseOrder,
  options?: OneShotOptions,
): Promise<{ shots: OneShotRun[]; miss?: string }> {
  const extra = injectArgs(plan.aim, trial.dir, { signal: 'SIGSTOP' });
  const writers: Held[] = sources.map((_, index) => ({
    index,
    traceFile: run.traceFile(subject, `concurrent-${index + 1}`),
    stops: [],
    continued: 0,
    renamed: false,
    offset: 0,
    partial: '',
  }));
  const running = sources.map((source, i) => {
    const writer = writers[i] as Held;
    return runOneShot({
      subject,
      source,
      target: trial.target,
      tmpDir: trial.tmp,
      options,
      strace: run.traced(writer.traceFile, extra),
      onSpawn: (pid) => {
        writer.stracePid = pid;
      },
    }).then((shot) => {
      writer.shot = shot;
      return shot;
    });
  });

  // The barrier: every writer stopped at its hold point, none gone past it.
  let barrier: string | undefined;
  const deadline = Date.now() + BARRIER_TIMEOUT_MS;
  for (;;) {
    const exited = writers.find((writer) => writer.shot !== undefined && poll(writer) === 0);
    if (exited) {
      barrier = `writer-${exited.index + 1} exited (${exited.shot?.ending}) without being held at ${plan.aim.point}`;
      break;
    }
    if (writers.map(poll).every((stops) => stops > 0)) break;
    if (Date.now() > deadline) {
      const waiting = writers
        .filter((writer) => writer.stops.length === 0)
        .map((writer) => `writer-${writer.index + 1}`);
      barrier =
        `after ${BARRIER_TIMEOUT_MS / 1000} s, ${waiting.join(', ')} had still ` + `not been held at ${plan.aim.point}`;
      break;
    }
    await sleep(POLL_MS);
  }

  const allDone = (): boolean => writers.every((writer) => writer.shot !== undefined);
  if (barrier === undefined && order === 'one_at_a_time') {
    // The next writer goes once this one's rename has returned (or it exited): a writer that
    // retries a failed rename for a while does not hold up the rest.
    for (const writer of writers) {
      continueStops(writer);
      await drive([writer], () => writer.shot !== undefined || writer.renamed, Date.now() + ONE_AT_A_TIME_PATIENCE_MS);
      if (writer.shot === undefined && !writer.renamed) break;
    }
  }
  await drive(writers, allDone);
  const shots = await Promise.all(running);
  for (const writer of writers) fs.rmSync(writer.traceFile, { force: true });
  if (barrier !== undefined) return { shots, miss: barrier };
  for (const [i, shot] of shots.entries()) {
    const why = confirmHeld(shot.trace ?? '', { target: trial.target, tmpDir: trial.tmp }, plan);
    if (why !== undefined) return { shots, miss: `writer-${i + 1}: ${why}` };
  }
  return { shots };
}

/**
 * From one writer's own trace: the stop fired on the aimed call (the same replay of strace's
 * counters every injected trial gets), that call is the hold point, the writer stopped right after
 * it, and it had not renamed anything onto the target before. Undefined when all that holds.
 */
export function confirmHeld(
  traceText: string,
  watched: Watched,
  plan: Extract<OverlapPlan, { forced: true }>,
  options: { renameAllowed?: boolean } = {},
): string | undefined {
  const model = buildWritePath(parseTrace(traceText), watched);
  const fired = firstFired(model.calls, plan.aim.terms);
  if (!fired) return `its trace shows no call at ${plan.aim.basis}`;
  const wrong = missReason(model, fired, plan.aim.point, plan.expect);
  if (wrong !== undefined) return `held at ${describeCall(fired, model)}: ${wrong}`;
  const stop = [...traceText.matchAll(STOPPED)][0];
  if (!stop || stop.index === undefined) return 'its trace shows no stop';
  if (stop[1] !== undefined && Number(stop[1]) !== fired.call.tid)
    return `the first stop was in ${stop[1]}, not in ${fired.call.tid} where the hold point is`;
  const firedAt = traceText.indexOf(fired.call.line);
  if (firedAt < 0 || stop.index < firedAt) return `it stopped before ${describeCall(fired, model)}`;
  if (!options.renameAllowed && model.rename && model.rename.call.seq < fired.call.seq)
    return 'it renamed onto the target before it was held';
  return undefined;
}
