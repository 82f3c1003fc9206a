import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The times `measure` reports over `samples` runs, after one unmeasured warm-up run, and their median. */
export async function measuredTimes(samples: number, measure: () => Promise<number>): Promise<{ ms: number; samplesMs: number[] }> {
  await measure();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await measure());
  return { ms: median(times), samplesMs: times };
}

/** Wall times of `samples` runs of `op` after one unmeasured warm-up run, and their median. */
export function wallTimes(samples: number, op: () => Promise<unknown>): Promise<{ ms: number; samplesMs: number[] }> {
  return measuredTimes(samples, async () => {
    const started = performance.now();
    await op();
    return performance.now() - started;
  });
}
