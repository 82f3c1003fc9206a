import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { ResultRow } from '../../core/schema.js';
import {
  BORDERLINE_ROUND_SHIFTS,
  interleavedArms,
  rowsFromSamples,
  syntheticRun,
  type SyntheticSeries,
} from '../../test/fixtures/trend/synthetic.js';
import { compareBaseline, judgeTiming } from './compare-baseline.js';
import { applyPolicyOverrides, DEFAULT_POLICIES, type MetricPolicy } from './policy.js';

const p50 = DEFAULT_POLICIES.filter((policy) => policy.metric === 'latency_p50_ms');

function run(runId: string, seed: number, series: SyntheticSeries[], runFactor = 1): ResultRow[] {
  return syntheticRun({ runId, seed, series, runFactor });
}

function only(findings: ReturnType<typeof compareBaseline>, subject: string, metric = 'latency_p50_ms') {
  const found = findings.filter((f) => f.key.subject === subject && f.key.metric === metric);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('compareBaseline: timing', () => {
  it('calls a +25% slowdown a regression and a noisy but unchanged subject unchanged', () => {
    const noisy: SyntheticSeries = { subject: 'noisy', median: 2, sigma: 0.3, burst: 0.6, spikes: 0.05, samples: 120 };
    const { base, head } = interleavedArms({
      rounds: 10,
      seed: 1,
      base: [{ subject: 'slowed', median: 2, sigma: 0.1, samples: 120 }, noisy],
      head: [{ subject: 'slowed', median: 2.5, sigma: 0.1, samples: 120 }, noisy],
    });
    const findings = compareBaseline(base, head, p50);
    const slowed = only(findings, 'slowed');
    expect(slowed.status).toBe('regression');
    expect(slowed.ratio).toBeGreaterThan(1.15);
    expect(slowed.interval!.lower).toBeGreaterThan(1);
    // The words say what the interval showed: here its low end (+7%) is not past the 10% minimum.
    expect(slowed.reason).toMatch(
      /p50 \+\d+% \(97\.5% CI \+\d+%\.\.\+\d+%\): significantly worse, and the estimate is past the 10% minimum effect \(the interval's low end is not\)/,
    );
    expect(only(findings, 'noisy').status).toBe('unchanged');
  });

  it(
    "compare's interval rule: a regression only when the whole interval is " +
      'past the minimum effect, and the words say which',
    () => {
      const [policy] = p50;
      expect(judgeTiming(policy!, 1.27, 1.01, 1.63, 'interval')).toEqual({
        status: 'unchanged',
        why: 'worse, but not yet shown past the 10% minimum effect',
      });
      expect(judgeTiming(policy!, 1.27, 1.01, 1.63, 'estimate').status).toBe('regression');
      expect(judgeTiming(policy!, 1.27, 1.12, 1.63, 'interval')).toEqual({
        status: 'regression',
        why: 'worse by more than the 10% minimum effect: the whole interval is past it',
      });
      expect(judgeTiming(policy!, 1.03, 0.9, 1.2, 'interval').why).toBe(
        'not significant, and the interval still reaches past the 10% minimum effect',
      );
    },
  );

  it("compare's looks pair rounds by run id: an arm missing a round is not paired by position", () => {
    const series = (median: number): SyntheticSeries[] => [{ subject: 'w', median, sigma: 0.05, samples: 40 }];
    const rounds = Array.from({ length: 12 }, (_, i) => `20260301T00${String(i).padStart(2, '0')}00Z-round${i}`);
    const base = rounds.flatMap((id, i) => run(id, 500 + i, series(2)));
    const head = rounds.flatMap((id, i) => run(id, 600 + i, series(3)));
    const design = { sequential: { horizon: 12, lookEvery: 2, family: 1 } };
    expect(only(compareBaseline(base, head, p50, design), 'w').status).toBe('regression');
    // The head lost round 3 and gained another: as many runs, but not the same rounds.
    const shifted = [
      ...head.filter((row) => row.run_id !== rounds[3]),
      ...run('20260301T009900Z-extra', 700, series(3)),
    ];
    const finding = only(compareBaseline(base, shifted, p50, design), 'w');
    expect(finding.status).toBe('insufficient_data');
    expect(finding.reason).toBe('base and head were not measured in the same rounds, so the rounds cannot be paired');
  });

  it(
    "compare's looks keep the planned family: a look where only one of four " +
      'series has data still gives it a quarter of the error',
    () => {
      const series = (median: number): SyntheticSeries[] => [{ subject: 'w', median, sigma: 0.05, samples: 40 }];
      const rounds = Array.from({ length: 10 }, (_, i) => `20260301T00${String(i).padStart(2, '0')}00Z-round${i}`);
      const base = rounds.flatMap((id, i) => run(id, 800 + i, series(2)));
      const head = rounds.flatMap((id, i) => run(id, 900 + i, series(2.3)));
      const alone = only(
        compareBaseline(base, head, p50, { sequential: { horizon: 40, lookEvery: 2, family: 1 } }),
        'w',
      );
      const planned = only(
        compareBaseline(base, head, p50, { sequential: { horizon: 40, lookEvery: 2, family: 4 } }),
        'w',
      );
      expect(planned.evidence).toContain("Bonferroni over the comparison's 4 gated timing series");
      expect(alone.evidence).not.toContain('Bonferroni');
      // The same rounds, a stricter share: the planned family's interval is the wider one.
      expect(planned.interval!.upper - planned.interval!.lower).toBeGreaterThan(
        alone.interval!.upper - alone.interval!.lower,
      );
    },
  );

  it('does not count a significant change below the minimum effect', () => {
    const base = run('20260301T000000Z-base01', 3, [{ subject: 'w', median: 2, sigma: 0.02, samples: 200 }]);
    const head = run('20260301T000100Z-head01', 4, [{ subject: 'w', median: 2.1, sigma: 0.02, samples: 200 }]);
    const finding = only(compareBaseline(base, head, p50), 'w');
    expect(finding.interval!.lower).toBeGreaterThan(1);
    expect(finding.status).toBe('unchanged');
    expect(finding.reason).toMatch(/significant, but within the 10% minimum effect/);
  });

  it('does not count a large but insignificant change (few, very spread samples)', () => {
    const spread = [1, 5, 1.2, 4.8, 2, 3, 0.8, 4, 1.5, 3.5];
    const base = rowsFromSamples('20260301T000000Z-base01', 'w', spread);
    const head = rowsFromSamples(
      '20260301T000100Z-head01',
      'w',
      spread.map((v) => v * 1.2),
    );
    const finding = only(compareBaseline(base, head, p50), 'w');
    expect(finding.ratio).toBeCloseTo(1.2, 12);
    expect(finding.interval!.lower).toBeLessThanOrEqual(1);
    expect(finding.status).toBe('unchanged');
    expect(finding.reason).toMatch(/not significant, and the interval still reaches past the 10% minimum effect/);
  });

  it('calls a 30% speed-up an improvement, and swapping base and head turns it into a regression', () => {
    const { base: slow, head: fast } = interleavedArms({
      rounds: 10,
      seed: 7,
      base: [{ subject: 'w', median: 3, sigma: 0.05, samples: 100 }],
      head: [{ subject: 'w', median: 2, sigma: 0.05, samples: 100 }],
    });
    expect(only(compareBaseline(slow, fast, p50), 'w').status).toBe('improvement');
    expect(only(compareBaseline(fast, slow, p50), 'w').status).toBe('regression');
  });

  it('takes the minimum effect per metric from the policy', () => {
    const { base, head } = interleavedArms({
      rounds: 10,
      seed: 9,
      base: [{ subject: 'w', median: 2, sigma: 0.05, samples: 100 }],
      head: [{ subject: 'w', median: 2.5, sigma: 0.05, samples: 100 }],
    });
    // With run-to-run spread a true +25% is measured anywhere from about +15% to +30%: the lenient
    // minimum sits well clear of that.
    const lenient = applyPolicyOverrides(p50, { metrics: { latency_p50_ms: { minEffect: 0.5 } } }, 'policy.json');
    expect(only(compareBaseline(base, head, p50), 'w').status).toBe('regression');
    expect(only(compareBaseline(base, head, lenient), 'w').status).toBe('unchanged');
  });

  it('pools several interleaved rounds per arm as strata', () => {
    const series = [{ subject: 'w', median: 2, sigma: 0.05, samples: 60 }];
    const base = [...run('20260301T000000Z-base01', 11, series), ...run('20260301T000200Z-base02', 12, series)];
    const head = [
      ...run('20260301T000100Z-head01', 13, series, 1.3),
      ...run('20260301T000300Z-head02', 14, series, 1.3),
    ];
    const finding = only(compareBaseline(base, head, p50), 'w');
    expect(finding.evidence).toBe(
      '120 base / 120 head samples in 2 / 2 runs; bootstrap of the samples ∪ Welch over the runs (unpaired)',
    );
    expect(finding.status).toBe('regression');
  });

  it('gives no verdict, rather than an alarm, when whole runs swing by more than the samples can pin down', () => {
    const series = [{ subject: 'w', median: 2, sigma: 0.05, samples: 60 }];
    const arm = (name: string, levels: number[], seed: number) =>
      levels.flatMap((level, i) => run(`20260301T00${i}000Z-${name}${i}`, seed + i, series, level));
    const base = arm('base', [1, 1, 1], 30);
    const head = arm('head', [1, 3, 2.5], 40); // two of head's three rounds landed on a machine 2-3× slower
    const finding = only(compareBaseline(base, head, p50), 'w');
    expect(finding.status).toBe('too_noisy');
    expect(finding.reason).toMatch(/too noisy to judge: the interval spans ×\d+\.\d \(more than ×2\)/);
    // Allowed any spread, the bootstrap alone would call it a regression; the run-level interval knows
    // three runs that disagree this much prove nothing.
    expect(only(compareBaseline(base, head, p50, { maxIntervalSpread: 100, runLevel: 'off' }), 'w').status).toBe(
      'regression',
    );
    expect(only(compareBaseline(base, head, p50, { maxIntervalSpread: 100 }), 'w').status).toBe('unchanged');
  });

  describe('interleaved rounds whose load swings hit both arms of a round alike', () => {
    const series = [{ subject: 'w', median: 2, sigma: 0.05, samples: 60 }];
    // Eight rounds; rounds 3 and 6 ran during load spikes that made both arms 2× and 3× slower.
    const load = [1, 1, 2, 1, 1, 3, 1, 1];
    const arm = (name: string, factor: number, seed: number) =>
      load.flatMap((level, i) =>
        run(`20260301T00${i}${name === 'base' ? '0' : '1'}00Z-${name}${i}`, seed + i, series, level * factor),
      );

    it('pairs them round by round: a +25% slowdown is a regression where the unpaired test gives up', () => {
      const finding = only(compareBaseline(arm('base', 1, 50), arm('head', 1.25, 60), p50), 'w');
      expect(finding.status).toBe('regression');
      expect(finding.ratio).toBeGreaterThan(1.2);
      expect(finding.ratio).toBeLessThan(1.3);
      expect(finding.evidence).toMatch(/paired over 8 interleaved rounds/);
      expect(
        only(compareBaseline(arm('base', 1, 50), arm('head', 1.25, 60), p50, { runLevel: 'welch' }), 'w').status,
      ).toBe('too_noisy');
    });

    it('pairs only a median: a p95 keeps the unpaired rule, and is too noisy here', () => {
      const p95 = DEFAULT_POLICIES.filter((policy) => policy.metric === 'latency_p95_ms');
      const finding = only(compareBaseline(arm('base', 1, 50), arm('head', 1.25, 60), p95), 'w', 'latency_p95_ms');
      expect(finding.status).toBe('too_noisy');
      expect(finding.evidence).toMatch(/Welch over the runs \(unpaired\)$/);
    });

    it('finds nothing when nothing changed', () => {
      const finding = only(compareBaseline(arm('base', 1, 70), arm('head', 1, 80), p50), 'w');
      expect(finding.status).toBe('unchanged');
      expect(finding.interval!.lower).toBeLessThan(1.05);
    });

    it('pairs only arms of as many runs, else falls back to the unpaired test', () => {
      const head = arm('head', 1.25, 60).filter((row) => !row.run_id.endsWith('head7'));
      expect(only(compareBaseline(arm('base', 1, 50), head, p50), 'w').evidence).toMatch(
        /Welch over the runs \(unpaired\)/,
      );
    });
  });

  describe("a comparison's timing series judged as one family", () => {
    // 20 interleaved rounds. In round i the head of `w` is exp(d[i]) × base: +15% in the middle,
    // but spread so that its paired 95% interval just clears 1 while a 99.4% one does not.
    const d = BORDERLINE_ROUND_SHIFTS;
    const others = Array.from(
      { length: 7 },
      (_, i): SyntheticSeries => ({ subject: `u${i + 1}`, median: 2, sigma: 0.01, samples: 40 }),
    );
    const arm = (name: 'base' | 'head', withOthers: boolean) =>
      d.flatMap((shift, i) => {
        const w: SyntheticSeries = {
          subject: 'w',
          median: name === 'head' ? 2 * Math.exp(shift) : 2,
          sigma: 0.01,
          samples: 40,
        };
        const stamp = `20260301T${String(i).padStart(2, '0')}${name === 'base' ? '00' : '30'}00Z-${name}${i}`;
        return run(stamp, (name === 'base' ? 100 : 200) + i, withOthers ? [w, ...others] : [w]);
      });

    it('each interval at 1 − 5%/m for m gated timing series, so that all hold together at 95%', () => {
      const findings = compareBaseline(arm('base', true), arm('head', true), p50);
      expect(findings).toHaveLength(8);
      for (const finding of findings) expect(finding.interval!.confidence).toBeCloseTo(1 - 0.05 / 8, 12);
      const w = only(findings, 'w');
      expect(w.evidence).toMatch(
        /Bonferroni over the comparison's 8 gated timing series: each interval at 99\.3%, all together at 95%$/,
      );
      expect(w.reason).toMatch(/^p50 \+15% \(99\.3% CI /);
      expect(w.interval!.lower).toBeLessThan(1);
      expect(w.status).toBe('unchanged');
      expect(findings.every((finding) => finding.status === 'unchanged')).toBe(true);
    });

    it('the same change, uncorrected or alone in its comparison, is judged at 95% and is a regression', () => {
      const uncorrected = only(
        compareBaseline(arm('base', true), arm('head', true), p50, { multiplicity: 'none' }),
        'w',
      );
      const alone = only(compareBaseline(arm('base', false), arm('head', false), p50), 'w');
      for (const finding of [uncorrected, alone]) {
        expect(finding.interval!.confidence).toBe(0.95);
        expect(finding.interval!.lower).toBeGreaterThan(1);
        expect(finding.status).toBe('regression');
        expect(finding.evidence).not.toMatch(/Bonferroni/);
      }
    });

    it('counts only gated series in the family: report-only ones are judged uncorrected', () => {
      const reportOnly = p50.map((policy) => ({ ...policy, gate: false }));
      const findings = compareBaseline(arm('base', true), arm('head', true), reportOnly);
      expect(findings.every((finding) => finding.interval!.confidence === 0.95)).toBe(true);
    });
  });

  describe('single runs: nothing measured how far whole runs move', () => {
    const w = (median: number): SyntheticSeries[] => [{ subject: 'w', median, sigma: 0.1, samples: 120 }];

    it('calls two separate runs of unchanged code, the second 13% slower as a whole, unconfirmed, not a regression', () => {
      // The defect: one run per arm, the same writer, the second run landing on a slower stretch of the runner.
      const finding = only(
        compareBaseline(run('20260301T000000Z-base01', 31, w(2)), run('20260301T000100Z-head01', 32, w(2), 1.13), p50),
        'w',
      );
      expect(finding.interval!.lower).toBeGreaterThan(1); // the within-run interval alone would have called it a regression
      expect(finding.status).toBe('unconfirmed');
      expect(finding.runs).toEqual({ base: 1, head: 1 });
      expect(finding.reason).toMatch(
        /^p50 \+1\d% \(within-run 95% CI \+\d+%\.\.\+\d+%\): unconfirmed — re-measure interleaved: worse by more than the 10% minimum effect within the runs, but one run per arm cannot show how far whole runs move/,
      );
    });

    it(
      'calls a large change from one run per arm unconfirmed either way, and ' +
        'the same change in interleaved rounds a regression',
      () => {
        const single = (median: number, seed: number, name: string) =>
          run(`20260301T00${seed}000Z-${name}01`, seed, w(median));
        expect(only(compareBaseline(single(2, 1, 'base'), single(3, 2, 'head'), p50), 'w').status).toBe('unconfirmed');
        expect(only(compareBaseline(single(3, 1, 'base'), single(2, 2, 'head'), p50), 'w').reason).toMatch(
          /unconfirmed — re-measure interleaved: better by more than/,
        );
        const { base, head } = interleavedArms({ rounds: 8, seed: 33, base: w(2), head: w(3) });
        expect(only(compareBaseline(base, head, p50), 'w').status).toBe('regression');
      },
    );

    it('needs several runs in both arms: a base of eight rounds does not measure the spread of a single head run', () => {
      const { base } = interleavedArms({ rounds: 8, seed: 34, base: w(2), head: w(2) });
      const finding = only(compareBaseline(base, run('20260301T020000Z-head01', 35, w(3)), p50), 'w');
      expect(finding.status).toBe('unconfirmed');
      expect(finding.reason).toMatch(/but a single head run cannot show/);
    });

    it('still reports no change from single runs as unchanged, saying the interval leaves out run-to-run variance', () => {
      const finding = only(
        compareBaseline(run('20260301T000000Z-base01', 36, w(2)), run('20260301T000100Z-head01', 37, w(2)), p50),
        'w',
      );
      expect(finding.status).toBe('unchanged');
      expect(finding.reason).toMatch(
        /\(within-run 95% CI .*: within the 10% minimum effect and not significant; from one run per arm, so the interval leaves out run-to-run variance$/,
      );
    });

    it('keeps correctness strict: a single run per arm still fails any worsening', () => {
      const extra = (content_ok: number): SyntheticSeries[] => [
        { subject: 'w', median: 2, samples: 20, extra: { content_ok } },
      ];
      const findings = compareBaseline(
        run('20260301T000000Z-base01', 38, extra(1)),
        run('20260301T000100Z-head01', 39, extra(0.99)),
        DEFAULT_POLICIES,
      );
      expect(only(findings, 'w', 'content_ok').status).toBe('regression');
    });
  });

  it('reports series in one arm only, and too few samples, without a verdict', () => {
    const base = run('20260301T000000Z-base01', 15, [
      { subject: 'old', median: 2, samples: 50 },
      { subject: 'tiny', median: 2, samples: 3 },
    ]);
    const head = run('20260301T000100Z-head01', 16, [
      { subject: 'new', median: 2, samples: 50 },
      { subject: 'tiny', median: 4, samples: 3 },
    ]);
    const findings = compareBaseline(base, head, p50);
    expect(only(findings, 'old')).toMatchObject({ status: 'insufficient_data', reason: 'not measured in head' });
    expect(only(findings, 'new')).toMatchObject({
      status: 'insufficient_data',
      reason: 'new in head: nothing to compare with',
    });
    expect(only(findings, 'tiny')).toMatchObject({
      status: 'insufficient_data',
      reason: 'fewer than 5 samples in an arm',
    });
  });

  it('gives the same findings whatever the order of rows and shards', () => {
    const series = [
      { subject: 'a', median: 2, sigma: 0.1, samples: 50 },
      { subject: 'b', median: 1, sigma: 0.1, samples: 50, size_bytes: 131072 },
    ];
    const base = run('20260301T000000Z-base01', 17, series);
    const head = run('20260301T000100Z-head01', 18, series, 1.12);
    const shardA = head.filter((row) => row.size_bytes !== 131072);
    const shardB = head.filter((row) => row.size_bytes === 131072 || row.suite === 'env');
    const merged = [...shardB, ...shardA].reverse();
    expect(compareBaseline(base, merged, DEFAULT_POLICIES)).toEqual(compareBaseline(base, head, DEFAULT_POLICIES));
  });
});

describe('compareBaseline: correctness', () => {
  const extra = (content_ok: number, write_errors: number): SyntheticSeries => ({
    subject: 'w',
    median: 2,
    samples: 20,
    extra: { content_ok, write_errors },
  });

  it('fails any worsening, however small, and only worsening', () => {
    const base = run('20260301T000000Z-base01', 19, [extra(1, 0)]);
    const worse = run('20260301T000100Z-head01', 20, [extra(0.999, 0)]);
    const findings = compareBaseline(base, worse, DEFAULT_POLICIES);
    expect(only(findings, 'w', 'content_ok')).toMatchObject({ status: 'regression' });
    expect(only(findings, 'w', 'content_ok').reason).toMatch(/no noise allowance/);
    expect(only(findings, 'w', 'write_errors').status).toBe('unchanged');
    const better = compareBaseline(run('a', 21, [extra(1, 2)]), run('b', 22, [extra(1, 0)]), DEFAULT_POLICIES);
    expect(only(better, 'w', 'write_errors').status).toBe('improvement');
  });

  it('refuses a minimum effect on a correctness metric', () => {
    expect(() =>
      applyPolicyOverrides(DEFAULT_POLICIES, { metrics: { content_ok: { minEffect: 0.05 } } }, 'p.json'),
    ).toThrow(InputError);
    expect(() => applyPolicyOverrides(DEFAULT_POLICIES, { metrics: { nonsense: { gate: false } } }, 'p.json')).toThrow(
      /not a judged metric/,
    );
  });

  it('judges higher-is-better timing metrics the other way round', () => {
    const throughput: MetricPolicy = {
      suite: 'bench',
      metric: 'tput',
      label: 'tput',
      kind: 'timing',
      direction: 'higher_is_better',
      minEffect: 0.1,
      samples: { metric: 'latency_ms', quantile: 50 },
      gate: true,
    };
    const { base, head } = interleavedArms({
      rounds: 10,
      seed: 23,
      base: [{ subject: 'w', median: 2, sigma: 0.05, samples: 100 }],
      head: [{ subject: 'w', median: 1.5, sigma: 0.05, samples: 100 }],
    });
    expect(only(compareBaseline(base, head, [throughput]), 'w', 'tput').status).toBe('regression');
  });
});

describe('compareBaseline: crash and parity correctness', () => {
  const rate = (
    runId: string,
    suite: 'crash' | 'parity',
    subject: string,
    metric: string,
    value: number,
    scenario = 'kill-before-rename',
  ): ResultRow => ({
    run_id: runId,
    suite,
    scenario,
    subject,
    mode: 'durable',
    size_bytes: suite === 'crash' ? 1024 : null,
    metric,
    value,
    unit: '',
    sample: null,
    engine: '',
    detail: '',
    fs: '',
  });

  it(
    'fails one corrupted trial of a safe writer, but not the unsafe yardstick, ' +
      'whose corruption is random by design',
    () => {
      const base = [
        rate('b', 'crash', 'reference', 'corruption_rate', 0),
        rate('b', 'crash', 'native-unsafe', 'corruption_rate', 0.3),
      ];
      const head = [
        rate('h', 'crash', 'reference', 'corruption_rate', 0.01),
        rate('h', 'crash', 'native-unsafe', 'corruption_rate', 0.45),
      ];
      const findings = compareBaseline(base, head, DEFAULT_POLICIES);
      expect(findings.map((f) => [f.key.subject, f.status])).toEqual([['reference', 'regression']]);
    },
  );

  it('fails a parity case whose exit code stopped matching native git', () => {
    const base = [
      rate('b', 'parity', 'mytool', 'exit_code_match', 1, 'commit-nothing'),
      rate('b', 'parity', 'mytool', 'exit_code_match', 1, 'push-no-remote'),
    ];
    const head = [
      rate('h', 'parity', 'mytool', 'exit_code_match', 1, 'commit-nothing'),
      rate('h', 'parity', 'mytool', 'exit_code_match', 0, 'push-no-remote'),
    ];
    const findings = compareBaseline(base, head, DEFAULT_POLICIES);
    expect(findings.map((f) => [f.key.scenario, f.status])).toEqual([
      ['commit-nothing', 'unchanged'],
      ['push-no-remote', 'regression'],
    ]);
    expect(findings[1]!.label).toBe('push-no-remote · mytool · durable · exit code match');
  });
});
