/**
 * A Mermaid `xychart-beta` block: GitHub renders it in markdown (RESULTS.md, the job summary), no
 * image files, and the numbers stay readable as text where Mermaid is not rendered.
 */
export interface XyChart {
  title: string;
  xLabels: readonly string[];
  yLabel: string;
  /** Each line's values, one per x label (the first is the measured series). */
  lines: readonly (readonly number[])[];
}

/** Mermaid strings are double-quoted with no escape: quotes and brackets would end them. */
function quoted(text: string): string {
  return `"${text.replace(/["[\]]/g, "'").replace(/\s+/g, ' ')}"`;
}

function number(value: number): string {
  if (!Number.isFinite(value)) return '0';
  return Number(value.toPrecision(4)).toString();
}

/**
 * A y range from 0 for non-negative values, so a 10% change looks like 10% (a chart that zooms on its
 * own spread makes noise look like a cliff), with some air above the top.
 */
export function yRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const pad = (max - min) * 0.15 || Math.abs(max) * 0.1 || 1;
  const low = min >= 0 ? 0 : min - pad;
  return [Number(low.toPrecision(3)), Number((max + pad).toPrecision(3))];
}

export function renderXyChart(chart: XyChart): string {
  if (chart.lines.some((line) => line.length !== chart.xLabels.length)) throw new RangeError('renderXyChart: every line needs one value per x label');
  const [low, high] = yRange(chart.lines.flat());
  return [
    '```mermaid',
    'xychart-beta',
    `    title ${quoted(chart.title)}`,
    `    x-axis [${chart.xLabels.map(quoted).join(', ')}]`,
    `    y-axis ${quoted(chart.yLabel)} ${number(low)} --> ${number(high)}`,
    ...chart.lines.map((line) => `    line [${line.map(number).join(', ')}]`),
    '```',
  ].join('\n');
}

/**
 * x labels for history points: "MM-DD", with "·2", "·3" for a second and third run on one day, and
 * "now" for the run being judged.
 */
export function runLabels(times: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return times.map((time) => {
    const day = /^\d{4}-(\d{2})-(\d{2})/.exec(time);
    const base = day ? `${day[1]}-${day[2]}` : '?';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}·${count}`;
  });
}
