import { Bench, type TimestampProvider } from 'tinybench';
import type { EngineRun, SampleJob, SamplingEngine } from './types.js';
import { recoverOrder, SELF_TIMED } from './types.js';

/**
 * tinybench 6. Its per-iteration hooks (beforeEach/afterEach) run outside the timed window: the task
 * time is read from the timestamp provider immediately around the task call only (Task#_ / Task#g in
 * its dist), so preparing the next payload in beforeEach costs the sample nothing. Its `time` budget
 * is a minimum, not a cap (it loops while time < budget OR runs < iterations), so we set time = 0 and
 * give it the exact iteration count we planned. Sync subjects go through runSync, where the window
 * holds the bare call; async ones are awaited inside the window (one promise turn per sample). A
 * self-timed call hands its own figure back as `overriddenDuration`, tinybench's documented way to
 * record a time measured inside the task.
 */
export const tinybenchEngine: SamplingEngine = {
  name: 'tinybench',
  async sample<T>(job: SampleJob<T>): Promise<EngineRun> {
    // The provider's toMs is called once per timed iteration with that iteration's duration.
    const durations: number[] = [];
    const provider: TimestampProvider = {
      name: `writegate ${job.clock.name}`,
      fn: () => job.clock.now(),
      fromMs: (ms) => ms,
      toMs: (value) => {
        const ms = Number(value);
        durations.push(ms);
        return ms;
      },
    };
    const bench = new Bench({
      timestampProvider: provider,
      iterations: job.samples,
      time: 0,
      warmup: job.warmupIterations > 0,
      warmupIterations: job.warmupIterations,
      warmupTime: 0,
      retainSamples: true,
      throws: true,
    });
    let input: T | undefined;
    let done = 0;
    const hooks = {
      beforeEach: () => {
        input = job.prepare();
      },
      afterEach: (mode?: string) => {
        if (mode === 'run') job.onSample?.(++done);
      },
    };
    const { sync, selfTimed } = job;
    // What self-timed calls reported, in order: the window's own durations would include our promise.
    const reported: number[] = [];
    if (selfTimed) {
      bench.add(
        'write',
        async () => {
          const ms = await selfTimed(input as T);
          reported.push(ms);
          return { overriddenDuration: ms };
        },
        { ...hooks, async: true },
      );
      await bench.run();
    } else if (sync) {
      bench.add('write', () => sync(input as T), { ...hooks, async: false });
      bench.runSync();
    } else {
      bench.add('write', () => job.async(input as T), { ...hooks, async: true });
      await bench.run();
    }
    const result = bench.tasks[0]?.result;
    if (!result || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
      throw new Error(`tinybench finished in state ${result?.state ?? 'unknown'}`);
    }
    const engineSamples = result.latency.samples ?? [];
    const { samplesMs, ordered } = recoverOrder(
      (selfTimed ? reported : durations).slice(-engineSamples.length),
      engineSamples,
    );
    return {
      samplesMs,
      ordered,
      timing: selfTimed
        ? `tinybench run: ${SELF_TIMED}`
        : sync
          ? 'tinybench runSync: the window holds only the synchronous write call'
          : 'tinybench run: the window holds the awaited write (one promise turn)',
    };
  },
};
