/**
 * The judges of a batch trial (pure: no file, no process): each file of the batch on its own, as a
 * single write's target is judged (crash/checks.ts), plus what a batch adds — a reported success
 * needs every file new. A batch is atomic per file, not as a whole: after a failure, files renamed
 * before it may keep their new content (the reference batch does), but none may be torn or gone.
 */
import { describeHeld, type Checked, type HitFault } from '../checks.js';
import type { Held, Recovery, Reported } from '../types.js';

/** One file of the batch after the trial: its name in reports and what it holds. */
export interface BatchFileHeld {
  label: string;
  held: Held;
}

function damaged(files: readonly BatchFileHeld[]): BatchFileHeld[] {
  return files.filter(({ held }) => held.kind === 'torn' || held.kind === 'missing');
}

/** "d0/f0.dat: the new content, complete; d1/f1.dat: …" — every file, in batch order. */
export function describeBatch(files: readonly BatchFileHeld[]): string {
  return files.map(({ label, held }) => `${label}: ${describeHeld(held)}`).join('; ');
}

/**
 * After a kill: every file old or new exactly; a writer that still said "success" must have
 * written every file; then the recovery batch must have succeeded.
 */
export function checkBatchKill(
  files: readonly BatchFileHeld[],
  leftovers: string[],
  recovery: Recovery,
  reported: Reported,
  ending: string,
): Checked {
  const broken = damaged(files);
  const corrupt = broken.length > 0;
  const falseSuccess = reported === 'success' && files.some(({ held }) => held.kind !== 'new');
  const problems: string[] = [];
  if (corrupt) problems.push(`corruption (${broken.map(({ label }) => label).join(', ')})`);
  if (falseSuccess) problems.push('false_success');
  if (!recovery.recovered) problems.push(`recovery_failed (${recovery.why})`);
  return {
    corrupt,
    falseSuccess,
    tempsAfterKill: leftovers,
    recovered: recovery.recovered,
    staleAfterRecovery: recovery.stale,
    held: describeBatch(files),
    reported: ending,
    problems,
  };
}

/**
 * After an injected error: every file old or new exactly, no temp left by a writer that exited on
 * its own, and a success only when every file is new and the failed fsync was not of a file that
 * became one of them (after a failed fsync the kernel may drop the dirty pages: no retry makes that
 * data durable).
 */
export function checkBatchError(
  files: readonly BatchFileHeld[],
  orphanTemps: string[],
  reported: Reported,
  ending: string,
  fault: HitFault,
): Checked {
  const broken = damaged(files);
  const success = reported === 'success';
  const lostSync = fault.sync && fault.onTargetData;
  const falseSuccess = success && (files.some(({ held }) => held.kind !== 'new') || lostSync);
  const problems: string[] = [];
  if (broken.length > 0) problems.push(`corruption (${broken.map(({ label }) => label).join(', ')})`);
  if (falseSuccess)
    problems.push(
      lostSync
        ? 'false_success (exit 0 after the fsync of a file that became part of the batch failed)'
        : 'false_success',
    );
  if (orphanTemps.length > 0) problems.push(`orphan_temp (${orphanTemps.join(', ')})`);
  return {
    corrupt: broken.length > 0,
    falseSuccess,
    orphanTemps,
    held: describeBatch(files),
    reported: ending,
    problems,
  };
}
