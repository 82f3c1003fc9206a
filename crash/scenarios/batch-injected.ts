import fs from 'node:fs';
import type { WriterSubject } from '../../core/subjects/types.js';
import { resolveCalls, succeeded } from '../../core/trace/files.js';
import { parseTrace } from '../../core/trace/strace.js';
import { checkBatchError, checkBatchKill, type BatchFileHeld } from '../batch/checks.js';
import { runBatchOneShot } from '../batch/one-shot.js';
import {
  aimBatch,
  BATCH_FSYNC_EIO,
  batchInjectArgs,
  describePoint,
  verifyBatchTrial,
  type BatchPoint,
} from '../batch/points.js';
import {
  batchContents,
  batchOf,
  batchRecordings,
  skipNoBatchForm,
  watchOf,
  type BatchContents,
} from '../batch/record.js';
import { BatchTrial } from '../batch/trial.js';
import type { CrashRun } from '../context.js';
import type { TrialRecord } from '../trial-log.js';
import type { Content, Recovery } from '../types.js';

/** One task: a writer's batch form at one kill point, or with EIO on its first file's fsync. */
export interface BatchInjectedTask {
  scenario: 'batch_kill_at_step' | 'batch_inject_error';
  subject: WriterSubject;
  size: number;
  point: BatchPoint;
}

/** Runs one task's planned trials, each retried up to the plan's attempts until it reaches its point. */
export async function runBatchInjectedTask(run: CrashRun, task: BatchInjectedTask): Promise<void> {
  const { subject, size, point, scenario } = task;
  const kill = scenario === 'batch_kill_at_step';
  const fault = kill ? 'SIGKILL' : BATCH_FSYNC_EIO.errno;
  const step = kill ? point : BATCH_FSYNC_EIO.id;
  const base = { subject: subject.name, scenario, size, engine: 'strace' as const, step };
  const missed = (reason: string): TrialRecord => ({
    ...base,
    fault,
    notReached: reason,
    held: '',
    reported: '',
    problems: [],
  });
  const recorded = await batchRecordings(run, subject, size);
  if ('notJudged' in recorded) {
    run.markNotJudged(scenario, subject, size, recorded.notJudged);
    return;
  }
  if ('noBatchForm' in recorded) {
    skipNoBatchForm(run, scenario, subject, recorded.noBatchForm);
    return;
  }
  if ('error' in recorded) {
    for (let t = 0; t < run.plan.trialsPerStep; t++) run.trials.add(missed(`cannot aim: ${recorded.error}`));
    return;
  }
  const aimed = aimBatch(point, recorded.recordings);
  if (aimed.kind === 'not_applicable') {
    run.trials.notApplicable({ ...base, reason: aimed.reason });
    return;
  }
  if (aimed.kind === 'unaimable') {
    for (let t = 0; t < run.plan.trialsPerStep; t++) run.trials.add(missed(`cannot aim: ${aimed.reason}`));
    return;
  }
  const contents = batchContents(run, size);
  for (let t = 0; t < run.plan.trialsPerStep; t++) {
    for (let attempt = 1; attempt <= run.plan.attempts; attempt++) {
      const trial = BatchTrial.create(run.trialDir(subject, scenario), contents.old);
      const traceFile = run.traceFile(subject, `${scenario}-${step}`);
      const shot = await runBatchOneShot(
        subject,
        { files: batchOf(trial, contents.fresh) },
        {
          cwd: trial.root,
          tmpDir: trial.tmp,
          strace: run.traced(
            traceFile,
            batchInjectArgs(aimed.aim, kill ? { signal: 'SIGKILL' } : { error: BATCH_FSYNC_EIO.errno }),
          ),
        },
      );
      const trace = parseTrace(shot.trace ?? '');
      fs.rmSync(traceFile, { force: true });
      const calls = resolveCalls(trace);
      run.checkBox(subject, calls, { dir: trial.box, tmp: trial.tmp });
      const verdict = verifyBatchTrial(trace, calls, watchOf(trial), aimed.aim, kill ? 'kill' : 'error');
      if (!verdict.reached) {
        run.trials.add(missed(`${verdict.reason}${aimed.caveat ? ` (aim: ${aimed.caveat})` : ''}`));
        trial.remove();
        continue;
      }
      const faultText = `${fault} at ${describePoint(point)} [${aimed.aim.basis}]`;
      const files = heldFiles(trial, contents.old, contents.fresh);
      let record: ReturnType<typeof checkBatchKill>;
      if (kill) {
        const leftovers = trial.leftovers();
        const recovery = await recoverBatch(subject, trial, contents, leftovers);
        record = checkBatchKill(files, leftovers, recovery, shot.reported, shot.ending);
      } else {
        // A failed fsync of a temp that was then renamed onto a file of the batch: that data may be gone.
        const fired = verdict.fired;
        const renamedIn = calls.some(
          (pc) =>
            pc.family === 'rename' &&
            succeeded(pc) &&
            pc.ino !== undefined &&
            pc.ino === fired.ino &&
            trial.targets.includes(pc.paths[1] ?? ''),
        );
        const orphans = trial.leftovers();
        const facts = run.factsFor(subject);
        facts.errorTrials += 1;
        if (orphans.length > 0) facts.errorTrialsWithOrphans += 1;
        record = checkBatchError(files, orphans, shot.reported, shot.ending, {
          sync: true,
          onTargetData: renamedIn,
        });
      }
      run.trials.add({ ...base, fault: faultText, ...record });
      trial.remove();
      break;
    }
  }
}

function heldFiles(trial: BatchTrial, old: readonly Content[], fresh: readonly Content[]): BatchFileHeld[] {
  return trial.targets.map((target, i) => ({
    label: trial.label(target),
    held: trial.held(i, old[i], fresh[i] as Content),
  }));
}

/**
 * After a kill, one normal batch must succeed and leave every file holding exactly its recovery
 * content. Temps of the killed batch still there afterwards are counted (a killed process cannot
 * clean up), as for a single write.
 */
async function recoverBatch(
  subject: WriterSubject,
  trial: BatchTrial,
  contents: BatchContents,
  crashLeftovers: readonly string[],
): Promise<Recovery> {
  const shot = await runBatchOneShot(
    subject,
    { files: batchOf(trial, contents.recovery) },
    {
      cwd: trial.root,
      tmpDir: trial.tmp,
    },
  );
  const after = new Set(trial.leftovers());
  const stale = crashLeftovers.filter((name) => after.has(name));
  if (shot.reported !== 'success') return { recovered: false, why: `the recovery batch failed: ${shot.ending}`, stale };
  const wrong = trial.targets.flatMap((target, i) => {
    const held = trial.held(i, undefined, contents.recovery[i] as Content);
    return held.kind === 'new'
      ? []
      : [`${trial.label(target)} holds ${held.kind === 'torn' ? held.description : held.kind}`];
  });
  if (wrong.length > 0)
    return { recovered: false, why: `the recovery batch said success but ${wrong.join(', ')}`, stale };
  // Its own temps: a batch that succeeds leaves nothing new beside the files.
  const own = [...after].filter((name) => !crashLeftovers.includes(name));
  if (own.length > 0)
    return { recovered: false, why: `the recovery batch left ${own.join(', ')} beside the files`, stale };
  return { recovered: true, why: '', stale };
}
