/**
 * bench's blocks below the per-cell tables: the transport overhead, the engines compared, the noise
 * warning and the run's own notes, and how a subject, mode and engine are shown. bench.ts joins them.
 */
import { BENCH_ENGINES, METRICS, type ResultRow } from '../../core/schema.js';
import { ENGINE_DISAGREEMENT } from '../../core/stats.js';
import { formatNumber, formatPercent, formatSize } from '../format.js';
import { FLOOR } from '../gates/bench.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import { isNoisy, NOISY_CV } from './bench-figures.js';
import { engineDisagreements, NET_P50_METRIC, type BenchLine } from './bench-lines.js';

export const MODE_ORDER = ['durable', 'fast', 'unchanged'];
/** bench's engines: shown as they are; any other name in a row is the input's (markdown.ts word). */
const ENGINES: readonly string[] = BENCH_ENGINES;
const METRIC_NAMES = Object.values(METRICS);

/**
 * A line's subject, mode and engine as Markdown: subjects are always the input's, modes and engines usually bench's
 * own.
 */
export const subjectText = (subject: string) => untrusted(subject);
export const modeText = (mode: string) => word(mode, MODE_ORDER);
export const engineText = (engine: string) => word(engine, ENGINES);
/** A line's cell in prose: subject, mode and size. */
const cellLabel = (l: BenchLine) => `${subjectText(l.subject)} ${modeText(l.mode)} ${formatSize(l.size_bytes)}`;

export function transportTable(lines: readonly BenchLine[]): string | undefined {
  const withOverhead = lines.filter((line) => line.spawnOverheadMs !== null);
  if (!withOverhead.length) return undefined;
  const rows = withOverhead.map((line) => [
    subjectText(line.subject),
    modeText(line.mode),
    formatSize(line.size_bytes),
    formatNumber(line.primary?.p50 ?? null),
    `${formatNumber(line.spawnOverheadMs)}${line.overheadEstimated ? ' (est.)' : ''}`,
    line.netNotMeasurable !== null ? 'not measurable' : formatNumber(line.netP50),
  ]);
  const methods = [
    ...new Map(withOverhead.filter((l) => l.overheadMethod).map((l) => [l.subject, l.overheadMethod])).entries(),
  ].map(([subject, method]) => `${subjectText(subject)}: ${untrusted(method)}`);
  const unmeasurable = withOverhead
    .filter((l) => l.netNotMeasurable !== null)
    .map((l) => `${cellLabel(l)} (${(l.netNotMeasurable ?? '').replace(/^not measurable: /, '')})`);
  return blocks(
    '### Transport overhead (per-op command and driver subjects)',
    'Each sample of these subjects includes starting a process (per-op command) or a round trip to the driver. ' +
      'The transport measured that cost on this machine; net p50 = p50 − overhead, ' +
      "and the gates and ratios use it — only when the 95% interval of the noop's " +
      "p50 lies wholly below the writer's (otherwise: not measurable).",
    table(['subject', 'mode', 'size', 'p50 ms', 'overhead ms', 'net p50 ms'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
    ]),
    methods.length ? `Overhead measured by — ${methods.join(' · ')}` : undefined,
    unmeasurable.length
      ? `Net p50 not measurable — the noop costs about as much as the write, or ` +
          `more, so subtracting it leaves nothing to judge: ${unmeasurable.join('; ')}.`
      : undefined,
  );
}

export function enginesBlock(lines: readonly BenchLine[]): string {
  const names = [
    ...new Set(lines.flatMap((line) => line.engines.map((e) => (e.engine ? engineText(e.engine) : '(unnamed)')))),
  ];
  if (names.length < 2)
    return (
      `### Engines\n\nOnly ${names[0] ?? 'no engine'} timed these lines; there ` +
      `is no second engine to compare with.`
    );
  const disagreements = engineDisagreements(lines);
  if (!disagreements.length)
    return `### Engines\n\n${names.join(' and ')} agree within ${ENGINE_DISAGREEMENT * 100}% on every line both timed.`;
  const rows = disagreements.map(({ line, primary, other, difference }) => [
    subjectText(line.subject),
    modeText(line.mode),
    formatSize(line.size_bytes),
    `${formatNumber(primary.p50)} (${engineText(primary.engine)})`,
    `${formatNumber(other.p50)} (${engineText(other.engine)})`,
    `${difference > 0 ? '+' : ''}${(difference * 100).toFixed(0)}%`,
  ]);
  return blocks(
    '### Engines',
    `${names.join(' and ')} disagree by more than ${ENGINE_DISAGREEMENT * 100}% ` +
      `on ${disagreements.length} line(s); the gates read the first engine's samples.`,
    table(['subject', 'mode', 'size', 'p50 ms', 'other p50 ms', 'diff'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
    ]),
  );
}

export function noiseWarning(lines: readonly BenchLine[]): string | undefined {
  const noisy = lines.filter(isNoisy);
  if (!noisy.length) return undefined;
  const gated = noisy.filter((line) => line.subject !== FLOOR);
  return (
    `⚠ **Noisy machine:** ${noisy.length} of ${lines.length} lines have a CV above ${NOISY_CV * 100}%` +
    (gated.length
      ? ` (worst: ${[...gated]
          .sort((a, b) => (b.primary?.cv ?? 0) - (a.primary?.cv ?? 0))
          .slice(0, 3)
          .map((l) => `${cellLabel(l)} ${formatPercent(l.primary?.cv ?? null, 0)}`)
          .join(', ')})`
      : '') +
    ". Their p50s can move between runs by more than the gates' margins; re-run " +
    'on a quiet machine or with `--profile full` before trusting a close call.'
  );
}

export function benchNotes(rows: readonly ResultRow[]): string | undefined {
  // A net p50 bench could not measure is said in the transport table, with the analyzer's own reason.
  const notes = [
    ...new Set(
      rows
        .filter(
          (row) =>
            (row.value === null || row.metric === METRICS.skipped) && row.detail && row.metric !== NET_P50_METRIC,
        )
        .map((row) => {
          const where = [
            row.subject ? subjectText(row.subject) : '',
            row.mode ? modeText(row.mode) : '',
            row.size_bytes === null ? '' : formatSize(row.size_bytes),
          ]
            .filter(Boolean)
            .join(' ');
          return `${where ? `${where} — ` : ''}${word(row.metric, METRIC_NAMES)}: ${untrusted(row.detail)}`;
        }),
    ),
  ];
  if (!notes.length) return undefined;
  const shown = notes.slice(0, 20).map((note) => `- ${note}`);
  if (notes.length > shown.length) shown.push(`- … and ${notes.length - shown.length} more in results_raw.csv`);
  return `**Notes from the bench run**\n\n${shown.join('\n')}`;
}
