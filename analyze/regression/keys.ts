import type { ResultRow } from '../../core/schema.js';
import type { MetricPolicy } from './policy.js';

/** What makes two figures comparable across runs: everything but the run, the sample and the value. */
export interface SeriesKey {
  suite: string;
  scenario: string;
  subject: string;
  mode: string;
  size_bytes: number | null;
  engine: string;
  /** The policy's figure metric (latency_p50_ms), also for keys built from raw samples. */
  metric: string;
  /**
   * The fresh file system the rows were made on (`--fs`); absent for the workspace's own. Only set
   * when named, so a history entry written before the column existed keeps matching a run without
   * --fs, and the same figure on two file systems is two series.
   */
  fs?: string;
}

export function keyOf(row: ResultRow, metric = row.metric): SeriesKey {
  const key: SeriesKey = {
    suite: row.suite,
    scenario: row.scenario,
    subject: row.subject,
    mode: row.mode,
    size_bytes: row.size_bytes,
    engine: row.engine,
    metric,
  };
  if (row.fs) key.fs = row.fs;
  return key;
}

export function keyId(key: SeriesKey): string {
  const parts: (string | number)[] = [
    key.suite,
    key.scenario,
    key.subject,
    key.mode,
    key.size_bytes ?? '',
    key.engine,
    key.metric,
  ];
  if (key.fs) parts.push(`fs=${key.fs}`);
  return parts.join('|');
}

export function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/**
 * "write · reference · durable · 1 KiB · p50" ("… · 1 KiB · on xfs · p50" on a fresh file system): short
 * enough for a phone's table cell.
 */
export function keyLabel(key: SeriesKey, policy: Pick<MetricPolicy, 'label'>, withEngine = false): string {
  const parts = [
    key.scenario,
    key.subject,
    key.mode,
    sizeText(key.size_bytes),
    withEngine ? key.engine : '',
    key.fs ? `on ${key.fs}` : '',
    policy.label,
  ];
  return parts.filter((part) => part !== '').join(' · ');
}

/**
 * Rows of a suite and metric that carry a value, grouped by series key. `samples`: true for per-sample
 * rows only, false for per-run figures only, undefined for both.
 */
export function groupByKey(
  rows: readonly ResultRow[],
  suite: string,
  metric: string,
  samples: boolean | undefined,
  as = metric,
): Map<string, { key: SeriesKey; rows: ResultRow[] }> {
  const groups = new Map<string, { key: SeriesKey; rows: ResultRow[] }>();
  for (const row of rows) {
    if (row.suite !== suite || row.metric !== metric || row.value === null) continue;
    if (samples !== undefined && (row.sample !== null) !== samples) continue;
    const key = keyOf(row, as);
    const id = keyId(key);
    const group = groups.get(id) ?? { key, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  return groups;
}

/** One arm's raw samples as strata: one array per run, in sample order (the order they were taken). */
export function strataOf(rows: readonly ResultRow[]): number[][] {
  const byRun = new Map<string, ResultRow[]>();
  // push, not a copy per row: a run's thousand samples would cost half a million copies.
  for (const row of rows) {
    const list = byRun.get(row.run_id);
    if (list) list.push(row);
    else byRun.set(row.run_id, [row]);
  }
  return [...byRun.keys()]
    .sort()
    .map((run) =>
      (byRun.get(run) ?? []).sort((a, b) => (a.sample ?? 0) - (b.sample ?? 0)).map((row) => row.value as number),
    );
}
