import { describe, expect, it } from 'vitest';
import { mermaidBlocks, parseXyChart } from '../../test/support/mermaid-xychart.js';
import { renderRoundRatioChart, type RoundRatioChartInput } from './round-ratio-chart.js';

const input: RoundRatioChartInput = {
  series: 'write · w · durable · 1 KiB · p50',
  // Given out of order: the chart goes by round number.
  rounds: [
    { round: 3, ratio: 1.21 },
    { round: 1, ratio: 1.12 },
    { round: 2, ratio: 0.97 },
    { round: 4, ratio: 1.15 },
  ],
  interval: { lower: 1.02, upper: 1.19 },
  minEffect: 1.1,
};

function parsed(markdown: string) {
  const blocks = mermaidBlocks(markdown);
  expect(blocks).toHaveLength(1);
  return parseXyChart(blocks[0] as string);
}

describe('renderRoundRatioChart', () => {
  it('draws each round as a bar and 1, the interval and the minimum effect as flat lines, in that order', () => {
    const chart = parsed(renderRoundRatioChart(input));
    expect(chart.xTitle).toBe('round');
    expect(chart.xLabels).toEqual(['1', '2', '3', '4']);
    expect(chart.bars).toEqual([[1.12, 0.97, 1.21, 1.15]]);
    const flat = chart.lines.map((line) => [...new Set(line)]);
    expect(flat).toEqual([[1], [1.02], [1.19], [1.1]]);
    expect(chart.title).toContain(input.series);
  });

  it('fits the y axis around the values rather than from 0, and the caption says where bars start', () => {
    const markdown = renderRoundRatioChart(input);
    const [low, high] = parsed(markdown).yRange;
    expect(low).toBeGreaterThan(0.5);
    expect(low).toBeLessThan(0.97);
    expect(high).toBeGreaterThan(1.21);
    expect(high).toBeLessThan(1.5);
    expect(markdown).toContain(`bars start at the bottom of the axis, ${low.toFixed(2)}×, not at 0`);
    expect(markdown).toContain(
      'Flat lines: 1.00× (no change), 1.02× and 1.19× (the judged interval), 1.10× (the minimum effect).',
    );
  });

  it('includes the reference lines in the range even when every round sits between them', () => {
    const chart = parsed(
      renderRoundRatioChart({
        ...input,
        rounds: [
          { round: 1, ratio: 1.05 },
          { round: 2, ratio: 1.06 },
        ],
        interval: { lower: 0.8, upper: 1.3 },
        minEffect: 1.4,
      }),
    );
    expect(chart.yRange[0]).toBeLessThan(0.8);
    expect(chart.yRange[1]).toBeGreaterThan(1.4);
  });

  it('leaves out rounds without a ratio and names them', () => {
    const markdown = renderRoundRatioChart({
      ...input,
      rounds: [...input.rounds, { round: 5, ratio: Number.NaN }, { round: 6, ratio: 0 }],
    });
    expect(parsed(markdown).xLabels).toEqual(['1', '2', '3', '4']);
    expect(markdown).toContain('Rounds 5, 6 had no ratio and are not drawn.');
  });

  it('refuses what it cannot draw honestly', () => {
    expect(() => renderRoundRatioChart({ ...input, rounds: [] })).toThrow(/no round/);
    expect(() => renderRoundRatioChart({ ...input, rounds: [{ round: 1, ratio: Number.NaN }] })).toThrow(/no round/);
    expect(() => renderRoundRatioChart({ ...input, interval: { lower: 1.2, upper: 1.1 } })).toThrow(/reversed/);
    expect(() => renderRoundRatioChart({ ...input, minEffect: 0 })).toThrow(/minEffect/);
    expect(() => renderRoundRatioChart({ ...input, interval: { lower: Number.NaN, upper: 1 } })).toThrow(
      /interval.lower/,
    );
  });
});
