import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { medianInterval, netLatency } from '../core/stats.js';
import { packageRoot } from '../core/self-script.js';
import { driverSubject } from '../core/subjects/driver-subject.js';
import type { BatchFile } from '../core/subjects/types.js';
import { runProcess } from '../core/process.js';
import { straceAvailable } from '../core/tools.js';
import { seccompFilterWorks } from '../core/trace/seccomp.js';
import { Workspace } from '../core/workspace.js';
import { benchContext } from '../test/fixtures/bench/context.js';
import { SAMPLING_PLANS } from './plan.js';
import { runBench } from './runner.js';
import { accountTraceDirs, straceArgv } from './strace-log.js';

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

describe('a driver batch (write_batch)', () => {
  const command = (script: string) => `${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`;
  /** Six files over two directories, each holding `old`, and their sources holding `new`. */
  function sixFiles(workspace: Workspace, where: string): { files: BatchFile[]; dirs: string[] } {
    const dirs = [workspace.dir(where, 'a'), workspace.dir(where, 'b')];
    const files = Array.from({ length: 6 }, (_, i) => {
      const target = path.join(dirs[i % 2] as string, `f${i}`);
      fs.writeFileSync(target, `old ${i}`);
      const source = workspace.path(where, `source-${i}`);
      const content = Buffer.from(`new ${i}`);
      fs.writeFileSync(source, content);
      return { source, target, content };
    });
    return { files, dirs };
  }
  const allNew = (files: readonly BatchFile[]) =>
    files.every((file, i) => fs.readFileSync(file.target, 'utf8') === `new ${i}`);

  it('the example driver writes every file of a batch in one call, syncing each directory once', async () => {
    const workspace = Workspace.create('writegate-driver-batch-');
    try {
      const subject = driverSubject({ name: 'example', command: command(DRIVER) });
      const { files } = sixFiles(workspace, 'session');
      const session = await subject.open();
      try {
        expect(await session.writeBatch?.({ files, mode: 'durable' })).toEqual({ ok: true });
      } finally {
        await session.close();
      }
      expect(allNew(files)).toBe(true);
      if (!straceAvailable()) return;
      // Its one-shot (driver-once --batch) under strace: 6 files + 2 directories.
      const traced = sixFiles(workspace, 'traced');
      const oneShot = subject.batch?.oneShot({ files: traced.files, mode: 'durable' });
      const traceFile = workspace.path('batch.strace');
      const result = await runProcess([...straceArgv(traceFile, await seccompFilterWorks()), ...(oneShot?.argv ?? [])]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(accountTraceDirs(fs.readFileSync(traceFile, 'utf8'), traced.dirs, process.cwd())).toMatchObject({
        fsyncCount: 8,
        dirFsyncCount: 2,
        renameCount: 6,
      });
      expect(allNew(traced.files)).toBe(true);
    } finally {
      await workspace.dispose();
    }
  });

  it('a driver that answers "unknown op" has no batch form: unsupported, not a failed write', async () => {
    const workspace = Workspace.create('writegate-driver-batch-');
    try {
      const script = workspace.path('single-only-driver.mjs');
      fs.writeFileSync(
        script,
        "import { createInterface } from 'node:readline';\n" +
          "createInterface({ input: process.stdin }).on('line', (line) => {\n" +
          '  const { op, id } = JSON.parse(line);\n' +
          "  if (op === 'quit') process.exit(0);\n" +
          "  const answer = op === 'noop' ? { id, ok: true } : { id, ok: false, error: `unknown op ${op}` };\n" +
          '  process.stdout.write(`${JSON.stringify(answer)}\\n`);\n' +
          '});\n',
      );
      const subject = driverSubject({ name: 'single', command: command(script) });
      const { files } = sixFiles(workspace, 't');
      const session = await subject.open();
      try {
        const outcome = await session.writeBatch?.({ files, mode: 'durable' });
        expect(outcome).toMatchObject({ ok: false, unsupported: true });
        expect(outcome?.error).toMatch(/no batch form .*unknown op write_batch/);
      } finally {
        await session.close();
      }
      const result = await runProcess(subject.batch?.oneShot({ files, mode: 'durable' }).argv ?? []);
      expect(result.exitCode, result.stderr).toBe(4);
      expect(files.every((file, i) => fs.readFileSync(file.target, 'utf8') === `old ${i}`)).toBe(true);
    } finally {
      await workspace.dispose();
    }
  });
});
