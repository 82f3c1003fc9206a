import { summarize, throughputMiBs } from '../core/stats.js';

/**
 * The figures of a line's summary rows. Informational: they let a reader of results_raw.csv see a
 * line at a glance, but the analyzer never reads them — it computes every figure from the samples,
 * with the same core/stats functions (bench/README.md).
 */
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

/** A line's summary figures, by core/stats (type-7 percentiles over every sample of one engine). */
export function lineSummary(samplesMs: readonly number[], sizeBytes: number): LatencySummary {
  if (samplesMs.length === 0) throw new Error('lineSummary: no samples');
  const { n, p50, p95, p99 } = summarize(samplesMs);
  return { p50, p95, p99, throughputMiBs: throughputMiBs(sizeBytes, p50), samples: n };
}
