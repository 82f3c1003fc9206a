/**
 * `writegate analyze` with --baseline, --history and --remeasure, end to end through the CLI, on
 * seeded synthetic result sets (no timing): the verdicts are known because the data was made so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { rowsToCsv } from '../core/csv.js';
import type { ResultRow } from '../core/schema.js';
import { interleavedArms, runIdOfDay, syntheticRun, type SyntheticSeries } from '../test/fixtures/trend/synthetic.js';
import { useCliHarness } from '../test/support/cli-harness.js';

const cli = useCliHarness({ prefix: 'wg-trend-cli-' });

const CLASS = 'Linux|x64|synthetic cpu|2cpu|ext4';
const steady = (subject: string, size = 1024, median = 2): SyntheticSeries => ({
  subject,
  size_bytes: size,
  median,
  sigma: 0.05,
  samples: 80,
  extra: { content_ok: 1 },
});
const noisy = (size = 1024): SyntheticSeries => ({
  subject: 'noisy',
  size_bytes: size,
  median: 1.5,
  sigma: 0.3,
  burst: 0.7,
  spikes: 0.04,
  samples: 80,
  extra: { content_ok: 1 },
});

function csv(name: string, rows: readonly ResultRow[]): string {
  const file = path.join(cli.dir, name);
  fs.writeFileSync(file, rowsToCsv(rows));
  return file;
}

async function analyze(...args: string[]): Promise<number> {
  cli.clear();
  process.exitCode = undefined;
  return main(['analyze', ...args]);
}

/** Base and head in 20 interleaved rounds, as the PR workflow measures them, with realistic run-to-run spread. */
const rounds = (seed: number, base: SyntheticSeries[], head: SyntheticSeries[]) =>
  interleavedArms({ rounds: 20, seed, base, head, machineClass: CLASS });

describe('analyze --baseline', () => {
  it('fails on a slowed subject, passes the noisy unchanged one, and says so in RESULTS.md, trend.json and --json', async () => {
    const arms = rounds(1, [steady('slowed'), noisy()], [steady('slowed', 1024, 2.5), noisy()]);
    const [base, head] = [csv('base.csv', arms.base), csv('head.csv', arms.head)];
    const out = path.join(cli.dir, 'out');
    expect(await analyze(head, '--baseline', base, '--out', out, '--json')).toBe(1);
    const json = JSON.parse(cli.stdout) as {
      verdict: string;
      gates: { id: string; status: string; instance: string }[];
      sections: { trend: { verdict: string; baseline: { subject: string; metric: string; status: string }[] } };
    };
    expect(json.verdict).toBe('fail');
    expect(json.gates.find((g) => g.id === 'bench.no_regression.latency_p50_ms')).toMatchObject({
      status: 'fail',
      instance: 'vs base',
    });
    const p50 = Object.fromEntries(
      json.sections.trend.baseline.filter((f) => f.metric === 'latency_p50_ms').map((f) => [f.subject, f.status]),
    );
    expect(p50).toEqual({ noisy: 'unchanged', slowed: 'regression' });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'trend.json'), 'utf8'))).toEqual(json.sections.trend);
    const report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(report.indexOf('## Gates')).toBeLessThan(report.indexOf('## Regressions and trend'));
    expect(report).toMatch(/\| no p50 regression · vs base \| 1 of 2 series \| 0 regressions \| ❌ \*\*FAIL\*\* \|/);
  });

  it(
    'from one run per arm, shows a large slowdown as unconfirmed in RESULTS.md ' +
      'and --json, and exits 0; a lost write still fails',
    async () => {
      const base = csv(
        'base.csv',
        syntheticRun({
          runId: '20260301T010000Z-base01',
          seed: 1,
          series: [steady('slowed'), noisy()],
          machineClass: CLASS,
        }),
      );
      const head = csv(
        'head.csv',
        syntheticRun({
          runId: '20260301T010100Z-head01',
          seed: 2,
          series: [steady('slowed', 1024, 2.5), noisy()],
          machineClass: CLASS,
        }),
      );
      const out = path.join(cli.dir, 'out');
      expect(await analyze(head, '--baseline', base, '--out', out, '--json')).toBe(0);
      const json = JSON.parse(cli.stdout) as {
        verdict: string;
        gates: { id: string; status: string; instance: string; detail: string }[];
        sections: { trend: { baseline: { subject: string; metric: string; status: string; runs: unknown }[] } };
      };
      expect(json.verdict).toBe('pass');
      const p50 = json.sections.trend.baseline.find((f) => f.subject === 'slowed' && f.metric === 'latency_p50_ms');
      expect(p50).toMatchObject({ status: 'unconfirmed', runs: { base: 1, head: 1 } });
      const unconfirmed = json.gates.find(
        (g) => g.id === 'bench.no_regression.latency_p50_ms' && g.instance === 'vs base · unconfirmed',
      );
      expect(unconfirmed).toMatchObject({ status: 'no_data' });
      expect(unconfirmed!.detail).toMatch(/re-measure interleaved: write · slowed · durable · 1 KiB · p50 \+\d+%$/);
      const report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
      expect(report).toMatch(
        /\| no p50 regression · vs base · unconfirmed \| — \(not judged, with a single run in an arm a change cannot be told from how far whole runs move; re-measure interleaved: `write · slowed · durable · 1 KiB · p50 \+\d+%`\) \| 0 regressions \| ⚪ no data \|/,
      );
      expect(report).toMatch(
        /\| `write · slowed · durable · 1 KiB · p50` \| .* \| ❔ unconfirmed — re-measure interleaved \|/,
      );
      expect(report).toMatch(/^> \d+ timing series against the baseline come from a single run in an arm/m);

      const lost = csv(
        'lost.csv',
        syntheticRun({
          runId: '20260301T010100Z-head01',
          seed: 2,
          series: [{ ...steady('slowed', 1024, 2.5), extra: { content_ok: 0.99 } }, noisy()],
          machineClass: CLASS,
        }),
      );
      expect(await analyze(lost, '--baseline', base, '--out', path.join(cli.dir, 'lost'), '--json')).toBe(1);
      const failed = (JSON.parse(cli.stdout) as typeof json).gates
        .filter((g) => g.status === 'fail' && g.id.includes('.no_regression.'))
        .map((g) => `${g.id} ${g.instance}`);
      expect(failed).toEqual(['bench.no_regression.content_ok vs base']);
    },
  );

  it('merges shards to the same verdict as one unsharded run of the same scenarios', async () => {
    const series = (factor: number) => [steady('w', 1024, 2 * factor), steady('w', 131072, 3 * factor), noisy(1024)];
    const { base: unshardedBase, head: unshardedHead } = rounds(11, series(1), series(1.2));
    // Shards: the same measurements split by size, each shard's every round with its own run id and environment, as a
    // job matrix makes them.
    const shard = (rows: ResultRow[], small: boolean, suffix: string) =>
      rows
        .filter((row) => row.suite === 'env' || (row.size_bytes === 1024) === small)
        .map((row) => ({ ...row, run_id: `${row.run_id}${suffix}` }));
    const single = path.join(cli.dir, 'single');
    const sharded = path.join(cli.dir, 'sharded');
    expect(
      await analyze(
        csv('head.csv', unshardedHead),
        '--baseline',
        csv('base.csv', unshardedBase),
        '--out',
        single,
        '--json',
      ),
    ).toBe(1);
    const one = JSON.parse(cli.stdout) as { gates: unknown[]; sections: { trend: unknown } };
    const baseShards = [
      csv('b1.csv', shard(unshardedBase, true, 'shard1')),
      csv('b2.csv', shard(unshardedBase, false, 'shard2')),
    ];
    const headShards = [
      csv('h2.csv', shard(unshardedHead, false, 'shard2')),
      csv('h1.csv', shard(unshardedHead, true, 'shard1')),
    ];
    expect(await analyze(...headShards, '--baseline', baseShards.join(','), '--out', sharded, '--json')).toBe(1);
    const merged = JSON.parse(cli.stdout) as { gates: unknown[]; sections: { trend: unknown } };
    expect(merged.gates).toEqual(one.gates);
    expect(merged.sections.trend).toEqual(one.sections.trend);
  });

  it('takes the minimum effect per metric from --regression-policy, and refuses one on a correctness metric', async () => {
    const base = csv(
      'base.csv',
      syntheticRun({ runId: '20260301T010000Z-base01', seed: 1, series: [steady('slowed')], machineClass: CLASS }),
    );
    const head = csv(
      'head.csv',
      syntheticRun({
        runId: '20260301T010100Z-head01',
        seed: 2,
        series: [steady('slowed', 1024, 2.5)],
        machineClass: CLASS,
      }),
    );
    const lenient = path.join(cli.dir, 'lenient.json');
    fs.writeFileSync(
      lenient,
      JSON.stringify({ metrics: { latency_p50_ms: { minEffect: 0.5 }, latency_p95_ms: { gate: false } } }),
    );
    expect(
      await analyze(head, '--baseline', base, '--regression-policy', lenient, '--out', path.join(cli.dir, 'a')),
    ).toBe(0);
    const report = fs.readFileSync(path.join(cli.dir, 'a', 'RESULTS.md'), 'utf8');
    expect(report).toMatch(
      /no p50 regression · vs base \| 0 of 1 series .*regression rule: worse by > 50% and significant/,
    );
    expect(report).toMatch(/no p95 regression · vs base .*⏸ disabled/);
    const wrong = path.join(cli.dir, 'wrong.json');
    fs.writeFileSync(wrong, JSON.stringify({ metrics: { content_ok: { minEffect: 0.1 } } }));
    expect(
      await analyze(head, '--baseline', base, '--regression-policy', wrong, '--out', path.join(cli.dir, 'b')),
    ).toBe(2);
    expect(cli.stderr).toMatch(/wrong\.json: metrics\.content_ok\.minEffect: .*no noise allowance/);
    expect(fs.existsSync(path.join(cli.dir, 'b'))).toBe(false);
  });

  it('refuses a missing baseline file and a re-measure without history, writing nothing', async () => {
    const head = csv(
      'head.csv',
      syntheticRun({ runId: '20260301T010100Z-head01', seed: 2, series: [steady('w')], machineClass: CLASS }),
    );
    const out = path.join(cli.dir, 'out');
    expect(await analyze(head, '--baseline', path.join(cli.dir, 'nope.csv'), '--out', out)).toBe(2);
    expect(cli.stderr).toMatch(/^writegate: .*nope\.csv: cannot read/);
    expect(await analyze(head, '--remeasure', head, '--out', out)).toBe(2);
    expect(cli.stderr).toMatch(/--remeasure needs --history/);
    expect(await analyze(head, '--history', path.join(cli.dir, 'h'), '--history-window', '0', '--out', out)).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.join(cli.dir, 'h'))).toBe(false);
  });
});

describe('analyze --history over nightly runs', () => {
  const night = (day: number, slow: number, level = 1) =>
    syntheticRun({
      runId: runIdOfDay(day),
      seed: 100 + day,
      series: [{ ...steady('slowed'), median: 2 * slow }, noisy()],
      machineClass: CLASS,
      runFactor: level,
    });

  it('builds a history, renders the trend chart, suspects a slowdown, and confirms it on re-measure', async () => {
    const history = path.join(cli.dir, 'history');
    const out = path.join(cli.dir, 'out');
    const levels = [1, 1.04, 0.97, 1.02, 0.99, 1.05];
    for (const [day, level] of levels.entries()) {
      expect(await analyze(csv(`night${day}.csv`, night(day, 1, level)), '--history', history, '--out', out)).toBe(0);
    }
    // Night 7: the subject is 30% slower; the noisy one is as it always was.
    const tonight = csv('tonight.csv', night(7, 1.3));
    expect(await analyze(tonight, '--history', history, '--out', out, '--json')).toBe(0);
    const first = JSON.parse(fs.readFileSync(path.join(out, 'trend.json'), 'utf8')) as {
      history: { window_runs: number; findings: { subject: string; metric: string; status: string }[] };
      remeasure: { args: string[] }[];
    };
    expect(first.history.window_runs).toBe(6);
    const p50 = (findings: typeof first.history.findings) =>
      Object.fromEntries(findings.filter((f) => f.metric === 'latency_p50_ms').map((f) => [f.subject, f.status]));
    expect(p50(first.history.findings)).toEqual({ noisy: 'unchanged', slowed: 'suspected' });
    expect(first.remeasure[0]!.args).toEqual(['--subjects', 'slowed', '--sizes', '1024', '--modes', 'durable']);
    let report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(report).toContain('xychart-beta');
    expect(report).toContain('x-axis ["03-01", "03-02", "03-03", "03-04", "03-05", "03-06", "now"]');
    expect(report).toMatch(
      /no p50 regression · vs history \(6 runs\) \| 0 of 2 series \(1 suspected, awaiting re-measure\)/,
    );

    // The re-measure shows it again: confirmed, and the run fails.
    expect(
      await analyze(tonight, '--history', history, '--remeasure', csv('again.csv', night(8, 1.3)), '--out', out),
    ).toBe(1);
    const confirmed = JSON.parse(fs.readFileSync(path.join(out, 'trend.json'), 'utf8')) as typeof first & {
      history: { findings: { confirmation?: string }[] };
    };
    expect(p50(confirmed.history.findings)).toEqual({ noisy: 'unchanged', slowed: 'regression' });
    report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(report).toContain('❌ regression (confirmed)');

    // A re-measure that does not show it: not reproduced, and the run passes.
    expect(
      await analyze(tonight, '--history', history, '--remeasure', csv('fine.csv', night(9, 1)), '--out', out),
    ).toBe(0);
    expect(fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8')).toContain('↩️ not reproduced');

    // Every analyzed night is in the history once (re-analyzing tonight did not add it twice).
    const classDir = fs.readdirSync(history);
    expect(classDir).toHaveLength(1);
    expect(fs.readdirSync(path.join(history, classDir[0]!))).toHaveLength(7);
  });

  it('can judge without appending', async () => {
    const history = path.join(cli.dir, 'history');
    expect(
      await analyze(
        csv('n0.csv', night(0, 1)),
        '--history',
        history,
        '--no-history-append',
        '--out',
        path.join(cli.dir, 'out'),
      ),
    ).toBe(0);
    expect(fs.existsSync(history)).toBe(false);
  });
});
