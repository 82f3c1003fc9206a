import { formatNumber } from '../format.js';
import { figuresFromRows } from '../figures.js';
import { blocks, table, untrusted } from '../report/markdown.js';
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
      // Running min and max: no list of values, and no Math.min(...values) to overflow the stack.
      const byMetric = new Map<string, { rows: number; min: number; max: number }>();
      for (const row of rows) {
        let entry = byMetric.get(row.metric);
        if (!entry)
          byMetric.set(row.metric, (entry = { rows: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY }));
        entry.rows++;
        if (row.value !== null) {
          if (row.value < entry.min) entry.min = row.value;
          if (row.value > entry.max) entry.max = row.value;
        }
      }
      const overview = [...byMetric].map(([metric, { rows: count, min, max }]) => [
        untrusted(metric),
        String(count),
        min <= max ? formatNumber(min) : '—',
        min <= max ? formatNumber(max) : '—',
      ]);
      return {
        figures: figuresFromRows(rows),
        render: () =>
          blocks(
            `## ${suite}`,
            `${rows.length} row(s) from ${new Set(rows.map((row) => row.run_id)).size} run(s). ` +
              `No analyzer section is registered for ${suite} yet, so its rows are listed ` +
              `here and **no ${suite} gate was evaluated**.`,
            table(['metric', 'rows', 'min', 'max'], overview, ['left', 'right', 'right', 'right']),
          ),
      };
    },
  };
}
