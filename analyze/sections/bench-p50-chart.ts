/**
 * One bar chart per size, durable mode: each writer's p50 in milliseconds, shown open under the table
 * (the quantile strips stay folded below it). Plain milliseconds on an axis from 0, so a writer twice
 * as slow has a bar twice as tall; one bar series, the writers on the x axis, so no legend is needed.
 */
import { renderXyChart } from '../report/mermaid.js';
import type { BenchLine } from './bench-lines.js';

/** The mode charted: what a safe write costs, the figure the durable-vs-reference gate judges. */
export const CHARTED_MODE = 'durable';

/** The y axis's title: the chart's one unit. */
export const P50_AXIS = 'p50 (ms)';

/** The chart's title for a size (and a scenario, when the run had several): "1 KiB · durable: p50 per writer". */
export function p50ChartTitle(heading: string): string {
  return `${heading}: p50 per writer`;
}

/**
 * The chart of one size × durable cell and its caption; undefined when no line of it has samples. The
 * bars are the table's p50 column, number for number.
 */
export function p50ChartBlock(heading: string, lines: readonly BenchLine[]): string | undefined {
  const drawn = lines.filter(
    (line): line is BenchLine & { primary: { p50: number } } =>
      line.primary !== undefined && Number.isFinite(line.primary.p50),
  );
  if (drawn.length === 0) return undefined;
  const chart = renderXyChart({
    title: p50ChartTitle(heading),
    xTitle: 'writer',
    xLabels: drawn.map((line) => line.subject),
    yLabel: P50_AXIS,
    bars: drawn.map((line) => line.primary.p50),
    lines: [],
  });
  const spawned = drawn.some((line) => line.spawnOverheadMs !== null);
  const caption =
    "Bars: each writer's p50 in ms, the table's p50 column; a taller bar is a slower durable write." +
    (spawned
      ? ' A per-op command or driver includes its spawn cost here (the table marks its net figure † or ‡).'
      : '');
  return `${chart}\n\n${caption}`;
}
