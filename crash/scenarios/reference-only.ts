import fs from 'node:fs';
import { lockRevRows } from '../rows.js';
import { runProcess } from '../../core/process.js';
import { selfScriptArgv } from '../../core/self-script.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { FAULT_POINTS, type FaultPointId } from '../cases.js';
import type { CrashRun } from '../context.js';
import { ending, ONE_SHOT_TIMEOUT_MS, reportedBy } from '../one-shot.js';
import { TrialDir } from '../sandbox.js';
import { describeHeld } from '../checks.js';
import { judgeError, judgeKill } from './observe.js';

export const FAULT_POINT_SCRIPT = 'crash/helpers/fault-point-once.ts';
export const REV_WORKER_SCRIPT = 'crash/helpers/rev-worker.ts';

/**
 * The reference writer's in-process fault points, in addition to syscall injection: they reach
 * what strace cannot split (the middle of a payload written in one call) and make real short
 * writes. Each trial proves it reached its point by the helper's marker line and how it ended.
 * One task per point, so a pool runs points side by side.
 */

/** The planned trials of one fault point. */
export async function faultPoint(
  run: CrashRun,
  subject: WriterSubject,
  size: number,
  point: FaultPointId,
): Promise<void> {
  const old = run.contents.get(size, 'old');
  const fresh = run.contents.get(size, 'new');
  const spec = FAULT_POINTS[point];
  for (let t = 0; t < run.plan.trialsPerStep; t++) {
    const trial = TrialDir.create(run.trialDir(subject, 'fault_point'), old);
    const result = await runProcess(selfScriptArgv(FAULT_POINT_SCRIPT, [point, fresh.source, trial.target]), {
      timeoutMs: ONE_SHOT_TIMEOUT_MS,
    });
    const marker = result.stderr.split('\n').find((line) => line.startsWith(`fault-point reached ${point}`));
    const injected = spec.kind === 'ok' ? 'partial writes' : spec.kind === 'kill' ? 'SIGKILL' : 'errno';
    const base = {
      subject: subject.name,
      scenario: 'fault_point' as const,
      size,
      engine: 'in-process' as const,
      step: point,
      fault: `${injected} at ${spec.step} (io seam)`,
    };
    const missed = notReached(point, marker, result);
    if (missed) {
      run.trials.add({ ...base, notReached: missed, held: '', reported: '', problems: [] });
      trial.remove();
      continue;
    }
    const reported = reportedBy(result);
    if (spec.kind === 'kill') {
      run.trials.add({ ...base, ...(await judgeKill(run, subject, trial, old, fresh, reported, ending(result))) });
    } else if (spec.kind === 'error') {
      run.trials.add({
        ...base,
        ...judgeError(run, subject, trial, old, fresh, reported, ending(result), {
          sync: spec.step === 'before_fsync',
          onTargetData: true,
        }),
      });
    } else {
      const held = trial.held(old, fresh);
      const orphanTemps = trial.leftovers();
      const problems: string[] = [];
      if (reported !== 'success') problems.push('failed on partial writes');
      if (held.kind !== 'new') problems.push(held.kind === 'old' ? 'target not written' : 'corruption');
      if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
      run.trials.add({
        ...base,
        fault: `${base.fault}: ${marker?.replace(/^fault-point reached short_writes\s*/, '') ?? ''}`,
        corrupt: held.kind === 'torn' || held.kind === 'missing',
        falseSuccess: reported === 'success' && held.kind !== 'new',
        orphanTemps,
        held: describeHeld(held),
        reported: ending(result),
        problems,
      });
    }
    trial.remove();
  }
}

function notReached(
  point: FaultPointId,
  marker: string | undefined,
  result: Awaited<ReturnType<typeof runProcess>>,
): string | undefined {
  if (!marker) return `the helper never reached ${point} (${ending(result)})`;
  const kind = FAULT_POINTS[point].kind;
  if (kind === 'kill' && result.signal !== 'SIGKILL') return `reached ${point} but was not killed (${ending(result)})`;
  if (kind === 'error' && result.signal) return `reached ${point} but died (${ending(result)})`;
  return undefined;
}

/**
 * The locked revision counter: W workers × N increments, each a locked read-modify-write with the
 * reference writer. With the lock serializing them the counter ends at exactly W×N (no update
 * lost) and no CAS inside the lock ever conflicts.
 */
export async function lockRev(run: CrashRun, subject: WriterSubject): Promise<void> {
  const trial = TrialDir.create(run.trialDir(subject, 'lock_rev'), undefined);
  fs.writeFileSync(trial.target, 'rev 0\n');
  const workers = run.plan.revWorkers;
  const each = run.plan.revIncrements;
  const expected = workers * each;
  const results = await Promise.all(
    Array.from({ length: workers }, () =>
      runProcess(selfScriptArgv(REV_WORKER_SCRIPT, [trial.target, String(each)]), { timeoutMs: 120_000 }),
    ),
  );
  const reports = results.map((r) => {
    try {
      return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as { writes: number; conflicts: number; ms: number };
    } catch {
      return undefined;
    }
  });
  const finalText = fs.readFileSync(trial.target, 'utf8');
  const finalRev = Number(/^rev (\d+)\n$/.exec(finalText)?.[1] ?? Number.NaN);
  const conflicts = reports.reduce((sum, r) => sum + (r?.conflicts ?? 0), 0);
  const failedWorkers = results.filter((r, i) => r.exitCode !== 0 || !reports[i]);
  const msPerWrite = Math.max(...reports.map((r) => r?.ms ?? 0)) / Math.max(1, expected);
  const orphanTemps = trial.leftovers();
  const problems: string[] = [];
  if (finalRev !== expected)
    problems.push(
      `final rev ${Number.isNaN(finalRev) ? JSON.stringify(finalText.slice(0, 40)) : finalRev}, expected ${expected}`,
    );
  if (conflicts > 0) problems.push(`${conflicts} CAS conflict(s) inside the lock`);
  if (failedWorkers.length > 0)
    problems.push(
      `${failedWorkers.length} worker(s) failed: ${ending(failedWorkers[0] as Awaited<ReturnType<typeof runProcess>>)}`,
    );
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  run.ctx.sink.addAll(lockRevRows(subject.name, finalText.length, { finalRev, expected, workers, each, msPerWrite }));
  run.trials.add({
    subject: subject.name,
    scenario: 'lock_rev',
    size: finalText.length,
    engine: 'harness',
    step: `${workers}x${each}`,
    fault: `${workers} workers contend for the lock`,
    corrupt: Number.isNaN(finalRev),
    orphanTemps,
    held: `rev ${Number.isNaN(finalRev) ? '?' : finalRev}`,
    reported: `${results.length - failedWorkers.length}/${results.length} workers exit 0`,
    problems,
  });
  trial.remove();
  run.ctx.progress.tick();
}
