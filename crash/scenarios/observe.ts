import type { WriterSubject } from '../../core/subjects/types.js';
import {
  checkCasRound,
  checkError,
  checkKill,
  checkRound,
  type Checked,
  type HitFault,
  type ReaderReport,
} from '../checks.js';
import type { CrashRun } from '../context.js';
import type { TrialDir } from '../sandbox.js';
import type { Content, OneShotRun, Reported } from '../types.js';
import { recover } from './recovery.js';

/**
 * The I/O around crash's judges (checks.ts, which touch no file): read what a trial left, run the
 * recovery write, count what the subject's profile row reports, then hand the judge what it judges.
 */

/** After a kill: what the target holds and what was left, then a recovery write over it. */
export async function judgeKill(
  run: CrashRun,
  subject: WriterSubject,
  trial: TrialDir,
  old: Content,
  fresh: Content,
  reported: Reported,
  ending: string,
): Promise<Checked> {
  const held = trial.held(old, fresh);
  const leftovers = trial.leftovers();
  const recovery = await recover(run, subject, trial, fresh.bytes.length, leftovers);
  return checkKill(held, leftovers, recovery, reported, ending);
}

/** After an injected error: what the target holds and what was left, counted for the subject's profile row. */
export function judgeError(
  run: CrashRun,
  subject: WriterSubject,
  trial: TrialDir,
  old: Content,
  fresh: Content,
  reported: Reported,
  ending: string,
  fault: HitFault,
): Checked {
  const held = trial.held(old, fresh);
  const orphanTemps = trial.leftovers();
  const facts = run.factsFor(subject);
  facts.errorTrials += 1;
  if (orphanTemps.length > 0) facts.errorTrialsWithOrphans += 1;
  return checkError(held, orphanTemps, reported, ending, fault);
}

/** What a concurrent round's target holds (old, or any writer's content) and what was left. */
function roundState(
  trial: TrialDir,
  old: Content,
  contents: readonly Content[],
): { held: ReturnType<TrialDir['held']>; orphanTemps: string[] } {
  const [first, ...rest] = contents as [Content, ...Content[]];
  const held = trial.held(old, first, rest);
  return { held, orphanTemps: trial.leftovers() };
}

export function roundVerdict(
  trial: TrialDir,
  old: Content,
  contents: readonly Content[],
  shots: readonly OneShotRun[],
  reader: ReaderReport,
): Checked {
  const { held, orphanTemps } = roundState(trial, old, contents);
  return checkRound(held, orphanTemps, contents, shots, reader);
}

export function casRoundVerdict(
  trial: TrialDir,
  old: Content,
  contents: readonly Content[],
  shots: readonly OneShotRun[],
  reader: ReaderReport,
): Checked {
  const { held, orphanTemps } = roundState(trial, old, contents);
  return checkCasRound(held, orphanTemps, contents, shots, reader);
}
