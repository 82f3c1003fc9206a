import type { SeriesKey } from './keys.js';
import type { MetricPolicy } from './policy.js';

/**
 * regression: counts, fails the verdict (timing against a baseline, correctness always, timing
 * against history once a re-measure confirmed it). suspected: a timing regression against history
 * not yet re-measured; never fails on its own. not_reproduced: suspected, then the re-measure did not
 * show it. insufficient_data: too few samples or runs to judge. too_noisy: measured, but the runner
 * was too unsteady for a verdict (the interval is wider than the baseline options allow).
 * unconfirmed: a timing change against a baseline whose arms do not both hold several runs, so
 * nothing measured how far whole runs move on their own; it needs a re-measure in interleaved rounds.
 * None of these three is ever a pass or a fail; all are shown.
 */
export type FindingStatus =
  | 'regression'
  | 'suspected'
  | 'unconfirmed'
  | 'not_reproduced'
  | 'improvement'
  | 'unchanged'
  | 'too_noisy'
  | 'insufficient_data';

/** Statuses that carry a verdict (everything but "could not judge"). */
export function judged(finding: Pick<Finding, 'status'>): boolean {
  return finding.status !== 'insufficient_data' && finding.status !== 'too_noisy' && finding.status !== 'unconfirmed';
}

export interface HistoryPoint {
  /** The history entry (first run id of the entry). */
  id: string;
  time: string;
  value: number;
}

/** One comparison of one series: the unit of the gate table and of `--json`. */
export interface Finding {
  id: string;
  key: SeriesKey;
  label: string;
  policy: MetricPolicy;
  against: 'baseline' | 'history';
  /** Base figure (baseline) or window median (history). */
  reference: number | null;
  current: number | null;
  /** current / reference. */
  ratio: number | null;
  /** Baseline timing: bootstrap interval of the ratio. */
  interval?: { lower: number; upper: number; confidence: number };
  /** History timing: robust z of the current figure against the window (positive = worse). */
  z?: number;
  /** Baseline timing: runs per arm; fewer than 2 in either means no measured run-to-run variance. */
  runs?: { base: number; head: number };
  /** Baseline: samples per arm; history: runs in the window. */
  evidence: string;
  status: FindingStatus;
  /** One sentence: why this status. */
  reason: string;
  /** History timing only, after a re-measure. */
  confirmation?: 'confirmed' | 'not_reproduced';
  /** The re-measured figure, when there was one. */
  remeasured?: number | null;
  /** History: earlier entries' figures (oldest first), for the chart. */
  series?: HistoryPoint[];
}

/** Only gated regressions fail; suspected ones wait for their re-measure. */
export function failing(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => finding.policy.gate && finding.status === 'regression');
}
