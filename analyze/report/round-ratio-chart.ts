/**
 * The per-round ratio chart of one compared series: head ÷ base of each interleaved round as bars,
 * with flat lines at 1 (no change), at both ends of the judged interval and at the minimum effect, so
 * a reader sees whether one odd round or every round carries a verdict.
 */
import { formatRatio } from '../format.js';
import { renderXyChart } from './mermaid.js';

export interface RoundRatio {
  /** The round's number as the run counts them (1, 2, …). */
  round: number;
  /** head ÷ base of the round's figures (e.g. its p50s). */
  ratio: number;
}

export interface RoundRatioChartInput {
  /** What was compared, e.g. "write · w · durable · 1 KiB · p50". */
  series: string;
  rounds: readonly RoundRatio[];
  /** The interval of head ÷ base the verdict was judged on. */
  interval: { lower: number; upper: number };
  /** The ratio a change has to pass to count, e.g. 1.10 (or 1 / 1.10 where higher is better). */
  minEffect: number;
}

function checkRatio(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`renderRoundRatioChart: ${name} must be a positive ratio, got ${value}`);
}

/**
 * Markdown: a Mermaid xychart-beta block, then one line saying what its bars and flat lines are (the
 * chart has no legend). The flat lines are, in order: 1, the interval's lower and upper ends, the
 * minimum effect. Rounds without a finite positive ratio are left out and named. The y axis is fitted
 * to the values (ratios sit near 1, where a 0-based axis would flatten every difference), so the bars
 * start at the bottom of the axis, not at 0: the caption says so. With a single round the flat lines
 * have one point each, which Mermaid does not draw; the caption still gives their values. Throws RangeError when no
 * round has
 * a ratio or the interval or minimum effect is not a positive ratio.
 */
export function renderRoundRatioChart(input: RoundRatioChartInput): string {
  const { lower, upper } = input.interval;
  checkRatio(lower, 'interval.lower');
  checkRatio(upper, 'interval.upper');
  checkRatio(input.minEffect, 'minEffect');
  if (lower > upper) throw new RangeError(`renderRoundRatioChart: interval ${lower}..${upper} is reversed`);
  const ordered = [...input.rounds].sort((a, b) => a.round - b.round);
  const drawn = ordered.filter((r) => Number.isFinite(r.ratio) && r.ratio > 0);
  const missing = ordered.filter((r) => !drawn.includes(r)).map((r) => r.round);
  if (drawn.length === 0) throw new RangeError('renderRoundRatioChart: no round has a ratio to draw');

  const references = [1, lower, upper, input.minEffect];
  const all = [...drawn.map((r) => r.ratio), ...references];
  let low = Math.min(...all);
  let high = Math.max(...all);
  const pad = (high - low) * 0.15 || 0.05;
  low = Number(Math.max(0, low - pad).toPrecision(3));
  high = Number((high + pad).toPrecision(3));

  const chart = renderXyChart({
    title: `${input.series}: head / base per round`,
    xTitle: 'round',
    xLabels: drawn.map((r) => String(r.round)),
    yLabel: 'head / base',
    yRange: [low, high],
    bars: drawn.map((r) => r.ratio),
    lines: references.map((value) => drawn.map(() => value)),
  });
  const caption =
    `Bars: head ÷ base in each interleaved round (bars start at the bottom ` +
    `of the axis, ${formatRatio(low)}, not at 0). ` +
    `Flat lines: ${formatRatio(1)} (no change), ${formatRatio(lower)} and ${formatRatio(upper)} (the ` +
    `judged interval), ${formatRatio(input.minEffect)} (the minimum effect).` +
    (missing.length
      ? ` Round${missing.length === 1 ? '' : 's'} ${missing.join(', ')} had no ` +
        `ratio and ${missing.length === 1 ? 'is' : 'are'} not drawn.`
      : '');
  return `${chart}\n\n${caption}`;
}
