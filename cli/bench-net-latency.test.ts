import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsCsv } from '../core/csv.js';
import { METRICS } from '../core/schema.js';
import { packageRoot } from '../core/self-script.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { main } from './main.js';

const cli = useCliHarness({ prefix: 'wg-net-latency-', chdir: true });

const SLOW_NOOP = path.join(packageRoot, 'test', 'fixtures', 'bench', 'slow-noop-writer.sh');
const PY_WRITER = path.join(packageRoot, 'test', 'fixtures', 'bench', 'py_writer.py');

interface Gate {
  id: string;
  subject?: string;
  mode?: string;
  size_bytes?: number | null;
  status: string;
  detail: string;
  not_judged?: string;
}
interface Verdict {
  verdict: string;
  gates: Gate[];
  sections: {
    bench?: {
      line_figures?: { subject: string; mode: string; net_p50_ms: number | null; net_p50_not_measurable?: string }[];
    };
  };
}

async function analyzeJson(...extra: string[]): Promise<{ code: number; verdict: Verdict }> {
  cli.clear();
  const code = await main(['analyze', path.join('out', 'results_raw.csv'), '--out', 'out', '--json', ...extra]);
  return { code, verdict: JSON.parse(cli.stdout) as Verdict };
}

describe('a net p50 whose noop is not clearly below the writer (end to end)', () => {
  it('is "not measurable" in the CSV, the report and --json, and its timing gates are not judged, never passed', async () => {
    // A writer that rewrites identical content (20 ms) with a noop of 100 ms: before, its net was clamped to 0 and
    // passed "unchanged p50 < 2 ms" and "durable vs reference".
    const bench = [
      'bench',
      '--subjects',
      'slow',
      '--writer-cmd',
      `slow=${SLOW_NOOP} {source} {target}`,
      '--writer-noop',
      `slow=${SLOW_NOOP} --noop`,
    ];
    expect(
      await main([
        ...bench,
        '--sizes',
        '1KiB',
        '--modes',
        'durable,unchanged',
        '--samples',
        '12',
        '--trace-writes',
        '0',
        '--out',
        'out',
      ]),
    ).toBe(0);

    const rows = readResultsCsv(path.join(cli.dir, 'out', 'results_raw.csv'));
    const nets = rows.filter((row) => row.subject === 'slow' && row.metric === METRICS.latencyNetP50);
    expect(nets.map((row) => row.mode)).toEqual(['durable', 'unchanged']);
    for (const net of nets) {
      expect(net.value).toBeNull();
      expect(net.detail).toMatch(/^not measurable: noop p50 \d/);
    }
    expect(rows.filter((row) => row.metric === METRICS.spawnOverheadSample).length).toBeGreaterThanOrEqual(10);

    const { code, verdict } = await analyzeJson();
    // Not judged fails nothing on its own, and passes nothing: the verdict names it.
    expect(code).toBe(0);
    const timing = verdict.gates.filter((gate) => gate.subject === 'slow' && gate.id !== 'bench.writes_correct');
    expect(timing.map((gate) => [gate.id, gate.status])).toEqual([
      ['bench.unchanged_p50', 'not_judged'],
      ['bench.durable_vs_reference', 'not_judged'],
    ]);
    for (const gate of timing)
      expect(gate.not_judged).toMatch(
        /^net p50 not measurable: noop p50 .* vs writer p50 .*: (the noop's interval lies above the writer's|the intervals overlap)/,
      );
    const figures = verdict.sections.bench?.line_figures?.filter((line) => line.subject === 'slow') ?? [];
    expect(figures.map((line) => [line.mode, line.net_p50_ms])).toEqual([
      ['durable', null],
      ['unchanged', null],
    ]);
    for (const line of figures) expect(line.net_p50_not_measurable).toMatch(/^not measurable: noop p50 /);

    const report = fs.readFileSync(path.join(cli.dir, 'out', 'RESULTS.md'), 'utf8');
    const gateRows = report
      .split('\n')
      .filter((line) => /^\| (unchanged p50|durable p50 vs reference) · `slow/.test(line));
    expect(gateRows).toHaveLength(2);
    for (const line of gateRows) {
      expect(line).toContain('not judged');
      expect(line).toContain('not measurable');
      expect(line).not.toContain('✅');
    }
    expect(report).toMatch(/\| `slow` \| unchanged \| 1 KiB \| [\d.]+ \| [\d.]+ \| not measurable \|/);

    // --require-judged: what could not be judged fails.
    const strict = await analyzeJson('--require-judged');
    expect(strict.code).toBe(1);
    expect(
      strict.verdict.gates
        .filter((gate) => gate.subject === 'slow' && gate.id !== 'bench.writes_correct')
        .map((gate) => gate.status),
    ).toEqual(['fail', 'fail']);
  });

  it('still gives the python writer with a cheap noop a net figure, and judges it', async () => {
    // A 16 MiB durable write costs the python writer over a hundred ms more than its interpreter's start, which on a
    // quiet machine takes 15–20 ms: clearly measurable, even with other jobs spreading both.
    const bench = [
      'bench',
      '--subjects',
      'py',
      '--writer-cmd',
      `py=/usr/bin/python3 ${PY_WRITER} {source} {target}`,
      '--writer-noop',
      'py=/usr/bin/python3 -c pass',
    ];
    expect(
      await main([
        ...bench,
        '--sizes',
        '16MiB',
        '--modes',
        'durable',
        '--samples',
        '12',
        '--trace-writes',
        '0',
        '--out',
        'out',
      ]),
    ).toBeLessThanOrEqual(1);

    const rows = readResultsCsv(path.join(cli.dir, 'out', 'results_raw.csv'));
    const net = rows.find((row) => row.subject === 'py' && row.metric === METRICS.latencyNetP50);
    expect(net?.detail).toMatch(/measurable: the interval of the noop's p50/);
    expect(net?.value).toBeGreaterThan(0);

    const { verdict } = await analyzeJson();
    const gate = verdict.gates.find((g) => g.id === 'bench.durable_vs_reference' && g.subject === 'py');
    expect(['pass', 'fail']).toContain(gate?.status);
    expect(gate?.detail).toMatch(/net of [\d.]+ ms spawn overhead/);
    const py = verdict.sections.bench?.line_figures?.find((line) => line.subject === 'py');
    expect(py?.net_p50_ms).toBeGreaterThan(0);
    expect(py).not.toHaveProperty('net_p50_not_measurable');
  });
});
