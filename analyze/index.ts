/**
 * The analyzer: results CSVs → RESULTS.md + a verdict. It reads only CSVs (core/schema, core/csv) and
 * never runs or imports a suite; each suite plugs in through a section (analyze/README-sections.md).
 */
export {
  analyze,
  notJudgedGates,
  notJudgedLabel,
  RESULTS_CSV,
  RESULTS_MD,
  type AnalyzeOptions,
  type AnalyzeOutcome,
  type NotJudged,
} from './analyze.js';
export type {
  Comparison,
  Figure,
  GatedSuite,
  GateResult,
  GateSelector,
  GateSpec,
  GateStatus,
  GateUnit,
  RelativeTo,
} from './types.js';
export type { PreparedSection, SectionContext, SuiteSection } from './section.js';
export { figuresFromRows } from './figures.js';
export { paritySummarySchema, type ParitySummary } from './sections/parity-summary.js';
export type { BatchLineFigures, BenchLineFigures } from './sections/bench.js';
export { hookSummarySchema, type HookSummary } from './sections/hook-summary.js';
export { formatNumber, formatPercent, formatSize } from './format.js';
export { parityReadiness, rewriteReadiness, type ParityReadiness, type RewriteReadiness } from './readiness.js';
export { loadKnownDifferences } from './sections/parity-known.js';
export { preflightAnalyzeInputs, type AnalyzeFiles } from './preflight.js';
export { listGatesText } from './list-gates.js';
export { GATED_SUITES } from './sections/index.js';
export {
  MAX_ROUNDS,
  type ComparisonContext,
  type ComparisonVerdict,
  type ComparisonVerdictName,
  type SequentialRun,
  type StopReason,
} from './comparison/judge.js';
export { lookAt, type LookReport } from './comparison/stopping.js';
export { sequentialBoundary } from './regression/sequential.js';
