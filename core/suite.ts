import type { z } from 'zod';
import type { WritegateConfig } from './config.js';
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
}

/** What a suite's preflight sees: the run's settings, before any workspace exists. */
export interface PreflightContext {
  profile: Profile;
  config: WritegateConfig;
}

/** A program a suite needs for some of its work, checked before anything runs. */
export interface ToolNeed {
  tool: 'strace';
  /** As configured: a name looked up on PATH, or a path. */
  binary: string;
  /** What needs it, e.g. "crash kill_at_step, inject_error". */
  purpose: string;
}

export interface Suite<Options = unknown> {
  name: Exclude<SuiteName, 'env'>;
  summary: string;
  /** How the options appear on the command line. */
  options: readonly SuiteOption[];
  /** What they mean: parsed once by core (core/suite-options.ts) before any suite starts. */
  optionsSchema: z.ZodType<Options>;
  /**
   * Validates everything the suite will run (throws InputError) and names the tools it needs; the CLI
   * calls it for every selected suite before any suite starts.
   */
  preflight?(ctx: PreflightContext, options: Options): readonly ToolNeed[];
  /**
   * Checks what only running it can show (a hook that never answers), still before any suite starts:
   * throws InputError. Short: one call at most per subject, in a directory of its own that it removes.
   */
  probe?(ctx: PreflightContext, options: Options): Promise<void>;
  /**
   * How much work this run of the suite will be, for the whole-run ETA: roughly its seconds on a
   * two-core runner. Only the proportions between suites matter (the ETA scales them by the pace it
   * measures), and the suite's phases pass their shares of it to progress.start. A run that includes a
   * suite without it shows no whole-run ETA.
   */
  plannedWork?(ctx: SuiteContext, options: Options): number;
  /**
   * The suite measures file writes, so a run given `--fs` runs it once per fresh file system, its
   * trial directories on it and its rows marked with it (bench, crash). Others run once.
   */
  perFileSystem?: boolean;
  /** Produces rows into ctx.sink; never formats a report. Throws InputError on bad input. */
  run(ctx: SuiteContext, options: Options): Promise<void>;
}

/** A suite with its options parsed: what the CLI hands to preflight and the run. */
export interface SuiteRun<Options = unknown> {
  suite: Suite<Options>;
  options: Options;
}
