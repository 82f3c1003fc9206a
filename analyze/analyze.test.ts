import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResultsCsv, rowsToCsv } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { makeRow, type ResultRow } from '../core/schema.js';
import { analyze, type AnalyzeOptions } from './analyze.js';
import { figuresFromRows } from './figures.js';
import type { SuiteSection } from './section.js';
import { benchSection } from './sections/bench.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { mermaidBlocks, parseXyChart } from '../test/support/mermaid-xychart.js';

const cli = useCliHarness({ prefix: 'wg-analyze-' });
const out = (): string => path.join(cli.dir, 'out');

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze');
const PASS = path.join(fixtures, 'pass.csv');
const FAIL = path.join(fixtures, 'fail.csv');

function run(options: Partial<AnalyzeOptions> & Pick<AnalyzeOptions, 'inputs'>) {
  return analyze({ outDir: out(), githubStepSummary: null, ...options });
}

function writeCsv(name: string, rows: readonly ResultRow[]): string {
  const file = path.join(cli.dir, name);
  fs.writeFileSync(file, rowsToCsv(rows));
  return file;
}

function report(): string {
  return fs.readFileSync(path.join(out(), 'RESULTS.md'), 'utf8');
}

describe('pass and fail fixtures', () => {
  it('pass.csv passes every gate it can judge, and RESULTS.md leads with the verdict and the gate table', async () => {
    const outcome = await run({ inputs: [PASS] });
    expect(outcome.verdict).toBe('pass');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.counts.fail).toBe(0);
    expect(outcome.counts.no_data).toBe(0);
    // mycmd's small writes cost a few ms over a 30 ms spawn that spreads by ±3 ms: no net p50 to judge, and 30 ms is
    // no bound under 2 ms.
    expect(outcome.counts.not_judged).toBe(4);
    expect(outcome.gates.filter((g) => g.status === 'not_judged').map((g) => [g.id, g.instance])).toEqual([
      ['bench.unchanged_p50', 'mycmd · 1 KiB'],
      ['bench.unchanged_p50', 'mycmd · 128 KiB'],
      ['bench.durable_vs_reference', 'mycmd · 1 KiB'],
      ['bench.durable_vs_reference', 'mycmd · 128 KiB'],
    ]);
    expect(outcome.gates.filter((g) => g.id === 'bench.durable_vs_reference').map((g) => g.instance)).toEqual([
      'write-file-atomic · 1 KiB',
      'write-file-atomic · 128 KiB',
      'write-file-atomic · 8 MiB',
      'mycmd · 1 KiB',
      'mycmd · 128 KiB',
      'mycmd · 8 MiB',
    ]);
    // mycmd's samples include a 30 ms spawn. At 128 KiB (32.8 ms) it hides the write: not measurable, whatever 32.8 −
    // 30 says.
    const small = outcome.gates.find((g) => g.id === 'bench.durable_vs_reference' && g.instance === 'mycmd · 128 KiB');
    expect(small?.figure).toBeNull();
    expect(small?.notJudged).toBe(
      'net p50 not measurable: noop p50 30.0 ms (27.0–33.0 ms, 97% interval ' +
        'of 21 samples) vs writer p50 32.8 ms (29.5–36.1 ms, 97% interval of 21 ' +
        "samples): the intervals overlap, so the write's own time cannot be told " +
        "from the noop's",
    );
    // At 8 MiB (52 ms) the write clears it: the gate reads the net p50, 52 − 30 = 22 ms vs 20 ms.
    expect(
      outcome.gates.find((g) => g.id === 'bench.durable_vs_reference' && g.instance === 'mycmd · 8 MiB')?.figure,
    ).toBeCloseTo(1.1, 9);
    // Peers without write-if-changed and the yardsticks are not held to the unchanged gate.
    expect(outcome.gates.filter((g) => g.id === 'bench.unchanged_p50').map((g) => g.subject)).toEqual([
      'reference',
      'reference',
      'mycmd',
      'mycmd',
    ]);

    const md = report();
    const order = [
      '# writegate results',
      '**Verdict: ✅ PASS — not judged: ',
      '## Gates',
      '## Environment',
      '## Bench',
      '## Inputs',
    ].map((heading) => md.indexOf(heading));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const text of [
      'Fixture CPU @ 3.0GHz',
      'ext4',
      'strace -- version 6.1',
      'git version 2.43.0',
      'v20.17.0',
      '6.1.0',
      'fixture',
      'quick',
    ])
      expect(md).toContain(text);
    expect(md).toContain('### 1 KiB · durable');
    expect(md).toContain('### 8 MiB · fast');
    // Subject names come from the input: shown as inline code (report/markdown.ts untrusted).
    expect(md).toMatch(/\| `reference` \| 2\.00 \| 2\.36 \| 3\.03 \| \d+% \|/);
    expect(md).toMatch(/\| `floor` \| [\d.]+ \| [\d.]+ \| [\d.]+ \| 17% \|/);
    expect(md).toContain('Samples per line: `floor` 21 ·');
    expect(md).toMatch(/\| `mycmd` \| durable \| 1 KiB \| 32\.2 \| 30\.0 \| not measurable \|/);
    expect(md).toMatch(/\| `mycmd` \| durable \| 8 MiB \| 52\.0 \| 30\.0 \| 22\.0 \|/);
    expect(md).toMatch(/^\| `mycmd` \| 32\.2 \|.*\| — ‡ \| — ‡ \|$/m);
    expect(md).toMatch(/\| `reference` \| durable \| 1 KiB \| 2\.00 \(tinybench\) \| 2\.50 \(mitata\) \| \+25% \|/);
    expect(md).toContain('How each figure was obtained');
    expect(md).toContain('strace');
    expect(md).not.toContain('Noisy machine');
    // One folded distribution chart under each size × mode table, and one open p50 bar chart per size (durable), each
    // a valid xychart.
    const bench = md.slice(md.indexOf('## Bench'), md.indexOf('### Transport'));
    const cells = bench.match(/^### \d+ [KM]iB · \w+$/gm) ?? [];
    const charts = mermaidBlocks(bench).map(parseXyChart);
    expect(cells.length).toBeGreaterThan(3);
    expect(charts.filter((chart) => chart.bars.length === 0 && chart.lines.length === 7)).toHaveLength(cells.length);
    expect(charts.filter((chart) => chart.bars.length === 1 && chart.lines.length === 0)).toHaveLength(
      cells.filter((cell) => cell.endsWith('· durable')).length,
    );
    expect(
      bench.match(/<summary>Latency distribution, p5 to max \(0 of \d+ lines with CV above 50%\)<\/summary>/g),
    ).toHaveLength(cells.length);
  });

  it('warns when lines are too noisy to trust a close call', async () => {
    const rows = readResultsCsv(PASS).filter(
      (row) =>
        !(
          row.subject === 'reference' &&
          row.mode === 'durable' &&
          row.size_bytes === 1024 &&
          row.metric === 'latency_ms'
        ),
    );
    const runId = rows[0]?.run_id as string;
    [1, 1, 1, 1, 1, 1, 40].forEach((value, sample) =>
      rows.push(
        makeRow(runId, {
          suite: 'bench',
          scenario: 'write',
          subject: 'reference',
          mode: 'durable',
          size_bytes: 1024,
          metric: 'latency_ms',
          value,
          sample,
          engine: 'tinybench',
        }),
      ),
    );
    await run({ inputs: [writeCsv('noisy.csv', rows)] });
    expect(report()).toMatch(
      /⚠ \*\*Noisy machine:\*\* 1 of \d+ lines have a CV above 50% \(worst: `reference` durable 1 KiB \d+%\)/,
    );
    const cell = report().slice(report().indexOf('### 1 KiB · durable'), report().indexOf('### 1 KiB · fast'));
    expect(cell).toMatch(/^\| `reference` \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d{3}% ⚠ \|/m);
    expect(cell.match(/% ⚠ \|/g)).toHaveLength(1);
    expect(cell).toMatch(/<summary>Latency distribution, p5 to max \(1 of \d+ lines with CV above 50%\)<\/summary>/);
  });

  it('fail.csv fails exactly the two regressions, judged from the samples', async () => {
    const outcome = await run({ inputs: [FAIL] });
    expect(outcome.verdict).toBe('fail');
    expect(outcome.exitCode).toBe(1);
    const failed = outcome.gates.filter((g) => g.status === 'fail');
    expect(failed.map((g) => [g.id, g.instance])).toEqual([
      ['bench.unchanged_p50', 'reference · 1 KiB'],
      ['bench.durable_vs_reference', 'write-file-atomic · 128 KiB'],
    ]);
    expect(failed[0]?.figure).toBeCloseTo(3, 12);
    // bench's summary row claims 2.5 ms (a pass); the samples say 4.0 ms.
    expect(failed[1]?.figure).toBeCloseTo(1.6, 12);
    const md = report();
    expect(md).toContain('**Verdict: ❌ FAIL — not judged: ');
    expect(md).toMatch(
      /\| durable p50 vs reference · `write-file-atomic · 128 KiB` \| 1\.60× \(4\.00 ms \/ 2\.50 ms\) \| ≤ 1\.25× reference \| ❌ \*\*FAIL\*\* \| default target: durable safety costs at most 25% over a safe baseline \|/,
    );
    expect(md).toContain('| `write-file-atomic` ❌ | 4.00 |');
  });

  it('a net p50 that is not measurable passes "unchanged < 2 ms" only on a gross p50 already under it', async () => {
    const rows = readResultsCsv(PASS).filter((row) => row.subject !== 'mycmd');
    const runId = rows[0]?.run_id as string;
    const add = (
      subject: string,
      scenario: string,
      mode: string,
      size: number | null,
      metric: string,
      values: readonly number[],
    ) =>
      values.forEach((value, sample) =>
        rows.push(
          makeRow(runId, {
            suite: 'bench',
            scenario,
            subject,
            mode,
            size_bytes: size,
            metric,
            value,
            sample,
            unit: 'ms',
            engine: scenario === 'write' ? 'tinybench' : '',
          }),
        ),
      );
    const spread = (center: number) => Array.from({ length: 21 }, (_, i) => center * (1 + (i - 10) * 0.01));
    // A driver whose skip costs about its round trip (0.30 vs 0.31 ms), and a per-op command whose skip costs about
    // its spawn.
    for (const [subject, noop, skip] of [
      ['drv', 0.3, 0.31],
      ['cmd', 30, 30.5],
    ] as const) {
      add(subject, 'calibration', '', null, 'spawn_overhead_sample_ms', spread(noop));
      for (const size of [1024, 128 * 1024]) add(subject, 'write', 'unchanged', size, 'latency_ms', spread(skip));
    }
    const outcome = await run({ inputs: [writeCsv('bounds.csv', rows)] });
    const gates = outcome.gates.filter((g) => g.id === 'bench.unchanged_p50' && g.subject !== 'reference');
    expect(gates.map((g) => [g.instance, g.status])).toEqual([
      ['drv · 1 KiB', 'pass'],
      ['drv · 128 KiB', 'pass'],
      ['cmd · 1 KiB', 'not_judged'],
      ['cmd · 128 KiB', 'not_judged'],
    ]);
    expect(gates[0]?.detail).toMatch(
      /^drv · 1 KiB: 0\.310 ms, needs < 2 ms \(gross p50, spawn cost included: an upper bound of the net p50, which is not measurable: noop p50 0\.300 ms/,
    );
    expect(gates[2]?.notJudged).toMatch(
      /^net p50 not measurable: noop p50 30\.0 ms .* vs writer p50 30\.5 ms .*: the intervals overlap/,
    );
  });

  it('a thresholds file can move a bar and switch a gate off, and the report says so', async () => {
    const outcome = await run({ inputs: [FAIL], thresholdsFile: path.join(fixtures, 'thresholds-relaxed.json') });
    expect(outcome.verdict).toBe('pass');
    expect(outcome.counts.disabled).toBe(1);
    const durable = outcome.gates.find(
      (g) => g.id === 'bench.durable_vs_reference' && g.instance === 'write-file-atomic · 128 KiB',
    );
    expect(durable?.status).toBe('pass');
    expect(durable?.threshold).toBe('≤ 1.75× reference');
    expect(durable?.source).toBe(
      'thresholds-relaxed.json (default 1.25×, default target: durable safety costs at most 25% over a safe baseline)',
    );
    const md = report();
    expect(md).toContain('⏸ disabled');
    expect(md).toContain('fixture: the reference skip path is under rework');
  });
});

describe('shards and missing data', () => {
  it("merges shards from different runs into the same figures, with each run's environment", async () => {
    const rows = readResultsCsv(PASS);
    const env = rows.filter((row) => row.suite === 'env');
    const data = rows.filter((row) => row.suite !== 'env');
    const shard = (runId: string, part: ResultRow[], machine: string) => [
      ...env.map((row) => ({ ...row, run_id: runId, detail: row.metric === 'machine_class' ? machine : row.detail })),
      ...part.map((row) => ({ ...row, run_id: runId })),
    ];
    const odd = data.filter((_, i) => i % 2 === 1);
    const even = data.filter((_, i) => i % 2 === 0);
    const a = writeCsv('a.csv', shard('run-a', even, 'class-1'));
    const b = writeCsv('b.csv', shard('run-b', odd, 'class-2'));

    const whole = await run({ inputs: [PASS] });
    const merged = await run({ inputs: [a, b] });
    const figures = (outcome: typeof whole) => outcome.gates.map((g) => [g.id, g.instance, g.figure]);
    expect(figures(merged)).toEqual(figures(whole));
    expect(merged.inputs).toEqual([a, b]);
    const md = report();
    expect(md).toMatch(/\|  \| `run-a` \| `run-b` \|/);
    expect(md).toContain('2 machine classes');
  });

  it('reads a file given twice once, and does not double-count repeated rows', async () => {
    const copy = path.join(cli.dir, 'copy.csv');
    fs.copyFileSync(PASS, copy);
    const once = await run({ inputs: [PASS] });
    const twice = await run({ inputs: [PASS, PASS, copy] });
    expect(twice.gates.map((g) => g.figure)).toEqual(once.gates.map((g) => g.figure));
    const md = report();
    expect(md).toContain('was given more than once');
    expect(md).toMatch(/\d+ row\(s\) repeated verbatim/);
  });

  it('a gate without data is shown as no data, is not a pass, and does not fail the verdict', async () => {
    const rows = readResultsCsv(PASS).filter(
      (row) => !(row.subject === 'mycmd' && row.mode === 'unchanged' && row.size_bytes === 128 * 1024),
    );
    const outcome = await run({ inputs: [writeCsv('gap.csv', rows)] });
    expect(outcome.verdict).toBe('pass');
    const missing = outcome.gates.filter((g) => g.status === 'no_data');
    expect(missing.map((g) => [g.id, g.instance])).toEqual([['bench.unchanged_p50', 'mycmd · 128 KiB']]);
    const md = report();
    expect(md).toContain('1 no data');
    expect(md).toContain('**not checked**');
    expect(md).toContain(
      '| unchanged p50 · `mycmd · 128 KiB` | — (no latency_p50_ms figure at 128 KiB) | < 2 ms | ⚪ no data |',
    );
  });

  it('a run of 1 KiB only has no 128 KiB gate rows: sizes not run are left out, not shown as no data', async () => {
    const rows = readResultsCsv(PASS).filter((row) => row.size_bytes === null || row.size_bytes === 1024);
    const outcome = await run({ inputs: [writeCsv('small.csv', rows)] });
    expect(outcome.verdict).toBe('pass');
    expect(outcome.counts.no_data).toBe(0);
    expect(
      outcome.gates.filter((g) => g.size_bytes !== null && g.size_bytes !== undefined && g.size_bytes !== 1024),
    ).toEqual([]);
    // The 1 KiB instances of the same gates are still judged.
    expect(outcome.gates.filter((g) => g.id === 'bench.unchanged_p50').map((g) => [g.instance, g.status])).toEqual([
      ['reference · 1 KiB', 'pass'],
      ['mycmd · 1 KiB', 'not_judged'],
    ]);
    // The table's rows only: the gate descriptions below it still name the sizes a gate covers.
    const tableRows = (report().split('## Gates')[1]?.split('\n## ')[0] ?? '')
      .split('\n')
      .filter((line) => line.startsWith('|'));
    expect(tableRows.join('\n')).toContain('unchanged p50 · `reference · 1 KiB`');
    expect(tableRows.filter((line) => line.includes('128 KiB') || line.includes('no data'))).toEqual([]);
  });

  it('a failed or wrong write fails its line, and its timings do not count', async () => {
    const rows = readResultsCsv(PASS).filter(
      (row) =>
        !(
          row.subject === 'write-file-atomic' &&
          row.mode === 'durable' &&
          row.size_bytes === 1024 &&
          row.metric === 'latency_ms'
        ),
    );
    const runId = rows[0]?.run_id as string;
    rows.push(
      makeRow(runId, {
        suite: 'bench',
        scenario: 'write',
        subject: 'write-file-atomic',
        mode: 'durable',
        size_bytes: 1024,
        metric: 'write_errors',
        value: 1,
        detail: 'EACCES: permission denied',
      }),
    );
    const outcome = await run({ inputs: [writeCsv('errors.csv', rows)] });
    expect(outcome.verdict).toBe('fail');
    const bad = outcome.gates.filter((g) => g.status !== 'pass' && g.status !== 'not_judged');
    expect(bad.map((g) => [g.id, g.instance, g.status])).toEqual([
      ['bench.writes_correct', 'write-file-atomic · durable · 1 KiB', 'fail'],
      ['bench.durable_vs_reference', 'write-file-atomic · 1 KiB', 'no_data'],
      ['bench.fast_vs_durable', 'write-file-atomic · 1 KiB', 'no_data'],
    ]);
    expect(bad[0]?.detail).toContain('EACCES: permission denied');
  });
});

describe('bad input writes nothing', () => {
  // Beside a good shard, so one bad shard is enough to stop the whole analysis.
  it.each([
    ['malformed.csv', [PASS], /malformed\.csv: not a valid CSV \(Quote Not Closed.* line 3/],
    ['missing-column.csv', [PASS], /missing-column\.csv: missing column\(s\) engine/],
    ['non-numeric.csv', [PASS], /non-numeric\.csv:3: column value is not a number: "fast"/],
    ['does-not-exist.csv', [PASS], /does-not-exist\.csv: cannot read \(ENOENT\)/],
    ['header-only.csv', [], /header-only\.csv: no measurement rows/],
  ])('%s', async (name, others, expected) => {
    const inputs = [...others, path.join(fixtures, 'bad', name)];
    const error = await run({ inputs }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toContain('\n');
    expect(fs.existsSync(out())).toBe(false);
  });

  it('a bad thresholds file leaves an earlier RESULTS.md exactly as it was', async () => {
    await run({ inputs: [PASS] });
    const before = fs.readFileSync(path.join(out(), 'RESULTS.md'));
    const mtime = fs.statSync(path.join(out(), 'RESULTS.md')).mtimeMs;
    await expect(
      run({ inputs: [FAIL], thresholdsFile: path.join(fixtures, 'bad', 'thresholds-wrong-type.json') }),
    ).rejects.toThrow(/threshold/);
    expect(fs.readFileSync(path.join(out(), 'RESULTS.md'))).toEqual(before);
    expect(fs.statSync(path.join(out(), 'RESULTS.md')).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(out())).toEqual(['RESULTS.md']);
  });
});

describe('GitHub Actions', () => {
  it('appends the gate table to the step summary and annotates failing gates on stdout', async () => {
    const summary = path.join(cli.dir, 'step-summary.md');
    fs.writeFileSync(summary, 'earlier step\n');
    await run({ inputs: [FAIL], githubStepSummary: summary });
    const text = fs.readFileSync(summary, 'utf8');
    expect(text.startsWith('earlier step\n# writegate results')).toBe(true);
    expect(text).toContain('| Gate | Figure | Threshold | Result | Source |');
    expect(text).not.toContain('## Bench');
    const annotations = cli.stdout.trim().split('\n');
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(
      /^::error title=writegate gate bench\.unchanged_p50::unchanged p50 needs < 2 ms \(default target: skipping identical content costs almost nothing\); failing: reference · 1 KiB 3\.00 ms$/,
    );
    expect(annotations[1]).toMatch(/^::error title=writegate gate bench\.durable_vs_reference::/);
  });

  it('with --json the annotations go to cli.stderr, keeping cli.stdout parseable', async () => {
    await run({ inputs: [FAIL], githubStepSummary: path.join(cli.dir, 'summary.md'), json: true });
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toContain('::error title=writegate gate bench.unchanged_p50::');
  });
});

describe('sections plug in', () => {
  it("an unregistered suite's rows are listed, and plainly not gated", async () => {
    const rows = readResultsCsv(PASS);
    const runId = rows[0]?.run_id as string;
    rows.push(
      makeRow(runId, {
        suite: 'crash',
        scenario: 'kill',
        subject: 'reference',
        size_bytes: 1024,
        metric: 'corruption_rate',
        value: 0,
      }),
    );
    const outcome = await run({ inputs: [writeCsv('with-crash.csv', rows)], sections: [benchSection] });
    expect(outcome.suites.analyzed).toEqual(['bench', 'crash']);
    expect(report()).toContain('no crash gate was evaluated');
  });

  it('a registered section brings its gates, reads its own extra file, and can excuse a known difference', async () => {
    const knownFile = path.join(cli.dir, 'known.json');
    fs.writeFileSync(knownFile, JSON.stringify({ 'push-no-remote': 'prints a compact error' }));
    const paritySection: SuiteSection = {
      suite: 'parity',
      title: 'Parity',
      gates: [
        {
          id: 'parity.exit_code',
          suite: 'parity',
          title: 'exit code match',
          metric: 'exit_code_match',
          selector: {},
          comparison: '==',
          threshold: 1,
          unit: 'count',
          source: 'default target',
          description: 'per case',
        },
      ],
      prepare({ rows, files }) {
        let known: Record<string, string> = {};
        if (files.knownDifferences) {
          try {
            known = JSON.parse(fs.readFileSync(files.knownDifferences, 'utf8')) as Record<string, string>;
          } catch {
            throw new InputError(`${files.knownDifferences}: not valid JSON`);
          }
        }
        const figures = figuresFromRows(rows).map((f) => (known[f.scenario] ? { ...f, known: known[f.scenario] } : f));
        return { figures, render: (gates) => `## Parity\n\n${gates.length} gate instance(s).` };
      },
    };
    const rows = [
      ...readResultsCsv(PASS).filter((row) => row.suite === 'env'),
      makeRow('20250101T000000Z-a1a1a1', {
        suite: 'parity',
        scenario: 'commit-ok',
        subject: 'w',
        metric: 'exit_code_match',
        value: 1,
      }),
      makeRow('20250101T000000Z-a1a1a1', {
        suite: 'parity',
        scenario: 'push-no-remote',
        subject: 'w',
        metric: 'exit_code_match',
        value: 0,
      }),
    ];
    const input = writeCsv('parity.csv', rows);
    const outcome = await run({ inputs: [input], sections: [paritySection], knownDifferencesFile: knownFile });
    expect(outcome.gates.map((g) => [g.instance, g.status])).toEqual([
      ['w · commit-ok', 'pass'],
      ['w · push-no-remote', 'known'],
    ]);
    expect(outcome.verdict).toBe('pass');
    expect(report()).toContain('## Parity');

    fs.rmSync(out(), { recursive: true });
    fs.writeFileSync(knownFile, '{ nope');
    await expect(run({ inputs: [input], sections: [paritySection], knownDifferencesFile: knownFile })).rejects.toThrow(
      /known\.json: not valid JSON/,
    );
    expect(fs.existsSync(out())).toBe(false);
  });

  it('--suites limits which gates are evaluated', async () => {
    const outcome = await run({ inputs: [PASS], suites: ['parity'] });
    expect(outcome.suites.analyzed).toEqual(['parity']);
    expect(outcome.gates.filter((g) => g.suite === 'bench')).toEqual([]);
  });
});
