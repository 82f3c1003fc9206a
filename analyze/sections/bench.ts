import { BENCH_SCENARIOS, type ResultRow } from '../../core/schema.js';
import { formatCount, formatNumber, formatPercent, formatRatio, formatSize } from '../format.js';
import { BENCH_GATES, FLOOR, REFERENCE } from '../gates/bench.js';
import { blocks, code, table, word } from '../report/markdown.js';
import type { PreparedSection, SuiteSection } from '../section.js';
import type { GateResult } from '../types.js';
import { benchFigures, isNoisy, NOISY_CV } from './bench-figures.js';
import {
  benchNotes,
  enginesBlock,
  MODE_ORDER,
  modeText,
  noiseWarning,
  subjectText,
  transportTable,
  engineText,
} from './bench-blocks.js';
import { batchBlock } from './bench-batch.js';
import { distributionBlock } from './bench-distribution.js';
import { CHARTED_MODE, p50ChartBlock } from './bench-p50-chart.js';
import { gateP50, type BenchLine, type Spread } from './bench-lines.js';

const CELL_COLUMNS = [
  'subject',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'CV',
  'MiB/s',
  'fsync',
  'rename',
  'amp',
  '×floor',
  '×ref',
];

/** bench's scenarios: shown as they are; any other name in a row is the input's (markdown.ts word). */
const SCENARIOS = Object.values(BENCH_SCENARIOS);

function modeRank(mode: string): number {
  const index = MODE_ORDER.indexOf(mode);
  return index < 0 ? MODE_ORDER.length : index;
}

function sameCell(a: BenchLine, b: BenchLine): boolean {
  return a.scenario === b.scenario && a.mode === b.mode && a.size_bytes === b.size_bytes;
}

function spreadText(value: Spread | null): string {
  if (!value) return '—';
  return value.min === value.max ? formatCount(value.mean) : `${formatCount(value.min)}–${formatCount(value.max)}`;
}

function ratio(line: BenchLine, base: BenchLine | undefined): string {
  const mine = gateP50(line);
  const theirs = base ? gateP50(base) : null;
  if (mine === null || theirs === null || theirs <= 0) return '—';
  return formatRatio(mine / theirs);
}

function howObtained(lines: readonly BenchLine[], rows: readonly ResultRow[]): string {
  const runs = new Set(rows.map((row) => row.run_id)).size;
  const engines = new Map<string, number[]>();
  for (const line of lines)
    for (const e of line.engines) if (e.n > 0) engines.set(e.engine, [...(engines.get(e.engine) ?? []), e.n]);
  const timing = engines.size
    ? [...engines]
        .map(([engine, ns]) => {
          const [fewest, most] = [Math.min(...ns), Math.max(...ns)];
          const samples = fewest === most ? ns[0] : `${fewest}–${most}`;
          return `${engine ? engineText(engine) : '(unnamed engine)'} (${samples} samples per line)`;
        })
        .join(' and ')
    : 'no engine left latency samples';
  const counted = lines.some((line) => line.fsyncCount || line.renameCount || line.bytesWritten);
  const allSizes = [...new Set(lines.map((line) => line.size_bytes))];
  const countedSizes = [
    ...new Set(lines.filter((line) => line.fsyncCount || line.renameCount).map((line) => line.size_bytes)),
  ];
  const partly =
    counted && countedSizes.length < allSizes.length
      ? ` Counts were traced at ${countedSizes
          .sort((a, b) => (a ?? 0) - (b ?? 0))
          .map(formatSize)
          .join(
            ', ',
          )} only (the quick profile traces the smallest size: counts do not depend on size); other sizes show —.`
      : '';
  const net = lines.some((line) => line.net !== null);
  return [
    `**How each figure was obtained.** Timing: ${timing}, from ${runs} run(s) ` +
      `pooled. p50/p95/p99 are computed here from the raw ${code('latency_ms')} samples ` +
      `(linear interpolation between closest ranks, numpy's default); bench's own summary rows are not copied. ` +
      `When both engines ran, the tables use tinybench and the engines are compared below. MiB/s = payload ÷ p50. ` +
      `CV = sample standard deviation ÷ mean, the noise of each line (⚠ above ${NOISY_CV * 100}%); ` +
      `the folded chart under each table shows each line's quantiles, p5 to max, ` +
      `on a log scale.`,
    counted
      ? `Counts (fsync, rename, bytes written): strace of the subject\'s one-shot ` +
        `process — one standalone write, traced in a separate pass so tracing never ` +
        `slows the timed loop; write amp = bytes written ÷ payload.${partly}`
      : 'Counts: none in the input (the strace pass did not run), so fsync, rename and write amp are blank.',
    `×floor and ×ref: the line's p50 ÷ the ${FLOOR} writer's and the ${REFERENCE} writer's ` +
      `p50 at the same size and mode` +
      (net
        ? '; for per-op command and driver subjects the p50 is taken net of the measured spawn overhead ' +
          '(marked †), ' +
          "and only where that overhead is clearly below the writer's own time: " +
          "the 95% interval of the noop's p50 lies wholly below the writer's. " +
          'Otherwise the net is not measurable (marked ‡): no figure, not 0, and ' +
          'a gate on it is not judged unless the gross p50 alone passes an upper limit.'
        : '.'),
  ].join(' ');
}

/** The line's CV, flagged when above NOISY_CV: its p50 and p95 hide a wide spread (see the distribution chart). */
function cvText(line: BenchLine): string {
  const cv = line.primary?.cv ?? null;
  return cv === null ? '—' : `${formatPercent(cv, 0)}${isNoisy(line) ? ' ⚠' : ''}`;
}

/** The cell's latency distribution chart, folded: long, and only needed when a p50 looks odd. */
function distributionFold(heading: string, cellLines: readonly BenchLine[]): string | undefined {
  const block = distributionBlock(heading, cellLines);
  if (!block) return undefined;
  const sampled = cellLines.filter((line) => line.primary).length;
  const noisy = cellLines.filter(isNoisy).length;
  const summary =
    `Latency distribution, p5 to max (${noisy} of ${sampled} line${sampled === 1 ? '' : 's'} with ` +
    `CV above ${NOISY_CV * 100}%)`;
  return `<details><summary>${summary}</summary>\n\n${block}\n\n</details>`;
}

function lineTable(
  cellLines: readonly BenchLine[],
  all: readonly BenchLine[],
  failed: Set<string>,
  notDurable: ReadonlyMap<string, string>,
): string {
  const floor = all.find((l) => l.subject === FLOOR && sameCell(l, cellLines[0] as BenchLine));
  const reference = all.find((l) => l.subject === REFERENCE && sameCell(l, cellLines[0] as BenchLine));
  const rows = cellLines.map((line) => {
    const mark =
      (failed.has(JSON.stringify([line.subject, line.mode, line.size_bytes])) ? ' ❌' : '') +
      (line.mode === 'durable' && notDurable.has(line.subject) ? ' ⚠ not durable' : '');
    const dagger = line.netP50 !== null ? ' †' : line.netNotMeasurable !== null ? ' ‡' : '';
    return [
      `${subjectText(line.subject)}${mark}`,
      formatNumber(line.primary?.p50 ?? null),
      formatNumber(line.primary?.p95 ?? null),
      formatNumber(line.primary?.p99 ?? null),
      cvText(line),
      formatNumber(line.throughputMiBs),
      spreadText(line.fsyncCount),
      spreadText(line.renameCount),
      line.writeAmplification === null ? '—' : formatNumber(line.writeAmplification),
      `${ratio(line, floor)}${dagger}`,
      `${ratio(line, reference)}${dagger}`,
    ];
  });
  const counts = cellLines
    .filter((line) => line.primary)
    .map((line) => `${subjectText(line.subject)} ${line.primary?.n}`)
    .join(' · ');
  const noisy = cellLines.filter(isNoisy).length;
  const unsafe = cellLines.filter((line) => line.mode === 'durable' && notDurable.has(line.subject));
  const unsafeList = unsafe.map((line) => `${subjectText(line.subject)} (${notDurable.get(line.subject)})`).join('; ');
  const noisyWarning =
    ` ⚠ in the CV column: above ${NOISY_CV * 100}%, a p50 that can move between runs; ` +
    'the distribution below shows why.';
  return blocks(
    table(CELL_COLUMNS, rows, ['left', ...Array<'right'>(CELL_COLUMNS.length - 1).fill('right')]),
    counts ? `Samples per line: ${counts}.${noisy ? noisyWarning : ''}` : undefined,
    unsafe.length
      ? `⚠ not durable: ${unsafeList}. ` +
          `Speed measured here is not the speed of a durable write: see the crash ` +
          `section's power-loss table.`
      : undefined,
  );
}

function render(
  lines: readonly BenchLine[],
  rows: readonly ResultRow[],
  gates: readonly GateResult[],
  notDurable: ReadonlyMap<string, string>,
  batch: string | undefined,
): string {
  const failed = new Set(
    gates.filter((g) => g.status === 'fail').map((g) => JSON.stringify([g.subject, g.mode, g.size_bytes])),
  );
  const scenarios = [...new Set(lines.map((line) => line.scenario))];
  const cells = [
    ...new Map(lines.map((line) => [JSON.stringify([line.scenario, line.size_bytes, line.mode]), line])).values(),
  ].sort(
    (a, b) =>
      scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) ||
      (a.size_bytes ?? 0) - (b.size_bytes ?? 0) ||
      modeRank(a.mode) - modeRank(b.mode) ||
      a.mode.localeCompare(b.mode),
  );
  const tables = cells.map((first) => {
    const parts = [scenarios.length > 1 ? first.scenario : '', formatSize(first.size_bytes), first.mode];
    const heading = parts.filter(Boolean).join(' · ');
    // The heading as Markdown; the chart's title (Mermaid, quoted by report/mermaid.ts) takes the plain text.
    const shown = [parts[0] ? word(parts[0], SCENARIOS) : '', parts[1], parts[2] ? modeText(parts[2]) : '']
      .filter(Boolean)
      .join(' · ');
    const cellLines = lines.filter((line) => sameCell(line, first));
    // One visible chart per size: the durable p50s, the figure a safe write is judged on.
    const p50s = first.mode === CHARTED_MODE ? p50ChartBlock(heading, cellLines) : undefined;
    return blocks(
      `### ${shown}`,
      lineTable(cellLines, lines, failed, notDurable),
      p50s,
      distributionFold(heading, cellLines),
    );
  });
  return blocks(
    '## Bench — micro I/O',
    lines.length ? howObtained(lines, rows) : batch ? undefined : 'No bench lines with samples or counts in the input.',
    noiseWarning(lines),
    ...tables,
    batch,
    transportTable(lines),
    lines.length ? enginesBlock(lines) : undefined,
    benchNotes(rows),
  );
}

export const benchSection: SuiteSection = {
  suite: 'bench',
  title: 'Bench — micro I/O',
  gates: BENCH_GATES,
  prepare({ rows, dataset, fs = '' }): PreparedSection {
    const { lines, notDurable, batch, figures, summary } = benchFigures(rows, dataset.rows, fs);
    return { figures, render: (gates) => render(lines, rows, gates, notDurable, batchBlock(batch)), summary };
  },
};

export type { BenchLineFigures } from './bench-figures.js';
export type { BatchLineFigures } from './bench-batch.js';
