/**
 * The whole run's time left, from its measured pace: work done so far over the time it took, applied
 * to the work still planned. Pure arithmetic on readings taken with an injected clock, so it can be
 * tested without waiting; core/run-meter.ts takes the readings, core/progress.ts prints them.
 */

/** How far a run has got, in its planned work units (only their proportions matter). */
export interface WorkReading {
  elapsedMs: number;
  done: number;
  total: number;
}

/** When a pace is worth extrapolating: before this, the first seconds' start-up costs would dominate it. */
export interface EtaPolicy {
  minElapsedMs: number;
  /** Share of the planned work that must be done, 0..1. */
  minDoneFraction: number;
}

export const ETA_POLICY: EtaPolicy = { minElapsedMs: 10_000, minDoneFraction: 0.02 };

export type Eta = { kind: 'estimating' } | { kind: 'remaining'; ms: number };

/** Time left = elapsed × (work left ÷ work done); "estimating" until the policy's minimums are met. */
export function estimateEta(reading: WorkReading, policy: EtaPolicy = ETA_POLICY): Eta {
  const { elapsedMs, done, total } = reading;
  if (total > 0 && done >= total) return { kind: 'remaining', ms: 0 };
  if (!(total > 0) || !(done > 0) || elapsedMs < policy.minElapsedMs || done / total < policy.minDoneFraction)
    return { kind: 'estimating' };
  return { kind: 'remaining', ms: (elapsedMs * (total - done)) / done };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * One status line for the whole run: "run: 4m10s elapsed · 37% done · ETA 6m20s". With a unit the
 * work is counted ("12/31 bench runs"); without one it is a share of the planned work, rounded down
 * so it never reads 100% before the end.
 */
export function formatRunStatus(reading: WorkReading, eta: Eta, unit?: string): string {
  const progress = unit
    ? `${Math.floor(reading.done)}/${Math.round(reading.total)} ${unit}`
    : `${reading.total > 0 ? Math.floor((Math.min(reading.done, reading.total) / reading.total) * 100) : 0}% done`;
  const left = eta.kind === 'estimating' ? 'estimating…' : formatSeconds(eta.ms / 1000);
  return `run: ${formatSeconds(reading.elapsedMs / 1000)} elapsed · ${progress} · ETA ${left}`;
}

/** How often a status line may be printed. */
export interface ThrottlePolicy {
  /** Never two lines closer than this. */
  minIntervalMs: number;
  /** A line at least this often while progress is reported. */
  maxIntervalMs: number;
  /** Between those, a line each time progress crosses another multiple of this share (0..1). */
  stepFraction: number;
}

/** Logs (CI, a file): a line every 30 s, or on each further 10% once 10 s have passed. */
export const LOG_THROTTLE: ThrottlePolicy = { minIntervalMs: 10_000, maxIntervalMs: 30_000, stepFraction: 0.1 };
/** A terminal rewrites one line in place: a few times a second is smooth and costs nothing. */
export const TERMINAL_THROTTLE: ThrottlePolicy = { minIntervalMs: 200, maxIntervalMs: 200, stepFraction: 1 };

/** Decides, reading by reading, whether a status line is due; the first one always is. */
export class Throttle {
  private lastAt: number | undefined;
  private lastStep = -1;

  constructor(private readonly policy: ThrottlePolicy) {}

  due(nowMs: number, fraction: number): boolean {
    // The epsilon keeps 0.3 / 0.1 = 2.9999… on step 3.
    const step = Math.floor(Math.max(0, fraction) / this.policy.stepFraction + 1e-9);
    const first = this.lastAt === undefined;
    const since = first ? Number.POSITIVE_INFINITY : nowMs - (this.lastAt as number);
    if (!first && since < this.policy.minIntervalMs) return false;
    if (!first && since < this.policy.maxIntervalMs && step <= this.lastStep) return false;
    this.lastAt = nowMs;
    this.lastStep = step;
    return true;
  }
}
