import type { WritegateConfig } from './config.js';
import type { Profile } from './profile.js';
import type { ProgressSink } from './progress.js';
import type { SuiteName } from './schema.js';
import type { RowSink } from './sink.js';
import type { WriterSubject } from './subjects/types.js';
import type { Workspace } from './workspace.js';

/** What every suite gets: nothing else is shared between suites. */
export interface SuiteContext {
  workspace: Workspace;
  sink: RowSink;
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

export interface Suite {
  name: Exclude<SuiteName, 'env'>;
  summary: string;
  options: readonly SuiteOption[];
  /** Produces rows into ctx.sink; never formats a report. Throws InputError on bad input. */
  run(ctx: SuiteContext, options: Record<string, unknown>): Promise<void>;
}
