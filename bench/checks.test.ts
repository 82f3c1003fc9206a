import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRICS, type ResultRow } from '../core/schema.js';
import { packageRoot } from '../core/self-script.js';
import { BUILTIN_WRITERS } from '../core/subjects/builtins/index.js';
import { commandSubject } from '../core/subjects/command-subject.js';
import { driverSubject } from '../core/subjects/driver-subject.js';
import { inProcessSubject } from '../core/subjects/in-process-subject.js';
import type { WriteRequest, WriterSubject } from '../core/subjects/types.js';
import { WRITE_MODES, type WriteMode } from '../core/writer/types.js';
import { benchContext } from '../test/fixtures/bench/context.js';
import { FakeClock, fakeSubject } from '../test/fixtures/bench/fake-transport.js';
import { ENGINES } from './cases.js';
import { SAMPLING_PLANS, type BenchSettings } from './plan.js';
import { PayloadStore } from './payloads.js';
import { isCheckedWrite, type ContentVerdict } from './checks.js';
import { runBench } from './runner.js';
import { WriteCycle } from './write-cycle.js';

const FIXTURES = path.join(packageRoot, 'test', 'fixtures', 'bench');
const EVERY_OTHER_WRITE = path.join(FIXTURES, 'every-other-write.sh');
const SKIPPING_DRIVER = path.join(FIXTURES, 'skipping-driver.mjs');

const pick = (rows: readonly ResultRow[], where: Partial<ResultRow>): ResultRow[] =>
  rows.filter((row) => Object.entries(where).every(([key, value]) => row[key as keyof ResultRow] === value));

describe('which writes are read back', () => {
  it('the first five, then each power of two and the write after it', () => {
    const checked = Array.from({ length: 70 }, (_, i) => i + 1).filter(isCheckedWrite);
    expect(checked).toEqual([1, 2, 3, 4, 5, 8, 9, 16, 17, 32, 33, 64, 65]);
    expect(isCheckedWrite(0)).toBe(false);
  });
});

describe('a write cycle driven by writers that do and do not write', () => {
  let dir: string;
  let payloads: PayloadStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-write-check-'));
    payloads = new PayloadStore(path.join(dir, 'payloads'), 7);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `writes` writes through a cycle, each handed to `writer` with its 1-based number. */
  function run(mode: WriteMode, writes: number, writer: (request: WriteRequest, n: number) => void): ContentVerdict {
    const cycle = new WriteCycle(path.join(dir, 'target.bin'), payloads.forSize(64), mode);
    cycle.reset();
    for (let n = 1; n <= writes; n++) writer(cycle.next(), n);
    return cycle.verdict();
  }
  const correct = (request: WriteRequest): void => fs.writeFileSync(request.target, request.content);
  const nothing = (): void => {};

  it('passes a correct writer, reading back the first and last writes and a spread between', () => {
    expect(run('durable', 100, correct)).toEqual({ problem: undefined, checkedWrites: 14, writes: 100 });
  });

  it('fails a writer that writes nothing at write 1, finding the initial content', () => {
    expect(run('durable', 100, nothing).problem).toBe(
      'after write 1 (counted from the start, untimed writes included) expected ' +
        'payload A (64 bytes), found the initial content (no write produces it)',
    );
  });

  it('fails a writer that skips every other write, whichever writes it skips', () => {
    expect(run('fast', 100, (request, n) => n % 2 === 1 && correct(request)).problem).toMatch(
      /^after write 2 .* expected payload B \(64 bytes\), found payload A$/,
    );
    expect(run('fast', 100, (request, n) => n % 2 === 0 && correct(request)).problem).toMatch(
      /^after write 1 .* found the initial content/,
    );
  });

  it('fails a writer that always writes the first payload, and one that writes other bytes', () => {
    const [first] = payloads.forSize(64).written;
    expect(run('durable', 10, (request) => fs.writeFileSync(request.target, first.content)).problem).toMatch(
      /^after write 2 .* expected payload B .* found payload A$/,
    );
    expect(run('durable', 10, (request) => fs.writeFileSync(request.target, 'x')).problem).toMatch(
      /found 1 byte matching no payload \(first difference at byte [01]\)$/,
    );
  });

  it('catches a writer that stops writing after write 40 at a later read-back', () => {
    const verdict = run('durable', 99, (request, n) => n <= 40 && correct(request));
    // Write 40 left payload B; 41..63 are not read back and write 64 should have left B as well.
    expect(verdict.problem).toMatch(/^after write 65 .* expected payload A \(64 bytes\), found payload B$/);
  });

  it('passes a true no-op in unchanged, where the target already holds the payload', () => {
    expect(run('unchanged', 30, nothing)).toMatchObject({ problem: undefined, writes: 30 });
  });
});

describe('writes correct, through the real bench path', () => {
  let ctx: ReturnType<typeof benchContext> | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx?.workspace.dispose();
    ctx = undefined;
  });

  // Few samples in three rounds, both engines: 9-odd writes per line (subject × mode × size), so a final-only check
  // would
  // see a writer that skips every other write end on a write it did make.
  const settings: BenchSettings = {
    engines: [...ENGINES],
    modes: [...WRITE_MODES],
    plan: {
      ...SAMPLING_PLANS.quick,
      fixedSamples: 6,
      warmupIterations: 1,
      rounds: 3,
      calibration: { budgetMs: 0, minSamples: 2, maxSamples: 2 },
      tracedWrites: 0,
    },
  };

  async function contentOk(subjects: WriterSubject[]): Promise<ResultRow[]> {
    ctx = benchContext(subjects);
    await runBench(ctx, settings);
    expect(pick(ctx.sink.rows, { metric: METRICS.writeErrors })).toEqual([]);
    return pick(ctx.sink.rows, { metric: METRICS.contentOk });
  }

  function expectVerdicts(rows: readonly ResultRow[], subject: string, failing: RegExp): void {
    for (const engine of ENGINES) {
      for (const mode of ['durable', 'fast'] as const) {
        const [row] = pick(rows, { subject, mode, engine });
        expect(row, `${subject} ${mode} ${engine}`).toMatchObject({ value: 0 });
        expect(row?.detail).toMatch(failing);
      }
      // Every unchanged write is a no-op by definition: leaving the target alone is right.
      expect(pick(rows, { subject, mode: 'unchanged', engine })[0]).toMatchObject({ value: 1 });
    }
  }

  it('fails /bin/true as a per-op writer in durable and fast, passes it in unchanged', async () => {
    const rows = await contentOk([commandSubject({ name: 'true', template: '/bin/true {source} {target} {mode}' })]);
    expectVerdicts(rows, 'true', /^after write 1 .* expected payload A \(1024 bytes\), found the initial content/);
  });

  it('fails a per-op writer that performs only every other write in durable and fast', async () => {
    const rows = await contentOk([
      commandSubject({ name: 'every-other', template: `sh ${EVERY_OTHER_WRITE} {source} {target} {mode}` }),
    ]);
    expectVerdicts(
      rows,
      'every-other',
      /^after write [12] .* expected payload [AB] \(1024 bytes\), found (payload A|the initial content)/,
    );
  });

  it('fails a persistent driver that performs only every other write in durable and fast', async () => {
    const rows = await contentOk([
      driverSubject({
        name: 'skipping',
        command: `${JSON.stringify(process.execPath)} ${JSON.stringify(SKIPPING_DRIVER)}`,
      }),
    ]);
    // One session serves both engines, so which writes it skips depends on what came before.
    expectVerdicts(
      rows,
      'skipping',
      /^after write [12] .* expected payload [AB] \(1024 bytes\), found (payload A|the initial content)/,
    );
  });

  it('passes every built-in in every mode on both engines', async () => {
    const rows = await contentOk(BUILTIN_WRITERS.map(inProcessSubject));
    expect(rows).toHaveLength(BUILTIN_WRITERS.length * WRITE_MODES.length * ENGINES.length);
    for (const row of rows) {
      expect(row, `${row.subject} ${row.mode} ${row.engine}`).toMatchObject({ value: 1 });
      expect(row.detail).toMatch(/^target read back after \d+ of \d+ writes/);
    }
  });

  it.each(ENGINES)('reads the target back only outside the timed window (%s)', async (engine) => {
    // Every read-back of a target costs 1000 ms on the fake clock; no sample may contain one.
    const clock = new FakeClock();
    const readFileSync = fs.readFileSync;
    const reads = vi.spyOn(fs, 'readFileSync').mockImplementation(((
      file: fs.PathOrFileDescriptor,
      options?: unknown,
    ) => {
      if (String(file).endsWith('target.bin')) clock.advance(1000);
      return (readFileSync as (file: fs.PathOrFileDescriptor, options?: unknown) => unknown)(file, options);
    }) as typeof fs.readFileSync);
    ctx = benchContext([
      fakeSubject({ name: 'fake', clock, durationsMs: [1, 2, 3], synchronous: engine === 'tinybench' }),
    ]);
    await runBench(
      ctx,
      { ...settings, engines: [engine], modes: ['durable'], plan: { ...settings.plan, fixedSamples: 20 } },
      { clock },
    );
    const samples = pick(ctx.sink.rows, { metric: METRICS.latencySample }).map((row) => row.value as number);
    expect(samples).toHaveLength(20);
    expect(Math.max(...samples)).toBeLessThanOrEqual(3);
    expect(reads.mock.calls.filter(([file]) => String(file).endsWith('target.bin')).length).toBeGreaterThan(5);
    expect(pick(ctx.sink.rows, { metric: METRICS.contentOk })[0]).toMatchObject({ value: 1 });
  });

  it('keeps read-backs out of the pilot that plans the sample count', async () => {
    const clock = new FakeClock();
    const readFileSync = fs.readFileSync;
    vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
      if (String(file).endsWith('target.bin')) clock.advance(1000);
      return (readFileSync as (file: fs.PathOrFileDescriptor, options?: unknown) => unknown)(file, options);
    }) as typeof fs.readFileSync);
    ctx = benchContext([fakeSubject({ name: 'fake', clock, durationsMs: [0.5], synchronous: true })]);
    const plan = { ...SAMPLING_PLANS.quick, tracedWrites: 0 };
    await runBench(ctx, { engines: ['tinybench'], modes: ['durable'], plan }, { clock });
    // 0.5 ms writes buy the maximum count; a pilot that timed a 1000 ms read would plan the minimum.
    expect(pick(ctx.sink.rows, { metric: METRICS.samples })[0]?.value).toBe(plan.maxSamples);
  });
});
