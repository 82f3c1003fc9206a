/**
 * The one place RESULTS.md charts are written: Mermaid `xychart-beta` blocks. GitHub renders them in
 * markdown (RESULTS.md, the job summary) with no image file beside the report, and the numbers stay
 * readable as text where Mermaid is not rendered. Used by the trend charts, the bench latency
 * distributions and the per-round ratio charts.
 *
 * What xychart-beta cannot do shapes the callers: no log axis (a log chart plots log10 values and
 * says so in the axis title), no legend (series are told apart by position, and the caption names
 * them), and bar series behave differently across Mermaid versions (overlapping in some, stacked in
 * others), so a chart has at most one bar series.
 */
export interface XyChart {
  title: string;
  xLabels: readonly string[];
  /** The x axis's own title, e.g. "round"; none by default. */
  xTitle?: string;
  yLabel: string;
  /** The y axis range; by default from 0 (see yRange). Charts of logarithms or ratios set their own. */
  yRange?: readonly [number, number];
  /** One bar per x label, drawn before the lines so the lines stay visible on top. */
  bars?: readonly number[];
  /** Each line's values, one per x label. */
  lines: readonly (readonly number[])[];
}

/**
 * Mermaid strings are double-quoted with no escape: a quote would end one. Brackets are kept out too
 * (a renderer without the string state would read them as the category list), so are backticks (they
 * would end the markdown fence) and "%%" (a Mermaid comment).
 */
export function quoted(text: string): string {
  return `"${text
    .replace(/["[\]`]/g, "'")
    .replace(/%%+/g, '%')
    .replace(/\s+/g, ' ')
    .trim()}"`;
}

/**
 * A number as Mermaid's grammar takes it: digits with an optional sign and decimals, never exponent
 * notation (1e-7 would not parse). Four significant figures: more than a chart can show.
 */
export function mermaidNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`a chart value must be a finite number, got ${value}`);
  const rounded = Number(value.toPrecision(4));
  if (rounded === 0) return '0';
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  // toFixed itself switches to exponents from 1e21 on; an integer that large is written out by BigInt.
  if (Math.abs(rounded) >= 1e21) return BigInt(rounded).toString();
  const fixed = rounded.toFixed(Math.min(100, 3 - Math.floor(Math.log10(Math.abs(rounded)))));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A y range from 0 for non-negative values, so a 10% change looks like 10% (a chart that zooms on its
 * own spread makes noise look like a cliff), with some air above the top.
 */
export function yRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of finite) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const pad = (max - min) * 0.15 || Math.abs(max) * 0.1 || 1;
  const low = min >= 0 ? 0 : min - pad;
  return [Number(low.toPrecision(3)), Number((max + pad).toPrecision(3))];
}

export function renderXyChart(chart: XyChart): string {
  const series = [...(chart.bars ? [chart.bars] : []), ...chart.lines];
  if (chart.xLabels.length === 0) throw new RangeError('renderXyChart: no x labels');
  if (series.length === 0) throw new RangeError('renderXyChart: nothing to draw');
  if (series.some((values) => values.length !== chart.xLabels.length))
    throw new RangeError('renderXyChart: every series needs one value per x label');
  const [low, high] = chart.yRange ?? yRange(series.flat());
  if (!(low < high)) throw new RangeError(`renderXyChart: the y range ${low} --> ${high} is empty`);
  const values = (list: readonly number[]) => `[${list.map(mermaidNumber).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `    title ${quoted(chart.title)}`,
    `    x-axis ${chart.xTitle ? `${quoted(chart.xTitle)} ` : ''}[${chart.xLabels.map(quoted).join(', ')}]`,
    `    y-axis ${quoted(chart.yLabel)} ${mermaidNumber(low)} --> ${mermaidNumber(high)}`,
    ...(chart.bars ? [`    bar ${values(chart.bars)}`] : []),
    ...chart.lines.map((line) => `    line ${values(line)}`),
    '```',
  ].join('\n');
}
