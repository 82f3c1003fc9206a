import type { ResultRow } from '../core/schema.js';
import type { Figure } from './types.js';

/**
 * The plain mapping most suites need: each summary row (one without a `sample` index) is a figure as
 * it stands; a row without a value keeps its `detail` as the reason. crash's rate rows and parity's
 * match rows gate directly this way. Shards repeating a key are left to the evaluator, which judges
 * the worst of them.
 */
export function figuresFromRows(rows: readonly ResultRow[], metrics?: readonly string[]): Figure[] {
  return rows
    .filter((row) => row.sample === null && (!metrics || metrics.includes(row.metric)))
    .map((row) => ({
      scenario: row.scenario,
      subject: row.subject,
      mode: row.mode,
      size_bytes: row.size_bytes,
      metric: row.metric,
      value: row.value,
      ...(row.value === null && row.detail ? { note: row.detail } : {}),
    }));
}
