import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRun } from '../cli/run-options.js';
import { METRICS, type ResultRow } from '../core/schema.js';
import { packageRoot } from '../core/self-script.js';
import { resolveSubjects } from '../core/subjects/resolve.js';
import { straceAvailable } from '../core/tools.js';
import { benchContext } from '../test/fixtures/bench/context.js';
import { SAMPLING_PLANS } from './plan.js';
import { runBench } from './runner.js';

const WRITER = path.join(packageRoot, 'test', 'fixtures', 'bench', 'py_writer.py');

let ctx: ReturnType<typeof benchContext> | undefined;
afterEach(async () => {
  await ctx?.workspace.dispose();
  ctx = undefined;
});

describe('--writer-cmd with a python writer and no config file', () => {
  it('benches it per op, reports the spawn cost apart and a p50 net of it', async () => {
    // Exactly what `writegate bench --writer-cmd 'py=python3 .../py_writer.py {source} {target}'` resolves to.
    const run = resolveRun({ out: 'unused', profile: 'quick', json: true, writerCmd: [`py=python3 ${WRITER} {source} {target}`] });
    const py = resolveSubjects(run.config, ['py']).find((subject) => subject.name === 'py');
    expect(py?.kind).toBe('command');
    ctx = benchContext([py as NonNullable<typeof py>]);
    const tracedWrites = straceAvailable() ? 1 : 0;
    await runBench(ctx, {
      engines: ['tinybench'],
      modes: ['durable', 'fast', 'unchanged'],
      plan: { ...SAMPLING_PLANS.quick, fixedSamples: 4, warmupIterations: 1, calibrationSamples: 3, tracedWrites },
    });
    const rows = ctx.sink.rows;
    const find = (where: Partial<ResultRow>) => rows.filter((row) => Object.entries(where).every(([k, v]) => row[k as keyof ResultRow] === v));

    // No {mode} in the template: the writer cannot choose its durability, so fast is skipped, once, aloud.
    expect(find({ mode: 'fast' })).toHaveLength(0);
    expect(ctx.progress.notes.some((note) => /py does not support fast/.test(note))).toBe(true);

    // Spawn cost: one row, its own scenario, labelled as the estimate it is (no --writer-noop given).
    const [overhead] = find({ metric: METRICS.spawnOverhead });
    expect(find({ metric: METRICS.spawnOverhead })).toHaveLength(1);
    expect(overhead).toMatchObject({ subject: 'py', scenario: 'calibration', unit: 'ms' });
    expect(overhead?.detail).toMatch(/^estimate: `python3 --version` startup, median of 3/);
    expect(overhead?.value).toBeGreaterThan(0);

    for (const mode of ['durable', 'unchanged']) {
      const p50 = find({ mode, metric: METRICS.latencyP50 })[0]?.value as number;
      const net = find({ mode, metric: METRICS.latencyNetP50 })[0]?.value as number;
      expect(find({ mode, metric: METRICS.latencySample })).toHaveLength(4);
      // Each sample is the writer's own spawn-to-exit time, as hyperfine -N takes it.
      expect(find({ mode, metric: METRICS.samples })[0]?.detail).toMatch(/^tinybench run: each sample is the time the subject measured itself \(a command: spawn to exit/);
      expect(net).toBeCloseTo(Math.max(0, p50 - (overhead?.value as number)), 5);
      expect(find({ mode, metric: METRICS.contentOk })[0]?.value).toBe(1);
    }

    if (tracedWrites) {
      // The same accounting as every other subject: the python writer syncs file and dir, renames once,
      // and leaves identical content alone.
      const figure = (mode: string, metric: string) => find({ mode, metric })[0]?.value;
      expect(figure('durable', METRICS.renameCount)).toBe(1);
      expect(figure('durable', METRICS.fsyncCount)).toBe(2);
      expect(figure('durable', METRICS.bytesWritten)).toBe(1024);
      expect(figure('unchanged', METRICS.bytesWritten)).toBe(0);
    }
  });
});
