import { describe, expect, it } from 'vitest';
import { makeRow, type ResultRow } from '../core/schema.js';
import { coefficientOfVariation, mean, percentile, percentileOfSorted, stddev } from '../core/stats.js';
import { benchLines, engineDisagreements } from './sections/bench-lines.js';

/** Reference values are numpy.percentile(..., method='linear') / numpy.std(ddof=1), worked by hand below. */
describe('core/stats percentiles (type 7, numpy default)', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('matches numpy on 1..10', () => {
    expect(percentile(oneToTen, 50)).toBeCloseTo(5.5, 12);
    expect(percentile(oneToTen, 95)).toBeCloseTo(9.55, 12); // rank 8.55 → 9 + 0.55·1
    expect(percentile(oneToTen, 99)).toBeCloseTo(9.91, 12);
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
  });

  it('interpolates between unequal neighbours and ignores input order', () => {
    // rank 0.4·4 = 1.6 → 20 + 0.6·(35 − 20) = 29
    expect(percentile([50, 15, 40, 20, 35], 40)).toBeCloseTo(29, 12);
    expect(percentile([50, 15, 40, 20, 35], 50)).toBe(35);
  });

  it('handles one value, no values and bad p', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
    expect(percentileOfSorted([1, 3], 50)).toBe(2);
  });

  it('mean, sample stddev and coefficient of variation', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(values)).toBe(5);
    expect(stddev(values)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(coefficientOfVariation(values)).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12);
    expect(stddev([3])).toBeNaN();
  });
});

function sampleRows(subject: string, values: readonly number[], engine = 'tinybench', runId = 'r1'): ResultRow[] {
  return values.map((value, sample) =>
    makeRow(runId, {
      suite: 'bench',
      scenario: 'write',
      subject,
      mode: 'durable',
      size_bytes: 1024,
      metric: 'latency_ms',
      value,
      unit: 'ms',
      sample,
      engine,
    }),
  );
}

describe('bench lines are computed from the samples', () => {
  it(
    "reads none of bench's summary rows: a line with only them is no line, " +
      'and a summary-only engine is no disagreement',
    () => {
      const summary = (metric: string, value: number, engine: string) =>
        makeRow('r1', {
          suite: 'bench',
          scenario: 'write',
          subject: 'reference',
          mode: 'durable',
          size_bytes: 1024,
          metric,
          value,
          engine,
        });
      const summaryOnly = [
        summary('latency_p50_ms', 3, 'tinybench'),
        summary('latency_net_p50_ms', 2, 'tinybench'),
        summary('throughput_mib_s', 9, 'tinybench'),
      ];
      expect(benchLines(summaryOnly)).toEqual([]);
      const withOther = [...sampleRows('reference', [1, 1, 1]), summary('latency_p50_ms', 2, 'mitata')];
      expect(engineDisagreements(benchLines(withOther))).toEqual([]);
    },
  );

  it('takes percentiles from latency_ms rows, not from the summary row', () => {
    const rows = [
      ...sampleRows('reference', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      makeRow('r1', {
        suite: 'bench',
        scenario: 'write',
        subject: 'reference',
        mode: 'durable',
        size_bytes: 1024,
        metric: 'latency_p50_ms',
        value: 99,
        engine: 'tinybench',
      }),
    ];
    const [line] = benchLines(rows);
    expect(line?.primary?.p50).toBeCloseTo(5.5, 12);
    expect(line?.primary?.p95).toBeCloseTo(9.55, 12);
    expect(line?.primary?.p99).toBeCloseTo(9.91, 12);
    expect(line?.primary?.n).toBe(10);
    expect(line?.engines.map((engine) => engine.engine)).toEqual(['tinybench']);
    // payload ÷ p50: 1 KiB in 5.5 ms
    expect(line?.throughputMiBs).toBeCloseTo(1024 / 2 ** 20 / 0.0055, 9);
  });

  it('pools samples of one line across runs (shards)', () => {
    const rows = [
      ...sampleRows('reference', [1, 2, 3, 4, 5], 'tinybench', 'a'),
      ...sampleRows('reference', [6, 7, 8, 9, 10], 'tinybench', 'b'),
    ];
    const lines = benchLines(rows);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.primary?.p50).toBeCloseTo(5.5, 12);
    expect(lines[0]?.primary?.n).toBe(10);
  });

  it('prefers tinybench and reports an engine more than 10% away', () => {
    const rows = [
      ...sampleRows('reference', [2, 2, 2], 'mitata'),
      ...sampleRows('reference', [1, 1, 1, 1], 'tinybench'),
    ];
    const [line] = benchLines(rows);
    expect(line?.primary?.engine).toBe('tinybench');
    const found = engineDisagreements(benchLines(rows));
    expect(found).toHaveLength(1);
    expect(found[0]?.difference).toBeCloseTo(1, 12);
    const close = [...sampleRows('reference', [1.05, 1.05], 'mitata'), ...sampleRows('reference', [1, 1], 'tinybench')];
    expect(engineDisagreements(benchLines(close))).toEqual([]);
  });

  it('subtracts the subject-level spawn overhead, and gives no net p50 (not 0) when it is not below the writer', () => {
    const overhead = (value: number) =>
      makeRow('r1', {
        suite: 'bench',
        scenario: 'calibration',
        subject: 'cmd',
        metric: 'spawn_overhead_ms',
        value,
        detail: 'ESTIMATED startup',
      });
    const [line] = benchLines([...sampleRows('cmd', [31, 32, 33]), overhead(30)]);
    expect(line?.netP50).toBeCloseTo(2, 12);
    expect(line?.netNotMeasurable).toBeNull();
    expect(line?.overheadEstimated).toBe(true);
    const [above] = benchLines([...sampleRows('cmd', [10, 10, 10]), overhead(30)]);
    expect(above?.netP50).toBeNull();
    expect(above?.netNotMeasurable).toMatch(
      /^not measurable: noop p50 30\.0 ms \(its samples are not in the input\) vs writer p50 10\.0 ms/,
    );
  });

  it("judges the net p50 on the noop's own samples when the input has them, pooled over runs", () => {
    const noop = (values: readonly number[], runId: string) =>
      values.map((value, sample) =>
        makeRow(runId, {
          suite: 'bench',
          scenario: 'calibration',
          subject: 'cmd',
          metric: 'spawn_overhead_sample_ms',
          value,
          sample,
          unit: 'ms',
        }),
      );
    const overheadRow = (value: number, runId: string) =>
      makeRow(runId, {
        suite: 'bench',
        scenario: 'calibration',
        subject: 'cmd',
        metric: 'spawn_overhead_ms',
        value,
        detail: 'noop template, median of 6',
      });
    const writer = [
      ...sampleRows('cmd', [17, 17.5, 18, 16.5, 18.5, 17.2], 'tinybench', 'r1'),
      ...sampleRows('cmd', [16.8, 17.9, 17.1, 18.2, 16.9, 17.4], 'tinybench', 'r2'),
    ];
    // Each run's noop median (17) is below the writer's p50 (17.3), but their spreads overlap: not measurable.
    const spread = [
      ...noop([15.5, 16, 17, 17, 18, 19], 'r1'),
      overheadRow(17, 'r1'),
      ...noop([15.8, 16.2, 17, 17, 18.4, 18.9], 'r2'),
      overheadRow(17, 'r2'),
    ];
    const [overlapping] = benchLines([...writer, ...spread]);
    expect(overlapping?.spawnOverheadMs).toBe(17);
    expect(overlapping?.netP50).toBeNull();
    expect(overlapping?.netNotMeasurable).toMatch(
      /^not measurable: noop p50 17\.0 ms \(.*12 samples\) vs writer p50 17\.3 ms \(.*12 samples\): the intervals overlap/,
    );
    // A cheap noop, tight around 12 ms: the same writer has a net figure.
    const [clear] = benchLines([...writer, ...noop([11.9, 12, 12.1, 12, 11.8, 12.2], 'r1'), overheadRow(12, 'r1')]);
    expect(clear?.netNotMeasurable).toBeNull();
    expect(clear?.netP50).toBeCloseTo(17.3 - 12, 12);
  });
});
