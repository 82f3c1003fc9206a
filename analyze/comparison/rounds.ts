/**
 * Per-round figures of a comparison: in round i the base run and the head run ran side by side, so
 * head p50 / base p50 of round i is what that round saw of the change, with the load of the minute
 * shared by both. The paired test judges these; the report draws them.
 */
import type { ResultRow } from '../../core/schema.js';
import { groupByKey, keyId, strataOf, type SeriesKey } from '../regression/keys.js';
import type { MetricPolicy } from '../regression/policy.js';
import { runLogQuantiles } from '../regression/run-level.js';

export interface RoundRatios {
  id: string;
  key: SeriesKey;
  /** head p50 / base p50 of each round, in run order (round 1 first). */
  ratios: number[];
}

/** The per-round ratios of every p50 series of `subjects` measured in both arms with as many runs. */
export function roundRatios(
  base: readonly ResultRow[],
  head: readonly ResultRow[],
  policy: MetricPolicy,
  subjects: readonly string[],
): RoundRatios[] {
  const samples = policy.samples;
  if (!samples) return [];
  const judged = (rows: readonly ResultRow[]) => rows.filter((row) => subjects.includes(row.subject));
  const baseGroups = groupByKey(judged(base), policy.suite, samples.metric, true, policy.metric);
  const headGroups = groupByKey(judged(head), policy.suite, samples.metric, true, policy.metric);
  const result: RoundRatios[] = [];
  for (const [id, headGroup] of [...headGroups].sort(([a], [b]) => a.localeCompare(b))) {
    const baseGroup = baseGroups.get(id);
    if (!baseGroup) continue;
    // The same per-run figures the paired test differences, so the chart shows what was judged.
    const [baseLogs, headLogs] = [
      runLogQuantiles(strataOf(baseGroup.rows), samples.quantile),
      runLogQuantiles(strataOf(headGroup.rows), samples.quantile),
    ];
    if (baseLogs.length !== headLogs.length) continue;
    const ratios = headLogs.map((log, i) => Math.exp(log - (baseLogs[i] as number)));
    result.push({ id: keyId(headGroup.key), key: headGroup.key, ratios });
  }
  return result;
}
