import { summarize as summarizeSamples, throughputMiBs } from '../core/stats.js';

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  /** Payload size over p50 latency. */
  throughputMiBs: number;
  samples: number;
}

/** Rows hold milliseconds to the nanosecond; statistics are computed from the rounded values, so
 * anyone recomputing them from results_raw.csv gets the same figures. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/** The summary rows' figures: core/stats.ts computes them (type-7 percentiles over every sample, whichever engine took them). */
export function summarize(samplesMs: readonly number[], sizeBytes: number): LatencySummary {
  if (samplesMs.length === 0) throw new Error('summarize: no samples');
  const { n, p50, p95, p99 } = summarizeSamples(samplesMs);
  return { p50, p95, p99, throughputMiBs: throughputMiBs(sizeBytes, p50), samples: n };
}

/** How far two engines' p50s are apart, as other / first (1 = agree; > 1.10 or < 1/1.10 = disagree by > 10%). */
export function disagreementRatio(firstP50: number, otherP50: number): number {
  return firstP50 > 0 ? otherP50 / firstP50 : Number.NaN;
}
