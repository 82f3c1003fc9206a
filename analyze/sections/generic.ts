import { formatNumber } from '../format.js';
import { figuresFromRows } from '../figures.js';
import { blocks, table } from '../report/markdown.js';
import type { SuiteSection } from '../section.js';
import type { GatedSuite } from '../types.js';

/**
 * What a suite's rows get until the suite registers its own section: a per-metric overview and no
 * gates, so the rows are visible and nobody mistakes them for gated results.
 */
export function genericSection(suite: GatedSuite): SuiteSection {
  return {
    suite,
    title: suite,
    gates: [],
    prepare({ rows }) {
      const byMetric = new Map<string, { rows: number; values: number[] }>();
      for (const row of rows) {
        const entry = byMetric.get(row.metric) ?? { rows: 0, values: [] };
        entry.rows++;
        if (row.value !== null) entry.values.push(row.value);
        byMetric.set(row.metric, entry);
      }
      const overview = [...byMetric].map(([metric, { rows: count, values }]) => [
        metric,
        String(count),
        values.length ? formatNumber(Math.min(...values)) : '—',
        values.length ? formatNumber(Math.max(...values)) : '—',
      ]);
      return {
        figures: figuresFromRows(rows),
        render: () =>
          blocks(
            `## ${suite}`,
            `${rows.length} row(s) from ${new Set(rows.map((row) => row.run_id)).size} run(s). No analyzer section is registered for ${suite} yet, so its rows are listed here and **no ${suite} gate was evaluated**.`,
            table(['metric', 'rows', 'min', 'max'], overview, ['left', 'right', 'right', 'right']),
          ),
      };
    },
  };
}
