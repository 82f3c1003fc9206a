/**
 * The noise figure readers need to judge a timing verdict: per series, the coefficient of variation
 * of the raw samples within a run (how steady one run is), and the CV of the per-run p50 across the
 * history window, or across the input's own runs (how much a whole run moves — on a shared runner the
 * bigger one, and the one the history test judges against).
 */
import type { ResultRow } from '../../core/schema.js';
import { coefficientOfVariation, percentile } from '../../core/stats.js';
import type { Finding } from '../regression/finding.js';
import { groupByKey, keyId, keyLabel, strataOf, type SeriesKey } from '../regression/keys.js';
import type { MetricPolicy } from '../regression/policy.js';

export interface NoiseFigure {
  id: string;
  key: SeriesKey;
  label: string;
  samples: number;
  runs: number;
  /** Median over runs of each run's sample CV. */
  withinRunCv: number;
  /** CV of the per-run p50 over the history window plus this run, or over this input's runs; null under 3 runs. */
  runToRunCv: number | null;
}

/** Noise per series of a timing policy (the p50 policy by default: the samples are the same for every quantile). */
export function noiseFigures(
  rows: readonly ResultRow[],
  policy: MetricPolicy,
  history: readonly Finding[] = [],
): NoiseFigure[] {
  if (policy.kind !== 'timing' || !policy.samples) return [];
  const windows = new Map(history.filter((f) => f.policy.metric === policy.metric).map((f) => [f.id, f]));
  const out: NoiseFigure[] = [];
  for (const [id, group] of groupByKey(rows, policy.suite, policy.samples.metric, true, policy.metric)) {
    const strata = strataOf(group.rows).filter((stratum) => stratum.length >= 2);
    if (strata.length === 0) continue;
    // Run to run: the history window plus this run when there is a history, else this input's own
    // runs (a PR job's interleaved rounds).
    const finding = windows.get(id);
    const perRun =
      finding?.series && finding.current !== null
        ? [...finding.series.map((point) => point.value), finding.current]
        : strata.map((stratum) => percentile(stratum, 50));
    out.push({
      id: keyId(group.key),
      key: group.key,
      label: keyLabel(group.key, { label: '' }),
      samples: group.rows.length,
      runs: strata.length,
      withinRunCv: percentile(
        strata.map((stratum) => coefficientOfVariation(stratum)),
        50,
      ),
      runToRunCv: perRun.length >= 3 ? coefficientOfVariation(perRun) : null,
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
