import type { z } from 'zod';
import type { WritegateConfig } from './config.js';
import type { FsName } from './fs/kinds.js';
import type { Profile } from './profile.js';
import type { ProgressSink } from './progress.js';
import type { SuiteName } from './schema.js';
import type { RowSink } from './sink.js';
import type { WriterSubject } from './subjects/types.js';
import type { Workspace } from './workspace.js';
import type { TrialPlace } from './trial-place.js';

/** What every suite gets: nothing else is shared between suites. */
export interface SuiteContext {
  workspace: Workspace;
  /**
   * Where the suite's written files go (trial directories, targets): the workspace itself, or a file
   * system made fresh for this pass (`--fs`), mounted inside it. Traces and payload sources stay in the workspace.
   */
  trials: TrialPlace;
  sink: RowSink;
  /**
   * Keeps a file for a person to inspect (a crash image the model forbids): moved out of the
   * workspace now, written under --out with the results. Returns its path relative to --out.
   */
  keep(file: string, name: string): string;
  profile: Profile;
  /** The file config with command-line flags folded in (flags win). */
  config: WritegateConfig;
  /** Writer subjects (built-ins, per-op commands, drivers) after --subjects filtering. */
  subjects: readonly WriterSubject[];
  sizes: readonly number[];
  seed: number;
  progress: ProgressSink;
}

/** A suite-specific command-line option, declared as data so `gate` can run the suite with defaults. */
export interface SuiteOption {
  flags: string;
  description: string;
  defaultValue?: string | boolean;
  /** The flag may be given more than once: its values arrive as a list, in order. */
  repeatable?: boolean;
}

/**
 * What a suite plans from: the run's settings, before any workspace exists. `config` is as given (its
 * `fs` the file systems asked for); `fileSystems` are those that will be made (an asked one that cannot
 * be made here is left out, with a note).
 */
export interface PlanContext {
  profile: Profile;
  config: WritegateConfig;
  /** Writer subjects after --subjects filtering, resolved once by the CLI's preflight. */
  subjects: readonly WriterSubject[];
  sizes: readonly number[];
  fileSystems: readonly FsName[];
}

/** A program a suite needs for some of its work, checked before anything runs. */
export interface ToolNeed {
  tool: 'strace';
  /** As configured: a name looked up on PATH, or a path. */
  binary: string;
  /** What needs it, e.g. "crash kill_at_step, inject_error". */
  purpose: string;
}

export interface Suite<Options = unknown, Plan = unknown> {
  name: Exclude<SuiteName, 'env'>;
  summary: string;
  /** How the options appear on the command line. */
  options: readonly SuiteOption[];
  /** What they mean: parsed once by core (core/suite-options.ts) before any suite starts. */
  optionsSchema: z.ZodType<Options>;
  /**
   * Resolves everything the suite will run from its options and the run's settings, once per run, and
   * validates it (throws InputError): the CLI calls it for every selected suite before any suite
   * starts. What follows (tools, probe, work, run) is a function of the plan alone.
   */
  plan(ctx: PlanContext, options: Options): Plan;
  /** The tools the plan needs, checked before anything runs. */
  needs?(plan: Plan): readonly ToolNeed[];
  /**
   * Checks what only running it can show (a hook that never answers), still before any suite starts:
   * throws InputError. Short: one call at most per subject, in a directory of its own that it removes.
   */
  probe?(plan: Plan): Promise<void>;
  /**
   * How much work the plan is, for the whole-run ETA: roughly its seconds on a two-core runner. Only
   * the proportions between suites matter (the ETA scales them by the pace it measures), and the
   * suite's phases pass their shares of it to progress.start. A run that includes a suite without it
   * shows no whole-run ETA.
   */
  plannedWork?(plan: Plan): number;
  /**
   * The suite measures file writes, so a run given `--fs` runs it once per fresh file system, its
   * trial directories on it and its rows marked with it (bench, crash). Others run once.
   */
  perFileSystem?: boolean;
  /** Produces rows into ctx.sink; never formats a report. Throws InputError on bad input. */
  run(ctx: SuiteContext, plan: Plan): Promise<void>;
}

/** A suite with its options parsed: what the CLI plans from. */
export interface SuiteRun<Options = unknown> {
  suite: Suite<Options>;
  options: Options;
}

/** A suite with its plan: what preflight, the ETA and the run take. */
export interface PlannedSuite<Plan = unknown> {
  suite: Suite<unknown, Plan>;
  plan: Plan;
}
