import fs from 'node:fs';
import { METRICS } from '../../core/schema.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { sha256Hex, type Content } from '../contents.js';
import type { CrashRun } from '../context.js';
import { runOneShot, type OneShotRun } from '../one-shot.js';
import { describeTorn, TrialDir } from '../sandbox.js';
import { describeHeld } from './injected.js';
import { describeForced, forcedRound, planOverlap, type ReleaseOrder } from './overlap.js';

export interface ReaderReport {
  reads: number;
  /** Reads that saw neither the old content nor any writer's complete content. */
  torn: number;
  /** Reads that found no target at all (a writer that removes before it renames). */
  missing: number;
  firstBad?: string;
}

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
async function race(subject: WriterSubject, trial: TrialDir, old: Content, contents: readonly Content[], options?: { lock?: boolean; expectSha256?: string }): Promise<{ shots: OneShotRun[]; reader: ReaderReport }> {
  const reader = startReader(trial, [old, ...contents]);
  try {
    const shots = await Promise.all(contents.map((content) => runOneShot({ subject, source: content.source, target: trial.target, tmpDir: trial.tmp, options })));
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
export async function concurrent(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const old = run.contents.get(size, 'old');
  const contents = writerContents(run, size, run.plan.writers);
  const plan = await planOverlap(run, subject, size);
  let unforced = 0;
  for (let round = 1; round <= run.plan.rounds; round++) {
    const order: ReleaseOrder = round % 2 === 1 ? 'one_at_a_time' : 'all_at_once';
    const step = `round ${round}`;
    if (!plan.forced) {
      unforced += 1;
      const trial = TrialDir.create(run.trialDir(subject, 'concurrent'), old);
      const { shots, reader } = await race(subject, trial, old, contents);
      judgeRound(run, subject, size, trial, old, contents, shots, reader, { engine: 'harness', step, fault: `${contents.length} writers at once (overlap not forced: ${plan.reason})` });
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
        outcome = await forcedRound(run, subject, trial, contents.map((content) => content.source), plan, order);
      } finally {
        await reader.stop();
      }
      if (outcome.miss === undefined) {
        judgeRound(run, subject, size, trial, old, contents, outcome.shots, await reader.stop(), { engine: 'strace', step, fault: describeForced(contents.length, plan.aim, order) });
        miss = '';
        trial.remove();
        break;
      }
      miss = `the writers did not all overlap: ${outcome.miss}`;
      trial.remove();
    }
    if (miss) {
      run.tally.add({ subject: subject.name, scenario: 'concurrent', size, engine: 'strace', step, fault: describeForced(contents.length, plan.aim, order), notReached: miss, held: '', reported: '', problems: [] });
    }
    run.ctx.progress.tick();
  }
  if (unforced > 0 && !plan.forced) {
    run.ctx.sink.add({
      suite: 'crash',
      scenario: 'concurrent',
      subject: subject.name,
      mode: 'durable',
      size_bytes: size,
      metric: METRICS.overlapNotForced,
      value: unforced,
      unit: 'count',
      engine: 'harness',
      detail: `${unforced} of ${run.plan.rounds} round(s) started the writers together without holding them, so they may not have overlapped and a pass proves little: ${plan.reason}`,
    });
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
  const [first, ...rest] = contents as [Content, ...Content[]];
  const held = trial.held(old, first, rest);
  const successes = shots.filter((shot) => shot.reported === 'success').length;
  const corrupt = held.kind === 'torn' || held.kind === 'missing' || reader.torn > 0 || reader.missing > 0;
  const winner = held.kind === 'new' || held.kind === 'other_known' ? contents.findIndex((c) => c.label === held.label) : -1;
  const winnerFailed = winner >= 0 && shots[winner]?.reported !== 'success';
  // A success report is false when no reported success is what the target holds: every one of
  // them vanished (old content), or the final content is a writer's that said it failed, so
  // whoever installed it last reported success for bytes that were not its own.
  const falseSuccess = successes > 0 && (held.kind === 'old' || winnerFailed);
  const orphanTemps = trial.leftovers();
  const problems: string[] = [];
  if (corrupt) problems.push(held.kind === 'torn' || held.kind === 'missing' ? 'corruption' : 'corruption (seen by a reader during the race)');
  if (falseSuccess) problems.push('false_success');
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  const winnerNote = winnerFailed ? `; the final content is writer-${winner + 1}'s, which reported ${shots[winner]?.ending}` : '';
  const readerNote = reader.firstBad ? `; during the race ${reader.torn + reader.missing} of ${reader.reads + reader.missing} reads were bad, first: ${reader.firstBad}` : `; ${reader.reads} reads during the race, all complete`;
  run.tally.add({
    subject: subject.name,
    scenario: 'concurrent',
    size,
    engine: where.engine,
    step: where.step,
    fault: where.fault,
    corrupt,
    falseSuccess,
    orphanTemps,
    held: `${describeHeld(held)}${winnerNote}${readerNote}`,
    reported: summarizeEndings(shots),
    problems,
  });
}

/** Reference only: CAS with a stale hash must be a conflict that leaves the target alone; with the right hash it must win. */
export async function casStale(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const current = run.contents.get(size, 'old');
  const stale = run.contents.get(size, 'stale');
  const fresh = run.contents.get(size, 'new');
  for (let t = 1; t <= run.plan.casTrials; t++) {
    const trial = TrialDir.create(run.trialDir(subject, 'cas_stale'), current);
    const shot = await runOneShot({ subject, source: fresh.source, target: trial.target, tmpDir: trial.tmp, options: { expectSha256: stale.sha256 } });
    const held = trial.held(current, fresh);
    const conflictDetected = shot.reported === 'conflict' && held.kind === 'old';
    const falseSuccess = shot.reported === 'success';
    const corrupt = held.kind !== 'old';
    const orphanTemps = trial.leftovers();
    const control = await runOneShot({ subject, source: fresh.source, target: trial.target, tmpDir: trial.tmp, options: { expectSha256: current.sha256 } });
    const controlHeld = trial.held(current, fresh);
    const problems: string[] = [];
    if (!conflictDetected) problems.push('stale CAS not rejected as a conflict');
    if (falseSuccess) problems.push('false_success');
    if (corrupt) problems.push('target changed by a stale CAS');
    if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
    if (control.reported !== 'success' || controlHeld.kind !== 'new') problems.push(`CAS with the current hash failed (${control.ending})`);
    run.tally.add({
      subject: subject.name,
      scenario: 'cas_stale',
      size,
      engine: 'harness',
      step: `stale ${t}`,
      fault: 'expected sha256 of content the target no longer holds',
      conflictDetected,
      falseSuccess,
      corrupt,
      orphanTemps,
      held: describeHeld(held),
      reported: shot.ending,
      problems,
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
    const [first, ...rest] = contents as [Content, ...Content[]];
    const held = trial.held(old, first, rest);
    const wins = shots.map((shot, i) => (shot.reported === 'success' ? i : -1)).filter((i) => i >= 0);
    const conflicts = shots.filter((shot) => shot.reported === 'conflict').length;
    const winnerHeld = wins.length === 1 && (held.kind === 'new' || held.kind === 'other_known') && held.label === contents[wins[0] as number]?.label;
    const conflictDetected = wins.length === 1 && conflicts === contents.length - 1 && winnerHeld;
    const corrupt = held.kind === 'torn' || held.kind === 'missing' || reader.torn > 0 || reader.missing > 0;
    const orphanTemps = trial.leftovers();
    const problems: string[] = [];
    if (!conflictDetected) problems.push(`expected 1 winner and ${contents.length - 1} conflicts, got ${wins.length} winner(s) and ${conflicts} conflict(s)`);
    if (corrupt) problems.push('corruption');
    if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
    run.tally.add({
      subject: subject.name,
      scenario: 'concurrent_cas',
      size,
      engine: 'harness',
      step: `round ${round}`,
      fault: `${contents.length} locked writers expecting the same sha256`,
      conflictDetected,
      corrupt,
      falseSuccess: wins.length > 1,
      orphanTemps,
      held: `${describeHeld(held)}${reader.firstBad ? `; during the race: ${reader.firstBad}` : ''}`,
      reported: summarizeEndings(shots),
      problems,
    });
    trial.remove();
  }
  run.ctx.progress.tick();
}

export function summarizeEndings(shots: readonly OneShotRun[]): string {
  const counts = new Map<string, number>();
  for (const shot of shots) {
    const key = shot.reported === 'success' ? 'exit 0' : shot.reported === 'conflict' ? 'conflict (exit 3)' : shot.ending.split(':')[0] ?? shot.ending;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n}× ${key}`).join(', ');
}
