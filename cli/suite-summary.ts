/**
 * What a suite command prints before its verdict: the few figures a reader wants from the run, read
 * from the analyzer's outcome (its sections' summaries and its gate results), never recomputed here.
 * bench: p50 / p95 and MiB/s per writer × size × mode; crash: the failed gates per writer; parity and
 * hook: their rates.
 */
import { formatNumber, formatPercent, formatSize, type AnalyzeOutcome, type BenchLineFigures, type GatedSuite, type GateResult, type HookSummary, type ParitySummary } from '../analyze/index.js';

type Align = 'left' | 'right';

/** Columns padded to their widest cell, two spaces apart, each line indented; trailing blanks trimmed. */
export function alignedTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string[] {
  const widths = header.map((cell, column) => Math.max([...cell].length, ...rows.map((row) => [...(row[column] ?? '')].length)));
  const line = (cells: readonly string[]) =>
    `  ${cells
      .map((cell, column) => {
        const pad = ' '.repeat((widths[column] ?? 0) - [...cell].length);
        return align[column] === 'right' ? `${pad}${cell}` : `${cell}${pad}`;
      })
      .join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A section's summary, or one per file system when the suite ran on several (`--fs`): with the file system's name. */
function summaryParts(section: Record<string, unknown> | undefined): { fs?: string; summary: Record<string, unknown> }[] {
  if (!section) return [];
  const parts = section.file_systems;
  if (Array.isArray(parts)) return (parts as Record<string, unknown>[]).map((part) => ({ fs: String(part.fs ?? ''), summary: part }));
  return [{ summary: section }];
}

/** "", or " on xfs" / " on the workspace's file system" when the suite ran on several. */
function onPart(fs: string | undefined): string {
  if (fs === undefined) return '';
  return fs ? ` on ${fs}` : " on the workspace's file system";
}

/** The gate instances of one part: all of them, or those made on its file system. */
function gatesOf(outcome: AnalyzeOutcome, suite: GatedSuite, fs: string | undefined): GateResult[] {
  return outcome.gates.filter((gate) => gate.suite === suite && (fs === undefined || (gate.fs ?? '') === fs));
}

const MODE_ORDER = ['durable', 'fast', 'unchanged'];
const modeRank = (mode: string) => (MODE_ORDER.includes(mode) ? MODE_ORDER.indexOf(mode) : MODE_ORDER.length);

function benchSummary(outcome: AnalyzeOutcome): string[] {
  const out: string[] = [];
  for (const { fs, summary } of summaryParts(outcome.sections.bench)) {
    const lines = [...((summary.line_figures ?? []) as BenchLineFigures[])].sort(
      (a, b) => (a.size_bytes ?? 0) - (b.size_bytes ?? 0) || modeRank(a.mode) - modeRank(b.mode) || a.scenario.localeCompare(b.scenario),
    );
    if (lines.length === 0) {
      out.push(`bench${onPart(fs)}: no timed lines`);
      continue;
    }
    const gates = gatesOf(outcome, 'bench', fs);
    const scenarios = new Set(lines.map((line) => line.scenario)).size > 1;
    const net = lines.some((line) => line.net_p50_ms !== null);
    const rows = lines.map((line) => {
      const mine = gates.filter((gate) => gate.subject === line.subject && gate.mode === line.mode && (gate.size_bytes ?? null) === line.size_bytes && (gate.scenario ?? line.scenario) === line.scenario);
      const titled = (status: GateResult['status']) => [...new Set(mine.filter((gate) => gate.status === status).map((gate) => gate.title))].join(', ');
      const notes = [line.samples === 0 ? 'no timing' : '', titled('fail') ? `failed: ${titled('fail')}` : '', titled('not_judged') ? `not judged: ${titled('not_judged')}` : ''].filter(Boolean).join('; ');
      return [
        line.subject,
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
    const header = ['writer', ...(scenarios ? ['scenario'] : []), 'size', 'mode', 'p50 ms', 'p95 ms', ...(net ? ['net p50 ms'] : []), 'MiB/s', ''];
    const align: Align[] = ['left', ...(scenarios ? ['left' as const] : []), 'right', 'left', 'right', 'right', ...(net ? ['right' as const] : []), 'right', 'left'];
    out.push(
      `bench${onPart(fs)}: latency per writer, size and mode (p50, p95 of the timed samples; MiB/s = payload ÷ p50${net ? '; net p50: less the spawn or round-trip overhead, what the gates read' : ''})`,
      ...alignedTable(header, rows, align),
    );
  }
  return out;
}

/** Each writer's crash gates: the failed ones named, else whether every gate passed or some could not be checked. */
function crashSummary(outcome: AnalyzeOutcome): string[] {
  const parts = summaryParts(outcome.sections.crash);
  const out: string[] = [];
  for (const { fs } of parts.length ? parts : [{ fs: undefined }]) {
    const gates = gatesOf(outcome, 'crash', fs);
    const writers = [...new Set(gates.map((gate) => gate.subject ?? ''))].filter(Boolean);
    const rows = writers.map((writer) => [writer, writerVerdict(gates.filter((gate) => gate.subject === writer))]);
    out.push(`crash${onPart(fs)}: gates per writer`, ...(rows.length ? alignedTable(['writer', ''], rows, ['left', 'left']) : ['  no writer was judged']));
    // A gate with no instance per writer: its scenario did not run (no data), or it judged the run as a whole.
    const wide = gates.filter((gate) => !gate.subject);
    const named = (status: GateResult['status']) => [...new Set(wide.filter((gate) => gate.status === status).map((gate) => gate.id))];
    if (named('fail').length) out.push(`  every writer: failed ${named('fail').join(', ')}`);
    if (named('no_data').length) out.push(`  not checked (no data, not a pass): ${named('no_data').join(', ')}`);
  }
  return out;
}

function writerVerdict(gates: readonly GateResult[]): string {
  const count = (status: GateResult['status']) => gates.filter((gate) => gate.status === status).length;
  const failed = [...new Set(gates.filter((gate) => gate.status === 'fail').map((gate) => gate.id))];
  if (failed.length) return `failed ${failed.join(', ')}`;
  const unchecked = [count('no_data') ? `${count('no_data')} no data` : '', count('not_judged') ? `${count('not_judged')} not judged` : ''].filter(Boolean);
  // Not a pass while something was not checked: say what was, and what was not.
  if (unchecked.length) return `no gate failed; ${count('pass')} pass, ${unchecked.join(', ')} (not checked)`;
  const excused = [count('known') ? `${count('known')} known` : '', count('disabled') ? `${count('disabled')} disabled` : ''].filter(Boolean);
  return `all gates pass${excused.length ? ` (${excused.join(', ')})` : ''}`;
}

/** A rate's metric name as words: "exit_code_match_rate" → "exit code match". */
function rateLabel(metric: string): string {
  return metric.replace(/_rate$/, '').replace(/_ms$/, '').replace(/_/g, ' ');
}

/** A fraction as a percentage; a figure in ms as ms. */
function rateText(metric: string, value: number | null | undefined): string {
  if (metric.endsWith('_ms')) return value === null || value === undefined ? '—' : `${formatNumber(value)} ms`;
  return formatPercent(value);
}

function paritySummary(outcome: AnalyzeOutcome): string[] {
  const summary = outcome.sections.parity as ParitySummary | undefined;
  const wrappers = Object.entries(summary?.wrappers ?? {});
  if (!summary || wrappers.length === 0) return ['parity: no wrapper ran'];
  const metrics = [...new Set(wrappers.flatMap(([, rates]) => Object.keys(rates)))];
  const rows = wrappers.map(([name, rates]) => [
    name === summary.control ? `${name} (control)` : name,
    ...metrics.map((metric) => rateText(metric, rates[metric]?.rate)),
    String(Math.max(0, ...Object.values(rates).map((rate) => rate.cases))),
  ]);
  return [
    `parity: match rates per wrapper over ${summary.cases_run} case(s)${summary.cases_in_matrix !== null ? ` of ${summary.cases_in_matrix}` : ''}`,
    ...alignedTable(['wrapper', ...metrics.map(rateLabel), 'cases'], rows, ['left', ...metrics.map(() => 'right' as const), 'right']),
  ];
}

function hookSummary(outcome: AnalyzeOutcome): string[] {
  const summary = outcome.sections.hook as HookSummary | undefined;
  const lines = Object.entries(summary?.hooks ?? {}).flatMap(([hook, sets]) => Object.entries(sets).map(([envSet, line]) => ({ hook, envSet, line })));
  const out: string[] = [];
  if (lines.length) {
    const metrics = [...new Set(lines.flatMap(({ line }) => Object.keys(line.rates)))];
    // The latency gate judges the p95 net of a no-op on the hook's runtime, when one was timed.
    const netOf = (line: (typeof lines)[number]['line']) => (line as { latency?: { net_p95?: number | null } }).latency?.net_p95 ?? null;
    const net = lines.some(({ line }) => netOf(line) !== null);
    const rows = lines.map(({ hook, envSet, line }) => [
      hook,
      envSet,
      ...metrics.map((metric) => rateText(metric, line.rates[metric])),
      ...(net ? [rateText('net_p95_ms', netOf(line))] : []),
      line.cases === null ? '—' : String(line.cases),
    ]);
    const header = ['hook', 'env set', ...metrics.map(rateLabel), ...(net ? ['p95 net of floor'] : []), 'cases'];
    out.push('hook: rates per hook and env set', ...alignedTable(header, rows, ['left', 'left', ...header.slice(2).map(() => 'right' as const)]));
  }
  const audit = summary?.audit;
  if (audit) out.push(`hook: audit of ${audit.bash_calls} recorded Bash call(s), ${audit.joined} matched to the hook log`);
  return out.length ? out : ['hook: no hook ran'];
}

const SUMMARIES: Record<GatedSuite, (outcome: AnalyzeOutcome) => string[]> = { bench: benchSummary, crash: crashSummary, parity: paritySummary, hook: hookSummary };

/** The lines a suite command prints before its verdict, from the analysis of its own rows. */
export function suiteSummary(suite: GatedSuite, outcome: AnalyzeOutcome): string[] {
  return SUMMARIES[suite](outcome);
}
