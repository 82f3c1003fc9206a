import type { Finding } from '../regression/finding.js';
import type { TrendReport } from './prepare.js';

/** `--json`: the same verdicts as the report, for other tools. Small and flat on purpose. */
export function findingJson(finding: Finding): Record<string, unknown> {
  return {
    id: finding.id,
    label: finding.label,
    suite: finding.key.suite,
    scenario: finding.key.scenario,
    subject: finding.key.subject,
    mode: finding.key.mode,
    size_bytes: finding.key.size_bytes,
    engine: finding.key.engine,
    metric: finding.key.metric,
    ...(finding.key.fs ? { fs: finding.key.fs } : {}),
    kind: finding.policy.kind,
    gated: finding.policy.gate,
    min_effect: finding.policy.minEffect,
    against: finding.against,
    reference: finding.reference,
    current: finding.current,
    ratio: finding.ratio,
    ...(finding.interval ? { interval: finding.interval } : {}),
    ...(finding.runs ? { runs: finding.runs } : {}),
    ...(finding.z !== undefined ? { z: finding.z } : {}),
    evidence: finding.evidence,
    status: finding.status,
    ...(finding.confirmation ? { confirmation: finding.confirmation, remeasured: finding.remeasured ?? null } : {}),
    reason: finding.reason,
  };
}

export function trendJson(report: TrendReport): Record<string, unknown> {
  return {
    verdict: report.verdict,
    baseline: report.baseline.map(findingJson),
    history:
      report.machineClass === undefined
        ? null
        : {
            machine_class: report.machineClass,
            window_runs: report.windowRuns,
            findings: report.history.map(findingJson),
          },
    remeasure: report.remeasure,
    noise: report.noise.map((n) => ({
      id: n.id,
      label: n.label,
      samples: n.samples,
      runs: n.runs,
      within_run_cv: n.withinRunCv,
      run_to_run_cv: n.runToRunCv,
    })),
    notes: report.notes,
  };
}
