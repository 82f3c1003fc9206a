import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fixtures/bench/fake-transport.js';
import { ENGINE_BY_NAME } from './index.js';
import { recoverOrder, type SampleJob } from './types.js';

// Dyadic values: sums and differences on the fake clock stay exact in floating point.
const DURATIONS = [3, 1, 4, 1.5, 9, 2.625, 5, 3.5, 8, 9.75];

/** A job whose prepare costs 1024 ms on the fake clock and whose call costs the next scripted duration. */
function scriptedJob(clock: FakeClock, sync: boolean, warmupIterations: number) {
  let prepared = 0;
  const seen: number[] = [];
  let calls = 0;
  const call = (input: number): void => {
    seen.push(input);
    clock.advance(DURATIONS[calls++ % DURATIONS.length] as number);
  };
  const job: SampleJob<number> = {
    prepare: () => {
      clock.advance(1024);
      return ++prepared;
    },
    sync: sync ? call : undefined,
    async: async (input) => call(input),
    warmupIterations,
    samples: 8,
    clock,
  };
  return { job, seen, prepared: () => prepared };
}

describe.each(['tinybench', 'mitata'] as const)('%s engine', (engineName) => {
  const engine = ENGINE_BY_NAME[engineName];
  // mitata always makes at least one untimed warm-up call.
  const warmup = engineName === 'mitata' ? 1 : 0;

  it.each([true, false])(
    'times only the call, never the per-iteration prepare (sync=%s), in the order taken',
    async (sync) => {
      const clock = new FakeClock();
      const { job, seen, prepared } = scriptedJob(clock, sync, warmup);
      const run = await engine.sample(job);
      expect(run.ordered).toBe(true);
      expect(run.samplesMs).toEqual(DURATIONS.slice(warmup, warmup + 8));
      // Every call got an input prepared just for it: prepare ran once before each call.
      expect(seen).toEqual(Array.from({ length: warmup + 8 }, (_, i) => i + 1));
      expect(prepared()).toBe(warmup + 8);
    },
  );

  it('runs the planned warm-up untimed before the planned samples', async () => {
    const clock = new FakeClock();
    const { job, seen } = scriptedJob(clock, true, 3);
    const run = await engine.sample(job);
    expect(seen).toHaveLength(3 + 8);
    expect(run.samplesMs).toEqual([...DURATIONS, ...DURATIONS].slice(3, 11));
  });

  it('reports progress after timed samples only, ending at the sample count', async () => {
    const clock = new FakeClock();
    const { job } = scriptedJob(clock, false, 2);
    const ticks: number[] = [];
    await engine.sample({ ...job, onSample: (done) => ticks.push(done) });
    expect(Math.max(...ticks)).toBe(8);
    expect(ticks.every((done) => done >= 1 && done <= 8)).toBe(true);
  });

  it("takes a self-timed call's own figure as the sample, not its window", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const job: SampleJob<number> = {
      prepare: () => {
        clock.advance(1024);
        return calls;
      },
      async: async () => {
        throw new Error('a self-timed job is never called through async');
      },
      // The window (what the engine's clock sees) is 100 ms more than the subject measured.
      selfTimed: async () => {
        const reported = DURATIONS[calls++ % DURATIONS.length] as number;
        clock.advance(reported + 100);
        return reported;
      },
      warmupIterations: warmup,
      samples: 8,
      clock,
    };
    const run = await engine.sample(job);
    expect(run.ordered).toBe(true);
    expect(run.samplesMs).toEqual(DURATIONS.slice(warmup, warmup + 8));
    expect(run.timing).toMatch(/each sample is the time the subject measured itself/);
  });

  it('surfaces a failing write as an error', async () => {
    const clock = new FakeClock();
    const job: SampleJob<number> = {
      prepare: () => 1,
      async: async () => {
        throw new Error('disk on fire');
      },
      warmupIterations: 0,
      samples: 3,
      clock,
    };
    await expect(engine.sample(job)).rejects.toThrow(/disk on fire/);
  });
});

describe('recoverOrder', () => {
  it("keeps our order when it is exactly the engine's samples", () => {
    expect(recoverOrder([3, 1, 2], [1, 2, 3])).toEqual({ samplesMs: [3, 1, 2], ordered: true });
  });

  it("falls back to the engine's own (sorted) samples when the two differ", () => {
    expect(recoverOrder([3, 1, 2, 7], [1, 2, 3])).toEqual({ samplesMs: [1, 2, 3], ordered: false });
    expect(recoverOrder([3, 1, 5], [1, 2, 3])).toEqual({ samplesMs: [1, 2, 3], ordered: false });
  });
});
