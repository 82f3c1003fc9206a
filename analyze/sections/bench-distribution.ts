/**
 * What each bench line's latency samples look like beyond p50 and p95: one chart per size × mode (the
 * table's own grouping, so a quick run draws a handful, not one per line), every subject a column of
 * quantiles on a log scale.
 *
 * Why this form. A Mermaid chart, not an SVG: GitHub renders it in RESULTS.md and in the job summary
 * alike, with no second file to keep beside the report (inline <svg> is stripped, and a linked image
 * does not show in a job summary); the trend charts are Mermaid already. A quantile strip, not a
 * histogram: xychart-beta has no legend, so several subjects' histograms on one chart could not be
 * told apart, whereas here the subjects are the x axis and the quantile lines never cross (p5 ≤ p25
 * ≤ … ≤ max), so each line is known by its place. Log scale because lines span 0.01 ms to tens of ms
 * and a tail is a ratio; Mermaid has no log axis, so log10(ms) is plotted and the axis says so.
 */
import { formatNumber } from '../format.js';
import { renderXyChart } from '../report/mermaid.js';
import { table, untrusted } from '../report/markdown.js';
import type { BenchLine, QuantileLadder } from './bench-lines.js';

/** The quantiles drawn, lowest first: the order of the lines on the chart and in its caption. */
export const RUNGS = [
  'p5',
  'p25',
  'p50',
  'p75',
  'p95',
  'p99',
  'max',
] as const satisfies readonly (keyof QuantileLadder)[];

/** 0.1 µs: below any timer's resolution here; keeps a 0 ms sample from having no logarithm. */
const FLOOR_MS = 1e-4;

const log10Ms = (ms: number): number => Math.log10(Math.max(ms, FLOOR_MS));

/** Whole decades around the values, so the axis's ticks fall on 0.01, 0.1, 1, 10 ms. */
export function decadeRange(logs: readonly number[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of logs) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const floor = Math.floor(low);
  const ceil = Math.ceil(high);
  return [floor, ceil > floor ? ceil : floor + 1];
}

const CAPTION =
  "Lines, bottom to top: p5, p25, p50, p75, p95, p99 and max of each subject's " +
  'samples, as log10 of ms (−2 = 0.01 ms, −1 = 0.1 ms, 0 = 1 ms, 1 = 10 ms); ' +
  'the lines joining subjects only guide the eye. Lines bunched together: ' +
  'steady timings. A wide gap between p25 and p75 with the outer lines close ' +
  'to them: two kinds of write (two modes). ' +
  'p99 and max far above p95: a long tail, a few writes much slower than the rest.';

/**
 * The chart of one size × mode group (lines without samples are left out), its caption and the
 * numbers behind it; undefined when no line has samples.
 */
export function distributionBlock(title: string, lines: readonly BenchLine[]): string | undefined {
  const drawn = lines.filter((line): line is BenchLine & { primary: { ladder: QuantileLadder } } =>
    Boolean(line.primary?.ladder),
  );
  if (drawn.length === 0) return undefined;
  const logs = RUNGS.map((rung) => drawn.map((line) => log10Ms(line.primary.ladder[rung])));
  const chart = renderXyChart({
    title: `${title}: latency quantiles, log scale`,
    xLabels: drawn.map((line) => line.subject),
    yLabel: 'log10 of ms (0 = 1 ms, 1 = 10 ms)',
    yRange: decadeRange(logs.flat()),
    lines: logs,
  });
  const numbers = table(
    ['subject', ...RUNGS.map((rung) => `${rung} ms`)],
    drawn.map((line) => [untrusted(line.subject), ...RUNGS.map((rung) => formatNumber(line.primary.ladder[rung]))]),
    ['left', ...RUNGS.map(() => 'right' as const)],
  );
  return [chart, CAPTION, numbers].join('\n\n');
}
