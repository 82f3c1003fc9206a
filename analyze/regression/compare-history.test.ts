import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../core/schema.js';
import { runIdOfDay, syntheticRun, type SyntheticSeries } from '../../test/fixtures/trend/synthetic.js';
import { robustSpread } from '../../core/stats.js';
import { compareHistory, type HistoryRun } from './compare-history.js';
import { confirmFindings, remeasurePlan } from './confirm.js';
import { DEFAULT_POLICIES } from './policy.js';

const p50 = DEFAULT_POLICIES.filter((policy) => policy.metric === 'latency_p50_ms');

/** Runs whose whole-run level wanders by a few percent, as nightly runs on one runner class do. */
const LEVELS = [1, 1.04, 0.97, 1.02, 0.99, 1.05, 0.96, 1.01];

function window(series: SyntheticSeries[], levels = LEVELS): HistoryRun[] {
  return levels.map((level, day) => {
    const id = runIdOfDay(day);
    return { id, time: '', rows: syntheticRun({ runId: id, seed: 100 + day, series, runFactor: level }) };
  });
}

function current(series: SyntheticSeries[], day = 20, factor = 1, seed = 999): ResultRow[] {
  return syntheticRun({ runId: runIdOfDay(day), seed, series, runFactor: factor });
}

const steady: SyntheticSeries = { subject: 'w', median: 2, sigma: 0.05, samples: 100 };

describe('compareHistory', () => {
  it('leaves a run within the window spread unchanged and suspects one 30% slower', () => {
    const past = window([steady]);
    expect(compareHistory(current([steady], 20, 1.03), past, p50)[0]!.status).toBe('unchanged');
    const slow = compareHistory(current([steady], 20, 1.3), past, p50)[0]!;
    expect(slow.status).toBe('suspected');
    expect(slow.z).toBeGreaterThan(3);
    expect(slow.series).toHaveLength(LEVELS.length);
    expect(slow.reason).toMatch(/re-measure to confirm/);
  });

  it('does not suspect a noisy but unchanged subject, even at its worst run', () => {
    const noisy: SyntheticSeries = { subject: 'n', median: 2, sigma: 0.35, burst: 0.7, spikes: 0.05, samples: 80 };
    const past = window([noisy], [1, 1.12, 0.9, 1.08, 0.93, 1.15, 0.88, 1.05]);
    for (let seed = 0; seed < 10; seed++) {
      expect(compareHistory(current([noisy], 20, 1.1, 500 + seed), past, p50)[0]!.status).not.toBe('suspected');
    }
  });

  it('floors σ so a perfectly flat history still needs the minimum effect', () => {
    const flat = (value: number, id: string): HistoryRun => ({
      id,
      time: '',
      rows: [
        {
          run_id: id,
          suite: 'bench',
          scenario: 'write',
          subject: 'w',
          mode: 'durable',
          size_bytes: 1024,
          metric: 'latency_p50_ms',
          value,
          unit: 'ms',
          sample: null,
          engine: 'tinybench',
          detail: '',
          fs: '',
        },
      ],
    });
    const past = [0, 1, 2, 3, 4, 5].map((day) => flat(2, runIdOfDay(day)));
    expect(robustSpread([2, 2, 2]).sigma).toBe(0);
    expect(compareHistory(flat(2.1, runIdOfDay(9)).rows, past, p50)[0]!.status).toBe('unchanged');
    expect(compareHistory(flat(2.3, runIdOfDay(9)).rows, past, p50)[0]!.status).toBe('suspected');
  });

  it('gives no verdict on fewer than minRuns earlier runs', () => {
    const finding = compareHistory(current([steady], 20, 2), window([steady]).slice(0, 4), p50)[0]!;
    expect(finding.status).toBe('insufficient_data');
    expect(finding.reason).toMatch(/4 of the 5 earlier runs/);
  });

  it('uses only the most recent `window` runs', () => {
    const past = window([steady], [3, 3, 3, 1, 1, 1, 1, 1]);
    expect(compareHistory(current([steady]), past, p50, { window: 5 })[0]!.series).toHaveLength(5);
    expect(compareHistory(current([steady]), past, p50, { window: 5 })[0]!.status).toBe('unchanged');
  });

  it('fails any correctness worsening against the window at once', () => {
    const ok: SyntheticSeries = { ...steady, extra: { content_ok: 1, write_errors: 0 } };
    const bad: SyntheticSeries = { ...steady, extra: { content_ok: 1, write_errors: 1 } };
    const finding = compareHistory(current([bad]), window([ok]), DEFAULT_POLICIES).find(
      (f) => f.key.metric === 'write_errors',
    )!;
    expect(finding.status).toBe('regression');
  });
});

describe('confirmFindings', () => {
  const past = window([steady]);
  const first = compareHistory(current([steady], 20, 1.3), past, p50);

  it('confirms a suspect the re-measure shows again', () => {
    const confirmed = confirmFindings(first, compareHistory(current([steady], 20, 1.28, 42), past, p50))[0]!;
    expect(confirmed).toMatchObject({ status: 'regression', confirmation: 'confirmed' });
    expect(confirmed.reason).toMatch(/re-measured \+2\d%: confirmed$/);
  });

  it('reports a suspect the re-measure does not show as not reproduced', () => {
    const cleared = confirmFindings(first, compareHistory(current([steady], 20, 1.0, 43), past, p50))[0]!;
    expect(cleared).toMatchObject({ status: 'not_reproduced', confirmation: 'not_reproduced' });
    expect(cleared.reason).toMatch(/not reproduced$/);
  });

  it('leaves a suspect the re-measure did not cover suspected, and other findings alone', () => {
    expect(confirmFindings(first, [])[0]).toMatchObject({ status: 'suspected' });
    const fine = compareHistory(current([steady]), past, p50);
    expect(confirmFindings(fine, [])).toEqual(fine);
  });

  it('plans the smallest bench run that re-measures every suspect', () => {
    const two = [steady, { ...steady, subject: 'v', size_bytes: 131072, mode: 'fast' }];
    const suspects = compareHistory(current(two, 20, 1.4), window(two), p50);
    expect(remeasurePlan(suspects)).toEqual([
      {
        suite: 'bench',
        subjects: ['v', 'w'],
        sizes: [1024, 131072],
        modes: ['durable', 'fast'],
        args: ['--subjects', 'v,w', '--sizes', '1024,131072', '--modes', 'durable,fast'],
      },
    ]);
  });
});
