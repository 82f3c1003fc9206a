/**
 * A strict reader of the Mermaid xychart-beta blocks writegate writes, for tests: the mermaid package
 * is not a dependency, so the grammar rules that matter (from Mermaid's xychart.jison) are checked
 * here. Strings are double-quoted with no quote inside; numbers are digits with an optional sign and
 * decimals (no exponent); every series has one value per x category, inside the y range; at most one
 * bar series. Anything else throws, naming the line.
 */
export interface ParsedXyChart {
  title: string;
  xTitle?: string;
  xLabels: string[];
  yLabel: string;
  yRange: [number, number];
  bars: number[][];
  lines: number[][];
}

const STRING = String.raw`"[^"\[\]\x60]*"`;
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)`;
const LIST = (item: string) => String.raw`\[(?:${item})(?:, (?:${item}))*\]`;

const unquote = (text: string) => text.slice(1, -1);
const numbers = (list: string) => list.slice(1, -1).split(', ').map(Number);
const strings = (list: string) => (list.slice(1, -1).match(new RegExp(STRING, 'g')) ?? []).map(unquote);

export function parseXyChart(block: string): ParsedXyChart {
  const lines = block.split('\n');
  const fail = (why: string, at?: number): never => {
    throw new Error(`xychart: ${why}${at === undefined ? '' : ` (line ${at + 1}: ${JSON.stringify(lines[at])})`}`);
  };
  if (lines[0] !== '```mermaid' || lines.at(-1) !== '```') fail('not a ```mermaid fence');
  if (lines[1] !== 'xychart-beta') fail('second line is not xychart-beta', 1);
  const chart: Partial<ParsedXyChart> & { bars: number[][]; lines: number[][] } = { bars: [], lines: [] };
  for (let i = 2; i < lines.length - 1; i++) {
    const line = lines[i] as string;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^    title (${STRING})$`).exec(line))) chart.title = unquote(m[1] as string);
    else if ((m = new RegExp(`^    x-axis (?:(${STRING}) )?(${LIST(STRING)})$`).exec(line))) {
      if (m[1]) chart.xTitle = unquote(m[1]);
      chart.xLabels = strings(m[2] as string);
    } else if ((m = new RegExp(`^    y-axis (${STRING}) (${NUMBER}) --> (${NUMBER})$`).exec(line))) {
      chart.yLabel = unquote(m[1] as string);
      chart.yRange = [Number(m[2]), Number(m[3])];
    } else if ((m = new RegExp(`^    (bar|line) (${LIST(NUMBER)})$`).exec(line))) {
      (m[1] === 'bar' ? chart.bars : chart.lines).push(numbers(m[2] as string));
    } else fail('not a statement this reader knows', i);
  }
  const { title, xLabels, yLabel, yRange } = chart;
  if (title === undefined || xLabels === undefined || yLabel === undefined || yRange === undefined)
    return fail('title, x-axis or y-axis missing');
  if (!(yRange[0] < yRange[1])) fail(`empty y range ${yRange[0]} --> ${yRange[1]}`);
  if (chart.bars.length > 1) fail('more than one bar series (Mermaid versions overlap or stack them)');
  const series = [...chart.bars, ...chart.lines];
  if (series.length === 0) fail('no series');
  for (const values of series) {
    if (values.length !== xLabels.length)
      fail(`a series has ${values.length} values for ${xLabels.length} x categories`);
    for (const value of values)
      if (value < yRange[0] || value > yRange[1])
        fail(`${value} lies outside the y range ${yRange[0]} --> ${yRange[1]}`);
  }
  return { title, xTitle: chart.xTitle, xLabels, yLabel, yRange, bars: chart.bars, lines: chart.lines };
}

/** Every ```mermaid block in a markdown text, fences included. */
export function mermaidBlocks(markdown: string): string[] {
  return markdown.match(/^```mermaid\n[\s\S]*?\n```$/gm) ?? [];
}
