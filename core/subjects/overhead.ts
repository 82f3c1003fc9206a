import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median of the times `measure` reports over `samples` runs, after one unmeasured warm-up run. */
export async function medianMeasured(samples: number, measure: () => Promise<number>): Promise<number> {
  await measure();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await measure());
  return median(times);
}

/** Median wall time of `samples` runs of `op` after one unmeasured warm-up run. */
export function medianTime(samples: number, op: () => Promise<unknown>): Promise<number> {
  return medianMeasured(samples, async () => {
    const started = performance.now();
    await op();
    return performance.now() - started;
  });
}
