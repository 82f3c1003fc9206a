import { percentileOfSorted } from '../core/stats.js';

const MIB = 1024 * 1024;

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

/** Type-7 percentiles (core/stats.ts) over every sample, whichever engine took them. */
export function summarize(samplesMs: readonly number[], sizeBytes: number): LatencySummary {
  if (samplesMs.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const p50 = percentileOfSorted(sorted, 50);
  return {
    p50,
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    throughputMiBs: throughput(sizeBytes, p50),
    samples: sorted.length,
  };
}

export function throughput(sizeBytes: number, latencyMs: number): number {
  return latencyMs > 0 ? sizeBytes / MIB / (latencyMs / 1000) : Number.POSITIVE_INFINITY;
}

/** p50 with the transport's own cost taken out; never below zero (noise can make it so). */
export function netLatency(p50: number, overheadMs: number): { value: number; clamped: boolean } {
  const net = p50 - overheadMs;
  return net < 0 ? { value: 0, clamped: true } : { value: net, clamped: false };
}

/** How far two engines' p50s are apart, as other / first (1 = agree; > 1.10 or < 1/1.10 = disagree by > 10%). */
export function disagreementRatio(firstP50: number, otherP50: number): number {
  return firstP50 > 0 ? otherP50 / firstP50 : Number.NaN;
}
