/**
 * The gate measured on itself (`writegate validate-gate`): K rounds on one commit, each with a base
 * run, a second run of the very same thing (A/A) and a run of a subject slowed by a known amount.
 * A false alarm is a gated regression in an A/A comparison; a detection is the slowed series called a
 * regression. Mann-Whitney U is scored on the same samples so the choice of test stays a measured one.
 */
import type { ResultRow } from '../../core/schema.js';
import { coefficientOfVariation, mannWhitneyU, percentile } from '../../core/stats.js';
import { compareBaseline, type BaselineOptions } from './compare-baseline.js';
import { judged, type Finding } from './finding.js';
import { groupByKey, keyId, strataOf, type SeriesKey } from './keys.js';
import type { MetricPolicy } from './policy.js';

export interface ValidationRound {
  base: readonly ResultRow[];
  /** The same subject again: any gated regression here is a false alarm. */
  again: readonly ResultRow[];
  /** The probe slowed by a known amount. */
  slowed: readonly ResultRow[];
}

export interface ProbeComparison {
  round: number;
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  status: Finding['status'];
  /** Mann-Whitney one-sided p for "slower". */
  mannWhitneyP: number | null;
}

export interface ValidationCounts {
  rounds: number;
  probeId: string;
  aa: {
    /** Rounds in which the whole gate failed (any gated series called a regression). */
    gateFalseAlarms: number;
    seriesFalseAlarms: number;
    seriesCompared: number;
    spuriousImprovements: number;
    /** Which series raised them, with counts. */
    bySeries: Record<string, number>;
    /** A/A comparisons of the probe that were too noisy to judge (no verdict: neither alarm nor pass). */
    tooNoisy: number;
    probe: ProbeComparison[];
  };
  detection: {
    detected: number;
    probe: ProbeComparison[];
    /** Gated regressions on the other (unchanged) series of the detection runs: false alarms too. */
    otherFalseAlarms: number;
    otherCompared: number;
    /** Slowed comparisons too noisy to judge: counted as misses. */
    tooNoisy: number;
  };
  mannWhitney: {
    alpha: number;
    aaFalseAlarms: number;
    detections: number;
    aaFalseAlarmsWithMinEffect: number;
    detectionsWithMinEffect: number;
  };
  /** Per-run CV of the probe's raw samples, and the run-to-run CV of its p50, over every run. */
  noise: { withinRunCvMedian: number; withinRunCvMax: number; runToRunCv: number };
}

function probeSamples(rows: readonly ResultRow[], policy: MetricPolicy, probeId: string): number[] {
  const group = groupByKey(rows, policy.suite, policy.samples?.metric ?? '', true, policy.metric).get(probeId);
  return group ? group.rows.map((row) => row.value as number) : [];
}

function probeComparison(
  round: number,
  findings: readonly Finding[],
  probeId: string,
  base: number[],
  head: number[],
): ProbeComparison {
  const finding = findings.find((f) => f.id === probeId);
  return {
    round,
    ratio: finding?.ratio ?? null,
    lower: finding?.interval?.lower ?? null,
    upper: finding?.interval?.upper ?? null,
    status: finding?.status ?? 'insufficient_data',
    mannWhitneyP: base.length && head.length ? mannWhitneyU(base, head).pGreater : null,
  };
}

export function countValidation(
  rounds: readonly ValidationRound[],
  probe: SeriesKey,
  policies: readonly MetricPolicy[],
  options: Partial<BaselineOptions> = {},
  alpha = 0.025,
): ValidationCounts {
  const p50 = policies.find((p) => p.kind === 'timing' && p.metric === probe.metric);
  if (!p50 || !p50.samples) throw new RangeError(`validation: no timing policy for ${probe.metric}`);
  const probeId = keyId(probe);
  const counts: ValidationCounts = {
    rounds: rounds.length,
    probeId,
    aa: {
      gateFalseAlarms: 0,
      seriesFalseAlarms: 0,
      seriesCompared: 0,
      spuriousImprovements: 0,
      bySeries: {},
      tooNoisy: 0,
      probe: [],
    },
    detection: { detected: 0, probe: [], otherFalseAlarms: 0, otherCompared: 0, tooNoisy: 0 },
    mannWhitney: { alpha, aaFalseAlarms: 0, detections: 0, aaFalseAlarmsWithMinEffect: 0, detectionsWithMinEffect: 0 },
    noise: { withinRunCvMedian: Number.NaN, withinRunCvMax: Number.NaN, runToRunCv: Number.NaN },
  };
  const cvs: number[] = [];
  const p50s: number[] = [];
  rounds.forEach((round, index) => {
    const aaAll = compareBaseline(round.base, round.again, policies, options);
    const aa = aaAll.filter(judged);
    const failed = aa.filter((f) => f.policy.gate && f.status === 'regression');
    counts.aa.seriesCompared += aa.filter((f) => f.policy.gate).length;
    counts.aa.seriesFalseAlarms += failed.length;
    counts.aa.spuriousImprovements += aa.filter((f) => f.status === 'improvement').length;
    if (failed.length) counts.aa.gateFalseAlarms++;
    for (const f of failed) counts.aa.bySeries[f.label] = (counts.aa.bySeries[f.label] ?? 0) + 1;

    const slowedAll = compareBaseline(round.base, round.slowed, policies, options);
    const slowed = slowedAll.filter(judged);
    const others = slowed.filter((f) => f.policy.gate && f.key.subject !== probe.subject);
    counts.detection.otherCompared += others.length;
    counts.detection.otherFalseAlarms += others.filter((f) => f.status === 'regression').length;

    const base = probeSamples(round.base, p50, probeId);
    const again = probeSamples(round.again, p50, probeId);
    const slow = probeSamples(round.slowed, p50, probeId);
    const aaProbe = probeComparison(index + 1, aaAll, probeId, base, again);
    const detectionProbe = probeComparison(index + 1, slowedAll, probeId, base, slow);
    if (aaProbe.status === 'too_noisy') counts.aa.tooNoisy++;
    if (detectionProbe.status === 'too_noisy') counts.detection.tooNoisy++;
    counts.aa.probe.push(aaProbe);
    counts.detection.probe.push(detectionProbe);
    if (detectionProbe.status === 'regression') counts.detection.detected++;
    const limit = 1 + p50.minEffect;
    if (aaProbe.mannWhitneyP !== null && aaProbe.mannWhitneyP < alpha) {
      counts.mannWhitney.aaFalseAlarms++;
      if ((aaProbe.ratio ?? 0) >= limit) counts.mannWhitney.aaFalseAlarmsWithMinEffect++;
    }
    if (detectionProbe.mannWhitneyP !== null && detectionProbe.mannWhitneyP < alpha) {
      counts.mannWhitney.detections++;
      if ((detectionProbe.ratio ?? 0) >= limit) counts.mannWhitney.detectionsWithMinEffect++;
    }
    for (const rows of [round.base, round.again]) {
      const group = groupByKey(rows, p50.suite, p50.samples?.metric ?? '', true, p50.metric).get(probeId);
      for (const stratum of group ? strataOf(group.rows) : []) {
        if (stratum.length >= 2) {
          cvs.push(coefficientOfVariation(stratum));
          p50s.push(percentile(stratum, 50));
        }
      }
    }
  });
  if (cvs.length)
    counts.noise = {
      withinRunCvMedian: percentile(cvs, 50),
      withinRunCvMax: Math.max(...cvs),
      runToRunCv: p50s.length >= 2 ? coefficientOfVariation(p50s) : Number.NaN,
    };
  return counts;
}

/** The targets, scaled to K: no false alarm at all, and ≥ 95% detections (19 of 20). */
export function targetsMet(counts: ValidationCounts): { falseAlarms: boolean; detections: boolean } {
  return {
    falseAlarms: counts.aa.gateFalseAlarms === 0 && counts.detection.otherFalseAlarms === 0,
    detections: counts.detection.detected >= Math.ceil(0.95 * counts.rounds),
  };
}
