/**
 * When `compare` may stop measuring. After each look (an ABBA pair of rounds) every judged series has
 * an interval valid at every look (regression/sequential.ts); the comparison is over as soon as one
 * series regressed — its interval is wholly past the minimum effect, and no later look can undo that —
 * or every median is decided harmless. A tail (p95) never holds the verdict (judge.ts tailNote), so an
 * undecided one does not keep the rounds going.
 */
import type { Finding } from '../regression/finding.js';
import type { ResultRow } from '../../core/schema.js';
import {
  compareBaseline,
  timingDecision,
  type SequentialLooks,
  type TimingDecision,
} from '../regression/compare-baseline.js';
import type { MetricPolicy } from '../regression/policy.js';
import { percentChange } from '../regression/format.js';

export interface SeriesLook {
  /** A tail quantile: its regression ends the comparison, its indecision does not hold it. */
  tail: boolean;
  decision: TimingDecision;
}

export type LookOutcome = 'regressed' | 'decided' | 'continue';

export function lookOutcome(series: readonly SeriesLook[]): LookOutcome {
  if (series.some((entry) => entry.decision === 'regressed')) return 'regressed';
  const medians = series.filter((entry) => !entry.tail);
  return medians.length > 0 && medians.every((entry) => entry.decision !== 'undecided') ? 'decided' : 'continue';
}

export interface LookReport {
  outcome: LookOutcome;
  /** One line per median still undecided: where its interval stands and why that is not enough. */
  undecided: string[];
}

const isTail = (finding: Finding): boolean =>
  finding.policy.samples !== undefined && finding.policy.samples.quantile !== 50;

function decisionOf(finding: Finding): TimingDecision {
  if (finding.status === 'regression') return 'regressed';
  if (finding.policy.kind !== 'timing') return 'harmless';
  if (!finding.interval) return 'undecided';
  return timingDecision(finding.policy, finding.interval.lower, finding.interval.upper);
}

function undecidedWhy(finding: Finding): string {
  const minimum = `${Math.round(finding.policy.minEffect * 100)}% minimum effect`;
  if (!finding.interval || finding.ratio === null) return `${finding.label}: ${finding.reason}`;
  const { lower, upper } = finding.interval;
  return (
    `${finding.label} ${percentChange(finding.ratio)} (interval ${percentChange(lower)}..${percentChange(upper)}): ` +
    `could be either side of the ${minimum}`
  );
}

/** The rows a comparison judges: its subjects' (the yardsticks would only widen the family) and the environment. */
export function comparedRows(rows: readonly ResultRow[], subjects: readonly string[]): ResultRow[] {
  return rows.filter((row) => row.suite === 'env' || subjects.includes(row.subject));
}

/**
 * One look of `compare`: base and head rows so far, judged with the sequential intervals of `design`
 * (the family as planned) and the policies, as the final analysis will judge them.
 */
export function lookAt(
  base: readonly ResultRow[],
  head: readonly ResultRow[],
  subjects: readonly string[],
  policies: readonly MetricPolicy[],
  design: SequentialLooks,
): LookReport {
  const findings = compareBaseline(comparedRows(base, subjects), comparedRows(head, subjects), policies, {
    sequential: design,
  });
  return judgeLook(findings, subjects);
}

/** A look over the comparison's findings (the judged subjects' gated series against the base). */
export function judgeLook(findings: readonly Finding[], subjects: readonly string[]): LookReport {
  const judged = findings.filter(
    (finding) => finding.against === 'baseline' && finding.policy.gate && subjects.includes(finding.key.subject),
  );
  const looks = judged.map((finding) => ({ finding, tail: isTail(finding), decision: decisionOf(finding) }));
  return {
    outcome: lookOutcome(looks),
    undecided: looks
      .filter((entry) => !entry.tail && entry.decision === 'undecided')
      .map((entry) => undecidedWhy(entry.finding)),
  };
}
