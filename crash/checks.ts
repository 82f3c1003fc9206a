import { reachesFileData } from '../core/trace/durability.js';
import type { verifyTrial } from './strace/verify.js';
import type { TrialRecord } from './trial-log.js';
import type { Content, Held, OneShotRun, Recovery, Reported } from './types.js';

/**
 * crash's judges: each takes what one trial left (what the target holds, the files left beside it,
 * what the writer said), as the scenarios read it, and returns the verdicts a TrialRecord carries.
 * The scenarios run trials and do the I/O; only this file decides what counts as corruption, a false
 * success, an orphan or a lost race, and it touches no file and starts no process.
 */

/** What a trial's checks decided, without where and how the fault was delivered. */
export type Checked = Pick<
  TrialRecord,
  | 'corrupt'
  | 'orphanTemps'
  | 'tempsAfterKill'
  | 'falseSuccess'
  | 'recovered'
  | 'staleAfterRecovery'
  | 'conflictDetected'
  | 'killLanded'
  | 'held'
  | 'reported'
  | 'problems'
>;

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

/**
 * After a kill: old or new exactly; a writer that still said "success" must have written it all; then
 * the recovery write the scenario ran after it (scenarios/recovery.ts) must have succeeded.
 */
export function checkKill(
  held: Held,
  leftovers: string[],
  recovery: Recovery,
  reported: Reported,
  ending: string,
): Checked {
  const corrupt = held.kind === 'torn' || held.kind === 'missing';
  const falseSuccess = reported === 'success' && held.kind !== 'new';
  // Whoever reports (a parent whose helper was killed may exit 1), what is left was left by a
  // killed process: counted as temps after a kill, never as orphans of a reported failure.
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
  // A failed syncfs or msync reached the data as surely as a failed fsync of it.
  const reached =
    (fired.ino !== undefined && fired.ino === model.dataIno) ||
    (fired.family === 'sync' && reachesFileData(fired, model.dataIno));
  return { sync: fired.family === 'sync', onTargetData: landed && reached };
}

/**
 * After an injected error: either the writer says failure, leaves the old bytes and no temp; or it
 * recovered (a refused probe, a retried write) and its success left exactly the new content. A
 * success is false when the target is not exactly the new content, or when an fsync of the file that
 * became the target failed: after a failed fsync the kernel may drop the dirty pages, so no retry
 * makes that data durable.
 */
export function checkError(
  held: Held,
  orphanTemps: string[],
  reported: Reported,
  ending: string,
  fault: HitFault,
): Checked {
  const success = reported === 'success';
  const lostSync = fault.sync && fault.onTargetData;
  const falseSuccess = success && (held.kind !== 'new' || lostSync);
  const corrupt = held.kind === 'torn' || held.kind === 'missing' || (!success && held.kind !== 'old');
  const problems: string[] = [];
  if (corrupt)
    problems.push(
      held.kind === 'old' || held.kind === 'new' ? 'target changed after a reported failure' : 'corruption',
    );
  if (falseSuccess)
    problems.push(
      held.kind === 'new'
        ? 'false_success (exit 0 after the fsync of the file that became the target failed)'
        : 'false_success',
    );
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  return { corrupt, falseSuccess, orphanTemps, held: describeHeld(held), reported: ending, problems };
}

export interface ReaderReport {
  reads: number;
  /** Reads that saw neither the old content nor any writer's complete content. */
  torn: number;
  /** Reads that found no target at all (a writer that removes before it renames). */
  missing: number;
  firstBad?: string;
}

/** One concurrent round, from what the target holds, the files left, what a reader saw and what each writer said. */
export function checkRound(
  held: Held,
  orphanTemps: string[],
  contents: readonly Content[],
  shots: readonly OneShotRun[],
  reader: ReaderReport,
): Checked {
  const successes = shots.filter((shot) => shot.reported === 'success').length;
  const corrupt = held.kind === 'torn' || held.kind === 'missing' || reader.torn > 0 || reader.missing > 0;
  const winner =
    held.kind === 'new' || held.kind === 'other_known' ? contents.findIndex((c) => c.label === held.label) : -1;
  const winnerFailed = winner >= 0 && shots[winner]?.reported !== 'success';
  // A success report is false when no reported success is what the target holds: every one of
  // them vanished (old content), or the final content is a writer's that said it failed, so
  // whoever installed it last reported success for bytes that were not its own.
  const falseSuccess = successes > 0 && (held.kind === 'old' || winnerFailed);
  const problems: string[] = [];
  if (corrupt)
    problems.push(
      held.kind === 'torn' || held.kind === 'missing' ? 'corruption' : 'corruption (seen by a reader during the race)',
    );
  if (falseSuccess) problems.push('false_success');
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  const winnerNote = winnerFailed
    ? `; the final content is writer-${winner + 1}'s, which reported ${shots[winner]?.ending}`
    : '';
  const readerNote = reader.firstBad
    ? `; during the race ${reader.torn + reader.missing} of ${reader.reads + reader.missing} reads ` +
      `were bad, first: ${reader.firstBad}`
    : `; ${reader.reads} reads during the race, all complete`;
  return {
    corrupt,
    falseSuccess,
    orphanTemps,
    held: `${describeHeld(held)}${winnerNote}${readerNote}`,
    reported: summarizeEndings(shots),
    problems,
  };
}

/**
 * A compare-and-swap with a stale hash must be refused as a conflict and leave the target; one with the current hash
 * must win.
 */
export function checkStaleCas(
  held: Held,
  shot: OneShotRun,
  orphanTemps: string[],
  control: OneShotRun,
  controlHeld: Held,
): Checked {
  const conflictDetected = shot.reported === 'conflict' && held.kind === 'old';
  const falseSuccess = shot.reported === 'success';
  const corrupt = held.kind !== 'old';
  const problems: string[] = [];
  if (!conflictDetected) problems.push('stale CAS not rejected as a conflict');
  if (falseSuccess) problems.push('false_success');
  if (corrupt) problems.push('target changed by a stale CAS');
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  if (control.reported !== 'success' || controlHeld.kind !== 'new')
    problems.push(`CAS with the current hash failed (${control.ending})`);
  return {
    conflictDetected,
    falseSuccess,
    corrupt,
    orphanTemps,
    held: describeHeld(held),
    reported: shot.ending,
    problems,
  };
}

/** K locked writers expecting the same hash: exactly one wins, every other reports a conflict. */
export function checkCasRound(
  held: Held,
  orphanTemps: string[],
  contents: readonly Content[],
  shots: readonly OneShotRun[],
  reader: ReaderReport,
): Checked {
  const wins = shots.map((shot, i) => (shot.reported === 'success' ? i : -1)).filter((i) => i >= 0);
  const conflicts = shots.filter((shot) => shot.reported === 'conflict').length;
  const winnerHeld =
    wins.length === 1 &&
    (held.kind === 'new' || held.kind === 'other_known') &&
    held.label === contents[wins[0] as number]?.label;
  const conflictDetected = wins.length === 1 && conflicts === contents.length - 1 && winnerHeld;
  const corrupt = held.kind === 'torn' || held.kind === 'missing' || reader.torn > 0 || reader.missing > 0;
  const problems: string[] = [];
  if (!conflictDetected)
    problems.push(
      `expected 1 winner and ${contents.length - 1} conflicts, got ${wins.length} winner(s) ` +
        `and ${conflicts} conflict(s)`,
    );
  if (corrupt) problems.push('corruption');
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  return {
    conflictDetected,
    corrupt,
    falseSuccess: wins.length > 1,
    orphanTemps,
    held: `${describeHeld(held)}${reader.firstBad ? `; during the race: ${reader.firstBad}` : ''}`,
    reported: summarizeEndings(shots),
    problems,
  };
}

/**
 * A random kill: old or new exactly; a success means the new content; a writer the kill missed must
 * not leave temps. Recovery (run after a kill) adds its own verdict.
 */
export function checkRandomKill(
  held: Held,
  shot: OneShotRun,
  leftovers: string[],
): { killLanded: boolean; leftovers: string[]; problems: string[]; record: Checked } {
  const corrupt = held.kind === 'torn' || held.kind === 'missing';
  const falseSuccess = shot.reported === 'success' && held.kind !== 'new';
  const killLanded = shot.reported === 'killed';
  const problems: string[] = [];
  if (corrupt) problems.push('corruption');
  if (falseSuccess) problems.push('false_success');
  if (!killLanded && leftovers.length > 0) problems.push(`orphan_temp (${leftovers.join(', ')})`);
  const record: Checked = {
    corrupt,
    falseSuccess,
    ...(killLanded ? { tempsAfterKill: leftovers } : { orphanTemps: leftovers }),
    killLanded,
    held: describeHeld(held),
    reported: shot.ending,
    problems,
  };
  return { killLanded, leftovers, problems, record };
}

export function summarizeEndings(shots: readonly OneShotRun[]): string {
  const counts = new Map<string, number>();
  for (const shot of shots) {
    const key =
      shot.reported === 'success'
        ? 'exit 0'
        : shot.reported === 'conflict'
          ? 'conflict (exit 3)'
          : (shot.ending.split(':')[0] ?? shot.ending);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n}× ${key}`).join(', ');
}
