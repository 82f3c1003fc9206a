import { describe, expect, it } from 'vitest';
import { makeRow, type ResultRow } from '../../core/schema.js';
import { percentile } from '../../core/stats.js';
import { mermaidBlocks, parseXyChart } from '../../test/support/mermaid-xychart.js';
import { benchLines } from './bench-lines.js';
import { decadeRange, distributionBlock, RUNGS } from './bench-distribution.js';

function sampleRows(subject: string, values: readonly number[]): ResultRow[] {
  return values.map((value, sample) =>
    makeRow('r1', {
      suite: 'bench',
      scenario: 'write',
      subject,
      mode: 'durable',
      size_bytes: 1024,
      metric: 'latency_ms',
      value,
      unit: 'ms',
      sample,
      engine: 'tinybench',
    }),
  );
}

/** Percentile rank of each rung, for recomputing the chart's points from the samples. */
const RANK = { p5: 5, p25: 25, p50: 50, p75: 75, p95: 95, p99: 99, max: 100 } as const;

// Steady around 1 ms; two modes (half near 0.2 ms, half near 20 ms); a long tail (one write in 50 takes 40 ms).
const steady = Array.from({ length: 60 }, (_, i) => 1 + (i % 7) * 0.01);
const twoModes = Array.from({ length: 60 }, (_, i) => (i % 2 ? 20 + (i % 5) * 0.1 : 0.2 + (i % 5) * 0.001));
const longTail = Array.from({ length: 100 }, (_, i) => (i % 50 === 49 ? 40 : 0.5 + (i % 3) * 0.01));
const SAMPLES: Record<string, number[]> = { steady, 'two modes': twoModes, 'long tail': longTail };

function chartOf(
  lines = benchLines(Object.entries(SAMPLES).flatMap(([subject, values]) => sampleRows(subject, values))),
) {
  const block = distributionBlock('1 KiB · durable', lines);
  expect(block).toBeDefined();
  const [chart] = mermaidBlocks(block as string);
  return { block: block as string, chart: parseXyChart(chart as string) };
}

describe('the latency distribution chart of one size × mode', () => {
  it('is a valid xychart with the subjects on the x axis and one line per quantile, lowest first', () => {
    const { chart } = chartOf();
    expect(chart.xLabels).toEqual(Object.keys(SAMPLES));
    expect(chart.lines).toHaveLength(RUNGS.length);
    expect(chart.bars).toEqual([]);
    expect(chart.yLabel).toMatch(/log10 of ms/);
    for (const [subjectIndex, subject] of chart.xLabels.entries()) {
      const column = chart.lines.map((line) => line[subjectIndex] as number);
      // The lines never cross: each rung is at or above the one below, so a line is known by its place.
      expect([...column].sort((a, b) => a - b)).toEqual(column);
      RUNGS.forEach((rung, i) =>
        expect(column[i]).toBeCloseTo(Math.log10(percentile(SAMPLES[subject] as number[], RANK[rung])), 3),
      );
    }
  });

  it('shows what a p50 and a p95 hide: two modes as a gap in the middle, a long tail at the top', () => {
    const { chart } = chartOf();
    const at = (rung: (typeof RUNGS)[number], subject: string) =>
      chart.lines[RUNGS.indexOf(rung)]?.[chart.xLabels.indexOf(subject)] as number;
    const spread = (low: (typeof RUNGS)[number], high: (typeof RUNGS)[number], subject: string) =>
      at(high, subject) - at(low, subject);
    // Two modes: p25 → p75 spans two decades, while p5 → p25 and p75 → p95 stay within a few percent.
    expect(spread('p25', 'p75', 'two modes')).toBeGreaterThan(1.5);
    expect(spread('p5', 'p25', 'two modes')).toBeLessThan(0.05);
    expect(spread('p75', 'p95', 'two modes')).toBeLessThan(0.05);
    // Long tail: p95 is near p50, max is almost two decades above it.
    expect(spread('p50', 'p95', 'long tail')).toBeLessThan(0.05);
    expect(spread('p95', 'max', 'long tail')).toBeGreaterThan(1.5);
    expect(spread('p5', 'max', 'steady')).toBeLessThan(0.05);
  });

  it('spans whole decades and gives the numbers behind the chart in ms', () => {
    const { chart, block } = chartOf();
    expect(chart.yRange).toEqual([-1, 2]); // 0.2 ms to 40 ms
    expect(block).toContain(`| \`long tail\` | ${'0.500'} |`);
    expect(block).toMatch(/\| `two modes` \|.*\| 20\.\d \|$/m);
    expect(block).toMatch(/bottom to top: p5, p25, p50, p75, p95, p99 and max/);
  });

  it('leaves out lines without samples, and draws nothing when no line has any', () => {
    const failed = makeRow('r1', {
      suite: 'bench',
      scenario: 'write',
      subject: 'failed',
      mode: 'durable',
      size_bytes: 1024,
      metric: 'write_errors',
      value: 1,
      unit: 'count',
      engine: 'tinybench',
      detail: 'exit 1',
    });
    const lines = benchLines([...sampleRows('steady', steady), failed]);
    expect(lines).toHaveLength(2);
    expect(chartOf(lines).chart.xLabels).toEqual(['steady']);
    expect(distributionBlock('t', benchLines([failed]))).toBeUndefined();
  });

  it('draws a 0 ms sample at the floor instead of failing', () => {
    const { chart } = chartOf(benchLines(sampleRows('zero', [0, 0, 0, 1])));
    expect(chart.lines[0]?.[0]).toBe(-4);
    expect(chart.yRange[0]).toBe(-4);
  });
});

describe('decadeRange', () => {
  it('rounds out to whole decades and never gives an empty range', () => {
    expect(decadeRange([-0.5, 1.2])).toEqual([-1, 2]);
    expect(decadeRange([0.3, 0.4])).toEqual([0, 1]);
    expect(decadeRange([1, 1])).toEqual([1, 2]);
    expect(decadeRange([-2, -2])).toEqual([-2, -1]);
  });
});
