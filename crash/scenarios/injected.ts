import fs from 'node:fs';
import type { WriterSubject } from '../../core/subjects/types.js';
import { ERROR_FAULTS, KILL_STEPS, type ErrorFault, type ScenarioId } from '../cases.js';
import type { Content } from '../contents.js';
import type { CrashRun, Recordings } from '../context.js';
import { runOneShot, type Reported } from '../one-shot.js';
import { TrialDir, type Held } from '../sandbox.js';
import { aimAt, injectArgs, type AimResult } from '../strace/aim.js';
import type { PointId } from '../strace/points.js';
import { verifyTrial } from '../strace/verify.js';
import type { TrialRecord } from '../tally.js';
import { recover } from './recovery.js';

type Action = { kind: 'kill' } | { kind: 'error'; errno: string; persistent: boolean };

/** One unit of work of an injected scenario: a subject and size at one kill step or one error fault. */
export interface InjectedTask {
  scenario: 'kill_at_step' | 'inject_error';
  subject: WriterSubject;
  size: number;
  /** A kill step (KILL_STEPS) or an error fault (ERROR_FAULTS). */
  step: PointId | ErrorFault;
}

/**
 * The tasks of the kill scenario (SIGKILL at the entry of each step's call) and the error scenario (one errno at
 * one step), one per subject × size × step, so a pool keeps every job busy instead of waiting on
 * the slowest subject. Steps are the outer loop, so the first tasks of a run record different
 * subjects at once. Persistent faults come first: a writer that retries them (atomically retries
 * EACCES for seconds) runs longest, and started early it overlaps everything else.
 */
export function injectedTasks(scenario: InjectedTask['scenario'], units: readonly { subject: WriterSubject; size: number }[]): InjectedTask[] {
  const steps: readonly (PointId | ErrorFault)[] = scenario === 'kill_at_step' ? KILL_STEPS : [...ERROR_FAULTS].sort((a, b) => Number(b.persistent) - Number(a.persistent));
  return steps.flatMap((step) => units.map(({ subject, size }) => ({ scenario, subject, size, step })));
}

/** Runs one task: the subject's recordings (shared by every task of its unit), the aim, its trials. */
export async function runInjectedTask(run: CrashRun, task: InjectedTask): Promise<void> {
  const { subject, size, step } = task;
  const recordings = await run.recordings(subject, size);
  if (typeof step === 'string') {
    const aim = 'error' in recordings ? undefined : aimAt(step, recordings.first, recordings.second, recordings.expect);
    await injectedTrials(run, subject, size, 'kill_at_step', step, recordings, aim, { kind: 'kill' });
    return;
  }
  const aim = 'error' in recordings ? undefined : firstApplicable(step, recordings);
  await injectedTrials(run, subject, size, 'inject_error', step.id, recordings, aim, { kind: 'error', errno: step.errno, persistent: step.persistent });
}

function firstApplicable(fault: ErrorFault, recordings: Extract<Recordings, { first: unknown }>): AimResult {
  let last: AimResult | undefined;
  for (const point of fault.at) {
    last = aimAt(point, recordings.first, recordings.second, recordings.expect);
    if (last.kind !== 'not_applicable') return last;
  }
  return last as AimResult;
}

/** Planned trials of one step or fault; each retried up to the plan's attempts until it reaches its step. */
async function injectedTrials(run: CrashRun, subject: WriterSubject, size: number, scenario: ScenarioId, step: string, recordings: Recordings, aim: AimResult | undefined, action: Action): Promise<void> {
  const fault = action.kind === 'kill' ? 'SIGKILL' : `${action.errno}${action.persistent ? ' (persistent: every retry fails too)' : ''}`;
  const base = { subject: subject.name, scenario, size, engine: 'strace' as const, step };
  const missed = (reason: string, where = fault): TrialRecord => ({ ...base, fault: where, notReached: reason, held: '', reported: '', problems: [] });
  if ('error' in recordings || aim === undefined) {
    for (let t = 0; t < run.plan.trialsPerStep; t++) run.tally.add(missed(`cannot aim: ${'error' in recordings ? recordings.error : 'no recording'}`));
    return;
  }
  if (aim.kind === 'not_applicable') {
    run.tally.notApplicable({ ...base, reason: aim.reason });
    return;
  }
  if (aim.kind === 'unaimable') {
    for (let t = 0; t < run.plan.trialsPerStep; t++) run.tally.add(missed(`cannot aim: ${aim.reason}`));
    return;
  }
  const old = run.contents.get(size, 'old');
  const fresh = run.contents.get(size, 'new');
  for (let t = 0; t < run.plan.trialsPerStep; t++) {
    for (let attempt = 1; attempt <= run.plan.attempts; attempt++) {
      const trial = TrialDir.create(run.trialDir(subject, scenario), old);
      const traceFile = run.traceFile(subject, `${scenario}-${step}`);
      const extra = injectArgs(aim.aim, trial.dir, action.kind === 'kill' ? { signal: 'SIGKILL' } : { error: action.errno, persistent: action.persistent });
      const shot = await runOneShot({ subject, source: fresh.source, target: trial.target, tmpDir: trial.tmp, strace: run.traced(traceFile, extra) });
      fs.rmSync(traceFile, { force: true });
      const verdict = verifyTrial(shot.trace ?? '', { target: trial.target, tmpDir: trial.tmp }, aim.aim, action.kind, recordings.expect);
      const where = `${fault} at ${aim.aim.point}`;
      if (!verdict.reached) {
        run.tally.add(missed(`${verdict.reason}${aim.caveat ? ` (aim: ${aim.caveat})` : ''}`, where));
        trial.remove();
        continue;
      }
      const faultText = `${fault} at ${verdict.what} [${aim.aim.basis}]`;
      const record =
        action.kind === 'kill' ? await checkKill(run, subject, trial, old, fresh, shot.reported, shot.ending) : checkError(run, subject, trial, old, fresh, shot.reported, shot.ending, faultOf(verdict));
      run.tally.add({ ...base, fault: faultText, ...record });
      trial.remove();
      break;
    }
  }
}

export function describeHeld(held: Held): string {
  switch (held.kind) {
    case 'old':
      return 'the old content, intact';
    case 'new':
      return 'the new content, complete';
    case 'other_known':
      return `${held.label}, complete`;
    case 'missing':
      return 'no file (the target is gone)';
    case 'torn':
      return `torn: ${held.description}`;
  }
}

type Checked = Pick<TrialRecord, 'corrupt' | 'orphanTemps' | 'tempsAfterKill' | 'falseSuccess' | 'recovered' | 'staleAfterRecovery' | 'held' | 'reported' | 'problems'>;

/** After a kill: old or new exactly; a writer that still said "success" must have written it all; then recovery. */
export async function checkKill(run: CrashRun, subject: WriterSubject, trial: TrialDir, old: Content, fresh: Content, reported: Reported, ending: string): Promise<Checked> {
  const held = trial.held(old, fresh);
  const corrupt = held.kind === 'torn' || held.kind === 'missing';
  const falseSuccess = reported === 'success' && held.kind !== 'new';
  // Whoever reports (a parent whose helper was killed may exit 1), what is left was left by a
  // killed process: counted as temps after a kill, never as orphans of a reported failure.
  const leftovers = trial.leftovers();
  const recovery = await recover(run, subject, trial, fresh.bytes.length, leftovers);
  const problems: string[] = [];
  if (corrupt) problems.push('corruption');
  if (falseSuccess) problems.push('false_success');
  if (!recovery.recovered) problems.push(`recovery_failed (${recovery.why})`);
  return {
    corrupt,
    falseSuccess,
    tempsAfterKill: leftovers,
    recovered: recovery.recovered,
    staleAfterRecovery: recovery.stale,
    held: describeHeld(held),
    reported: ending,
    problems,
  };
}

/** What an injected error hit, as the false-success rule needs it. */
export interface HitFault {
  /** The failed call was an fsync/fdatasync. */
  sync: boolean;
  /** The call acted on the file that ended up as the target (renamed into place, or the target itself). */
  onTargetData: boolean;
}

export function faultOf(verdict: Extract<ReturnType<typeof verifyTrial>, { reached: true }>): HitFault {
  const { fired, model } = verdict;
  const landed = model.rename !== undefined || model.inPlace;
  return { sync: fired.family === 'sync', onTargetData: landed && fired.ino !== undefined && fired.ino === model.dataIno };
}

/**
 * After an injected error: either the writer says failure, leaves the old bytes and no temp; or it
 * recovered (a refused probe, a retried write) and its success left exactly the new content. A
 * success is false when the target is not exactly the new content, or when an fsync of the file that
 * became the target failed: after a failed fsync the kernel may drop the dirty pages, so no retry
 * makes that data durable.
 */
export function checkError(run: CrashRun, subject: WriterSubject, trial: TrialDir, old: Content, fresh: Content, reported: Reported, ending: string, fault: HitFault): Checked {
  const held = trial.held(old, fresh);
  const success = reported === 'success';
  const lostSync = fault.sync && fault.onTargetData;
  const falseSuccess = success && (held.kind !== 'new' || lostSync);
  const corrupt = held.kind === 'torn' || held.kind === 'missing' || (!success && held.kind !== 'old');
  const orphanTemps = trial.leftovers();
  const facts = run.factsFor(subject);
  facts.errorTrials += 1;
  if (orphanTemps.length > 0) facts.errorTrialsWithOrphans += 1;
  const problems: string[] = [];
  if (corrupt) problems.push(held.kind === 'old' || held.kind === 'new' ? 'target changed after a reported failure' : 'corruption');
  if (falseSuccess) problems.push(held.kind === 'new' ? 'false_success (exit 0 after the fsync of the file that became the target failed)' : 'false_success');
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  return { corrupt, falseSuccess, orphanTemps, held: describeHeld(held), reported: ending, problems };
}
