import { describe, expect, it } from 'vitest';
import { ETA_POLICY, estimateEta, formatRunStatus, formatSeconds, LOG_THROTTLE, Throttle } from './eta.js';

describe('estimateEta', () => {
  it('extrapolates the measured pace to the work left', () => {
    // 30 of 120 units in 60 s: 2 s a unit, 90 units left → 180 s.
    expect(estimateEta({ elapsedMs: 60_000, done: 30, total: 120 })).toEqual({ kind: 'remaining', ms: 180_000 });
    // The same share done twice as fast leaves half the time.
    expect(estimateEta({ elapsedMs: 30_000, done: 30, total: 120 })).toEqual({ kind: 'remaining', ms: 90_000 });
  });

  it('says estimating until enough time has passed and enough work is done', () => {
    expect(estimateEta({ elapsedMs: 0, done: 0, total: 100 }).kind).toBe('estimating');
    expect(estimateEta({ elapsedMs: ETA_POLICY.minElapsedMs - 1, done: 50, total: 100 }).kind).toBe('estimating');
    expect(estimateEta({ elapsedMs: 600_000, done: 1, total: 100 }).kind).toBe('estimating');
    expect(estimateEta({ elapsedMs: 600_000, done: 2, total: 100 }).kind).toBe('remaining');
    expect(
      estimateEta({ elapsedMs: 5_000, done: 10, total: 100 }, { minElapsedMs: 1_000, minDoneFraction: 0.05 }),
    ).toEqual({ kind: 'remaining', ms: 45_000 });
  });

  it('is zero when everything is done, and estimating when nothing is planned', () => {
    expect(estimateEta({ elapsedMs: 1, done: 100, total: 100 })).toEqual({ kind: 'remaining', ms: 0 });
    expect(estimateEta({ elapsedMs: 60_000, done: 0, total: 0 }).kind).toBe('estimating');
  });
});

describe('formatRunStatus and formatSeconds', () => {
  it('gives elapsed, done and ETA, as a share or counted in a unit', () => {
    expect(formatRunStatus({ elapsedMs: 250_000, done: 37.9, total: 100 }, { kind: 'remaining', ms: 380_000 })).toBe(
      'run: 4m10s elapsed · 37% done · ETA 6m20s',
    );
    expect(formatRunStatus({ elapsedMs: 4_000, done: 1, total: 31 }, { kind: 'estimating' }, 'bench runs')).toBe(
      'run: 4.0s elapsed · 1/31 bench runs · ETA estimating…',
    );
    // Never 100% before the end.
    expect(formatRunStatus({ elapsedMs: 1_000, done: 99.99, total: 100 }, { kind: 'remaining', ms: 10 })).toContain(
      '· 99% done ·',
    );
  });

  it('writes minutes and hours without a 60 in the lower unit', () => {
    expect(formatSeconds(9.94)).toBe('9.9s');
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(119.6)).toBe('2m00s');
    expect(formatSeconds(3599.6)).toBe('1h00m');
    expect(formatSeconds(2 * 3600 + 5 * 60 + 30)).toBe('2h05m');
  });
});

describe('Throttle', () => {
  it('lets the first line through, then one every maxInterval, never two within minInterval', () => {
    const throttle = new Throttle({ minIntervalMs: 10_000, maxIntervalMs: 30_000, stepFraction: 0.1 });
    const printedAt = [0, 1_000, 9_999, 15_000, 29_999, 30_000, 59_000, 60_000, 61_000].filter((t) =>
      throttle.due(t, 0.01),
    );
    expect(printedAt).toEqual([0, 30_000, 60_000]);
  });

  it('also lets a line through when progress crosses another step, once minInterval has passed', () => {
    const throttle = new Throttle({ minIntervalMs: 10_000, maxIntervalMs: 30_000, stepFraction: 0.1 });
    expect(throttle.due(0, 0)).toBe(true);
    expect(throttle.due(5_000, 0.25)).toBe(false); // a step crossed, but too soon
    expect(throttle.due(10_000, 0.26)).toBe(true); // crossed since the last line, and 10 s on
    expect(throttle.due(20_000, 0.29)).toBe(false); // same step
    expect(throttle.due(21_000, 0.3)).toBe(true);
  });

  it('keeps a long run that reports progress all the time to a few lines a minute', () => {
    const throttle = new Throttle(LOG_THROTTLE);
    const hour = 3_600_000;
    let lines = 0;
    // A tick every 50 ms for an hour, progress going evenly from 0 to 1.
    for (let t = 0; t <= hour; t += 50) if (throttle.due(t, t / hour)) lines++;
    expect(lines).toBeGreaterThanOrEqual(hour / LOG_THROTTLE.maxIntervalMs);
    expect(lines).toBeLessThanOrEqual(hour / LOG_THROTTLE.maxIntervalMs + 1 / LOG_THROTTLE.stepFraction + 1);
  });
});
