import { performance } from 'node:perf_hooks';
import { median } from '../stats.js';

/** The times `measure` reports over `samples` runs, after one unmeasured warm-up run, and their median. */
export async function measuredTimes(
  samples: number,
  measure: () => Promise<number>,
): Promise<{ ms: number; samplesMs: number[] }> {
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
