import { measure } from 'mitata';
import type { EngineRun, SampleJob, SamplingEngine } from './types.js';
import { recoverOrder, SELF_TIMED } from './types.js';

/**
 * mitata 1, through its `measure` API with a computed parameter: the parameter function (our
 * prepare) runs before each iteration outside the timed window. Settings make it take one write per
 * sample and exactly the planned count: no batching (batch_threshold -1), no GC calls (gc false; its
 * fallback would allocate 1 GiB), no trimming of the two fastest and slowest samples
 * (samples_threshold Infinity), min = max samples, no CPU-time floor. mitata always makes at least
 * one untimed warm-up call. A self-timed call goes through mitata's `manual` mode: the function
 * returns its own time (in the unit of `now`, here ns) and that is the sample.
 */
export const mitataEngine: SamplingEngine = {
  name: 'mitata',
  async sample<T>(job: SampleJob<T>): Promise<EngineRun> {
    // In the timed loop mitata reads the clock exactly twice per sample (before, after).
    const reads: number[] = [];
    const now = (): number => {
      const ms = job.clock.now();
      reads.push(ms);
      return ms * 1e6;
    };
    const warmupCalls = Math.max(1, job.warmupIterations);
    let prepared = 0;
    const prepare = (): T => {
      const input = job.prepare();
      prepared += 1;
      if (prepared > warmupCalls + 1) job.onSample?.(prepared - warmupCalls - 1);
      return input;
    };
    const { sync, selfTimed } = job;
    const timed = sync ? (input: T) => sync(input) : (input: T) => job.async(input);
    // What self-timed calls reported, in order (warm-up included, like the clock reads).
    const reported: number[] = [];
    const manual = selfTimed
      ? async (input: T) => {
          const ms = await selfTimed(input);
          reported.push(ms);
          return ms * 1e6;
        }
      : undefined;
    const stats = await measure(
      function* () {
        yield (manual ? { 0: prepare, manual } : { 0: prepare, bench: timed }) as unknown as () => unknown;
      },
      {
        now,
        gc: false,
        min_samples: job.samples,
        max_samples: job.samples,
        min_cpu_time: 0,
        warmup_samples: warmupCalls - 1,
        warmup_threshold: Number.POSITIVE_INFINITY,
        batch_threshold: -1,
        samples_threshold: Number.POSITIVE_INFINITY,
        concurrency: 1,
      },
    );
    job.onSample?.(job.samples);
    const inOrder: number[] = [];
    if (manual) inOrder.push(...reported.slice(-job.samples));
    else for (let i = 0; i + 1 < reads.length; i += 2) inOrder.push((reads[i + 1] as number) - (reads[i] as number));
    const { samplesMs, ordered } = recoverOrder(
      inOrder,
      stats.samples.map((ns) => ns / 1e6),
    );
    return {
      samplesMs,
      ordered,
      timing: manual
        ? `mitata measure: ${SELF_TIMED}`
        : sync
          ? 'mitata measure: the window holds only the synchronous write call'
          : 'mitata measure: the window holds the awaited write (one promise turn)',
    };
  },
};
