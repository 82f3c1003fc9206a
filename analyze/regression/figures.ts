import type { ResultRow } from '../../core/schema.js';
import { mean, percentile, quantileOf } from '../../core/stats.js';
import { groupByKey, strataOf, type SeriesKey } from './keys.js';
import { policyRows, type MetricPolicy } from './policy.js';

export interface KeyedFigure {
  key: SeriesKey;
  value: number;
  /** Raw samples behind a timing figure (0 when it came from a per-run row). */
  samples: number;
}

/**
 * One figure per series for a policy. Timing: the type-7 quantile of the pooled raw samples, so the
 * figure means the same thing whoever produced the rows (and history, which keeps only figures,
 * compares like with like); a series with no raw samples falls back to the suite's own per-run rows
 * (their median across runs). Correctness: the mean of the rows (per-trial 0/1 rows become a rate).
 */
export function figuresOf(all: readonly ResultRow[], policy: MetricPolicy): Map<string, KeyedFigure> {
  const rows = policyRows(policy, all);
  const figures = new Map<string, KeyedFigure>();
  if (policy.kind === 'timing' && policy.samples) {
    for (const [id, group] of groupByKey(rows, policy.suite, policy.samples.metric, true, policy.metric)) {
      figures.set(id, {
        key: group.key,
        value: quantileOf(strataOf(group.rows), policy.samples.quantile),
        samples: group.rows.length,
      });
    }
    for (const [id, group] of groupByKey(rows, policy.suite, policy.metric, false)) {
      if (!figures.has(id))
        figures.set(id, {
          key: group.key,
          value: percentile(
            group.rows.map((row) => row.value as number),
            50,
          ),
          samples: 0,
        });
    }
    return figures;
  }
  for (const [id, group] of groupByKey(rows, policy.suite, policy.metric, undefined)) {
    figures.set(id, { key: group.key, value: mean(group.rows.map((row) => row.value as number)), samples: 0 });
  }
  return figures;
}
