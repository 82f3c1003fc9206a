import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { seededRandom } from '../../core/rng.js';
import type { ResultRow } from '../../core/schema.js';
import { gaussian, syntheticRun, type SyntheticSeries } from '../../test/fixtures/trend/synthetic.js';
import { mermaidBlocks, parseXyChart } from '../../test/support/mermaid-xychart.js';
import { analyze } from '../analyze.js';
import type { ComparisonContext } from './judge.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Arms {
  /** The head's true slowdown of the compared writer `w`. */
  factor: number;
  rounds: number;
  /** Log-space spread of a round's shared load (both arms of a round see the same). */
  roundSigma?: number;
  /** Per-run content_ok of `w` in each arm (1: every write read back right). */
  contentOk?: { base: number; head: number };
  /** The reference writer's slowdown in the head: a yardstick, never judged. */
  referenceFactor?: number;
  /** Share of `w`'s samples that are spikes (×3..×10): what makes a p95 jump from run to run. */
  spikes?: number;
}

/**
 * Base and head measured in interleaved rounds as `writegate compare` measures them: each round's
 * load shifts both arms alike, and each arm is its own run (one run id per arm per round).
 */
function measure({ factor, rounds, roundSigma = 0.15, contentOk, referenceFactor = 1, spikes }: Arms): {
  base: string[];
  head: string[];
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-comparison-'));
  dirs.push(dir);
  const random = seededRandom(17);
  const files = { base: [] as string[], head: [] as string[] };
  for (let round = 1; round <= rounds; round++) {
    const load = Math.exp(gaussian(random) * roundSigma);
    for (const arm of ['base', 'head'] as const) {
      const w: SyntheticSeries = {
        subject: 'w',
        median: 20 * (arm === 'head' ? factor : 1),
        sigma: 0.1,
        samples: 30,
        ...(spikes ? { spikes } : {}),
        ...(contentOk ? { extra: { content_ok: contentOk[arm] } } : {}),
      };
      const reference: SyntheticSeries = {
        subject: 'reference',
        median: 1 * (arm === 'head' ? referenceFactor : 1),
        sigma: 0.1,
        samples: 30,
      };
      const minute = String(round * 2 + (arm === 'head' ? 1 : 0)).padStart(2, '0');
      const rows: ResultRow[] = syntheticRun({
        runId: `20260301T00${minute}00Z-${arm}${round}`,
        seed: round * 2 + (arm === 'head' ? 1 : 0),
        series: [w, reference],
        runFactor: load,
      });
      const file = path.join(dir, `round-${round}-${arm}.csv`);
      fs.writeFileSync(file, rowsToCsv(rows));
      files[arm].push(file);
    }
  }
  return files;
}

async function compare(arms: Arms, context: Partial<ComparisonContext> = {}) {
  const { base, head } = measure(arms);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-comparison-out-'));
  dirs.push(outDir);
  // One series (durable · 1 KiB) with a p50 and a p95: a family of 2 needs 7 rounds.
  const comparison: ComparisonContext = {
    subjects: ['w'],
    rounds: arms.rounds,
    roundsNeeded: 7,
    familySize: 2,
    allowInconclusive: false,
    ...context,
  };
  const outcome = await analyze({ inputs: head, baselineInputs: base, outDir, githubStepSummary: null, comparison });
  return { outcome, verdict: outcome.comparison!, report: fs.readFileSync(outcome.reportPath, 'utf8') };
}

describe('analyze with a comparison (writegate compare)', () => {
  it('calls a head 40% slower over 10 interleaved rounds regressed, exit 1, and draws what each round saw', async () => {
    const { outcome, verdict, report } = await compare({ factor: 1.4, rounds: 10 });
    expect(verdict.verdict).toBe('regressed');
    expect(outcome.exitCode).toBe(1);
    expect(verdict.line).toMatch(/^regressed: write · w · durable · 1 KiB · p50/);
    expect(report).toContain('**❌ REGRESSED**');
    const charts = mermaidBlocks(report).map(parseXyChart);
    const rounds = charts.find((chart) => chart.title === 'write · w · durable · 1 KiB · p50: head / base per round');
    expect(rounds?.xLabels).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(rounds?.bars[0]).toHaveLength(10);
  });

  it('passes the same writer against itself, and says how it judged', async () => {
    const { outcome, verdict, report } = await compare({ factor: 1, rounds: 10 });
    expect(verdict.verdict).toBe('pass');
    expect(outcome.exitCode).toBe(0);
    expect(report).toContain('**✅ PASS**');
    expect(report).toContain('10 interleaved rounds');
    // The gates are a part of the comparison's verdict, tallied under it, not a second verdict.
    expect(report).toMatch(/^\*\*Gates of the head: ✅ PASS\*\* — /m);
    expect(report).not.toMatch(/^\*\*Verdict: /m);
  });

  it('passes on the medians when a tail could not be judged, and says the tail was not checked', async () => {
    const { verdict } = await compare({ factor: 1, rounds: 20, spikes: 0.06 });
    const p95 = verdict.reasons.find((reason) => reason.startsWith('write · w · durable · 1 KiB · p95'));
    expect(p95).toMatch(/p95 not judged \(too noisy\)|p95 [+−]\d+%, not significant/);
    expect(verdict.verdict).toBe('pass');
    expect(verdict.line).toMatch(
      /^pass: 1 median\(s\) shown within their minimum effect over 20 interleaved rounds.*; not checked: write · w · durable · 1 KiB · p95/,
    );
  });

  it(
    'does not pass a median whose interval reaches past the minimum effect: ' +
      'a noisy +7% is inconclusive, not a pass',
    async () => {
      const { outcome, verdict } = await compare({ factor: 1.07, rounds: 10, roundSigma: 0.4 });
      expect(verdict.verdict).toBe('inconclusive');
      expect(outcome.exitCode).toBe(1);
      expect(verdict.reasons.join('\n')).toMatch(
        /write · w · durable · 1 KiB · p50: \+\d+%, but the interval reaches \+\d+%: not shown to be within the 10% minimum effect/,
      );
      expect(verdict.rerunRounds).toBe(20);
    },
  );

  it('calls a noisy +38% over too few rounds inconclusive, exit 1, and asks for the rounds the family needs', async () => {
    const { outcome, verdict, report } = await compare({ factor: 1.38, rounds: 4, roundSigma: 0.4 });
    expect(verdict.verdict).toBe('inconclusive');
    expect(outcome.exitCode).toBe(1);
    expect(verdict.rerunRounds).toBe(7);
    expect(verdict.line).toMatch(
      /^inconclusive: 4 rounds cannot decide any of the 2 gated timing series judged together: that takes at least 7.*not a pass — rerun with --rounds 7$/,
    );
    expect(report).toContain('INCONCLUSIVE — not a pass');
  });

  it('exits 0 on inconclusive only when the user accepted it, and still says inconclusive', async () => {
    const { outcome, verdict } = await compare(
      { factor: 1.38, rounds: 4, roundSigma: 0.4 },
      { allowInconclusive: true },
    );
    expect(verdict.verdict).toBe('inconclusive');
    expect(outcome.exitCode).toBe(0);
    expect(verdict.line).toContain('accepted: --allow-inconclusive');
  });

  it('does not judge the yardsticks: a slower reference in the head is no regression of the change', async () => {
    const { verdict, report } = await compare({ factor: 1, rounds: 10, referenceFactor: 1.6 });
    expect(verdict.verdict).toBe('pass');
    expect(report).not.toMatch(/reference · durable · 1 KiB · p50 \|/);
  });

  it('shows a gate the base fails too as known, and fails a gate only the head fails', async () => {
    const both = await compare({ factor: 1, rounds: 10, contentOk: { base: 0, head: 0 } });
    const known = both.outcome.gates.filter((gate) => gate.status === 'known');
    expect(known.length).toBeGreaterThan(0);
    expect(known[0]!.detail).toContain(': fails on the base too, so not caused by this change: ');
    expect(both.verdict.verdict).toBe('pass');

    const headOnly = await compare({ factor: 1, rounds: 10, contentOk: { base: 1, head: 0 } });
    expect(headOnly.verdict.verdict).toBe('regressed');
    expect(headOnly.verdict.reasons.some((reason) => reason.startsWith('failed bench.'))).toBe(true);
    expect(headOnly.outcome.exitCode).toBe(1);
  });
});
