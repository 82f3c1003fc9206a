import { describe, expect, it } from 'vitest';
import { renderXyChart, runLabels, yRange } from './mermaid.js';

describe('renderXyChart', () => {
  it('writes a Mermaid xychart-beta block with one line per series', () => {
    const text = renderXyChart({ title: 'write · w · durable · 1 KiB · p50', xLabels: ['03-01', '03-02', 'now'], yLabel: 'ms', lines: [[2, 2.1, 2.6], [2.2, 2.2, 2.2]] });
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
  });

  it('keeps quotes and brackets out of Mermaid strings', () => {
    expect(renderXyChart({ title: 'a "b" [c]', xLabels: ['x'], yLabel: 'y', lines: [[1]] })).toContain(`title "a 'b' 'c'"`);
  });

  it('refuses lines that do not match the labels', () => {
    expect(() => renderXyChart({ title: 't', xLabels: ['a', 'b'], yLabel: 'y', lines: [[1]] })).toThrow(/one value per x label/);
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
    expect(runLabels(['2026-03-01T02:00:00Z', '2026-03-01T14:00:00Z', '2026-03-02T02:00:00Z', ''])).toEqual(['03-01', '03-01·2', '03-02', '?']);
  });
});
