/**
 * The comparison block at the top of RESULTS.md: the verdict, why, how it was measured, the judged
 * series, and one chart per median of what each round saw (head / base), with the interval the
 * verdict rests on and the minimum effect drawn across it.
 */
import { confidenceText, formatFigure, percentChange } from '../regression/format.js';
import type { Finding } from '../regression/finding.js';
import { detailMarkdown, instanceMarkdown } from '../report/gate-table.js';
import { blocks, code, table, untrusted } from '../report/markdown.js';
import { renderRoundRatioChart } from '../report/round-ratio-chart.js';
import type { GateResult } from '../types.js';
import { judgeComparison, type ComparisonContext, type ComparisonVerdict, type ReasonWords } from './judge.js';
import type { RoundRatios } from './rounds.js';

/** The reasons as the report shows them: series labels and failing gates' instances and details inert. */
const MARKDOWN_WORDS: ReasonWords = {
  label: (finding) => untrusted(finding.label),
  failed: (gate) =>
    `failed ${code(gate.id)}${gate.instance ? ` (${instanceMarkdown(gate)})` : ''}: ${detailMarkdown(gate)}`,
};

const HEADLINE: Record<ComparisonVerdict['verdict'], string> = {
  pass: '✅ PASS',
  regressed: '❌ REGRESSED',
  fail: '❌ FAIL',
  inconclusive: '⚠️ INCONCLUSIVE — not a pass',
};

function statusText(finding: Finding): string {
  return finding.status.replace(/_/g, ' ');
}

function withUnit(finding: Finding, value: number | null): string {
  return finding.policy.kind === 'timing' && value !== null ? `${formatFigure(value)} ms` : formatFigure(value);
}

function seriesTable(findings: readonly Finding[]): string {
  const rows = findings.map((finding) => [
    untrusted(finding.label),
    withUnit(finding, finding.reference),
    withUnit(finding, finding.current),
    finding.ratio === null ? '–' : percentChange(finding.ratio),
    finding.interval
      ? `${percentChange(finding.interval.lower)}..${percentChange(finding.interval.upper)} ` +
        `(${confidenceText(finding.interval.confidence)})`
      : '–',
    statusText(finding),
  ]);
  return table(['series', 'base', 'head', 'change', 'interval', 'verdict'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
    'left',
  ]);
}

/** One chart per judged median that has an interval: what each round saw, against what was judged. */
function roundChart(rounds: RoundRatios, finding: Finding | undefined): string {
  if (!finding?.interval) return '';
  const minEffect =
    finding.policy.direction === 'lower_is_better' ? 1 + finding.policy.minEffect : 1 / (1 + finding.policy.minEffect);
  return renderRoundRatioChart({
    series: finding.label,
    rounds: rounds.ratios.map((ratio, i) => ({ round: i + 1, ratio })),
    interval: finding.interval,
    minEffect,
  });
}

/**
 * The comparison's block, judged again from the same gates and findings (judgeComparison, pure) so that
 * its reasons and summary come out as Markdown.
 */
export function renderComparison(
  gates: readonly GateResult[],
  context: ComparisonContext,
  findings: readonly Finding[],
  rounds: readonly RoundRatios[],
): string {
  const verdict: ComparisonVerdict = judgeComparison(gates, findings, context, MARKDOWN_WORDS);
  const judged = findings.filter(
    (finding) => finding.against === 'baseline' && context.subjects.includes(finding.key.subject),
  );
  const byId = new Map(judged.map((finding) => [finding.id, finding]));
  const measured = [
    `- **Measured:** ${context.rounds} interleaved rounds; in each one bench ` +
      `process timing the base and the head in the same lines, the order alternating ` +
      `(base first, then head first) so neither always runs on a warm or a cold machine.`,
    `- **Judged:** ${context.subjects.map(untrusted).join(', ')}: ${context.familySize} gated ` +
      `timing series judged as one family (so that all of them hold together ` +
      `at 95%), which needs at least ${context.roundsNeeded} rounds; correctness ` +
      `figures (content, write errors) count any worsening. The floor and the ` +
      `reference writer ran in every run as yardsticks for the head's own gates; ` +
      `they are not judged.`,
    `- **Base failures:** a gate the base fails too is shown as known on the ` +
      `head: the change did not cause it. A gate the head fails where the base ` +
      `could not be judged is not counted against the change either: it makes ` +
      `the comparison inconclusive, not a pass.`,
  ].join('\n');
  const reasons = verdict.reasons.length ? verdict.reasons.map((reason) => `- ${reason}`).join('\n') : '';
  const charts = rounds.map((series) => roundChart(series, byId.get(series.id))).filter(Boolean);
  return blocks(
    '## Comparison: head against base',
    `**${HEADLINE[verdict.verdict]}** — ${verdict.summary}.`,
    reasons,
    measured,
    judged.length ? seriesTable(judged) : '',
    charts.length
      ? blocks(
          '<details><summary>Per-round ratios of each median (what each round saw of the change)</summary>',
          ...charts,
          '</details>',
        )
      : '',
  );
}
