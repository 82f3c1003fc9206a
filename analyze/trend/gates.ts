/**
 * The regression rule as rows of the analyzer's gate table: one instance per judged metric and per
 * comparison (vs base, vs history), counting its regressions. The gate table stays short on a phone;
 * the per-series verdicts are in the trend section right below it and in --json (sections.trend).
 */
import { judged, type Finding } from '../regression/finding.js';
import { percentChange } from '../regression/format.js';
import type { MetricPolicy } from '../regression/policy.js';
import { detailText, input, joinPhrases, type Phrase } from '../phrase.js';
import type { GatedSuite, GateResult } from '../types.js';
import type { TrendReport } from './prepare.js';

/** The regression rule's gates: their ids, and so their instances, are writegate's own words. */
export function isRegressionGate(id: string): boolean {
  return id.includes('.no_regression.');
}

/** The detail of a gate a regression policy file made report-only (after its instance). */
export const REPORT_ONLY = 'report-only (--regression-policy)';

/** Why the series of an unchecked instance were not judged; the detail lists their labels after it. */
export const UNCHECKED_WHY = {
  too_noisy: 'not judged, the runner swung too much',
  unconfirmed:
    'not judged, with a single run in an arm a change cannot be told from ' +
    'how far whole runs move; re-measure interleaved',
} as const;

function ruleText(policy: MetricPolicy): string {
  return policy.kind === 'timing'
    ? `regression rule: worse by > ${Math.round(policy.minEffect * 100)}% and significant`
    : 'regression rule: any worsening (correctness)';
}

/** Series labels (built from the input's subjects), each its own piece, `; ` between. */
function labels(findings: readonly Finding[], show: (finding: Finding) => string): Phrase {
  return joinPhrases(
    findings.map((finding) => [input(show(finding))]),
    '; ',
  );
}

function short(finding: Finding): string {
  return `${finding.label} ${finding.ratio === null ? '' : percentChange(finding.ratio)}`.trim();
}

function gateFor(
  policy: MetricPolicy,
  against: Finding['against'],
  findings: readonly Finding[],
  windowNote: string,
): GateResult {
  const judgedFindings = findings.filter(judged);
  const noisy = findings.filter((f) => f.status === 'too_noisy');
  const unconfirmed = findings.filter((f) => f.status === 'unconfirmed');
  const regressions = judgedFindings.filter((f) => f.status === 'regression');
  const suspected = judgedFindings.filter((f) => f.status === 'suspected');
  const cleared = judgedFindings.filter((f) => f.status === 'not_reproduced');
  const notes = [
    suspected.length ? `${suspected.length} suspected, awaiting re-measure` : '',
    cleared.length ? `${cleared.length} not reproduced` : '',
    unconfirmed.length ? `${unconfirmed.length} unconfirmed, re-measure interleaved` : '',
    noisy.length ? `${noisy.length} too noisy to judge` : '',
  ].filter(Boolean);
  const instance = against === 'baseline' ? 'vs base' : `vs history${windowNote}`;
  const status: GateResult['status'] = !policy.gate
    ? 'disabled'
    : judgedFindings.length === 0
      ? 'no_data'
      : regressions.length
        ? 'fail'
        : 'pass';
  // The instance, the notes and a finding's reason are writegate's words; a series label is the input's.
  const reason: Phrase = !policy.gate
    ? [REPORT_ONLY]
    : judgedFindings.length === 0
      ? [
          notes.length
            ? `not judged: ${notes.join(', ')}`
            : `nothing to compare yet (${findings[0]?.reason ?? 'no series'})`,
        ]
      : [
          ...(regressions.length ? ['regressed: ', ...labels(regressions, short)] : ['no regression']),
          notes.length ? `; ${notes.join(', ')}` : '',
        ];
  const noteText = notes.length ? ` (${notes.join(', ')})` : '';
  return {
    id: `${policy.suite}.no_regression.${policy.metric}`,
    suite: policy.suite as GatedSuite,
    title: `no ${policy.label} regression`,
    description: `${ruleText(policy)}; see "Regressions and trend".`,
    instance,
    metric: policy.metric,
    figure: regressions.length,
    figureText: `${regressions.length} of ${judgedFindings.length} series${noteText}`,
    threshold: '0 regressions',
    comparison: '==',
    thresholdValue: 0,
    unit: 'count',
    source: ruleText(policy),
    status,
    reason,
    detail: detailText(instance, reason),
  };
}

/**
 * Series too noisy to judge, and timing changes seen in single runs, are not checked, and the gate
 * table must say so: a visible no-data instance beside the judged ones, never folded into their pass.
 */
function uncheckedGates(judgedGate: GateResult, findings: readonly Finding[]): GateResult[] {
  if (judgedGate.status === 'no_data' || judgedGate.status === 'disabled') return [];
  const kinds = [
    { status: 'too_noisy', name: 'too noisy', why: UNCHECKED_WHY.too_noisy, show: (f: Finding) => f.label },
    { status: 'unconfirmed', name: 'unconfirmed', why: UNCHECKED_WHY.unconfirmed, show: short },
  ] as const;
  return kinds.flatMap(({ status, name, why, show }) => {
    const mine = findings.filter((f) => f.status === status);
    if (mine.length === 0) return [];
    const instance = `${judgedGate.instance} · ${name}`;
    const reason: Phrase = [`${why}: `, ...labels(mine, show)];
    return [
      {
        ...judgedGate,
        instance,
        figure: null,
        figureText: '—',
        status: 'no_data' as const,
        reason,
        detail: detailText(instance, reason),
      },
    ];
  });
}

export function regressionGates(report: TrendReport): GateResult[] {
  const gates: GateResult[] = [];
  for (const [against, findings, note] of [
    ['baseline', report.baseline, ''],
    ['history', report.history, ` (${report.windowRuns} runs)`],
  ] as const) {
    const policies = [...new Map(findings.map((f) => [`${f.policy.suite}|${f.policy.metric}`, f.policy])).values()];
    for (const policy of policies) {
      const mine = findings.filter((f) => f.policy === policy);
      const gate = gateFor(policy, against, mine, note);
      gates.push(gate, ...uncheckedGates(gate, mine));
    }
  }
  return gates;
}
