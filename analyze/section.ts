import type { ResultRow } from '../core/schema.js';
import type { Dataset, Figure, GatedSuite, GateResult, GateSpec } from './types.js';
import type { KnownDifference } from './sections/parity-known.js';

/** What a section is given. Later analyzer features (history, baselines) add fields here. */
export interface SectionContext {
  /**
   * This suite's rows from every input, merged; when they were made on several file systems (the
   * `fs` column), those of one of them, and the section is prepared once per file system.
   */
  rows: readonly ResultRow[];
  /** The file system every one of `rows` was made on: a fresh one (`--fs`) or '' (the workspace's own). */
  fs?: string;
  /** All inputs, environment rows included. */
  dataset: Dataset;
  /** Extra inputs named on the command line or in the config, for the sections that read them. */
  files: {
    /** Parity's known-differences file: its name, for the section to read and validate, ... */
    knownDifferences?: string;
    /** ... or its entries, when preflight has parsed it already (the name is then only shown). */
    knownDifferencesParsed?: readonly KnownDifference[];
  };
}

/**
 * A suite's section, prepared before anything is written: everything a section reads (its rows, an
 * extra file) is read and validated in `prepare`, so bad input stops the analyzer with nothing written.
 */
export interface PreparedSection {
  /** The numbers this suite's gates judge. */
  figures: readonly Figure[];
  /** Markdown for this suite's part of RESULTS.md (starts with a `## ` heading), given its gate results. */
  render(gates: readonly GateResult[]): string;
  /** Extra machine-readable facts for `--json` (kept small). */
  summary?: Record<string, unknown>;
}

/**
 * How a suite plugs into the analyzer: its default gates (data) and its section. Register it in
 * analyze/sections/index.ts. See analyze/README-sections.md.
 */
export interface SuiteSection {
  suite: GatedSuite;
  /** Heading and table-of-contents name, e.g. "Bench — micro I/O". */
  title: string;
  gates: readonly GateSpec[];
  /** Throws InputError for bad extra input (e.g. a malformed known-differences file). */
  prepare(context: SectionContext): PreparedSection;
}
