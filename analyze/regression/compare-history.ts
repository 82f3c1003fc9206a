/**
 * `--history DIR`: this run against a rolling window of earlier runs on the same machine class.
 *
 * History keeps one figure per series per run (not raw samples), so the unit of evidence here is a
 * run — and rightly: what moves between nightly runs on a shared runner is the run (another tenant,
 * another disk state), which samples within one run cannot show. The test is a robust z-score of
 * this run's figure against the window's figures (median, 1.4826·MAD; σ is floored at `noiseFloor`
 * of the median so a perfectly flat history does not make every wiggle "significant").
 * - timing: worse than the window median by more than the minimum effect AND z ≥ `zCritical` is
 *   *suspected*; only a re-measure that shows it again makes it a regression (confirm.ts).
 * - correctness: any worsening against the window median is a regression at once.
 * Fewer than `minRuns` earlier runs: insufficient history, never a verdict.
 */
import { PRIMARY_ENGINE, type ResultRow } from '../../core/schema.js';
import { percentile, robustSpread } from '../../core/stats.js';
import { judgeCorrectness } from './compare-baseline.js';
import type { Finding, HistoryPoint } from './finding.js';
import { figuresOf } from './figures.js';
import { formatFigure, percentChange } from './format.js';
import { keyLabel } from './keys.js';
import { worsening, type MetricPolicy } from './policy.js';

/** One earlier run as history keeps it (see analyze/history/store.ts). */
export interface HistoryRun {
  id: string;
  time: string;
  rows: readonly ResultRow[];
}

export interface HistoryOptions {
  /** Earlier runs compared against (the most recent ones). */
  window: number;
  minRuns: number;
  zCritical: number;
  noiseFloor: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = { window: 20, minRuns: 5, zCritical: 3, noiseFloor: 0.01 };

export function compareHistory(
  current: readonly ResultRow[],
  history: readonly HistoryRun[],
  policies: readonly MetricPolicy[],
  options: Partial<HistoryOptions> = {},
): Finding[] {
  const settings = { ...DEFAULT_HISTORY_OPTIONS, ...options };
  const window = [...history].sort((a, b) => a.id.localeCompare(b.id)).slice(-settings.window);
  const findings: Finding[] = [];
  for (const policy of policies) {
    const now = figuresOf(current, policy);
    const past = window.map((run) => ({ run, figures: figuresOf(run.rows, policy) }));
    for (const [id, figure] of [...now].sort(([a], [b]) => a.localeCompare(b))) {
      const series: HistoryPoint[] = past.flatMap(({ run, figures }) => {
        const value = figures.get(id)?.value;
        return value === undefined ? [] : [{ id: run.id, time: run.time, value }];
      });
      const common = {
        id,
        key: figure.key,
        label: keyLabel(figure.key, policy, figure.key.engine !== '' && figure.key.engine !== PRIMARY_ENGINE),
        policy,
        against: 'history' as const,
        current: figure.value,
        series,
        evidence: `${series.length} earlier run${series.length === 1 ? '' : 's'}`,
      };
      if (series.length < settings.minRuns) {
        const reference = series.length
          ? percentile(
              series.map((point) => point.value),
              50,
            )
          : null;
        findings.push({
          ...common,
          reference,
          ratio: reference ? figure.value / reference : null,
          status: 'insufficient_data',
          reason: `${series.length} of the ${settings.minRuns} earlier runs needed on this machine class`,
        });
        continue;
      }
      const { median, sigma: spread } = robustSpread(series.map((point) => point.value));
      const ratio = median !== 0 ? figure.value / median : null;
      if (policy.kind === 'correctness') {
        const { status, why } = judgeCorrectness(policy, median, figure.value);
        findings.push({
          ...common,
          reference: median,
          ratio,
          status,
          reason: `${policy.label} ${why} (window median)`,
        });
        continue;
      }
      if (!(median > 0) || ratio === null) {
        findings.push({
          ...common,
          reference: median,
          ratio,
          status: 'insufficient_data',
          reason: 'window median is not positive',
        });
        continue;
      }
      const sigma = Math.max(spread, settings.noiseFloor * median);
      const z = (policy.direction === 'lower_is_better' ? figure.value - median : median - figure.value) / sigma;
      const worse = worsening(policy, ratio);
      const limit = 1 + policy.minEffect;
      const minimum = `${Math.round(policy.minEffect * 100)}% minimum effect`;
      const vsMedian = `vs window median ${formatFigure(median)} (z ${z.toFixed(1)})`;
      const head = `${policy.label} ${percentChange(ratio)} ${vsMedian}`;
      let status: Finding['status'] = 'unchanged';
      let why = `within the ${minimum} or the window's run-to-run spread`;
      if (worse >= limit && z >= settings.zCritical) {
        status = 'suspected';
        why =
          `worse by more than the ${minimum} and beyond ${settings.zCritical}σ of ` +
          `the window: re-measure to confirm`;
      } else if (worse <= 1 / limit && z <= -settings.zCritical) {
        status = 'improvement';
        why = `better by more than the ${minimum} and beyond ${settings.zCritical}σ of the window`;
      } else if (worse >= limit) {
        why = `beyond the ${minimum}, but within the window's run-to-run spread (noise)`;
      }
      findings.push({ ...common, reference: median, ratio, z, status, reason: `${head}: ${why}` });
    }
  }
  return findings;
}
