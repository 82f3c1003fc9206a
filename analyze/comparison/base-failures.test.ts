import { describe, expect, it } from 'vitest';
import { detailText, input, type Phrase } from '../phrase.js';
import type { Finding } from '../regression/finding.js';
import type { GateResult, GateStatus } from '../types.js';
import { baseOutcomesOf, markAgainstBase } from './base-failures.js';
import { judgeComparison, type ComparisonContext } from './judge.js';

/** One instance of the net-latency ratio gate, as evaluate.ts words it. */
function gate(status: GateStatus, reason: Phrase, extra: Partial<GateResult> = {}): GateResult {
  return {
    id: 'bench.durable_vs_reference',
    suite: 'bench',
    title: 'durable write vs reference',
    description: '',
    instance: 'w · 1 KiB',
    subject: 'w',
    metric: 'net_latency_p50_ms',
    figure: status === 'fail' ? 21.4 : status === 'pass' ? 1.1 : null,
    figureText: status === 'fail' ? '21.4× (266 ms / 12.4 ms)' : '–',
    threshold: '≤ 2×',
    comparison: '<=',
    thresholdValue: 2,
    unit: 'x',
    source: 'default',
    status,
    reason,
    ...extra,
    detail: detailText(extra.instance ?? 'w · 1 KiB', reason),
  };
}

const headFails = gate('fail', ['21.4× (266 ms / 12.4 ms), needs ≤ 2×']);
const basePasses = gate('pass', ['1.10×']);
const baseFails = gate('fail', ['3.00×, needs ≤ 2×']);
const overlap = "noop estimate 264 ms overlaps the writer's 460 ms";
const baseNotJudged = gate('not_judged', ['not judged: ', input(overlap)], { notJudged: overlap });
const baseNoData = gate('no_data', ['no net_latency_p50_ms figure at 1 KiB']);

/** A median every round showed within its 10% minimum effect: decided, harmless. */
const decidedMedian: Finding = {
  id: 'bench|write|w|durable|1024|p50',
  key: {
    suite: 'bench',
    scenario: 'write',
    subject: 'w',
    mode: 'durable',
    size_bytes: 1024,
    engine: '',
    metric: 'latency_p50_ms',
  },
  label: 'write · w · durable · 1 KiB · p50',
  policy: {
    suite: 'bench',
    metric: 'latency_p50_ms',
    label: 'p50',
    kind: 'timing',
    direction: 'lower_is_better',
    minEffect: 0.1,
    samples: { metric: 'latency_ms', quantile: 50 },
    gate: true,
  },
  against: 'baseline',
  reference: 460,
  current: 462,
  ratio: 1.004,
  interval: { lower: 0.98, upper: 1.03, confidence: 0.95 },
  evidence: '10 rounds',
  status: 'unchanged',
  reason: 'within the 10% minimum effect',
};
const context: ComparisonContext = {
  subjects: ['w'],
  rounds: 10,
  roundsNeeded: 7,
  familySize: 2,
  allowInconclusive: false,
  sequential: { horizon: 20, lookEvery: 2, stopped: 'decided', maxRounds: 20, maxSeconds: 300 },
};

function judgedAgainst(base: GateResult | undefined, options: Partial<ComparisonContext> = {}) {
  const [head] = markAgainstBase([headFails], baseOutcomesOf(base ? [base] : []));
  return {
    head: head as GateResult,
    verdict: judgeComparison([head as GateResult], [decidedMedian], { ...context, ...options }),
  };
}

describe('a head failure read against the base', () => {
  it('fails the comparison where the base passed: the change caused it', () => {
    const { head, verdict } = judgedAgainst(basePasses);
    expect(head.status).toBe('fail');
    expect(head.baseNotJudged).toBeUndefined();
    expect(verdict.verdict).toBe('fail');
    expect(verdict.exitCode).toBe(1);
    expect(verdict.summary).toBe('1 gate instance(s) fail on the head and pass on the base');
  });

  it('shows it as known where the base fails too, and passes on the decided median', () => {
    const { head, verdict } = judgedAgainst(baseFails);
    expect(head.status).toBe('known');
    expect(head.detail).toBe(
      'w · 1 KiB: fails on the base too, so not caused by this change: 21.4× (266 ms / 12.4 ms), needs ≤ 2×',
    );
    expect(verdict.verdict).toBe('pass');
  });

  it('is not pinned on the change where the base could not be judged: inconclusive, saying why', () => {
    const { head, verdict } = judgedAgainst(baseNotJudged);
    expect(head.status).toBe('fail');
    expect(head.baseNotJudged).toBe(overlap);
    expect(head.detail).toBe(
      `w · 1 KiB: fails on the head; the base could not be judged: ${overlap}, ` +
        `so it is not shown to be caused by this change; on the head: 21.4× (266 ` +
        `ms / 12.4 ms), needs ≤ 2×`,
    );
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.exitCode).toBe(1);
    expect(verdict.rerunRounds).toBeUndefined();
    expect(verdict.line).toMatch(
      /^inconclusive: failed bench\.durable_vs_reference \(w · 1 KiB\): w · 1 KiB: fails on the head; the base could not be judged: noop estimate 264 ms/,
    );
    expect(verdict.summary).not.toContain('pass on the base');
    expect(verdict.summary).toContain(
      '1 gate instance(s) fail on the head where the base could not be judged, ' +
        'so the change is not shown to have caused them, so this is not a pass',
    );
  });

  it('treats no data on the base, or no result at all, as not judged there', () => {
    expect(judgedAgainst(baseNoData).head.baseNotJudged).toBe('no net_latency_p50_ms figure at 1 KiB');
    expect(judgedAgainst(baseNoData).verdict.verdict).toBe('inconclusive');
    expect(judgedAgainst(undefined).head.baseNotJudged).toBe('the base has no result for this instance');
    expect(judgedAgainst(undefined).verdict.verdict).toBe('inconclusive');
  });

  it('exits 0 on it only under --allow-inconclusive, still saying inconclusive', () => {
    const { verdict } = judgedAgainst(baseNotJudged, { allowInconclusive: true });
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.exitCode).toBe(0);
    expect(verdict.line).toContain('accepted: --allow-inconclusive');
  });

  it('leaves the verdict to what the change did cause, and still lists it', () => {
    const other = gate('fail', ['5.0×, needs ≤ 2×'], { instance: 'w · 128 KiB' });
    const heads = markAgainstBase(
      [headFails, other],
      baseOutcomesOf([baseNotJudged, { ...basePasses, instance: 'w · 128 KiB' }]),
    );
    const verdict = judgeComparison(heads, [decidedMedian], context);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.reasons).toHaveLength(2);
    expect(verdict.reasons[0]).toMatch(/^failed bench\.durable_vs_reference \(w · 128 KiB\): w · 128 KiB: 5\.0×/);
    expect(verdict.summary).toBe(
      '1 gate instance(s) fail on the head and pass on the base; 1 gate instance(s) ' +
        'fail on the head where the base could not be judged (not counted against the change)',
    );
  });
});
