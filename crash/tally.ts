import { METRICS, type RowInput } from '../core/schema.js';
import type { ScenarioId } from './cases.js';

/** How a trial's fault was delivered: strace injection, the reference's io seam, the harness's own kill, a real filesystem. */
export type Engine = 'strace' | 'in-process' | 'harness-kill' | 'tmpfs' | 'harness';

/** One trial after its checks. A trial that did not reach its step carries only the reason. */
export interface TrialRecord {
  subject: string;
  scenario: ScenarioId;
  size: number;
  engine: Engine;
  /** The step, fault or round this trial exercised, e.g. `mid_payload`, `rename_exdev`, `round 3`. */
  step: string;
  /** The fault, in words: "SIGKILL at write(<dir>/.t.tmp) #9 of 16". */
  fault: string;
  notReached?: string;
  /** Checks; only for reached trials. A field left undefined does not apply to this scenario. */
  corrupt?: boolean;
  /** Files left in the directory by a writer that exited on its own (failure or success). */
  orphanTemps?: string[];
  /** Files left by a writer that was killed: expected for temp-file writers, counted, not failed. */
  tempsAfterKill?: string[];
  falseSuccess?: boolean;
  recovered?: boolean;
  staleAfterRecovery?: string[];
  conflictDetected?: boolean;
  /** random_kill: the harness's SIGKILL arrived before the writer exited. */
  killLanded?: boolean;
  /** What the target held, what the writer reported, what went wrong: for failing-trial rows. */
  held: string;
  reported: string;
  problems: string[];
}

/** A step or fault that does not exist on this subject's write path (no fsync, written in one call...). */
export interface NotApplicable {
  subject: string;
  scenario: ScenarioId;
  size: number;
  engine: Engine;
  step: string;
  reason: string;
}

interface Group {
  subject: string;
  scenario: ScenarioId;
  size: number;
  engine: Engine;
  trials: TrialRecord[];
  notReached: TrialRecord[];
  notApplicable: NotApplicable[];
}

/** Collects trial records and turns them into rows: per subject × scenario × size, plus failing trials. */
export class Tally {
  private readonly groups = new Map<string, Group>();

  add(record: TrialRecord): void {
    const group = this.group(record);
    (record.notReached !== undefined ? group.notReached : group.trials).push(record);
  }

  notApplicable(entry: NotApplicable): void {
    this.group(entry).notApplicable.push(entry);
  }

  get records(): TrialRecord[] {
    return [...this.groups.values()].flatMap((group) => [...group.trials, ...group.notReached]);
  }

  /** Trials plus attempts that missed: what "trials per second" counts. */
  get attempts(): number {
    return this.records.length;
  }

  rows(): RowInput[] {
    const rows: RowInput[] = [];
    for (const group of this.groups.values()) {
      const base = { suite: 'crash' as const, scenario: group.scenario, subject: group.subject, mode: 'durable', size_bytes: group.size, engine: group.engine };
      const reached = group.trials;
      rows.push({ ...base, metric: METRICS.trials, value: reached.length, unit: 'count' });
      rows.push({ ...base, metric: METRICS.notReached, value: group.notReached.length, unit: 'count', detail: summarizeReasons(group.notReached.map((r) => `${r.step}: ${r.notReached}`)) });
      const attempted = reached.length + group.notReached.length;
      if (attempted > 0) rows.push({ ...base, metric: METRICS.notReachedRate, value: group.notReached.length / attempted, unit: 'ratio' });
      if (group.notApplicable.length > 0) {
        rows.push({ ...base, metric: METRICS.notApplicable, value: group.notApplicable.length, unit: 'count', detail: group.notApplicable.map((n) => `${n.step}: ${n.reason}`).join('; ') });
      }
      const rate = (metric: string, pick: (r: TrialRecord) => boolean | undefined): void => {
        const applicable = reached.filter((r) => pick(r) !== undefined);
        if (applicable.length === 0) return;
        rows.push({ ...base, metric, value: applicable.filter((r) => pick(r) === true).length / applicable.length, unit: 'ratio', detail: `${applicable.filter((r) => pick(r) === true).length}/${applicable.length}` });
      };
      rate(METRICS.corruptionRate, (r) => r.corrupt);
      rate(METRICS.orphanTempRate, (r) => (r.orphanTemps === undefined ? undefined : r.orphanTemps.length > 0));
      rate(METRICS.tempAfterKillRate, (r) => (r.tempsAfterKill === undefined ? undefined : r.tempsAfterKill.length > 0));
      rate(METRICS.falseSuccessRate, (r) => r.falseSuccess);
      rate(METRICS.recoveryRate, (r) => r.recovered);
      rate(METRICS.staleTempRate, (r) => (r.staleAfterRecovery === undefined ? undefined : r.staleAfterRecovery.length > 0));
      rate(METRICS.conflictDetectedRate, (r) => r.conflictDetected);
      rate(METRICS.killLandedRate, (r) => r.killLanded);
      // `sample` numbers the trials of the group, so two trials that failed the same way stay two rows.
      for (const [trial, record] of reached.entries()) {
        if (record.problems.length === 0) continue;
        rows.push({ ...base, metric: METRICS.failedTrial, value: 1, unit: 'count', sample: trial, detail: failedTrialDetail(record) });
      }
      for (const [trial, record] of group.notReached.entries()) {
        rows.push({ ...base, metric: METRICS.notReachedTrial, value: 1, unit: 'count', sample: trial, detail: `step=${record.step}; fault=${record.fault}; reason=${(record.notReached ?? '').replace(/;\s/g, ', ')}` });
      }
    }
    return rows;
  }

  private group(key: { subject: string; scenario: ScenarioId; size: number; engine: Engine }): Group {
    const id = `${key.subject}\u0000${key.scenario}\u0000${key.size}\u0000${key.engine}`;
    let group = this.groups.get(id);
    if (!group) {
      group = { subject: key.subject, scenario: key.scenario, size: key.size, engine: key.engine, trials: [], notReached: [], notApplicable: [] };
      this.groups.set(id, group);
    }
    return group;
  }
}

/**
 * `step=…; fault=…; held=…; reported=…; failed=…`: what RESULTS.md lists for a failing trial. A
 * value never contains `; `, so the fields split back unambiguously.
 */
export function failedTrialDetail(record: TrialRecord): string {
  const clean = (text: string): string => text.replace(/;\s/g, ', ');
  return `step=${clean(record.step)}; fault=${clean(record.fault)}; held=${clean(record.held)}; reported=${clean(record.reported)}; failed=${clean(record.problems.join(', '))}`;
}

function summarizeReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => (n > 1 ? `${n}× ${reason}` : reason)).join(' | ');
}
