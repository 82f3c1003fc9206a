/**
 * What a suite command prints before its verdict: its figures (suite-figures.ts, picked from the
 * analyzer's outcome, never recomputed here) as short tables. bench: p50 / p95 and MiB/s per writer
 * × size × mode; crash: the failed gates per writer; parity and hook: their rates.
 */
import { formatNumber, formatPercent, formatSize, type AnalyzeOutcome, type GatedSuite } from '../analyze/index.js';
import {
  suiteFigures,
  type BenchFigures,
  type CrashFigures,
  type HookFigures,
  type ParityFigures,
} from './suite-figures.js';

type Align = 'left' | 'right';

/** Columns padded to their widest cell, two spaces apart, each line indented; trailing blanks trimmed. */
export function alignedTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string[] {
  const widths = header.map((cell, column) =>
    Math.max([...cell].length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells
      .map((cell, column) => {
        const pad = ' '.repeat((widths[column] ?? 0) - [...cell].length);
        return align[column] === 'right' ? `${pad}${cell}` : `${cell}${pad}`;
      })
      .join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** "", or " on xfs" / " on the workspace's file system" when the suite ran on several. */
function onPart(fs: string | undefined): string {
  if (fs === undefined) return '';
  return fs ? ` on ${fs}` : " on the workspace's file system";
}

const titles = (gates: readonly { title: string }[]) => [...new Set(gates.map((gate) => gate.title))].join(', ');

function benchSummary(figures: BenchFigures): string[] {
  const out: string[] = [];
  for (const { fs, lines, batch } of figures.parts) {
    if (batch?.length) out.push(...batchSummary(fs, batch));
    if (lines.length === 0) {
      if (!batch?.length) out.push(`bench${onPart(fs)}: no timed lines`);
      continue;
    }
    const scenarios = new Set(lines.map((line) => line.scenario)).size > 1;
    const net = lines.some((line) => line.net_p50_ms !== null);
    const rows = lines.map((line) => {
      const notes = [
        line.samples === 0 ? 'no timing' : '',
        line.failed.length ? `failed: ${titles(line.failed)}` : '',
        line.not_judged.length ? `not judged: ${titles(line.not_judged)}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return [
        line.writer,
        ...(scenarios ? [line.scenario] : []),
        formatSize(line.size_bytes),
        line.mode,
        formatNumber(line.p50_ms),
        formatNumber(line.p95_ms),
        ...(net ? [formatNumber(line.net_p50_ms)] : []),
        formatNumber(line.mib_s),
        notes,
      ];
    });
    const header = [
      'writer',
      ...(scenarios ? ['scenario'] : []),
      'size',
      'mode',
      'p50 ms',
      'p95 ms',
      ...(net ? ['net p50 ms'] : []),
      'MiB/s',
      '',
    ];
    const align: Align[] = [
      'left',
      ...(scenarios ? ['left' as const] : []),
      'right',
      'left',
      'right',
      'right',
      ...(net ? ['right' as const] : []),
      'right',
      'left',
    ];
    const netNote = net ? '; net p50: less the spawn or round-trip overhead, what the gates read' : '';
    out.push(
      `bench${onPart(fs)}: latency per writer, size and mode (p50, p95 of the ` +
        `timed samples; MiB/s = payload ÷ p50${netNote})`,
      ...alignedTable(header, rows, align),
    );
  }
  return out;
}

type BatchLines = NonNullable<BenchFigures['parts'][number]['batch']>;

/** The batch scenario: each writer's two ways side by side, time and counts. */
function batchSummary(fs: string | undefined, batch: BatchLines): string[] {
  const first = batch[0];
  const shape =
    first?.files && first.dirs
      ? `${first.files} files of ${formatSize(first.size_bytes)} over ${first.dirs} directories`
      : '';
  const count = (value: number | null) => (value === null ? '—' : String(value));
  const rows = batch.map((line) => {
    const notes = [
      line.repetitions === 0 ? 'no timing' : '',
      line.failed.length ? `failed: ${titles(line.failed)}` : '',
      line.not_judged.length ? `not judged: ${titles(line.not_judged)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const interval =
      line.total_lower_ms === null ? '—' : `${formatNumber(line.total_lower_ms)}–${formatNumber(line.total_upper_ms)}`;
    return [
      line.writer,
      line.way === 'batch' ? 'one batch call' : 'file after file',
      formatNumber(line.total_p50_ms),
      interval,
      formatNumber(line.ms_per_file),
      count(line.fsync_count),
      count(line.dir_fsync_count),
      count(line.rename_count),
      notes,
    ];
  });
  return [
    `bench${onPart(fs)}: batch of ${shape}, durable (total p50 over the repetitions with its 95% interval; ` +
      'fsync, of them directories, and rename from strace)',
    ...alignedTable(['writer', 'way', 'total p50 ms', 'interval', 'ms/file', 'fsync', 'dir', 'rename', ''], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ]),
  ];
}

/** Each writer's crash gates: the failed ones named, else whether every gate passed or some could not be checked. */
function crashSummary(figures: CrashFigures): string[] {
  const out: string[] = [];
  for (const { fs, writers, every_writer_failed: everyWriterFailed, no_data: noData } of figures.parts) {
    const rows = writers.map((writer) => [writer.writer, writerVerdict(writer)]);
    out.push(
      `crash${onPart(fs)}: gates per writer`,
      ...(rows.length ? alignedTable(['writer', ''], rows, ['left', 'left']) : ['  no writer was judged']),
    );
    if (everyWriterFailed.length) out.push(`  every writer: failed ${everyWriterFailed.join(', ')}`);
    if (noData.length) out.push(`  not checked (no data, not a pass): ${noData.join(', ')}`);
  }
  return out;
}

function writerVerdict({ verdict, failed, counts }: CrashFigures['parts'][number]['writers'][number]): string {
  if (verdict === 'fail') return `failed ${failed.join(', ')}`;
  const unchecked = [
    counts.no_data ? `${counts.no_data} no data` : '',
    counts.not_judged ? `${counts.not_judged} not judged` : '',
  ].filter(Boolean);
  // Not a pass while something was not checked: say what was, and what was not.
  if (verdict === 'not_checked') return `no gate failed; ${counts.pass} pass, ${unchecked.join(', ')} (not checked)`;
  const excused = [
    counts.known ? `${counts.known} known` : '',
    counts.disabled ? `${counts.disabled} disabled` : '',
  ].filter(Boolean);
  return `all gates pass${excused.length ? ` (${excused.join(', ')})` : ''}`;
}

/** A rate's metric name as words: "exit_code_match_rate" → "exit code match". */
function rateLabel(metric: string): string {
  return metric
    .replace(/_rate$/, '')
    .replace(/_ms$/, '')
    .replace(/_/g, ' ');
}

/** A fraction as a percentage; a figure in ms as ms. */
function rateText(metric: string, value: number | null | undefined): string {
  if (metric.endsWith('_ms')) return value === null || value === undefined ? '—' : `${formatNumber(value)} ms`;
  return formatPercent(value);
}

function paritySummary(figures: ParityFigures): string[] {
  const { wrappers } = figures;
  if (wrappers.length === 0) return ['parity: no wrapper ran'];
  const metrics = [...new Set(wrappers.flatMap((wrapper) => Object.keys(wrapper.rates)))];
  const rows = wrappers.map((wrapper) => [
    wrapper.control ? `${wrapper.wrapper} (control)` : wrapper.wrapper,
    ...metrics.map((metric) => rateText(metric, wrapper.rates[metric])),
    String(wrapper.cases),
  ]);
  const ofMatrix = figures.cases_in_matrix !== null ? ` of ${figures.cases_in_matrix}` : '';
  return [
    `parity: match rates per wrapper over ${figures.cases_run} case(s)${ofMatrix}`,
    ...alignedTable(['wrapper', ...metrics.map(rateLabel), 'cases'], rows, [
      'left',
      ...metrics.map(() => 'right' as const),
      'right',
    ]),
  ];
}

function hookSummary({ lines, audit }: HookFigures): string[] {
  const out: string[] = [];
  if (lines.length) {
    const metrics = [...new Set(lines.flatMap((line) => Object.keys(line.rates)))];
    const net = lines.some((line) => line.net_p95_ms !== null);
    const rows = lines.map((line) => [
      line.hook,
      line.env_set,
      ...metrics.map((metric) => rateText(metric, line.rates[metric])),
      ...(net ? [rateText('net_p95_ms', line.net_p95_ms)] : []),
      line.cases === null ? '—' : String(line.cases),
    ]);
    const header = ['hook', 'env set', ...metrics.map(rateLabel), ...(net ? ['p95 net of floor'] : []), 'cases'];
    out.push(
      'hook: rates per hook and env set',
      ...alignedTable(header, rows, ['left', 'left', ...header.slice(2).map(() => 'right' as const)]),
    );
  }
  if (audit)
    out.push(`hook: audit of ${audit.bash_calls} recorded Bash call(s), ${audit.joined} matched to the hook log`);
  return out.length ? out : ['hook: no hook ran'];
}

/** The lines a suite command prints before its verdict, from the analysis of its own rows. */
export function suiteSummary(suite: GatedSuite, outcome: AnalyzeOutcome): string[] {
  return summaryLines(suiteFigures(suite, outcome));
}

/** The tables of figures already picked (the same the suite's `--json` carries as `summary`). */
export function summaryLines(figures: BenchFigures | CrashFigures | ParityFigures | HookFigures): string[] {
  switch (figures.suite) {
    case 'bench':
      return benchSummary(figures);
    case 'crash':
      return crashSummary(figures);
    case 'parity':
      return paritySummary(figures);
    case 'hook':
      return hookSummary(figures);
  }
}
