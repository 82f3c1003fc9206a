import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRun } from '../cli/run-options.js';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { medianInterval, netLatency } from '../core/stats.js';
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
    // Exactly what `writegate bench --writer-cmd 'py=/usr/bin/python3 .../py_writer.py {source} {target}'` resolves to.
    const run = resolveRun({
      out: 'unused',
      profile: 'quick',
      json: true,
      writerCmd: [`py=/usr/bin/python3 ${WRITER} {source} {target}`],
    });
    const py = resolveSubjects(run.config, ['py']).find((subject) => subject.name === 'py');
    expect(py?.kind).toBe('command');
    ctx = benchContext([py as NonNullable<typeof py>]);
    const tracedWrites = straceAvailable() ? 1 : 0;
    await runBench(ctx, {
      engines: ['tinybench'],
      modes: ['durable', 'fast', 'unchanged'],
      plan: {
        ...SAMPLING_PLANS.quick,
        fixedSamples: 9,
        warmupIterations: 1,
        calibration: { budgetMs: 0, minSamples: 4, maxSamples: 4 },
        tracedWrites,
      },
    });
    const rows = ctx.sink.rows;
    const find = (where: Partial<ResultRow>) =>
      rows.filter((row) => Object.entries(where).every(([k, v]) => row[k as keyof ResultRow] === v));

    // No {mode} in the template: the writer cannot choose its durability, so fast is skipped, once, aloud.
    expect(find({ mode: 'fast' })).toHaveLength(0);
    expect(ctx.progress.notes.some((note) => /py does not support fast/.test(note))).toBe(true);

    // Spawn cost: one row, its own scenario, labelled as the estimate it is (no --writer-noop given).
    const [overhead] = find({ metric: METRICS.spawnOverhead });
    expect(find({ metric: METRICS.spawnOverhead })).toHaveLength(1);
    expect(overhead).toMatchObject({ subject: 'py', scenario: 'calibration', unit: 'ms' });
    const how = decodeDetail(METRICS.spawnOverhead, overhead?.detail ?? '');
    expect(how?.estimated).toBe(true);
    // --samples fixes the noop's count too: as many runs as each line it is subtracted from.
    expect(how?.method).toMatch(/`\/usr\/bin\/python3 --version` startup, median of 9/);
    expect(overhead?.value).toBeGreaterThan(0);

    const startups = find({ metric: METRICS.spawnOverheadSample }).map((row) => row.value as number);
    expect(startups).toHaveLength(9);
    for (const mode of ['durable', 'unchanged']) {
      const samples = find({ mode, metric: METRICS.latencySample }).map((row) => row.value as number);
      const p50 = find({ mode, metric: METRICS.latencyP50 })[0]?.value as number;
      const net = find({ mode, metric: METRICS.latencyNetP50 })[0];
      expect(samples).toHaveLength(9);
      // Each sample is the writer's own spawn-to-exit time, as hyperfine -N takes it.
      expect(find({ mode, metric: METRICS.samples })[0]?.detail).toMatch(
        /^tinybench run: each sample is the time the subject measured itself \(a command: spawn to exit/,
      );
      // `/usr/bin/python3 --version` exits before the interpreter runs a line, so a script usually clears it; on a
      // loaded machine the two spread into each other. Either way the row follows the rule on the rows' own samples, and is never 0.
      if (netLatency(medianInterval(samples), medianInterval(startups)).measurable) {
        expect(net?.value, net?.detail).toBeCloseTo(p50 - (overhead?.value as number), 5);
        expect(net?.detail).toMatch(/measurable: the interval of the noop's p50 \(.* ms\) lies below the writer's/);
      } else expect(net).toMatchObject({ value: null, detail: expect.stringMatching(/^not measurable: noop p50 /) });
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
