import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, mean, netLatency, percentile, summarize, throughputMiBs } from './stats.js';

describe('summarize', () => {
  it('gives the type-7 percentiles, mean and cv of the samples, in any order', () => {
    const samples = [5, 1, 4, 2, 3, 10, 7, 6, 9, 8];
    expect(summarize(samples)).toEqual({
      n: 10,
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      p99: percentile(samples, 99),
      mean: mean([...samples].sort((a, b) => a - b)),
      cv: coefficientOfVariation([...samples].sort((a, b) => a - b)),
    });
    expect(summarize(samples).p50).toBe(5.5);
  });

  it('is NaN with no samples, and has no cv for one', () => {
    expect(summarize([]).p50).toBeNaN();
    expect(summarize([3]).cv).toBeNaN();
  });
});

describe('throughput and net latency', () => {
  it('throughput is the payload over the p50, in MiB/s', () => {
    expect(throughputMiBs(2 * 1024 * 1024, 500)).toBe(4);
    expect(throughputMiBs(1024, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('net latency takes the overhead out, clamped at zero', () => {
    expect(netLatency(5, 2)).toEqual({ value: 3, clamped: false });
    expect(netLatency(1, 2)).toEqual({ value: 0, clamped: true });
  });
});
