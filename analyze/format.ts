import type { Comparison, GateUnit } from './types.js';

/** Three significant figures, never exponent notation: what a reader can compare at a glance. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  const digits = Math.min(6, 2 - Math.floor(Math.log10(abs)));
  return value.toFixed(digits);
}

export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toFixed(value >= 10 ? 1 : 2)}×`;
}

/** Counts are whole numbers per run; a mean across runs keeps one decimal only when it needs it. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A threshold as written (2 ms, 1.25×, 99%): no rounding, no padding. */
export function formatThreshold(value: number, unit: GateUnit): string {
  const plain = String(Number(value.toPrecision(10)));
  switch (unit) {
    case 'fraction':
      return `${Number((value * 100).toPrecision(10))}%`;
    case 'percent':
      return `${plain}%`;
    case 'x':
      return `${plain}×`;
    case '':
    case 'count':
      return plain;
    default:
      return `${plain} ${unit}`;
  }
}

export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  for (const [unit, scale] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale} ${unit}`;
  }
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatValue(value: number | null, unit: GateUnit): string {
  if (value === null) return '—';
  switch (unit) {
    case 'fraction':
      return formatPercent(value, 2);
    case 'percent':
      return `${formatNumber(value)}%`;
    case 'x':
      return formatRatio(value);
    case 'count':
      return formatCount(value);
    case '':
      return formatNumber(value);
    default:
      return `${formatNumber(value)} ${unit}`;
  }
}

export const COMPARISON_SYMBOL: Record<Comparison, string> = {
  '<': '<',
  '<=': '≤',
  '==': '=',
  '>=': '≥',
  '>': '>',
};

export function compare(figure: number, comparison: Comparison, threshold: number): boolean {
  // Rates computed as k/n can land a hair off an exact threshold; 1e-9 is far below any reported digit.
  const epsilon = 1e-9 * Math.max(1, Math.abs(threshold));
  switch (comparison) {
    case '<':
      return figure < threshold;
    case '<=':
      return figure <= threshold + epsilon;
    case '==':
      return Math.abs(figure - threshold) <= epsilon;
    case '>=':
      return figure >= threshold - epsilon;
    case '>':
      return figure > threshold;
  }
}
