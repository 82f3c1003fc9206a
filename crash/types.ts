/** crash's domain types: what its plan, runner, checks and rows share (no module here imports upward). */
import type { RunResult } from '../core/process.js';
import type { WriterSubject } from '../core/subjects/types.js';
import type { CrashPlan, ScenarioId } from './cases.js';
import type { CommandSubject } from './command/spec.js';
import type { Translation } from './powerloss/from-trace.js';
import type { ModelId } from './powerloss/types.js';
import type { WritePath } from './strace/write-path.js';

export interface CrashSettings {
  scenarios: readonly ScenarioId[];
  plan: CrashPlan;
  /** Trials run at once (each in its own directory). */
  jobs: number;
  /** The strace binary (default `strace` on PATH). */
  strace: string;
  /**
   * crash_image: the model images are held to, instead of the file system's own. Not an option: the
   * soundness check's own test holds real images to a model that forbids what disks keep, to see it fail.
   */
  imageModel?: ModelId;
  /** power_loss: the user's own consistency check of a crash state, as argv with a `{dir}` placeholder. */
  checker?: { template: string; argv: readonly string[]; timeoutMs: number };
  /**
   * --command: whole commands judged under power loss instead of the writers (the checker is theirs),
   * each also through every --command-wrapper.
   */
  commands?: CommandSettings;
}

export interface CommandSettings {
  /** Native commands first, then each through each wrapper. */
  subjects: readonly CommandSubject[];
  /** Per command and model: the checker's time budget. */
  budgetMs: number;
  checkerTimeoutMs: number;
}

/** What a run of crash will do (Suite.plan): its settings, over the run's subjects and sizes. */
export interface CrashSuitePlan {
  settings: CrashSettings;
  subjects: readonly WriterSubject[];
  sizes: readonly number[];
}

/** What a trial's target holds, as TrialDir.held read it. */
export type Held =
  | { kind: 'old' | 'new' | 'other_known'; label: string }
  | { kind: 'torn'; description: string }
  | { kind: 'missing' };

/** A file's content a trial writes or may find, and where a one-shot writer reads it from. */
export interface Content {
  label: string;
  bytes: Buffer;
  sha256: string;
  /** The file a one-shot writer reads it from. */
  source: string;
}

export type Reported = 'success' | 'failure' | 'conflict' | 'killed';

export interface OneShotRun {
  result: RunResult;
  reported: Reported;
  /** The trace's text when the run was traced. */
  trace?: string;
  /** One line for a report: how it ended. */
  ending: string;
}

export interface Recovery {
  recovered: boolean;
  why: string;
  /** Files the crashed run left that are still there after the recovery write. */
  stale: string[];
}

/** What the suite learned about one subject, for its syscall-profile row. */
export interface SubjectFacts {
  recording?: { model: WritePath; size: number; stableName?: string; translation?: Translation };
  /** Why its trace cannot be judged, when it cannot (the first size that said so). */
  notJudged?: string;
  /** Files outside its trial's directory and $TMPDIR it changed, in any traced run (its box). */
  writesOutside: Set<string>;
  /** Traced runs whose trace was read for writes outside the box. */
  boxChecked: number;
  errorTrials: number;
  errorTrialsWithOrphans: number;
  shortWrite?: string;
}
