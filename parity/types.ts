/** parity's domain types: what its plan, runner, checks and rows share (no module here imports upward). */
import type { Profile } from '../core/profile.js';
import type { ParityCase } from './cases.js';
import type { Normaliser } from './normalise.js';
import type { RepoSnapshot } from './snapshot.js';
import type { Wrapper } from './wrappers.js';

/** What a run of parity will do (Suite.plan): resolved and checked once, before anything runs. */
export interface ParityPlan {
  /** The profile that chose the cases (full for --readiness, whatever the run's). */
  profile: Profile;
  cases: ParityCase[];
  /** --cases as given, for the coverage row. */
  casesFilter: string | undefined;
  /** The native git, resolved to a path (--git, the config's, else git on PATH). */
  nativeGit: string;
  /** The configured wrappers (config file and --wrapper), checked; the runner puts them in its sandbox. */
  wrappers: Readonly<Record<string, string>>;
}

/** One named difference: where, and what each side holds (undefined: absent on that side). */
export interface SnapshotDifference {
  key: string;
  native: string | undefined;
  wrapper: string | undefined;
}

/** How one wrapper's run of a case compares with native git's: the three things parity judges. */
export interface Judgement {
  /** Both exited normally with the same code. */
  exitCodeMatch: boolean;
  /** What the wrapper left in the repository that native git did not (or the other way round). */
  differences: SnapshotDifference[];
  /** Native key signal lines absent from the wrapper's output. */
  missingSignals: string[];
}

/** What one run of a case's command left behind, on one side. */
export interface SideResult {
  argv: readonly string[];
  /** null when the process did not exit normally (signal, timeout, could not start). */
  exitCode: number | null;
  /** Why there is no exit code, in a few words. */
  abnormal?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  snapshot: RepoSnapshot;
}

export interface WrapperComparison extends Judgement {
  wrapper: Wrapper;
  side: SideResult;
}

export interface CaseOutcome {
  parityCase: ParityCase;
  native: SideResult;
  /** Key signal lines of native output (normalised). */
  nativeSignals: string[];
  /** Where native git did not do what the case says it does (empty: as expected). */
  expectationProblems: string[];
  comparisons: WrapperComparison[];
  normalise: Normaliser;
}
