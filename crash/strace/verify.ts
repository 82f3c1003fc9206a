import path from 'node:path';
import { firstFired, type Aim } from './aim.js';
import { missReason, type HitExpectation } from './points.js';
import { parseTrace } from '../../core/trace/strace.js';
import { buildWritePath, describeCall, filesOf, type PathCall, type Watched, type WritePath } from './write-path.js';

/**
 * Whether a retry is the same step as the injected call: the same family on the same file, or, for
 * a rename, any rename onto the same destination (a writer that falls back from a temp in $TMPDIR to
 * one in the target's directory is still trying to put the target in place).
 */
function sameStep(retry: PathCall, first: PathCall): boolean {
  if (retry.family !== first.family) return false;
  if (first.family === 'rename') return retry.paths[1] !== undefined && retry.paths[1] === first.paths[1];
  return filesOf(retry).join('\u0000') === filesOf(first).join('\u0000');
}

export type Verdict =
  | { reached: true; fired: PathCall; model: WritePath; what: string }
  | { reached: false; reason: string; model: WritePath };

/**
 * Reads a trial's own trace and decides whether its injection hit the intended call. The trace holds
 * exactly the calls strace counted (same trace set, same -P), so replaying the counters names the
 * call strace injected into; for an error injection strace's own `(INJECTED)` mark must agree, and
 * nothing else may carry it. A kill must have left that call unfinished and its process killed.
 */
export function verifyTrial(
  traceText: string,
  watched: string | Watched,
  aim: Aim,
  action: 'kill' | 'error',
  expect: HitExpectation,
): Verdict {
  const trace = parseTrace(traceText);
  const model = buildWritePath(trace, watched);
  const fired = firstFired(model.calls, aim.terms);
  let retries: PathCall[] = [];
  let outside: PathCall[] = [];
  if (action === 'error') {
    const marked = model.calls.filter((pc) => pc.call.injected);
    if (marked.length === 0)
      return {
        reached: false,
        model,
        reason: fired
          ? `strace marked no call (INJECTED), though ${describeCall(fired, model)} reached the count`
          : `injection never fired: no thread reached ${aim.basis}`,
      };
    const only = marked[0] as PathCall;
    if (!fired || fired.call.seq !== only.call.seq)
      return {
        reached: false,
        model,
        reason: `strace injected ${describeCall(only, model)}, not the call the replayed count names`,
      };
    // strace counts per thread and per spelling, so a writer that retries the failed call (from
    // another thread, or with another spelling of the same step, as mv falls back from renameat2
    // to renameat) is injected again: the same step on the same file is the same fault.
    retries = marked.slice(1);
    // A later call outside the write path (the writer's own error report to stderr, a log socket)
    // reached another spelling's count after the fault: it is the writer's reaction, not the step.
    const reactions = retries.filter(
      (pc) => !sameStep(pc, only) && pc.call.seq > only.call.seq && !touchesWritePath(pc, model),
    );
    const stray = retries.find((pc) => !sameStep(pc, only) && !reactions.includes(pc));
    if (stray)
      return {
        reached: false,
        model,
        reason: `besides ${describeCall(only, model)}, strace also injected ${describeCall(stray, model)}`,
      };
    retries = retries.filter((pc) => !reactions.includes(pc));
    outside = reactions;
  } else {
    if (!fired) return { reached: false, model, reason: `injection never fired: no thread reached ${aim.basis}` };
    if (fired.call.finished)
      return {
        reached: false,
        model,
        reason: `${describeCall(fired, model)} returned: the kill was not delivered at its entry`,
      };
    const exit = trace.exits.find((e) => e.tid === fired.call.tid);
    if (exit?.killedBy !== 'SIGKILL')
      return { reached: false, model, reason: `the thread of ${describeCall(fired, model)} was not killed by SIGKILL` };
  }
  const firedCall = fired as PathCall;
  const why = missReason(model, firedCall, aim.point, expect);
  if (why !== undefined) return { reached: false, model, reason: `fired at ${describeCall(firedCall, model)}: ${why}` };
  const again = retries.length
    ? ` (and ${retries.length} retr${retries.length === 1 ? 'y' : 'ies'} of ` +
      `it: ${[...new Set(retries.map((pc) => pc.call.name))].join(', ')})`
    : '';
  const after = outside.length
    ? ` (strace also failed ${outside.length} later call${outside.length === 1 ? '' : 's'} outside ` +
      `the write path: ${[...new Set(outside.map((pc) => describeCall(pc, model)))].join(', ')})`
    : '';
  return { reached: true, fired: firedCall, model, what: `${describeCall(firedCall, model)}${again}${after}` };
}

/** Whether a call touches the target's directory, the temp directory or a file in either. */
function touchesWritePath(pc: PathCall, model: WritePath): boolean {
  const watched = (file: string): boolean =>
    file === model.dir ||
    file === model.tmpDir ||
    path.dirname(file) === model.dir ||
    (model.tmpDir !== undefined && path.dirname(file) === model.tmpDir);
  return filesOf(pc).some(watched) || (pc.ino !== undefined && pc.ino === model.dataIno);
}
