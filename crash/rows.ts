import path from 'node:path';
import {
  CRASH_MARKERS,
  encodeDetail,
  METRICS,
  type AbsentSteps,
  type CrashScenarioId,
  type FailedTrial,
  type ImageObservation,
  type RowInput,
} from '../core/schema.js';
import type { SubjectFacts } from './types.js';
import { describeProfile } from './syscall-profile.js';
import type { TrialLog, TrialRecord } from './trial-log.js';

/**
 * The only place crash builds rows (power_loss's own are in powerloss/rows.ts): per subject ×
 * scenario × size from the trial log, one per failing or not-reached trial, and the run's pace,
 * skips, syscall profile and lock figures.
 */

/** Per subject × scenario × size: trials, not reached, not applicable and each check's rate, plus failing trials. */
export function trialRows(log: TrialLog): RowInput[] {
  const rows: RowInput[] = [];
  for (const group of log.groups()) {
    const base = {
      suite: 'crash' as const,
      scenario: group.scenario,
      subject: group.subject,
      mode: 'durable',
      size_bytes: group.size,
      engine: group.engine,
    };
    const reached = group.trials;
    rows.push({ ...base, metric: METRICS.trials, value: reached.length, unit: 'count' });
    rows.push({
      ...base,
      metric: METRICS.notReached,
      value: group.notReached.length,
      unit: 'count',
      detail: summarizeReasons(group.notReached.map((r) => `${r.step}: ${r.notReached}`)),
    });
    const attempted = reached.length + group.notReached.length;
    if (attempted > 0)
      rows.push({ ...base, metric: METRICS.notReachedRate, value: group.notReached.length / attempted, unit: 'ratio' });
    if (group.notApplicable.length > 0) {
      rows.push({
        ...base,
        metric: METRICS.notApplicable,
        value: group.notApplicable.length,
        unit: 'count',
        detail: encodeDetail(
          METRICS.notApplicable,
          group.notApplicable.map((n) => ({ step: n.step, reason: n.reason })),
        ),
      });
    }
    const rate = (metric: TrialRateMetric, pick: (r: TrialRecord) => boolean | undefined): void => {
      const applicable = reached.filter((r) => pick(r) !== undefined);
      if (applicable.length === 0) return;
      const k = applicable.filter((r) => pick(r) === true).length;
      rows.push({
        ...base,
        metric,
        value: k / applicable.length,
        unit: 'ratio',
        detail: encodeDetail(metric, { k, n: applicable.length }),
      });
    };
    rate(METRICS.corruptionRate, (r) => r.corrupt);
    rate(METRICS.orphanTempRate, (r) => (r.orphanTemps === undefined ? undefined : r.orphanTemps.length > 0));
    rate(METRICS.tempAfterKillRate, (r) => (r.tempsAfterKill === undefined ? undefined : r.tempsAfterKill.length > 0));
    rate(METRICS.falseSuccessRate, (r) => r.falseSuccess);
    rate(METRICS.recoveryRate, (r) => r.recovered);
    rate(METRICS.staleTempRate, (r) =>
      r.staleAfterRecovery === undefined ? undefined : r.staleAfterRecovery.length > 0,
    );
    rate(METRICS.conflictDetectedRate, (r) => r.conflictDetected);
    rate(METRICS.killLandedRate, (r) => r.killLanded);
    // `sample` numbers the trials of the group, so two trials that failed the same way stay two rows.
    for (const [trial, record] of reached.entries()) {
      if (record.problems.length === 0) continue;
      rows.push({
        ...base,
        metric: METRICS.failedTrial,
        value: 1,
        unit: 'count',
        sample: trial,
        detail: encodeDetail(METRICS.failedTrial, failedTrial(record)),
      });
    }
    for (const [trial, record] of group.notReached.entries()) {
      rows.push({
        ...base,
        metric: METRICS.notReachedTrial,
        value: 1,
        unit: 'count',
        sample: trial,
        detail: encodeDetail(METRICS.notReachedTrial, {
          step: record.step,
          fault: record.fault,
          reason: record.notReached ?? '',
        }),
      });
    }
  }
  return rows;
}

/**
 * What RESULTS.md lists for a failing trial: the step, the fault, what the target held, what the writer said, the
 * rules it broke.
 */
export function failedTrial(record: TrialRecord): FailedTrial {
  return {
    step: record.step,
    fault: record.fault,
    held: record.held,
    reported: record.reported,
    failed: record.problems,
  };
}

/** The rates of a subject × scenario × size, each carried as k of n so shards pool exactly. */
type TrialRateMetric =
  | typeof METRICS.corruptionRate
  | typeof METRICS.orphanTempRate
  | typeof METRICS.tempAfterKillRate
  | typeof METRICS.falseSuccessRate
  | typeof METRICS.recoveryRate
  | typeof METRICS.staleTempRate
  | typeof METRICS.conflictDetectedRate
  | typeof METRICS.killLandedRate;

function summarizeReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => (n > 1 ? `${n}× ${reason}` : reason)).join(' | ');
}

/**
 * A scenario that cannot judge a writer at a size, because its trace does not show how the writer
 * reached its files: never a pass, never a fail; analyze counts it apart and names the reason.
 */
export function notJudgedRow(scenario: CrashScenarioId, subject: string, size: number, reason: string): RowInput {
  return {
    suite: 'crash',
    scenario,
    subject,
    mode: 'durable',
    size_bytes: size,
    metric: METRICS.notJudged,
    value: 1,
    unit: 'count',
    engine: 'strace',
    detail: reason,
  };
}

/** A scenario (or, with CRASH_MARKERS.all, a subject) that did not run, and why. */
export function skippedRow(scenario: string, subject: string, reason: string): RowInput {
  return { suite: 'crash', scenario, subject, metric: METRICS.skipped, value: 1, unit: 'count', detail: reason };
}

/** A scenario's wall time and pace. */
export function paceRows(scenario: CrashScenarioId, seconds: number, attempts: number, overlap: string): RowInput[] {
  return [
    { suite: 'crash', scenario, subject: '', metric: METRICS.wallSeconds, value: seconds, unit: 's', detail: overlap },
    {
      suite: 'crash',
      scenario,
      subject: '',
      metric: METRICS.trialsPerSecond,
      value: seconds > 0 ? attempts / seconds : null,
      unit: 'trials/s',
      detail: `${attempts} trials (reached or not) in ${seconds.toFixed(1)} s${overlap ? `, ${overlap}` : ''}`,
    },
  ];
}

/** The whole run's wall time and pace. */
export function runTotalRows(seconds: number, attempts: number, jobs: number): RowInput[] {
  return [
    {
      suite: 'crash',
      scenario: CRASH_MARKERS.all,
      subject: '',
      metric: METRICS.wallSeconds,
      value: seconds,
      unit: 's',
    },
    {
      suite: 'crash',
      scenario: CRASH_MARKERS.all,
      subject: '',
      metric: METRICS.trialsPerSecond,
      value: attempts / seconds,
      unit: 'trials/s',
      detail: `${attempts} trials in ${seconds.toFixed(1)} s, ${jobs} at once`,
    },
  ];
}

/** A subject's observed write path (its durability gaps) and whether its temp file has a fixed name. */
export function profileRows(subject: string, facts: SubjectFacts, straceMissing: string | undefined): RowInput[] {
  const profile = describeProfile(facts);
  const rows: RowInput[] = [
    {
      suite: 'crash',
      scenario: CRASH_MARKERS.profile,
      subject,
      mode: 'durable',
      metric: METRICS.syscallProfile,
      value: profile && facts.recording ? profile.gaps.length : null,
      unit: 'durability gaps',
      engine: 'strace',
      detail:
        profile?.text ??
        (straceMissing
          ? `no trace: ${straceMissing}`
          : 'no fault-free trace was recorded (kill_at_step and inject_error did not run)'),
    },
  ];
  const fixedTemp = fixedTempRow(facts);
  if (fixedTemp)
    rows.push({
      suite: 'crash',
      scenario: CRASH_MARKERS.profile,
      subject,
      mode: 'durable',
      engine: 'strace',
      ...fixedTemp,
    });
  // A trace that misses some of its I/O cannot show that it stayed in its box.
  if (facts.notJudged)
    rows.push({
      suite: 'crash',
      scenario: CRASH_MARKERS.profile,
      subject,
      mode: 'durable',
      size_bytes: null,
      metric: METRICS.notJudged,
      value: 1,
      unit: 'count',
      engine: 'strace',
      detail: facts.notJudged,
    });
  else if (facts.boxChecked > 0) rows.push(writesOutsideRow(subject, facts));
  return rows;
}

/** The writer's box: the files it changed outside its trial's directory and $TMPDIR, over every traced run. */
function writesOutsideRow(subject: string, facts: SubjectFacts): RowInput {
  const files = [...facts.writesOutside];
  const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  return {
    suite: 'crash',
    scenario: CRASH_MARKERS.profile,
    subject,
    mode: 'durable',
    engine: 'strace',
    metric: METRICS.writesOutside,
    value: files.length,
    unit: 'count',
    detail: files.length
      ? `changed ${files.length} file(s) outside its target's directory and $TMPDIR ` +
        `in ${facts.boxChecked} traced run(s): ${shown} (a relative name is from ` +
        `its working directory, inside writegate's workspace, and was removed; ` +
        `an absolute one is outside the workspace and was left alone)`
      : `changed nothing outside its target's directory and $TMPDIR in ${facts.boxChecked} traced run(s)`,
  };
}

/**
 * The fixed-temp-name hazard, from the two fault-free recordings alone: a temp file (not the
 * target) whose name was the same in two runs in two different directories is the file any two
 * writers of one target will both open, truncate and rename, whether or not a race was observed.
 * A writer that writes the target in place has no temp, so not this hazard. Undefined when nothing
 * was recorded.
 */
function fixedTempRow(
  facts: SubjectFacts,
): { metric: string; value: number; unit: string; size_bytes: number; detail: string } | undefined {
  const recording = facts.recording;
  const model = recording?.model;
  if (!recording || !model || model.dataPath === undefined) return undefined;
  const base = { metric: METRICS.fixedTempName, unit: 'count', size_bytes: recording.size };
  if (model.inPlace)
    return {
      ...base,
      value: 0,
      detail: 'no temp file: it writes the target in place (not this hazard; see corruption)',
    };
  if (model.createOpen?.anonymous)
    return {
      ...base,
      value: 0,
      detail: 'an anonymous temp file (O_TMPFILE): no name another writer could open until linkat gives it one',
    };
  const name = path.basename(model.dataPath);
  if (recording.stableName === undefined)
    return { ...base, value: 0, detail: `temp name differs per run (${name} in one fault-free run)` };
  return {
    ...base,
    value: 1,
    detail:
      `temp file ${name} had the same name in two fault-free runs in two different ` +
      `directories: two writers of one target open the same temp file`,
  };
}

/** lock_rev: where the shared counter ended, the updates lost, and the cost of a locked write. */
export function lockRevRows(
  subject: string,
  size: number,
  rev: { finalRev: number; expected: number; workers: number; each: number; msPerWrite: number },
): RowInput[] {
  const base = {
    suite: 'crash' as const,
    scenario: 'lock_rev',
    subject,
    mode: 'durable',
    size_bytes: size,
    engine: 'harness',
  };
  const lost = Number.isNaN(rev.finalRev);
  return [
    {
      ...base,
      metric: METRICS.finalRev,
      value: lost ? null : rev.finalRev,
      unit: 'rev',
      detail: `expected ${rev.expected} (${rev.workers} workers × ${rev.each} locked increments)`,
    },
    {
      ...base,
      metric: METRICS.lostUpdateRate,
      value: lost ? 1 : Math.max(0, rev.expected - rev.finalRev) / rev.expected,
      unit: 'ratio',
    },
    {
      ...base,
      metric: METRICS.msPerWrite,
      value: rev.msPerWrite,
      unit: 'ms',
      detail: 'slowest worker wall time / total increments (a locked YAML writer was measured at about 8.3 ms)',
    },
  ];
}

/** concurrent: rounds that started the writers together without holding them, so the overlap was not forced. */
export function overlapNotForcedRow(
  subject: string,
  size: number,
  unforced: number,
  rounds: number,
  reason: string,
): RowInput {
  return {
    suite: 'crash',
    scenario: 'concurrent',
    subject,
    mode: 'durable',
    size_bytes: size,
    metric: METRICS.overlapNotForced,
    value: unforced,
    unit: 'count',
    engine: 'harness',
    detail:
      `${unforced} of ${rounds} round(s) started the writers together without ` +
      `holding them, so they may not have overlapped and a pass proves little: ${reason}`,
  };
}

/**
 * One writer × size on one fresh file system: its crash images beside the model, and the points it could not be held
 * at.
 */
export interface ImageResult {
  subject: string;
  size: number;
  /** The persistence model the images were held to (the file system's own). */
  model: string;
  fs: string;
  observations: readonly ImageObservation[];
  /** Points its write path does not have (no fsync to stop after), each with why. */
  absent: AbsentSteps;
  /** Points it has but was not held at, each with why: a trial that did not reach its point. */
  missed: AbsentSteps;
}

/**
 * crash_image's rows: images taken, observed atomicity and durability violations as k of n (so shards
 * pool exactly), images the model forbids, one row per image, and one per point not imaged.
 */
export function imageRows(result: ImageResult): RowInput[] {
  const base = {
    suite: 'crash' as const,
    scenario: 'crash_image',
    subject: result.subject,
    mode: 'durable',
    size_bytes: result.size,
    engine: result.model,
  };
  const images = result.observations;
  const torn = images.filter((image) => image.held === 'other' || image.held === 'missing').length;
  const afterExit = images.filter((image) => image.point === 'exit');
  const lost = afterExit.filter((image) => image.held !== 'new').length;
  const unsound = images.filter((image) => image.unsound).length;
  const rate = (k: number, n: number) => (n > 0 ? k / n : null);
  return [
    {
      ...base,
      metric: METRICS.imageStates,
      value: images.length,
      unit: 'count',
      detail: `${images.length} crash image(s) of a fresh ${result.fs}, each mounted with its journal replayed`,
    },
    {
      ...base,
      metric: METRICS.imageAtomicityViolationRate,
      value: rate(torn, images.length),
      unit: 'fraction',
      detail: encodeDetail(METRICS.imageAtomicityViolationRate, { k: torn, n: images.length }),
    },
    {
      ...base,
      metric: METRICS.imageDurabilityViolationRate,
      value: rate(lost, afterExit.length),
      unit: 'fraction',
      detail: encodeDetail(METRICS.imageDurabilityViolationRate, { k: lost, n: afterExit.length }),
    },
    {
      ...base,
      metric: METRICS.imageUnsoundStates,
      value: unsound,
      unit: 'count',
      detail: encodeDetail(METRICS.imageUnsoundStates, { k: unsound, n: images.length }),
    },
    ...images.map((image, i) => ({
      ...base,
      metric: METRICS.imageObservation,
      sample: i,
      detail: encodeDetail(METRICS.imageObservation, image),
    })),
    ...result.absent.map((point) => ({
      ...base,
      metric: METRICS.notApplicable,
      value: 1,
      unit: 'count',
      detail: encodeDetail(METRICS.notApplicable, [point]),
    })),
    ...result.missed.map((point) => ({
      ...base,
      metric: METRICS.notReachedTrial,
      detail: encodeDetail(METRICS.notReachedTrial, point),
    })),
  ];
}
