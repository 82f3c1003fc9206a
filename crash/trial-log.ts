import type { FreshFileSystem } from '../core/schema.js';
import type { ScenarioId } from './cases.js';

/**
 * How a trial's fault was delivered; tiny_fs names the file system that ran out of space (tmpfs, or the fresh --fs
 * one).
 */
export type Engine = 'strace' | 'in-process' | 'harness-kill' | 'harness' | FreshFileSystem;

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

export interface TrialGroup {
  subject: string;
  scenario: ScenarioId;
  size: number;
  engine: Engine;
  trials: TrialRecord[];
  notReached: TrialRecord[];
  notApplicable: NotApplicable[];
}

/**
 * Every trial of a crash run, grouped per subject × scenario × size × engine (crash/rows.ts turns
 * them into rows).
 */
export class TrialLog {
  private readonly byKey = new Map<string, TrialGroup>();

  add(record: TrialRecord): void {
    const group = this.group(record);
    (record.notReached !== undefined ? group.notReached : group.trials).push(record);
  }

  notApplicable(entry: NotApplicable): void {
    this.group(entry).notApplicable.push(entry);
  }

  get records(): TrialRecord[] {
    return [...this.byKey.values()].flatMap((group) => [...group.trials, ...group.notReached]);
  }

  /** Trials plus attempts that missed: what "trials per second" counts. */
  get attempts(): number {
    return this.records.length;
  }

  /** The records grouped per subject × scenario × size × engine, in the order they first appeared. */
  groups(): readonly TrialGroup[] {
    return [...this.byKey.values()];
  }

  private group(key: { subject: string; scenario: ScenarioId; size: number; engine: Engine }): TrialGroup {
    const id = `${key.subject}\u0000${key.scenario}\u0000${key.size}\u0000${key.engine}`;
    let group = this.byKey.get(id);
    if (!group) {
      group = {
        subject: key.subject,
        scenario: key.scenario,
        size: key.size,
        engine: key.engine,
        trials: [],
        notReached: [],
        notApplicable: [],
      };
      this.byKey.set(id, group);
    }
    return group;
  }
}
