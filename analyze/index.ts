import type { SuiteName } from '../core/schema.js';

export interface AnalyzeOptions {
  /** Results CSVs; several (shards) are merged. */
  inputs: readonly string[];
  /** Where RESULTS.md is written. */
  outDir: string;
  thresholdsFile?: string;
  knownDifferencesFile?: string;
  /** Evaluate only these suites' gates (e.g. parity for --readiness). Default: every suite present. */
  suites?: readonly SuiteName[];
}

export type GateStatus = 'pass' | 'fail' | 'known' | 'no_data';

export interface GateResult {
  id: string;
  suite: SuiteName;
  description: string;
  figure: number | null;
  threshold: string;
  status: GateStatus;
  detail: string;
}

export interface AnalyzeOutcome {
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1;
  reportPath: string;
  gates: GateResult[];
}

/** Placeholder until the analyzer lands; replaced wholesale by analyze/analyze.ts. */
export async function analyze(_options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  throw new Error('analyze is not implemented yet');
}
