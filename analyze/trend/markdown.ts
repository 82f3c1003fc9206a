/**
 * The trend section of RESULTS.md, written to be read on a phone: the verdict in one line, then the
 * gate table with only what needs attention (five narrow columns), then everything else folded into
 * <details>: the unchanged series, one chart per series, the noise figures, how it is judged.
 */
import { quote } from 'shell-quote';
import type { Finding, FindingStatus } from '../regression/finding.js';
import { formatFigure, percentChange } from '../regression/format.js';
import { untrusted, untrustedInHtml } from '../report/markdown.js';
import { renderXyChart } from '../report/mermaid.js';
import { runLabels } from './run-labels.js';
import type { NoiseFigure } from './noise.js';
import type { TrendReport } from './prepare.js';

const STATUS_TEXT: Record<FindingStatus, string> = {
  regression: '❌ regression',
  suspected: '⚠️ suspected',
  unconfirmed: '❔ unconfirmed — re-measure interleaved',
  not_reproduced: '↩️ not reproduced',
  improvement: '🟢 better',
  unchanged: '✅ unchanged',
  too_noisy: '🌪️ too noisy',
  insufficient_data: '⬜ no verdict',
};

/** Order of attention: what fails first, what is fine last. */
const STATUS_ORDER: readonly FindingStatus[] = [
  'regression',
  'suspected',
  'unconfirmed',
  'not_reproduced',
  'improvement',
  'too_noisy',
  'insufficient_data',
  'unchanged',
];

function statusText(finding: Finding): string {
  if (finding.status === 'regression' && finding.confirmation === 'confirmed') return '❌ regression (confirmed)';
  if (!finding.policy.gate && finding.status === 'regression') return '❌ regression (not gated)';
  return STATUS_TEXT[finding.status];
}

/** A cell of a hand-made table row: `|` escaped as table() does (report/markdown.ts cell). */
function escapeCell(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|');
}

/** A series label (scenario · subject · mode · size · metric) is built from the input's names: inert. */
function labelCell(label: string): string {
  return escapeCell(untrusted(label));
}

function delta(finding: Finding): string {
  if (finding.ratio === null) return '–';
  if (finding.policy.kind === 'correctness') return finding.ratio === 1 ? '±0' : percentChange(finding.ratio);
  return percentChange(finding.ratio);
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.id.localeCompare(b.id),
  );
}

function table(findings: readonly Finding[], referenceHeader: string): string {
  const lines = [`| Series | Now | ${referenceHeader} | Δ | Verdict |`, '|---|--:|--:|--:|---|'];
  for (const f of findings) {
    const unit = f.key.metric.endsWith('_ms') ? ' ms' : '';
    const shown = (value: number | null) => (value === null ? '–' : `${formatFigure(value)}${unit}`);
    lines.push(
      `| ${labelCell(f.label)} | ${shown(f.current)} | ${shown(f.reference)} | ${delta(f)} | ${statusText(f)} |`,
    );
  }
  return lines.join('\n');
}

function counts(findings: readonly Finding[]): string {
  const parts = STATUS_ORDER.map((status) => [status, findings.filter((f) => f.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${STATUS_TEXT[status].replace(/^\S+ /, '')}`);
  return parts.join(', ') || 'nothing to compare';
}

/** Gate table: the series that need attention; the rest in one fold. */
function gateBlock(findings: readonly Finding[], referenceHeader: string): string {
  const sorted = sortFindings(findings);
  const attention = sorted.filter((f) => f.status !== 'unchanged');
  const quiet = sorted.filter((f) => f.status === 'unchanged');
  const out: string[] = [];
  if (attention.length) out.push(table(attention, referenceHeader));
  else out.push('Every compared series is unchanged.');
  if (quiet.length)
    out.push(
      `<details><summary>${quiet.length} unchanged series</summary>\n\n${table(quiet, referenceHeader)}\n\n</details>`,
    );
  const reasons = attention.map((f) => `- **${untrusted(f.label)}** (${f.evidence}): ${f.reason}.`);
  if (reasons.length) out.push(reasons.join('\n'));
  return out.join('\n\n');
}

function chart(finding: Finding, lastN: number): string | undefined {
  if (!finding.series || finding.current === null) return undefined;
  const points = [...finding.series.slice(-(lastN - 1)), { id: 'now', time: '', value: finding.current }];
  if (points.length < 2) return undefined;
  const labels = [...runLabels(points.slice(0, -1).map((p) => p.time)), 'now'];
  const values = points.map((p) => p.value);
  // A figure with no finite value (a throughput over a p50 of 0) has no point to draw: the table says it.
  if (!values.every(Number.isFinite)) return undefined;
  const lines: number[][] = [values];
  let legend = `line: ${finding.policy.label} per run, the last point is this run`;
  if (finding.reference !== null && finding.policy.kind === 'timing' && finding.status !== 'insufficient_data') {
    const limit =
      finding.policy.direction === 'lower_is_better'
        ? finding.reference * (1 + finding.policy.minEffect)
        : finding.reference / (1 + finding.policy.minEffect);
    lines.push(values.map(() => limit));
    const sign = finding.policy.direction === 'lower_is_better' ? '+' : '−';
    legend += `; flat line: the regression limit (window median ${sign}${Math.round(finding.policy.minEffect * 100)}%)`;
  }
  const unit = finding.key.metric.endsWith('_ms') ? 'ms' : finding.key.metric;
  return [
    // A <summary> line is raw HTML, where Markdown (and so a code span) is not parsed.
    `<details><summary>${untrustedInHtml(finding.label)} — ${statusText(finding)}</summary>\n`,
    renderXyChart({ title: finding.label, xLabels: labels, yLabel: unit, lines }),
    '',
    `Now ${formatFigure(finding.current)} ${unit}, ` +
      `window median ${formatFigure(finding.reference)} ${unit} over ${finding.evidence}. ${legend}.`,
    '\n</details>',
  ].join('\n');
}

function noiseBlock(noise: readonly NoiseFigure[]): string {
  if (noise.length === 0) return '';
  const rows = noise.map((n) => {
    const runToRun = n.runToRunCv === null ? '–' : `${(n.runToRunCv * 100).toFixed(1)}%`;
    return `| ${labelCell(n.label)} | ${(n.withinRunCv * 100).toFixed(1)}% | ${runToRun} | ${n.samples} |`;
  });
  const worst = [...noise].sort((a, b) => b.withinRunCv - a.withinRunCv)[0];
  const noisiest = worst
    ? `; noisiest: ${untrusted(worst.label)} at ${(worst.withinRunCv * 100).toFixed(1)}% within a run`
    : '';
  return [
    '### Noise',
    '',
    `Coefficient of variation of the latency samples within a run, and of ` +
      `the per-run p50 from run to run (the history window, or this input's rounds)${noisiest}.`,
    '',
    `<details><summary>CV per series (${noise.length})</summary>\n`,
    '| Series | CV in run | CV run-to-run | Samples |',
    '|---|--:|--:|--:|',
    ...rows,
    '\n</details>',
  ].join('\n');
}

const RULE = [
  '<details><summary>How a change is judged</summary>\n',
  '- **Timing** (p50, p95 of `latency_ms`): a change counts only when it ' +
    'is larger than the minimum effect (10% for p50, 20% for p95 by default; ' +
    '`--regression-policy` sets it per metric) **and** significant; `compare` ' +
    'asks for the whole interval past the minimum effect.',
  '  - Against a baseline (base and head measured in one job, in interleaved ' +
    'rounds): significant when the 95% interval of head/base lies wholly on ' +
    'the worse side of 1. That is a bootstrap that resamples whole runs, then ' +
    'blocks of consecutive samples within them, and with several runs per arm ' +
    'the interval also covers the run-level Welch (Student t) interval, so ' +
    'an unlucky round or a burst of runner noise widens the interval instead ' +
    'of raising an alarm. An interval wider than ×2 gets no verdict (*too noisy*): ' +
    'not a pass, not an alarm. A p50 measured in ≥ 6 interleaved rounds per ' +
    'arm is instead judged paired (Hodges-Lehmann / Wilcoxon signed-rank interval ' +
    'of the per-round ratios), which cancels a load swing that hit both arms ' +
    'of a round; a paired interval wholly on one side of 1 keeps its verdict, ' +
    'since its coverage is exact.',
  '  - With a single run in either arm nothing measured how far whole runs ' +
    'move on their own (on a shared runner, far more than the samples within ' +
    'one run), so a timing change from such arms is *unconfirmed — re-measure ' +
    'interleaved*: shown, never a failure, until base and head are measured ' +
    'in several interleaved rounds.',
  '  - Against history (one figure per run, same machine class): significant ' +
    'when this run lies beyond 3 robust σ (1.4826·MAD) of the window; then ' +
    'it is only *suspected* until one re-measure shows it again (*confirmed*), ' +
    'or not (*not reproduced*).',
  '- **Correctness** (bench content and write errors, crash outcome rates, ' +
    'parity match flags per case): any worsening is a regression. No noise ' +
    'allowance, no re-measure.',
  '\n</details>',
].join('\n');

export interface TrendMarkdownOptions {
  /** Points per chart, this run included. */
  chartRuns?: number;
  /** The baseline's inputs, as the report names them (file names: shown inert). */
  baselineNames?: readonly string[];
}

export function renderTrendSection(report: TrendReport, options: TrendMarkdownOptions = {}): string {
  const chartRuns = options.chartRuns ?? 20;
  const out: string[] = ['## Regressions and trend', ''];
  const all = [...report.baseline, ...report.history];
  const verdict = report.verdict === 'fail' ? '❌ FAIL' : '✅ PASS';
  out.push(`**${verdict}** — ${all.length} series compared: ${counts(all)}.`);
  for (const note of report.notes) out.push('', `> ${note}`);
  if (report.baseline.length) {
    const baselineNames = options.baselineNames?.length ? ` (${options.baselineNames.map(untrusted).join(', ')})` : '';
    out.push('', `### Against the baseline${baselineNames}`, '', gateBlock(report.baseline, 'Base'));
  }
  if (report.machineClass !== undefined) {
    out.push(
      '',
      `### Against history`,
      '',
      `Last ${report.windowRuns} run(s) (window ${report.windowSize}) on machine ` +
        `class ${untrusted(report.machineClass)}.`,
      '',
      gateBlock(report.history, 'Median'),
    );
    if (report.remeasure.length) {
      out.push(
        '',
        `Suspected regressions wait for one re-measure: ${report.remeasure
          .map((plan) => untrusted(quote(['writegate', plan.suite, ...plan.args])))
          .join(', ')}, then analyze again with \`--remeasure\`.`,
      );
    }
    // A correctness series that held one value in every run (a parity flag at 1, a corruption rate at
    // 0) draws a flat line that says nothing the table does not: one line of text instead.
    const flat = (f: Finding) =>
      f.policy.kind === 'correctness' &&
      [...(f.series ?? []).map((p) => p.value), f.current].every((v) => v === f.current);
    const gated = sortFindings(report.history.filter((f) => f.policy.gate));
    const charts = gated
      .filter((f) => !flat(f))
      .map((f) => chart(f, chartRuns))
      .filter((c): c is string => c !== undefined);
    const flatCount = gated.filter(flat).length;
    if (charts.length || flatCount) out.push('', `### Trend charts (last ${chartRuns} runs)`);
    if (charts.length) out.push('', charts.join('\n\n'));
    if (flatCount)
      out.push('', `${flatCount} correctness series held the same value in every run of the window; no chart.`);
  }
  const noise = noiseBlock(report.noise);
  if (noise) out.push('', noise);
  out.push('', RULE);
  return `${out.join('\n')}\n`;
}
