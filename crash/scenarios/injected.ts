import fs from 'node:fs';
import { fileSystemProbe } from '../../core/trace/file-systems.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import type { ErrorFault, ScenarioId } from '../cases.js';
import type { InjectedTask } from '../plan.js';
import type { CrashRun, Recordings } from '../context.js';
import { runOneShot } from '../one-shot.js';
import { TrialDir } from '../sandbox.js';
import { aimAt, injectArgs, type AimResult } from '../strace/aim.js';
import { verifyTrial } from '../strace/verify.js';
import type { TrialRecord } from '../trial-log.js';
import { faultOf } from '../checks.js';
import { judgeError, judgeKill } from './observe.js';

type Action = { kind: 'kill' } | { kind: 'error'; errno: string; persistent: boolean };

/** Runs one task: the subject's recordings (shared by every task of its unit), the aim, its trials. */
export async function runInjectedTask(run: CrashRun, task: InjectedTask): Promise<void> {
  const { subject, size, step } = task;
  const recordings = await run.recordings(subject, size);
  if ('notJudged' in recordings) {
    // Its steps cannot be found in calls the tracer did not see: no trial, and never a pass.
    run.markNotJudged(task.scenario, subject, size, recordings.notJudged);
    return;
  }
  if (typeof step === 'string') {
    const aim = 'error' in recordings ? undefined : aimAt(step, recordings.first, recordings.second, recordings.expect);
    await injectedTrials(run, subject, size, 'kill_at_step', step, recordings, aim, { kind: 'kill' });
    return;
  }
  const aim = 'error' in recordings ? undefined : firstApplicable(step, recordings);
  await injectedTrials(run, subject, size, 'inject_error', step.id, recordings, aim, {
    kind: 'error',
    errno: step.errno,
    persistent: step.persistent,
  });
}

function firstApplicable(fault: ErrorFault, recordings: Extract<Recordings, { first: unknown }>): AimResult {
  let last: AimResult | undefined;
  for (const point of fault.at) {
    last = aimAt(point, recordings.first, recordings.second, recordings.expect);
    if (last.kind === 'aimed' && last.aim.terms[0]?.syscall === 'sync') {
      // A failed sync() cannot be delivered: the kernel's sync returns 0 whatever the write-back met.
      return {
        kind: 'not_applicable',
        reason:
          'its sync step is sync(2), which cannot fail: the kernel returns 0 whatever ' +
          'happens to the write-back, so there is no error to deliver',
      };
    }
    if (last.kind !== 'not_applicable') return last;
  }
  return last as AimResult;
}

/** Planned trials of one step or fault; each retried up to the plan's attempts until it reaches its step. */
async function injectedTrials(
  run: CrashRun,
  subject: WriterSubject,
  size: number,
  scenario: ScenarioId,
  step: string,
  recordings: Recordings,
  aim: AimResult | undefined,
  action: Action,
): Promise<void> {
  const fault =
    action.kind === 'kill'
      ? 'SIGKILL'
      : `${action.errno}${action.persistent ? ' (persistent: every retry fails too)' : ''}`;
  const base = { subject: subject.name, scenario, size, engine: 'strace' as const, step };
  const missed = (reason: string, where = fault): TrialRecord => ({
    ...base,
    fault: where,
    notReached: reason,
    held: '',
    reported: '',
    problems: [],
  });
  if (!('first' in recordings) || aim === undefined) {
    for (let t = 0; t < run.plan.trialsPerStep; t++)
      run.trials.add(missed(`cannot aim: ${'error' in recordings ? recordings.error : 'no recording'}`));
    return;
  }
  if (aim.kind === 'not_applicable') {
    run.trials.notApplicable({ ...base, reason: aim.reason });
    return;
  }
  if (aim.kind === 'unaimable') {
    for (let t = 0; t < run.plan.trialsPerStep; t++) run.trials.add(missed(`cannot aim: ${aim.reason}`));
    return;
  }
  const old = run.contents.get(size, 'old');
  const fresh = run.contents.get(size, 'new');
  for (let t = 0; t < run.plan.trialsPerStep; t++) {
    for (let attempt = 1; attempt <= run.plan.attempts; attempt++) {
      const trial = TrialDir.create(run.trialDir(subject, scenario), old);
      const traceFile = run.traceFile(subject, `${scenario}-${step}`);
      const extra = injectArgs(
        aim.aim,
        trial.dir,
        action.kind === 'kill' ? { signal: 'SIGKILL' } : { error: action.errno, persistent: action.persistent },
      );
      const shot = await runOneShot({
        subject,
        source: fresh.source,
        target: trial.target,
        tmpDir: trial.tmp,
        strace: run.traced(traceFile, extra),
      });
      fs.rmSync(traceFile, { force: true });
      const watched = {
        target: trial.target,
        tmpDir: trial.tmp,
        fileSystem: fileSystemProbe(trial.dir, [trial.dir, trial.tmp]),
      };
      const verdict = verifyTrial(shot.trace ?? '', watched, aim.aim, action.kind, recordings.expect);
      run.checkBox(subject, verdict.model.calls, trial);
      const where = `${fault} at ${aim.aim.point}`;
      if (!verdict.reached) {
        run.trials.add(missed(`${verdict.reason}${aim.caveat ? ` (aim: ${aim.caveat})` : ''}`, where));
        trial.remove();
        continue;
      }
      const faultText = `${fault} at ${verdict.what} [${aim.aim.basis}]`;
      const record =
        action.kind === 'kill'
          ? await judgeKill(run, subject, trial, old, fresh, shot.reported, shot.ending)
          : judgeError(run, subject, trial, old, fresh, shot.reported, shot.ending, faultOf(verdict));
      run.trials.add({ ...base, fault: faultText, ...record });
      trial.remove();
      break;
    }
  }
}
