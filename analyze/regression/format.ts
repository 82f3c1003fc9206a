/** Signed percent change of a ratio: 1.27 → "+27%", 0.8 → "−20%". */
export function percentChange(ratio: number, digits = 0): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '+∞%' : 'n/a';
  const change = (ratio - 1) * 100;
  const shown = change.toFixed(digits);
  if (Number(shown) === 0) return `±${(0).toFixed(digits)}%`;
  return change > 0 ? `+${shown}%` : `−${shown.slice(1)}%`;
}

/** A figure with about three significant digits: 0.0123, 1.23, 12.3, 123. */
export function formatFigure(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** A confidence level: 95%, or a corrected one to one decimal rounded down (0.99166… → 99.1%), never overstated. */
export function confidenceText(fraction: number): string {
  const percent = fraction * 100;
  return Math.abs(percent - Math.round(percent)) < 1e-9
    ? `${Math.round(percent)}%`
    : `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;
}
