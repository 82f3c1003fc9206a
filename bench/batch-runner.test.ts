import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { METRICS, type ResultRow } from '../core/schema.js';
import { packageRoot } from '../core/self-script.js';
import { builtinWriter } from '../core/subjects/builtins/index.js';
import { driverSubject } from '../core/subjects/driver-subject.js';
import { inProcessSubject } from '../core/subjects/in-process-subject.js';
import { benchContext } from '../test/fixtures/bench/context.js';
import { runBatch } from './batch-runner.js';
import { SAMPLING_PLANS } from './plan.js';
import type { BenchSettings } from './types.js';

const SKIPPING_DRIVER = path.join(packageRoot, 'test', 'fixtures', 'bench', 'skipping-driver.mjs');

let ctx: ReturnType<typeof benchContext> | undefined;
afterEach(async () => {
  await ctx?.workspace.dispose();
  ctx = undefined;
});

const settings: BenchSettings = {
  scenarios: ['batch'],
  engines: ['tinybench'],
  modes: ['durable'],
  plan: { ...SAMPLING_PLANS.quick, tracedWrites: 1 },
  batch: { files: 8, dirs: 2, fileBytes: 256, repetitions: 3 },
};

/** The run's subjects always hold the reference (it stays for ratios); the per-file peer the scenario adds. */
const reference = () => inProcessSubject(builtinWriter('reference') as NonNullable<ReturnType<typeof builtinWriter>>);

const pick = (rows: readonly ResultRow[], where: Partial<ResultRow>) =>
  rows.filter((row) => Object.entries(where).every(([k, v]) => row[k as keyof ResultRow] === v));

describe('the batch scenario on real writers', () => {
  it('times both ways of every batch subject; without strace it says why and takes no counts', async () => {
    ctx = benchContext([reference()]);
    await runBatch(ctx, settings, { straceUnavailable: () => 'strace is not installed' });
    const rows = ctx.sink.rows;
    for (const subject of ['reference', 'reference-per-file']) {
      for (const metric of [METRICS.batchTotalMs, METRICS.perFileTotalMs]) {
        const samples = pick(rows, { scenario: 'batch', subject, metric });
        expect(samples.map((row) => row.sample)).toEqual([0, 1, 2]);
        for (const row of samples) expect(row.value).toBeGreaterThan(0);
      }
    }
    expect(pick(rows, { metric: METRICS.batchFsyncCount })).toEqual([]);
    expect(pick(rows, { scenario: 'batch', metric: METRICS.skipped })).toMatchObject([
      { subject: '', detail: 'strace is not installed' },
    ]);
    expect(pick(rows, { metric: METRICS.writeErrors })).toEqual([]);
  });

  it('drops the timings of a batch that reports success but leaves files unwritten, saying which', async () => {
    // It answers every request ok, write_batch included, and writes only every other single write.
    const skipping = driverSubject({
      name: 'skipping',
      command: `${JSON.stringify(process.execPath)} ${JSON.stringify(SKIPPING_DRIVER)}`,
    });
    ctx = benchContext([reference(), skipping]);
    await runBatch(ctx, { ...settings, plan: { ...settings.plan, tracedWrites: 0 } });
    const rows = ctx.sink.rows;
    const [error, ...more] = pick(rows, { subject: 'skipping', metric: METRICS.writeErrors });
    expect(more).toEqual([]);
    expect(error?.detail).toMatch(/reported success, but file \d+ of 8 (is not readable|holds )/);
    expect(pick(rows, { subject: 'skipping', metric: METRICS.batchTotalMs })).toEqual([]);
    // The yardsticks beside it are timed as usual; --trace-writes 0 is said, not passed over.
    expect(pick(rows, { subject: 'reference', metric: METRICS.batchTotalMs })).toHaveLength(3);
    expect(pick(rows, { scenario: 'batch', metric: METRICS.skipped })[0]?.detail).toBe(
      '--trace-writes 0 turned the strace pass off',
    );
  });
});
