import fs from 'node:fs';
import { overlapNotForcedRow } from '../rows.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { sha256Hex, type Content } from '../contents.js';
import type { CrashRun } from '../context.js';
import { runOneShot, type OneShotRun } from '../one-shot.js';
import { describeTorn, TrialDir } from '../sandbox.js';
import { checkStaleCas, type ReaderReport } from '../checks.js';
import { casRoundVerdict, roundVerdict } from './observe.js';
import { describeForced, forcedRound, type OverlapPlan, type ReleaseOrder } from './overlap.js';

/**
 * A reader polling the target while the writers race: every read must see exactly one complete
 * content ("readers never see partial writes"). This is what catches writers that share a temp
 * file when they run together: one renames it while another is still writing into it, and for a
 * while the target is a mixture that the final state no longer shows.
 */
function startReader(trial: TrialDir, contents: readonly Content[]): { stop: () => Promise<ReaderReport> } {
  const known = new Set(contents.map((content) => content.sha256));
  const report: ReaderReport = { reads: 0, torn: 0, missing: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      let bytes: Buffer | undefined;
      try {
        bytes = fs.readFileSync(trial.target);
      } catch {
        report.missing += 1;
        report.firstBad ??= 'a reader found no target file';
      }
      if (bytes) {
        report.reads += 1;
        if (!known.has(sha256Hex(bytes))) {
          report.torn += 1;
          report.firstBad ??= `a reader saw ${describeTorn(bytes, contents[0], contents.slice(1))}`;
        }
      }
      // About a read per millisecond: enough to catch a window of a few ms without taking a core from the writers.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return report;
    },
  };
}

/** Starts every writer at once on one target, with a reader polling it, and waits for all of them. */
async function race(
  subject: WriterSubject,
  trial: TrialDir,
  old: Content,
  contents: readonly Content[],
  options?: { lock?: boolean; expectSha256?: string },
): Promise<{ shots: OneShotRun[]; reader: ReaderReport }> {
  const reader = startReader(trial, [old, ...contents]);
  try {
    const shots = await Promise.all(
      contents.map((content) =>
        runOneShot({ subject, source: content.source, target: trial.target, tmpDir: trial.tmp, options }),
      ),
    );
    return { shots, reader: await reader.stop() };
  } finally {
    await reader.stop();
  }
}

function writerContents(run: CrashRun, size: number, count: number): Content[] {
  return Array.from({ length: count }, (_, i) => run.contents.get(size, `writer-${i + 1}`));
}

/**
 * K processes write K different contents to the same target at once, for several rounds. The final
 * content must be exactly one of them (or the old one if every writer failed), a reader polling
 * the target must only ever see complete contents, no writer may report success for bytes that
 * are not what it installed, and nothing may be left in the directory once all have exited.
 *
 * With strace, each round is forced to overlap (overlap.ts): every writer is held right after it
 * creates its temp until all are, so a fast writer is caught as surely as a slow one. Odd rounds
 * then continue the writers one at a time (the next once the previous has renamed or exited:
 * writers sharing a temp file then always end with a later writer's bytes in the file an earlier
 * one renamed), even rounds all together. A round whose traces do not confirm the hold is retried,
 * then counted as not reached. Without strace (or when no call can be aimed at), rounds run
 * unforced and a row says so.
 */
export async function concurrent(
  run: CrashRun,
  subject: WriterSubject,
  size: number,
  plan: OverlapPlan,
): Promise<void> {
  const old = run.contents.get(size, 'old');
  const contents = writerContents(run, size, run.plan.writers);
  let unforced = 0;
  for (let round = 1; round <= run.plan.rounds; round++) {
    const order: ReleaseOrder = round % 2 === 1 ? 'one_at_a_time' : 'all_at_once';
    const step = `round ${round}`;
    if (!plan.forced) {
      unforced += 1;
      const trial = TrialDir.create(run.trialDir(subject, 'concurrent'), old);
      const { shots, reader } = await race(subject, trial, old, contents);
      judgeRound(run, subject, size, trial, old, contents, shots, reader, {
        engine: 'harness',
        step,
        fault: `${contents.length} writers at once (overlap not forced: ${plan.reason})`,
      });
      trial.remove();
      run.ctx.progress.tick();
      continue;
    }
    let miss = '';
    for (let attempt = 1; attempt <= run.plan.attempts; attempt++) {
      const trial = TrialDir.create(run.trialDir(subject, 'concurrent'), old);
      const reader = startReader(trial, [old, ...contents]);
      let outcome: Awaited<ReturnType<typeof forcedRound>>;
      try {
        outcome = await forcedRound(
          run,
          subject,
          trial,
          contents.map((content) => content.source),
          plan,
          order,
        );
      } finally {
        await reader.stop();
      }
      if (outcome.miss === undefined) {
        judgeRound(run, subject, size, trial, old, contents, outcome.shots, await reader.stop(), {
          engine: 'strace',
          step,
          fault: describeForced(contents.length, plan.aim, order),
        });
        miss = '';
        trial.remove();
        break;
      }
      miss = `the writers did not all overlap: ${outcome.miss}`;
      trial.remove();
    }
    if (miss) {
      run.trials.add({
        subject: subject.name,
        scenario: 'concurrent',
        size,
        engine: 'strace',
        step,
        fault: describeForced(contents.length, plan.aim, order),
        notReached: miss,
        held: '',
        reported: '',
        problems: [],
      });
    }
    run.ctx.progress.tick();
  }
  if (unforced > 0 && !plan.forced) {
    run.ctx.sink.add(overlapNotForcedRow(subject.name, size, unforced, run.plan.rounds, plan.reason));
  }
}

/** The checks of one concurrent round, from what the target holds, what a reader saw and what each writer said. */
function judgeRound(
  run: CrashRun,
  subject: WriterSubject,
  size: number,
  trial: TrialDir,
  old: Content,
  contents: readonly Content[],
  shots: readonly OneShotRun[],
  reader: ReaderReport,
  where: { engine: 'harness' | 'strace'; step: string; fault: string },
): void {
  run.trials.add({
    subject: subject.name,
    scenario: 'concurrent',
    size,
    engine: where.engine,
    step: where.step,
    fault: where.fault,
    ...roundVerdict(trial, old, contents, shots, reader),
  });
}

/**
 * Reference only: CAS with a stale hash must be a conflict that leaves the target alone; with the right hash it must
 * win.
 */
export async function casStale(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const current = run.contents.get(size, 'old');
  const stale = run.contents.get(size, 'stale');
  const fresh = run.contents.get(size, 'new');
  for (let t = 1; t <= run.plan.casTrials; t++) {
    const trial = TrialDir.create(run.trialDir(subject, 'cas_stale'), current);
    const shot = await runOneShot({
      subject,
      source: fresh.source,
      target: trial.target,
      tmpDir: trial.tmp,
      options: { expectSha256: stale.sha256 },
    });
    const held = trial.held(current, fresh);
    const orphanTemps = trial.leftovers();
    const control = await runOneShot({
      subject,
      source: fresh.source,
      target: trial.target,
      tmpDir: trial.tmp,
      options: { expectSha256: current.sha256 },
    });
    run.trials.add({
      subject: subject.name,
      scenario: 'cas_stale',
      size,
      engine: 'harness',
      step: `stale ${t}`,
      fault: 'expected sha256 of content the target no longer holds',
      ...checkStaleCas(held, shot, orphanTemps, control, trial.held(current, fresh)),
    });
    trial.remove();
  }
  run.ctx.progress.tick();
}

/** Reference only: K writers, each locked and each expecting the initial hash: exactly one may win. */
export async function concurrentCas(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const old = run.contents.get(size, 'old');
  const contents = writerContents(run, size, run.plan.writers);
  for (let round = 1; round <= Math.max(1, Math.ceil(run.plan.rounds / 2)); round++) {
    const trial = TrialDir.create(run.trialDir(subject, 'concurrent_cas'), old);
    const { shots, reader } = await race(subject, trial, old, contents, { lock: true, expectSha256: old.sha256 });
    run.trials.add({
      subject: subject.name,
      scenario: 'concurrent_cas',
      size,
      engine: 'harness',
      step: `round ${round}`,
      fault: `${contents.length} locked writers expecting the same sha256`,
      ...casRoundVerdict(trial, old, contents, shots, reader),
    });
    trial.remove();
  }
  run.ctx.progress.tick();
}
