import { describe, expect, it } from 'vitest';
import { makeRow, METRICS, type ResultRow } from '../../core/schema.js';
import { percentile } from '../../core/stats.js';
import type { Dataset } from '../types.js';
import { benchSection, type BenchLineFigures } from './bench.js';

const KEY = { suite: 'bench', scenario: 'write', mode: 'durable', size_bytes: 1024 } as const;
const samples = Array.from({ length: 21 }, (_, i) => 1 + i * 0.1);

function rows(): ResultRow[] {
  return [
    ...samples.map((value, sample) =>
      makeRow('r1', {
        ...KEY,
        subject: 'good',
        metric: METRICS.latencySample,
        value,
        unit: 'ms',
        sample,
        engine: 'tinybench',
      }),
    ),
    makeRow('r1', { ...KEY, subject: 'good', metric: METRICS.contentOk, value: 1, unit: 'count', engine: 'tinybench' }),
    makeRow('r1', {
      ...KEY,
      subject: 'broken',
      metric: METRICS.writeErrors,
      value: 1,
      unit: 'count',
      engine: 'tinybench',
      detail: 'exit 1, nothing on stderr',
    }),
  ];
}

describe("the bench section's summary of each line", () => {
  it("carries the report's p50, p95 and MiB/s per line, and a line whose writes failed without timing", () => {
    const all = rows();
    const dataset: Dataset = { rows: all, sources: ['x.csv'], notes: [] };
    const { summary } = benchSection.prepare({ rows: all, dataset, files: {} });
    const figures = summary?.line_figures as BenchLineFigures[];
    const good = figures.find((line) => line.subject === 'good');
    expect(good).toMatchObject({
      mode: 'durable',
      size_bytes: 1024,
      samples: 21,
      writes_correct: true,
      net_p50_ms: null,
    });
    expect(good?.p50_ms).toBeCloseTo(percentile(samples, 50), 9);
    expect(good?.p95_ms).toBeCloseTo(percentile(samples, 95), 9);
    // 1 KiB in p50 ms: KiB/ms → MiB/s.
    expect(good?.mib_s).toBeCloseTo(1024 / 2 ** 20 / (percentile(samples, 50) / 1000), 9);
    expect(figures.find((line) => line.subject === 'broken')).toMatchObject({
      samples: 0,
      p50_ms: null,
      p95_ms: null,
      mib_s: null,
      writes_correct: false,
    });
  });
});
