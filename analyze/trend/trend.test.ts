import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import {
  interleavedArms,
  runIdOfDay,
  syntheticRun,
  type SyntheticSeries,
} from '../../test/fixtures/trend/synthetic.js';
import { mermaidBlocks, parseXyChart } from '../../test/support/mermaid-xychart.js';
import { appendToHistory, loadHistory } from '../history/store.js';
import { DEFAULT_POLICIES } from '../regression/policy.js';
import { regressionGates } from './gates.js';
import { trendJson } from './json.js';
import { renderTrendSection } from './markdown.js';
import { prepareTrend } from './prepare.js';

const CLASS = 'Linux|x64|synthetic cpu|2cpu|ext4';
const slowed: SyntheticSeries = { subject: 'slowed', median: 2, sigma: 0.05, samples: 100, extra: { content_ok: 1 } };
const noisy: SyntheticSeries = { subject: 'noisy', median: 1.5, sigma: 0.3, burst: 0.7, spikes: 0.04, samples: 100 };
/** Nightly levels of the whole run: a few percent of drift, as one runner class shows. */
const LEVELS = [1, 1.04, 0.97, 1.02, 0.99, 1.05];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-trend-'));
  LEVELS.forEach((level, day) =>
    appendToHistory(
      dir,
      syntheticRun({
        runId: runIdOfDay(day),
        seed: day + 1,
        series: [slowed, noisy],
        runFactor: level,
        machineClass: CLASS,
      }),
      DEFAULT_POLICIES,
    ),
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Tonight: `slowed` really is 30% slower; `noisy` is the same code as every night. */
function tonight(day: number, seed: number, slowFactor: number) {
  return syntheticRun({
    runId: runIdOfDay(day),
    seed,
    series: [{ ...slowed, median: slowed.median * slowFactor }, noisy],
    machineClass: CLASS,
  });
}

const find = (
  findings: ReturnType<typeof prepareTrend>['report']['history'],
  subject: string,
  metric = 'latency_p50_ms',
) => findings.find((f) => f.key.subject === subject && f.key.metric === metric)!;

describe('trend against a history of six runs', () => {
  it('suspects the slowed subject, confirms it on re-measure, and leaves the noisy one unchanged', () => {
    const first = prepareTrend({ current: tonight(10, 77, 1.3), history: { dir } }).report;
    expect(find(first.history, 'slowed').status).toBe('suspected');
    expect(find(first.history, 'noisy').status).toBe('unchanged');
    expect(first.verdict).toBe('pass');
    expect(first.remeasure).toEqual([
      {
        suite: 'bench',
        subjects: ['slowed'],
        sizes: [1024],
        modes: ['durable'],
        args: ['--subjects', 'slowed', '--sizes', '1024', '--modes', 'durable'],
      },
    ]);

    const confirmed = prepareTrend({
      current: tonight(10, 77, 1.3),
      history: { dir },
      remeasure: tonight(11, 78, 1.3),
    }).report;
    expect(find(confirmed.history, 'slowed')).toMatchObject({ status: 'regression', confirmation: 'confirmed' });
    expect(find(confirmed.history, 'noisy').status).toBe('unchanged');
    expect(confirmed.verdict).toBe('fail');

    const cleared = prepareTrend({
      current: tonight(10, 77, 1.3),
      history: { dir },
      remeasure: tonight(11, 79, 1.0),
    }).report;
    expect(find(cleared.history, 'slowed')).toMatchObject({ status: 'not_reproduced', confirmation: 'not_reproduced' });
    expect(cleared.verdict).toBe('pass');
  });

  it('renders the gate table first, then one Mermaid chart per gated series, then the noise figures', () => {
    const report = prepareTrend({
      current: tonight(10, 77, 1.3),
      history: { dir },
      remeasure: tonight(11, 78, 1.3),
    }).report;
    const markdown = renderTrendSection(report);
    const table = markdown.indexOf('| Series | Now | Median | Δ | Verdict |');
    const chart = markdown.indexOf('xychart-beta');
    const noise = markdown.indexOf('### Noise');
    expect(
      markdown.startsWith('## Regressions and trend\n\n**❌ FAIL** — 5 series compared: 2 regression, 3 unchanged.'),
    ).toBe(true);
    expect(table).toBeGreaterThan(0);
    expect(chart).toBeGreaterThan(table);
    expect(noise).toBeGreaterThan(chart);
    // Series labels are built from the input's names: inline code in a table, a <code> element in a <summary>.
    expect(markdown).toMatch(
      /\| `write · slowed · durable · 1 KiB · p50` \| 2\.\d\d ms \| 2\.\d\d ms \| \+\d\d% \| ❌ regression \(confirmed\) \|/,
    );
    expect(markdown).toContain(
      '<details><summary><code>write · slowed · durable · 1 KiB · p50</code> — ❌ regression (confirmed)</summary>',
    );
    // Six earlier runs and this one: seven points on the chart's x axis, the last one "now".
    expect(markdown).toContain('x-axis ["03-01", "03-02", "03-03", "03-04", "03-05", "03-06", "now"]');
    const charts = mermaidBlocks(markdown);
    expect(charts.length).toBe(4); // p50 and p95 of two subjects; content_ok held 1 every night
    for (const chart of charts) expect(parseXyChart(chart).lines[0]).toHaveLength(7);
    expect(markdown).toContain('1 correctness series held the same value in every run of the window; no chart.');
    expect(markdown).toMatch(/\| `write · noisy · durable · 1 KiB` \| \d+\.\d% \| \d+\.\d% \| 100 \|/);
  });

  it('says in --json what the report says', () => {
    const report = prepareTrend({
      current: tonight(10, 77, 1.3),
      history: { dir },
      remeasure: tonight(11, 78, 1.3),
    }).report;
    const json = trendJson(report) as {
      verdict: string;
      history: {
        window_runs: number;
        findings: { subject: string; metric: string; status: string; confirmation?: string }[];
      };
    };
    expect(json.verdict).toBe('fail');
    expect(json.history.window_runs).toBe(6);
    const statuses = Object.fromEntries(
      json.history.findings
        .filter((f) => f.metric === 'latency_p50_ms')
        .map((f) => [f.subject, [f.status, f.confirmation ?? '']]),
    );
    expect(statuses).toEqual({ noisy: ['unchanged', ''], slowed: ['regression', 'confirmed'] });
  });

  it('appends this run only on commit, so bad input leaves the history as it was', () => {
    const prepared = prepareTrend({ current: tonight(10, 77, 1), history: { dir } });
    expect(loadHistory(dir, CLASS)).toHaveLength(6);
    prepared.commit();
    expect(loadHistory(dir, CLASS)).toHaveLength(7);
    expect(() =>
      prepareTrend({
        current: tonight(12, 1, 1),
        history: { dir },
        remeasure: syntheticRun({ runId: runIdOfDay(13), seed: 2, series: [slowed], machineClass: 'other' }),
      }),
    ).toThrow(/same class/);
    expect(loadHistory(dir, CLASS)).toHaveLength(7);
  });

  it('refuses a re-measure without history', () => {
    expect(() => prepareTrend({ current: tonight(10, 1, 1), remeasure: tonight(11, 2, 1) })).toThrow(InputError);
  });
});

describe('trend against a baseline', () => {
  it('judges head against base in the same report', () => {
    // 20 interleaved rounds, as the PR workflow measures: with realistic run-to-run spread, fewer miss a +30% now and
    // then.
    const { base, head } = interleavedArms({
      rounds: 20,
      seed: 5,
      base: [slowed, noisy],
      head: [{ ...slowed, median: slowed.median * 1.3 }, noisy],
      machineClass: CLASS,
    });
    const report = prepareTrend({ baseline: base, current: head }).report;
    expect(find(report.baseline, 'slowed').status).toBe('regression');
    expect(find(report.baseline, 'noisy').status).toBe('unchanged');
    expect(report.verdict).toBe('fail');
    expect(report.notes).toEqual([]);
    const markdown = renderTrendSection(report, { baselineNames: ['main@abc123'] });
    expect(markdown).toContain('### Against the baseline (`main@abc123`)');
    expect(markdown).not.toContain('xychart-beta');
  });

  it('from one run per arm, shows a 30% slowdown as unconfirmed, to re-measure interleaved, and passes', () => {
    const base = syntheticRun({
      runId: runIdOfDay(0, 'base01'),
      seed: 5,
      series: [slowed, noisy],
      machineClass: CLASS,
    });
    const report = prepareTrend({ baseline: base, current: tonight(0, 6, 1.3) }).report;
    expect(find(report.baseline, 'slowed').status).toBe('unconfirmed');
    expect(report.verdict).toBe('pass');
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(
      /^4 timing series against the baseline come from a single run in an arm: .* 2 change\(s\) beyond the minimum effect read "unconfirmed — re-measure interleaved" \(not a failure\)/,
    );
    const markdown = renderTrendSection(report);
    expect(markdown).toMatch(/^\*\*✅ PASS\*\* — \d+ series compared: 2 unconfirmed — re-measure interleaved, /m);
    expect(markdown).toMatch(
      /\| `write · slowed · durable · 1 KiB · p50` \| 2\.\d\d ms \| 2\.\d\d ms \| \+\d\d% \| ❔ unconfirmed — re-measure interleaved \|/,
    );
    const gates = regressionGates(report);
    const p50 = gates.filter((g) => g.id === 'bench.no_regression.latency_p50_ms');
    expect(p50.map((g) => [g.instance, g.status])).toEqual([
      ['vs base', 'pass'],
      ['vs base · unconfirmed', 'no_data'],
    ]);
    expect(p50[0]!.figureText).toBe('0 of 1 series (1 unconfirmed, re-measure interleaved)');
    expect(p50[1]!.detail).toMatch(
      /^vs base · unconfirmed: not judged, with a single run in an arm a change cannot be told from how far whole runs move; re-measure interleaved: write · slowed · durable · 1 KiB · p50 \+\d\d%$/,
    );
  });

  it('from one run per arm with every timing series unconfirmed, the gate is a no-data instance that says why', () => {
    const base = syntheticRun({ runId: runIdOfDay(0, 'base01'), seed: 5, series: [slowed], machineClass: CLASS });
    const report = prepareTrend({
      baseline: base,
      current: syntheticRun({
        runId: runIdOfDay(0, 'head01'),
        seed: 6,
        series: [{ ...slowed, median: slowed.median * 1.5 }],
        machineClass: CLASS,
      }),
    }).report;
    const p50 = regressionGates(report).filter((g) => g.id === 'bench.no_regression.latency_p50_ms');
    expect(p50).toHaveLength(1);
    expect(p50[0]).toMatchObject({
      instance: 'vs base',
      status: 'no_data',
      detail: 'vs base: not judged: 1 unconfirmed, re-measure interleaved',
    });
  });
});
