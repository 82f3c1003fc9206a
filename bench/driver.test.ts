import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { medianInterval, netLatency } from '../core/stats.js';
import { packageRoot } from '../core/self-script.js';
import { driverSubject } from '../core/subjects/driver-subject.js';
import { straceAvailable } from '../core/tools.js';
import { benchContext } from '../test/fixtures/bench/context.js';
import { SAMPLING_PLANS } from './plan.js';
import { runBench } from './runner.js';

const DRIVER = path.join(packageRoot, 'examples', 'example-driver.mjs');

let ctx: ReturnType<typeof benchContext> | undefined;
afterEach(async () => {
  await ctx?.workspace.dispose();
  ctx = undefined;
});

describe('the example persistent driver', () => {
  it('is benched in every mode, with its noop round trip measured and taken out of each p50', async () => {
    ctx = benchContext([
      driverSubject({ name: 'example', command: `${JSON.stringify(process.execPath)} ${JSON.stringify(DRIVER)}` }),
    ]);
    const tracedWrites = straceAvailable() ? 1 : 0;
    await runBench(ctx, {
      engines: ['tinybench'],
      modes: ['durable', 'fast', 'unchanged'],
      plan: {
        ...SAMPLING_PLANS.quick,
        fixedSamples: 5,
        warmupIterations: 1,
        calibration: { budgetMs: 0, minSamples: 5, maxSamples: 5 },
        tracedWrites,
      },
    });
    const rows = ctx.sink.rows;
    const find = (where: Partial<ResultRow>) =>
      rows.filter((row) => Object.entries(where).every(([k, v]) => row[k as keyof ResultRow] === v));
    expect(find({ metric: METRICS.writeErrors })).toEqual([]);

    const overhead = find({ metric: METRICS.spawnOverhead });
    expect(overhead).toHaveLength(1);
    expect(decodeDetail(METRICS.spawnOverhead, overhead[0]?.detail ?? '')).toEqual({
      method: 'noop round trip, median of 5',
      estimated: false,
    });

    const noop = medianInterval(find({ metric: METRICS.spawnOverheadSample }).map((row) => row.value as number));
    expect(noop.n).toBe(5);
    for (const mode of ['durable', 'fast', 'unchanged']) {
      const samples = find({ mode, metric: METRICS.latencySample }).map((row) => row.value as number);
      expect(samples).toHaveLength(5);
      const p50 = find({ mode, metric: METRICS.latencyP50 })[0]?.value as number;
      const net = find({ mode, metric: METRICS.latencyNetP50 })[0];
      // A round trip can cost about what an unchanged write does: the row follows the rule on the rows' own samples.
      if (netLatency(medianInterval(samples), noop).measurable)
        expect(net?.value).toBeCloseTo(p50 - (overhead[0]?.value as number), 5);
      else expect(net).toMatchObject({ value: null, detail: expect.stringMatching(/^not measurable: noop p50 /) });
      expect(find({ mode, metric: METRICS.contentOk })[0]?.value).toBe(1);
    }

    if (tracedWrites) {
      // strace -f follows driver-once into the driver process: the same counts as any other writer.
      const figure = (mode: string, metric: string) => find({ mode, metric })[0]?.value;
      expect(figure('durable', METRICS.fsyncCount)).toBe(2);
      expect(figure('durable', METRICS.renameCount)).toBe(1);
      expect(figure('fast', METRICS.fsyncCount)).toBe(0);
      expect(figure('unchanged', METRICS.bytesWritten)).toBe(0);
    }
  });
});
