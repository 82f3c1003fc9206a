/**
 * The regression rule as rows of the analyzer's gate table: one instance per judged metric and per
 * comparison (vs base, vs history), counting its regressions. The gate table stays short on a phone;
 * the per-series verdicts are in the trend section right below it and in --json (sections.trend).
 */
import { judged, type Finding } from '../regression/finding.js';
import { percentChange } from '../regression/format.js';
import type { MetricPolicy } from '../regression/policy.js';
import type { GatedSuite, GateResult } from '../types.js';
import type { TrendReport } from './prepare.js';

function ruleText(policy: MetricPolicy): string {
  return policy.kind === 'timing' ? `regression rule: worse by > ${Math.round(policy.minEffect * 100)}% and significant` : 'regression rule: any worsening (correctness)';
}

function short(finding: Finding): string {
  return `${finding.label} ${finding.ratio === null ? '' : percentChange(finding.ratio)}`.trim();
}

function gateFor(policy: MetricPolicy, against: Finding['against'], findings: readonly Finding[], windowNote: string): GateResult {
  const judgedFindings = findings.filter(judged);
  const noisy = findings.filter((f) => f.status === 'too_noisy');
  const regressions = judgedFindings.filter((f) => f.status === 'regression');
  const suspected = judgedFindings.filter((f) => f.status === 'suspected');
  const cleared = judgedFindings.filter((f) => f.status === 'not_reproduced');
  const notes = [
    suspected.length ? `${suspected.length} suspected, awaiting re-measure` : '',
    cleared.length ? `${cleared.length} not reproduced` : '',
    noisy.length ? `${noisy.length} too noisy to judge` : '',
  ].filter(Boolean);
  const instance = against === 'baseline' ? 'vs base' : `vs history${windowNote}`;
  const status: GateResult['status'] = !policy.gate ? 'disabled' : judgedFindings.length === 0 ? 'no_data' : regressions.length ? 'fail' : 'pass';
  const detail = !policy.gate
    ? `${instance}: report-only (--regression-policy)`
    : judgedFindings.length === 0
      ? `${instance}: ${noisy.length ? `too noisy to judge (${noisy.length} series)` : `nothing to compare yet (${findings[0]?.reason ?? 'no series'})`}`
      : `${instance}: ${regressions.length ? `regressed: ${regressions.map(short).join('; ')}` : 'no regression'}${notes.length ? `; ${notes.join(', ')}` : ''}`;
  return {
    id: `${policy.suite}.no_regression.${policy.metric}`,
    suite: policy.suite as GatedSuite,
    title: `no ${policy.label} regression`,
    description: `${ruleText(policy)}; see "Regressions and trend".`,
    instance,
    metric: policy.metric,
    figure: regressions.length,
    figureText: `${regressions.length} of ${judgedFindings.length} series${notes.length ? ` (${notes.join(', ')})` : ''}`,
    threshold: '0 regressions',
    comparison: '==',
    thresholdValue: 0,
    unit: 'count',
    source: ruleText(policy),
    status,
    detail,
  };
}

/**
 * Series too noisy to judge are not checked, and the gate table must say so: a visible no-data
 * instance beside the judged ones, never folded into their pass.
 */
function noisyGate(judgedGate: GateResult, findings: readonly Finding[]): GateResult | undefined {
  const noisy = findings.filter((f) => f.status === 'too_noisy');
  if (noisy.length === 0 || judgedGate.status === 'no_data' || judgedGate.status === 'disabled') return undefined;
  return {
    ...judgedGate,
    instance: `${judgedGate.instance} · too noisy`,
    figure: null,
    figureText: '—',
    status: 'no_data',
    detail: `${judgedGate.instance} · too noisy: not judged, the runner swung too much: ${noisy.map((f) => f.label).join('; ')}`,
  };
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
      const noisy = noisyGate(gate, mine);
      gates.push(gate, ...(noisy ? [noisy] : []));
    }
  }
  return gates;
}
