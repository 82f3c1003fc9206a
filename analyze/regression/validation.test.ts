import { describe, expect, it } from 'vitest';
import { syntheticRun, type SyntheticSeries } from '../../test/fixtures/trend/synthetic.js';
import type { SeriesKey } from './keys.js';
import { DEFAULT_POLICIES } from './policy.js';
import { countValidation, targetsMet, type ValidationRound } from './validation.js';

const probe: SeriesKey = {
  suite: 'bench',
  scenario: 'write',
  subject: 'probe',
  mode: 'durable',
  size_bytes: 1024,
  engine: 'tinybench',
  metric: 'latency_p50_ms',
};
const series = (factor: number): SyntheticSeries[] => [
  { subject: 'probe', median: 1 * factor, sigma: 0.08, burst: 0.3, samples: 40 },
  { subject: 'floor', median: 0.8, sigma: 0.08, samples: 40 },
];

/** Rounds of `runs` interleaved runs per arm; `slow` is the probe's true slowdown; `shift` moves a whole run. */
function rounds(
  k: number,
  slow: number,
  runs = 3,
  shift: (round: number, run: number) => number = () => 1,
): ValidationRound[] {
  return Array.from({ length: k }, (_, i) => {
    const arm = (name: string, factor: number, offset: number) =>
      Array.from({ length: runs }, (_, r) =>
        syntheticRun({
          runId: `20260301T0${i}${r}${offset}00Z-${name}`,
          seed: 1000 * i + 10 * r + offset,
          series: series(factor),
          runFactor: shift(i, r * 3 + offset),
        }),
      ).flat();
    return { base: arm('base', 1, 0), again: arm('again', 1, 1), slowed: arm('slow', slow, 2) };
  });
}

describe('countValidation', () => {
  it('counts no false alarm and every detection when the synthetic slowdown is +30%', () => {
    const counts = countValidation(rounds(6, 1.3), probe, DEFAULT_POLICIES);
    expect(counts.aa.gateFalseAlarms).toBe(0);
    expect(counts.detection.detected).toBe(6);
    expect(counts.detection.otherFalseAlarms).toBe(0);
    expect(counts.aa.seriesCompared).toBe(6 * 4); // p50 and p95 of probe and floor
    expect(counts.mannWhitney.detections).toBe(6);
    expect(counts.noise.withinRunCvMedian).toBeGreaterThan(0.04);
    expect(counts.noise.withinRunCvMedian).toBeLessThan(0.15);
    expect(targetsMet(counts)).toEqual({ falseAlarms: true, detections: true });
  });

  it('detects nothing when nothing was slowed, and misses the target honestly', () => {
    const counts = countValidation(rounds(4, 1), probe, DEFAULT_POLICIES);
    expect(counts.detection.detected).toBe(0);
    expect(targetsMet(counts).detections).toBe(false);
  });

  it('counts a false alarm when one run of an A/A arm lands on a much slower machine state', () => {
    // Every run of the "again" arm in round 0 is 40% slower: the gate must (rightly) fail that round.
    const counts = countValidation(
      rounds(3, 1.3, 3, (round, slot) => (round === 0 && slot % 3 === 1 ? 1.4 : 1)),
      probe,
      DEFAULT_POLICIES,
    );
    expect(counts.aa.gateFalseAlarms).toBe(1);
    expect(Object.keys(counts.aa.bySeries)).toContain('write · probe · durable · 1 KiB · p50');
    expect(targetsMet(counts).falseAlarms).toBe(false);
  });

  it('lets one unlucky run among three interleaved ones pass as noise', () => {
    // Only the first run of the "again" arm is 25% slower (a neighbour for a minute).
    const counts = countValidation(
      rounds(3, 1.3, 3, (round, slot) => (round === 0 && slot === 1 ? 1.25 : 1)),
      probe,
      DEFAULT_POLICIES,
    );
    expect(counts.aa.gateFalseAlarms).toBe(0);
  });
});
