import { afterEach, describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, resultRowSchema, type ResultRow } from '../core/schema.js';
import { benchContext } from '../test/fixtures/bench/context.js';
import { FakeClock, fakeSubject } from '../test/fixtures/bench/fake-transport.js';
import type { EngineName } from './cases.js';
import { SAMPLING_PLANS, type BenchSettings } from './plan.js';
import { runBench } from './runner.js';

// 20 samples of 1..20 ms: type-7 p50 10.5, p95 19.05, p99 19.81 (known without running anything).
const DURATIONS = Array.from({ length: 20 }, (_, i) => i + 1);
const KIB = 1024;

let ctx: ReturnType<typeof benchContext> | undefined;
afterEach(async () => {
  await ctx?.workspace.dispose();
  ctx = undefined;
});

function settings(
  engines: EngineName[] = ['tinybench'],
  overrides: Partial<BenchSettings['plan']> = {},
): BenchSettings {
  return {
    engines,
    modes: ['durable', 'unchanged'],
    plan: {
      ...SAMPLING_PLANS.quick,
      fixedSamples: 20,
      warmupIterations: 0,
      rounds: 1,
      tracedWrites: 0,
      calibration: { budgetMs: 0, minSamples: 4, maxSamples: 4 },
      ...overrides,
    },
  };
}

const pick = (rows: readonly ResultRow[], where: Partial<ResultRow>): ResultRow[] =>
  rows.filter((row) => Object.entries(where).every(([key, value]) => row[key as keyof ResultRow] === value));
const one = (rows: readonly ResultRow[], where: Partial<ResultRow>): ResultRow => {
  const found = pick(rows, where);
  expect(found, JSON.stringify(where)).toHaveLength(1);
  return found[0] as ResultRow;
};

describe('bench on a fake transport with known timings', () => {
  it('writes every sample in order and exact percentiles, throughput and counts', async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'fake', clock, durationsMs: DURATIONS, synchronous: true })]);
    await runBench(ctx, settings(), { clock });
    const rows = ctx.sink.rows;
    for (const row of rows) expect(resultRowSchema.safeParse(row).success).toBe(true);
    for (const mode of ['durable', 'unchanged']) {
      const key = {
        suite: 'bench',
        scenario: 'write',
        subject: 'fake',
        mode,
        size_bytes: KIB,
        engine: 'tinybench',
      } as const;
      const samples = pick(rows, { ...key, metric: METRICS.latencySample });
      expect(samples.map((row) => row.value)).toEqual(DURATIONS);
      expect(samples.map((row) => row.sample)).toEqual(DURATIONS.map((_, i) => i));
      expect(samples.every((row) => row.unit === 'ms')).toBe(true);
      expect(one(rows, { ...key, metric: METRICS.latencyP50 }).value).toBe(10.5);
      expect(one(rows, { ...key, metric: METRICS.latencyP95 }).value).toBeCloseTo(19.05, 9);
      expect(one(rows, { ...key, metric: METRICS.latencyP99 }).value).toBeCloseTo(19.81, 9);
      // 1 KiB in 10.5 ms: (1024 / 2^20) MiB / 0.0105 s.
      expect(one(rows, { ...key, metric: METRICS.throughput }).value).toBe(
        Number((1024 / 1048576 / 0.0105).toPrecision(6)),
      );
      expect(one(rows, { ...key, metric: METRICS.samples }).value).toBe(20);
      expect(one(rows, { ...key, metric: METRICS.contentOk }).value).toBe(1);
    }
    // An in-process subject has no transport cost: no overhead and no net rows.
    expect(pick(rows, { metric: METRICS.spawnOverhead })).toHaveLength(0);
    expect(pick(rows, { metric: METRICS.latencyNetP50 })).toHaveLength(0);
  });

  it('makes every timed write a real change (durable) or a real no-op (unchanged)', async () => {
    const clock = new FakeClock();
    const subject = fakeSubject({ name: 'fake', clock, durationsMs: [1], synchronous: true });
    ctx = benchContext([subject]);
    await runBench(ctx, settings(), { clock });
    const durable = subject.received.filter((request) => request.mode === 'durable');
    const unchanged = subject.received.filter((request) => request.mode === 'unchanged');
    expect(durable).toHaveLength(20);
    for (let i = 1; i < durable.length; i++)
      expect(durable[i]?.content.equals(durable[i - 1]?.content as Buffer)).toBe(false);
    expect(new Set(unchanged.map((request) => request.content)).size).toBe(1);
    expect(durable[0]?.content).toHaveLength(KIB);
  });

  it("without --samples, calibrates with the plan's count (no pilot: min = max here)", async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'cmd', clock, durationsMs: DURATIONS, overheadMs: 2.5 })]);
    await runBench(ctx, settings(['tinybench'], { fixedSamples: undefined }), { clock });
    expect(pick(ctx.sink.rows, { metric: METRICS.spawnOverheadSample, subject: 'cmd' })).toHaveLength(4);
  });

  it("reports a transport's overhead once and subtracts it from each p50", async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'cmd', clock, durationsMs: DURATIONS, overheadMs: 2.5 })]);
    await runBench(ctx, settings(), { clock });
    const rows = ctx.sink.rows;
    const overhead = one(rows, { metric: METRICS.spawnOverhead, subject: 'cmd' });
    expect(overhead).toMatchObject({ scenario: 'calibration', value: 2.5, unit: 'ms' });
    expect(decodeDetail(METRICS.spawnOverhead, overhead?.detail ?? '')).toEqual({
      method: 'fake: scripted overhead',
      estimated: false,
    });
    // Every calibration run is a row of its own, as many as --samples fixes for each line it is subtracted from.
    const runs = pick(rows, { metric: METRICS.spawnOverheadSample, subject: 'cmd' });
    expect(runs.map((row) => [row.value, row.sample])).toEqual(Array.from({ length: 20 }, (_, i) => [2.5, i]));
    for (const mode of ['durable', 'unchanged']) {
      const net = one(rows, { subject: 'cmd', mode, metric: METRICS.latencyNetP50 });
      // 1..20 ms: the p50's interval is 6..15 ms, wholly above the noop's 2.5 ms.
      expect(net.value).toBe(8);
      expect(net.detail).toMatch(
        /latency_p50_ms − spawn_overhead_ms \(2\.5 ms\), measurable: the interval of the noop's p50 \(2\.5–2\.5 ms\) lies below the writer's \(6–15 ms\)/,
      );
    }
  });

  it('writes no net figure, never 0, when the noop is not clearly below the writer, and says why', async () => {
    const clock = new FakeClock();
    // The writer takes 1..20 ms (p50 10.5, interval 6..15); the noop 8..13 ms: its p50 is below, its interval is not.
    const noop = [8, 9, 10, 10, 11, 11, 12, 13];
    ctx = benchContext([
      fakeSubject({ name: 'cmd', clock, durationsMs: DURATIONS, overheadMs: 10.5, overheadSamplesMs: noop }),
    ]);
    await runBench(ctx, settings(), { clock });
    for (const mode of ['durable', 'unchanged']) {
      const net = one(ctx.sink.rows, { mode, metric: METRICS.latencyNetP50 });
      expect(net.value).toBeNull();
      expect(net.detail).toBe(
        'not measurable: noop p50 10.5 ms (8–13 ms, 99% interval of 8 samples) ' +
          'vs writer p50 10.5 ms (6–15 ms, 95% interval of 20 samples): ' +
          "the intervals overlap, so the write's own time cannot be told from the noop's",
      );
    }
    // A noop slower than every write: the same, never a net of 0.
    ctx = benchContext([fakeSubject({ name: 'cmd', clock, durationsMs: [1], overheadMs: 5 })]);
    await runBench(ctx, settings(), { clock });
    const above = one(ctx.sink.rows, { mode: 'durable', metric: METRICS.latencyNetP50 });
    expect(above.value).toBeNull();
    expect(above.detail).toMatch(/^not measurable: .*the noop's interval lies above the writer's/);
  });

  it("with both engines writes each engine's rows and their p50 ratio", async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'fake', clock, durationsMs: DURATIONS, synchronous: true })]);
    await runBench(ctx, { ...settings(['tinybench', 'mitata']), modes: ['durable'] }, { clock });
    const rows = ctx.sink.rows;
    expect(pick(rows, { engine: 'tinybench', metric: METRICS.latencySample })).toHaveLength(20);
    // mitata's compulsory warm-up call takes the first scripted duration, so its sequence is shifted.
    expect(pick(rows, { engine: 'mitata', metric: METRICS.latencySample }).map((row) => row.value)).toEqual([
      ...DURATIONS.slice(1),
      1,
    ]);
    expect(one(rows, { engine: 'mitata', metric: METRICS.latencyP50 }).value).toBe(10.5);
    expect(one(rows, { metric: METRICS.engineDisagreement })).toMatchObject({
      value: 1,
      engine: 'tinybench/mitata',
      unit: 'ratio',
      mode: 'durable',
    });
  });

  it("takes a group's samples in rounds, subjects taking turns in a rotating order", async () => {
    const clock = new FakeClock();
    const a = fakeSubject({ name: 'a', clock, durationsMs: DURATIONS, synchronous: true });
    const b = fakeSubject({ name: 'b', clock, durationsMs: DURATIONS, synchronous: true });
    const writers: string[] = [];
    for (const subject of [a, b]) {
      const received = subject.received;
      received.push = (...items) => {
        for (const _ of items) writers.push(subject.name);
        return Array.prototype.push.apply(received, items);
      };
    }
    ctx = benchContext([a, b]);
    await runBench(ctx, { ...settings(['tinybench'], { rounds: 3 }), modes: ['durable'] }, { clock });
    // Rounds of 6, 7, 7 writes; order a b | b a | a b, so b's second turn follows its first at once.
    const runs: [string, number][] = [];
    for (const name of writers) {
      const last = runs.at(-1);
      if (last?.[0] === name) last[1] += 1;
      else runs.push([name, 1]);
    }
    expect(runs).toEqual([
      ['a', 6],
      ['b', 6 + 7],
      ['a', 7 + 7],
      ['b', 7],
    ]);
    // 20 samples each, 6 + 7 + 7 over the rounds, still every one of them in the order taken.
    for (const name of ['a', 'b']) {
      expect(pick(ctx.sink.rows, { subject: name, metric: METRICS.latencySample }).map((row) => row.value)).toEqual(
        DURATIONS,
      );
    }
  });

  it.each([
    // Slow (50 ms): the pilot stops after 2 writes, the count is the minimum 12, the warm-up is topped up by 1.
    [50, 12, 2 + 1 + 12 + 1 + 1],
    // Fast (0.5 ms): 3 pilot writes, 100 ms / 0.5 ms clamped to the maximum 200, 1 more warm-up write.
    [0.5, 200, 3 + 1 + 200 + 1 + 1],
  ])('plans the count from a pilot: %s ms writes get %s samples (%s writes in all)', async (ms, samples, writes) => {
    const clock = new FakeClock();
    const subject = fakeSubject({ name: 'fake', clock, durationsMs: [ms], synchronous: true });
    ctx = benchContext([subject]);
    const plan = { ...SAMPLING_PLANS.quick, tracedWrites: 0 };
    await runBench(ctx, { engines: ['tinybench'], modes: ['durable'], plan }, { clock });
    expect(one(ctx.sink.rows, { metric: METRICS.samples }).value).toBe(samples);
    expect(subject.received).toHaveLength(writes);
  });

  it('gives a per-op command its own time budget per line, and says so in the samples row', async () => {
    const clock = new FakeClock();
    // 17 ms writes: the in-process budget (100 ms) would leave 12 samples; a process per write gets 1.5 s, 88 samples.
    const perOp = fakeSubject({ name: 'cmd', clock, durationsMs: [17], overheadMs: 2 });
    const inProcess = fakeSubject({ name: 'lib', clock, durationsMs: [17], synchronous: true });
    ctx = benchContext([perOp, inProcess]);
    await runBench(
      ctx,
      { engines: ['tinybench'], modes: ['durable'], plan: { ...SAMPLING_PLANS.quick, tracedWrites: 0 } },
      { clock },
    );
    const samples = (subject: string) => one(ctx?.sink.rows ?? [], { subject, metric: METRICS.samples });
    expect(samples('cmd').value).toBe(88);
    expect(samples('cmd').detail).toContain(
      'count planned for about 1.5 s of writes (a process per write), within 12–150',
    );
    expect(samples('lib').value).toBe(12);
    expect(samples('lib').detail).toContain('count planned for about 100 ms of writes, within 12–200');
    // Its noop runs are planned by time too: 1 s of 2 ms runs, 200 at most.
    expect(pick(ctx.sink.rows, { subject: 'cmd', metric: METRICS.spawnOverheadSample })).toHaveLength(200);
  });

  it('skips modes a subject does not support, with one note', async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'nomode', clock, durationsMs: [1], modes: ['durable', 'unchanged'] })]);
    await runBench(ctx, { ...settings(), modes: ['durable', 'fast', 'unchanged'] }, { clock });
    expect(pick(ctx.sink.rows, { mode: 'fast' })).toHaveLength(0);
    expect(pick(ctx.sink.rows, { mode: 'durable', metric: METRICS.latencyP50 })).toHaveLength(1);
    expect(ctx.progress.notes.filter((note) => note.includes('nomode does not support fast'))).toHaveLength(1);
  });

  it('turns a failed write into a write_errors row and no timings for that scenario', async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'flaky', clock, durationsMs: [1], failOnWrite: 3 })]);
    await runBench(ctx, settings(), { clock });
    const error = one(ctx.sink.rows, { mode: 'durable', metric: METRICS.writeErrors });
    expect(error.detail).toMatch(/fake failure on write 3/);
    expect(pick(ctx.sink.rows, { mode: 'durable', metric: METRICS.latencySample })).toHaveLength(0);
    // The next scenario runs as usual.
    expect(pick(ctx.sink.rows, { mode: 'unchanged', metric: METRICS.latencySample })).toHaveLength(20);
  });

  it('reports a subject whose session cannot open, and benches the others', async () => {
    const clock = new FakeClock();
    ctx = benchContext([
      fakeSubject({ name: 'dead', clock, durationsMs: [1], failOpen: true }),
      fakeSubject({ name: 'alive', clock, durationsMs: [1] }),
    ]);
    await runBench(ctx, settings(), { clock });
    expect(pick(ctx.sink.rows, { subject: 'dead', metric: METRICS.writeErrors }).map((row) => row.detail)).toEqual([
      'cannot open a session: fake: cannot start',
      'cannot open a session: fake: cannot start',
    ]);
    expect(pick(ctx.sink.rows, { subject: 'alive', metric: METRICS.latencyP50 })).toHaveLength(2);
  });

  it('flags a subject that does not leave the payload in the target', async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'liar', clock, durationsMs: [1], corruptWith: Buffer.from('nope') })]);
    await runBench(ctx, settings(), { clock });
    const check = one(ctx.sink.rows, { mode: 'durable', metric: METRICS.contentOk });
    expect(check.value).toBe(0);
    expect(check.detail).toBe(
      'after write 1 (counted from the start, untimed writes included) expected ' +
        'payload A (1024 bytes), found 4 bytes matching no payload (first difference at byte 0)',
    );
  });

  it('without strace says so in one line and still writes the timings', async () => {
    const clock = new FakeClock();
    ctx = benchContext([fakeSubject({ name: 'fake', clock, durationsMs: [1] })]);
    const reason = 'strace not found on PATH: syscall accounting and injection are skipped; install strace';
    await runBench(ctx, settings(['tinybench'], { tracedWrites: 1 }), { clock, straceUnavailable: () => reason });
    expect(ctx.progress.notes.filter((note) => note.includes(reason))).toHaveLength(1);
    expect(pick(ctx.sink.rows, { metric: METRICS.fsyncCount })).toHaveLength(0);
    expect(pick(ctx.sink.rows, { metric: METRICS.latencyP50 })).toHaveLength(2);
  });
});
