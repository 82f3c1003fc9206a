import { describe, expect, it } from 'vitest';
import { parseXyChart } from '../../test/support/mermaid-xychart.js';
import { runLabels } from '../trend/run-labels.js';
import { mermaidNumber, quoted, renderXyChart, yRange } from './mermaid.js';

describe('renderXyChart', () => {
  it('writes a Mermaid xychart-beta block with one line per series', () => {
    const text = renderXyChart({
      title: 'write · w · durable · 1 KiB · p50',
      xLabels: ['03-01', '03-02', 'now'],
      yLabel: 'ms',
      lines: [
        [2, 2.1, 2.6],
        [2.2, 2.2, 2.2],
      ],
    });
    expect(text.split('\n')).toEqual([
      '```mermaid',
      'xychart-beta',
      '    title "write · w · durable · 1 KiB · p50"',
      '    x-axis ["03-01", "03-02", "now"]',
      '    y-axis "ms" 0 --> 2.69',
      '    line [2, 2.1, 2.6]',
      '    line [2.2, 2.2, 2.2]',
      '```',
    ]);
    expect(parseXyChart(text).lines).toEqual([
      [2, 2.1, 2.6],
      [2.2, 2.2, 2.2],
    ]);
  });

  it('draws the bar series first, under the lines, with an x axis title and a given y range', () => {
    const text = renderXyChart({
      title: 't',
      xTitle: 'round',
      xLabels: ['1', '2'],
      yLabel: 'head / base',
      yRange: [0.8, 1.3],
      bars: [1.1, 0.95],
      lines: [[1, 1]],
    });
    expect(text).toContain(
      '    x-axis "round" ["1", "2"]\n    y-axis "head / base" 0.8 --> 1.3\n    bar [1.1, 0.95]\n    line [1, 1]',
    );
    const parsed = parseXyChart(text);
    expect(parsed.xTitle).toBe('round');
    expect(parsed.bars).toEqual([[1.1, 0.95]]);
  });

  it('draws a bar chart alone (the bench p50 per writer): one bar series, no line, an axis from 0', () => {
    const text = renderXyChart({
      title: '1 KiB · durable: p50 per writer',
      xTitle: 'writer',
      xLabels: ['floor', 'mine'],
      yLabel: 'p50 (ms)',
      bars: [0.6833, 1.864],
      lines: [],
    });
    expect(text).toContain('    y-axis "p50 (ms)" 0 --> 2.04\n    bar [0.6833, 1.864]\n```');
    expect(parseXyChart(text)).toMatchObject({
      xTitle: 'writer',
      xLabels: ['floor', 'mine'],
      yLabel: 'p50 (ms)',
      yRange: [0, 2.04],
      bars: [[0.6833, 1.864]],
      lines: [],
    });
  });

  it('keeps quotes, brackets, backticks and comment marks out of Mermaid strings', () => {
    const text = renderXyChart({ title: 'a "b" [c] `d` 50%%', xLabels: ['x "y"'], yLabel: 'y', lines: [[1]] });
    expect(text).toContain(`title "a 'b' 'c' 'd' 50%"`);
    expect(parseXyChart(text).xLabels).toEqual(["x 'y'"]);
    expect(quoted('  two\n lines ')).toBe('"two lines"');
  });

  it('refuses series that do not match the labels, values that are not finite and an empty y range', () => {
    expect(() => renderXyChart({ title: 't', xLabels: ['a', 'b'], yLabel: 'y', lines: [[1]] })).toThrow(
      /one value per x label/,
    );
    expect(() => renderXyChart({ title: 't', xLabels: ['a', 'b'], yLabel: 'y', bars: [1, 2, 3], lines: [] })).toThrow(
      /one value per x label/,
    );
    expect(() => renderXyChart({ title: 't', xLabels: ['a'], yLabel: 'y', lines: [[Number.NaN]] })).toThrow(/finite/);
    expect(() => renderXyChart({ title: 't', xLabels: ['a'], yLabel: 'y', yRange: [1, 1], lines: [[1]] })).toThrow(
      /empty/,
    );
    expect(() => renderXyChart({ title: 't', xLabels: ['a'], yLabel: 'y', lines: [] })).toThrow(/nothing to draw/);
  });
});

describe('mermaidNumber', () => {
  it('writes four significant figures, never exponent notation, which Mermaid cannot parse', () => {
    expect(mermaidNumber(1.23456)).toBe('1.235');
    expect(mermaidNumber(-0.5)).toBe('-0.5');
    expect(mermaidNumber(0.000000123456)).toBe('0.0000001235');
    expect(mermaidNumber(1.5e21)).toBe('1500000000000000000000');
    expect(mermaidNumber(0)).toBe('0');
    expect(mermaidNumber(1.5e20)).toBe('150000000000000000000');
    for (const value of [1e-9, 3.3e-7, 123456789, -2.5e-8, 4.2e25])
      expect(mermaidNumber(value)).toMatch(/^-?\d+(\.\d+)?$/);
    expect(() => mermaidNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('yRange and runLabels', () => {
  it('starts at 0 for non-negative values and leaves air above the top', () => {
    expect(yRange([2, 2.5])).toEqual([0, 2.58]);
    expect(yRange([100, 101])[0]).toBe(0);
    expect(yRange([-1, 1])[0]).toBeLessThan(-1);
    expect(yRange([])).toEqual([0, 1]);
  });

  it('labels runs by day and numbers a second run on one day', () => {
    expect(runLabels(['2026-03-01T02:00:00Z', '2026-03-01T14:00:00Z', '2026-03-02T02:00:00Z', ''])).toEqual([
      '03-01',
      '03-01·2',
      '03-02',
      '?',
    ]);
  });
});
