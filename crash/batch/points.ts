/**
 * The steps of a batch (many files written in one call), found in a trace, and how strace is aimed
 * at them: the same counting rule as a single write's aim (crash/strace/aim.ts: the `when`-th call
 * of that syscall in its thread), checked on two fault-free recordings made in two directories, and
 * every trial checked against its own trace. Pure: no file, no process.
 */
import path from 'node:path';
import type { PathCall } from '../../core/trace/files.js';
import type { ParsedTrace } from '../../core/trace/strace.js';
import { firstFired, type InjectTerm } from '../strace/aim.js';

/** Kill points along a batch, in batch order. */
export const BATCH_KILL_POINTS = [
  'after_temp_create',
  'before_first_rename',
  'before_last_rename',
  'before_dir_fsync',
] as const;
export type BatchKillPoint = (typeof BATCH_KILL_POINTS)[number];

/** Where the injected error goes: the first fsync (or fdatasync) of a file of the batch. */
export const BATCH_FSYNC_EIO = { id: 'fsync_eio', errno: 'EIO', point: 'first_file_fsync' } as const;
export type BatchPoint = BatchKillPoint | typeof BATCH_FSYNC_EIO.point;

/** What a batch run was given: its targets' directories, its $TMPDIR and its targets. */
export interface BatchWatch {
  dirs: readonly string[];
  tmpDir: string;
  targets: readonly string[];
}

/** What each point is, in words, for not-applicable reasons and reports. */
const WHAT: Record<BatchPoint, string> = {
  after_temp_create: 'the first call on the first temp file of the batch after it is made (the temp exists, empty)',
  before_first_rename: 'the first rename onto a file of the batch',
  before_last_rename: 'the last rename onto a file of the batch (the ones before it done)',
  before_dir_fsync: "the first fsync of one of the batch's directories",
  first_file_fsync: 'the first fsync or fdatasync of a file of the batch',
};

export function describePoint(point: BatchPoint): string {
  return WHAT[point];
}

/** The call at `point` in a trace's calls, or why the batch has no such step. */
export function locateBatchPoint(
  calls: readonly PathCall[],
  watch: BatchWatch,
  point: BatchPoint,
): { call: PathCall } | { reason: string } {
  const isDir = (file: string | undefined): boolean => file !== undefined && watch.dirs.includes(file);
  const inWatched = (file: string | undefined): boolean =>
    file !== undefined && (watch.dirs.includes(path.dirname(file)) || path.dirname(file) === watch.tmpDir);
  const isTarget = (file: string | undefined): boolean => file !== undefined && watch.targets.includes(file);
  const renames = calls.filter((pc) => pc.family === 'rename' && isTarget(pc.paths[1]));
  let found: PathCall | undefined;
  switch (point) {
    case 'after_temp_create': {
      // The first call on its first temp after the open that made it (a write, a chmod, a sync).
      const create = calls.find(
        (pc) => pc.family === 'open' && pc.created && inWatched(pc.paths[0]) && !isTarget(pc.paths[0]),
      );
      if (!create) return { reason: 'it makes no temp file: its bytes go straight into the files of the batch' };
      const temp = create.paths[0];
      found = calls.find(
        (pc) =>
          pc.call.seq > create.call.seq &&
          ((create.ino !== undefined && pc.ino === create.ino) || (temp !== undefined && pc.fdPath === temp)),
      );
      if (!found) return { reason: 'no call touches its first temp file after the open that made it' };
      break;
    }
    case 'before_first_rename':
      found = renames[0];
      if (!found) return { reason: 'it renames nothing onto the files of the batch' };
      break;
    case 'before_last_rename':
      found = renames.length > 1 ? renames.at(-1) : undefined;
      if (!found) return { reason: 'it renames at most one file into place, so there is no rename between others' };
      break;
    case 'before_dir_fsync':
      found = calls.find((pc) => pc.family === 'sync' && isDir(pc.fdPath));
      if (!found) return { reason: "it never fsyncs one of the batch's directories" };
      break;
    case 'first_file_fsync':
      found = calls.find(
        (pc) => pc.family === 'sync' && inWatched(pc.fdPath) && !isDir(pc.fdPath) && pc.fdPath !== watch.tmpDir,
      );
      if (!found) return { reason: 'it never fsyncs a file of the batch' };
      break;
  }
  return { call: found };
}

/** How to hit one point: the `when`-th call of that syscall in its thread, every thread followed (-f). */
export interface BatchAim {
  point: BatchPoint;
  term: InjectTerm;
  /** In words: "rename #3 of its thread". */
  basis: string;
}

export type BatchAimResult =
  | { kind: 'aimed'; aim: BatchAim; caveat?: string }
  | { kind: 'not_applicable'; reason: string }
  | { kind: 'unaimable'; reason: string };

/** The `when` that makes `x`'s syscall fire at `x`, counted in its thread as strace counts. */
function whenOf(calls: readonly PathCall[], x: PathCall): number {
  return (
    calls.filter((pc) => pc.call.tid === x.call.tid && pc.call.name === x.call.name && pc.call.seq < x.call.seq)
      .length + 1
  );
}

/** Aims at `point` from two fault-free recordings; the count must name the point's call in both. */
export function aimBatch(
  point: BatchPoint,
  recordings: readonly { calls: readonly PathCall[]; watch: BatchWatch }[],
): BatchAimResult {
  const [first] = recordings;
  if (!first) return { kind: 'unaimable', reason: 'no recording' };
  const located = locateBatchPoint(first.calls, first.watch, point);
  if ('reason' in located) return { kind: 'not_applicable', reason: located.reason };
  const term = { syscall: located.call.call.name, when: whenOf(first.calls, located.call) };
  const aim = { point, term, basis: `${term.syscall} #${term.when} of its thread` };
  const hits = recordings.map(({ calls, watch }) => {
    const there = locateBatchPoint(calls, watch, point);
    const fired = firstFired(calls, [term]);
    return !('reason' in there) && fired !== undefined && fired.call.seq === there.call.call.seq;
  });
  if (hits.every(Boolean)) return { kind: 'aimed', aim };
  if (!hits[0])
    return {
      kind: 'unaimable',
      reason: `${term.syscall} #${term.when} of its thread is reached first by another thread's call`,
    };
  // As for a single write: aimed anyway, every trial checked against its own trace, a miss not reached.
  return {
    kind: 'aimed',
    aim,
    caveat:
      `${term.syscall} #${term.when} of its thread was ${describePoint(point)} in one fault-free run but ` +
      `not in the other (the thread makes other ${term.syscall} calls whose number varies)`,
  };
}

/** strace arguments for an aim: every thread followed, one `-e inject=` term. */
export function batchInjectArgs(aim: BatchAim, action: { signal: 'SIGKILL' } | { error: string }): string[] {
  const what = 'signal' in action ? `signal=${action.signal}` : `error=${action.error}`;
  return ['-f', '-e', `inject=?${aim.term.syscall}:${what}:when=${aim.term.when}`];
}

export type BatchVerdict = { reached: true; fired: PathCall } | { reached: false; reason: string };

/**
 * Whether a trial's injection hit its point, from the trial's own trace: the replayed count names
 * the call strace injected, that call is the point's call in this trace, and a kill left it
 * unfinished in a thread killed by SIGKILL (an error: strace marked it, and only it).
 */
export function verifyBatchTrial(
  trace: ParsedTrace,
  calls: readonly PathCall[],
  watch: BatchWatch,
  aim: BatchAim,
  action: 'kill' | 'error',
): BatchVerdict {
  const fired = firstFired(calls, [aim.term]);
  if (!fired) return { reached: false, reason: `injection never fired: no thread reached ${aim.basis}` };
  const located = locateBatchPoint(calls, watch, aim.point);
  if ('reason' in located || located.call.call.seq !== fired.call.seq) {
    const hit = `${fired.call.name}(${fired.paths[0] ?? fired.fdPath ?? ''})`;
    return { reached: false, reason: `${aim.basis} was ${hit}, not ${describePoint(aim.point)}` };
  }
  if (action === 'kill') {
    if (fired.call.finished) return { reached: false, reason: `${fired.call.name} returned: the kill came too late` };
    const exit = trace.exits.find((e) => e.tid === fired.call.tid);
    if (exit?.killedBy !== 'SIGKILL') return { reached: false, reason: 'its thread was not killed by SIGKILL' };
  } else {
    const marked = calls.filter((pc) => pc.call.injected);
    if (!fired.call.injected) return { reached: false, reason: `strace marked no error on ${fired.call.name}` };
    const stray = marked.find((pc) => pc.call.seq !== fired.call.seq && pc.call.name !== fired.call.name);
    if (stray) return { reached: false, reason: `strace also injected ${stray.call.name}` };
  }
  return { reached: true, fired };
}
