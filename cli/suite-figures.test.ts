import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOutcome, type GateResult } from '../analyze/index.js';
import { suiteFigures, suiteFiguresSchema } from './suite-figures.js';
import { summaryLines, suiteSummary } from './suite-summary.js';

const FAIL = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze/fail.csv');

function outcomeWith(gates: GateResult[], sections: AnalyzeOutcome['sections'] = {}): AnalyzeOutcome {
  return {
    verdict: 'fail',
    exitCode: 1,
    reportPath: 'RESULTS.md',
    gates,
    counts: { pass: 0, fail: 0, known: 0, no_data: 0, not_judged: 0, disabled: 0 },
    suites: { analyzed: [], absent: [] },
    inputs: [],
    sections,
    notJudged: [],
  };
}

/** A crash gate instance with only what the figures read set to something telling. */
function crashGate(id: string, subject: string | undefined, status: GateResult['status']): GateResult {
  return {
    id,
    suite: 'crash',
    title: id,
    description: '',
    instance: subject ?? '',
    ...(subject ? { subject } : {}),
    metric: 'm',
    figure: null,
    figureText: '',
    threshold: '',
    comparison: '==',
    thresholdValue: 0,
    unit: 'count',
    source: '',
    status,
    reason: [],
    detail: '',
  };
}

describe("a suite command's figures: one owner for the stderr tables and the JSON summary", () => {
  it("bench: each line's p50, p95 and MiB/s from the analyzer's line figures, its failed gates beside it", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-suite-figures-'));
    const outcome = await analyze({ inputs: [FAIL], outDir, suites: ['bench'], githubStepSummary: null }).finally(() =>
      fs.rmSync(outDir, { recursive: true, force: true }),
    );
    const figures = suiteFigures('bench', outcome);
    expect(suiteFiguresSchema.safeParse(figures).error).toBeUndefined();
    const lines = figures.parts.flatMap((part) => part.lines);
    // fail.csv's reference takes 3 ms to leave identical content alone (p50 of its samples), 2 ms allowed.
    const unchanged = lines.find(
      (line) => line.writer === 'reference' && line.size_bytes === 1024 && line.mode === 'unchanged',
    );
    expect(unchanged).toMatchObject({ p50_ms: 3, failed: [{ title: 'unchanged p50' }], not_judged: [] });
    expect(unchanged?.failed[0]?.id).toMatch(/^bench\./);
    const floor = lines.find((line) => line.writer === 'floor' && line.size_bytes === 1024 && line.mode === 'durable');
    expect(floor).toMatchObject({ p50_ms: 1.8, failed: [] });
    expect(floor?.mib_s).toBeCloseTo(1024 / 2 ** 20 / (1.8 / 1000), 6);
    // Every figure is the analyzer's, as bench's section wrote it.
    const section = (outcome.sections.bench?.line_figures ?? []) as {
      subject: string;
      mode: string;
      size_bytes: number | null;
      p95_ms: number | null;
    }[];
    for (const line of lines)
      expect(line.p95_ms).toBe(
        section.find((s) => s.subject === line.writer && s.mode === line.mode && s.size_bytes === line.size_bytes)
          ?.p95_ms,
      );
    expect(suiteSummary('bench', outcome)).toEqual(summaryLines(figures));
  });

  it('crash: per writer, fail names its gates, a gate without data is not a pass, known and disabled are excused', () => {
    const outcome = outcomeWith([
      crashGate('crash.corruption', 'bad', 'fail'),
      crashGate('crash.durability', 'bad', 'pass'),
      crashGate('crash.corruption', 'unsure', 'pass'),
      crashGate('crash.durability', 'unsure', 'no_data'),
      crashGate('crash.corruption', 'good', 'pass'),
      crashGate('crash.durability', 'good', 'known'),
      crashGate('crash.concurrent', undefined, 'fail'),
      crashGate('crash.power_loss', undefined, 'no_data'),
    ]);
    const figures = suiteFigures('crash', outcome);
    expect(suiteFiguresSchema.safeParse(figures).error).toBeUndefined();
    expect(figures.parts).toHaveLength(1);
    const [part] = figures.parts;
    expect(part?.writers.map(({ writer, verdict, failed }) => ({ writer, verdict, failed }))).toEqual([
      { writer: 'bad', verdict: 'fail', failed: ['crash.corruption'] },
      { writer: 'unsure', verdict: 'not_checked', failed: [] },
      { writer: 'good', verdict: 'pass', failed: [] },
    ]);
    expect(part?.writers[1]?.counts).toEqual({ pass: 1, fail: 0, known: 0, no_data: 1, not_judged: 0, disabled: 0 });
    expect(part).toMatchObject({ every_writer_failed: ['crash.concurrent'], no_data: ['crash.power_loss'] });
    expect(summaryLines(figures)).toEqual([
      'crash: gates per writer',
      '  writer',
      '  bad     failed crash.corruption',
      '  unsure  no gate failed; 1 pass, 1 no data (not checked)',
      '  good    all gates pass (1 known)',
      '  every writer: failed crash.concurrent',
      '  not checked (no data, not a pass): crash.power_loss',
    ]);
  });

  it('parity and hook: their rates as fractions (ms for a latency), the control and the audit named', () => {
    const rate = (value: number | null, cases: number) => ({ rate: value, cases, mismatches: [], known: [] });
    const parity = {
      wrappers: {
        passthrough: { exit_code_match_rate: rate(1, 4) },
        mytool: { exit_code_match_rate: rate(0.75, 4), side_effect_match_rate: rate(null, 0) },
      },
      control: 'passthrough',
      cases_run: 4,
      mutating_cases_run: 2,
      cases_in_matrix: null,
      native_unexpected: [],
    };
    const parityFigures = suiteFigures('parity', outcomeWith([], { parity }));
    expect(suiteFiguresSchema.safeParse(parityFigures).error).toBeUndefined();
    expect(parityFigures).toEqual({
      suite: 'parity',
      cases_run: 4,
      cases_in_matrix: null,
      control: 'passthrough',
      wrappers: [
        { wrapper: 'passthrough', control: true, rates: { exit_code_match_rate: 1 }, cases: 4 },
        {
          wrapper: 'mytool',
          control: false,
          rates: { exit_code_match_rate: 0.75, side_effect_match_rate: null },
          cases: 4,
        },
      ],
    });
    expect(suiteFigures('parity', outcomeWith([]))).toEqual({
      suite: 'parity',
      cases_run: 0,
      cases_in_matrix: null,
      control: null,
      wrappers: [],
    });

    const hook = {
      hooks: {
        mine: {
          default: {
            template: 't',
            vars: '',
            cases: 9,
            corpus_cases: 9,
            rates: { args_preserved_rate: 1, hook_latency_p95_ms: 52.5 },
            latency: { p95: 52.5, net_p95: 12.5, floor_p95: 40, floor_runtime: 'node' },
            offenders: {},
          },
        },
      },
      prefixes: [],
      parity_wrappers: {},
      audit: { bash_calls: 3, joined: 2 },
    };
    const hookFigures = suiteFigures('hook', outcomeWith([], { hook }));
    expect(suiteFiguresSchema.safeParse(hookFigures).error).toBeUndefined();
    expect(hookFigures).toEqual({
      suite: 'hook',
      lines: [
        {
          hook: 'mine',
          env_set: 'default',
          rates: { args_preserved_rate: 1, hook_latency_p95_ms: 52.5 },
          net_p95_ms: 12.5,
          cases: 9,
        },
      ],
      audit: { bash_calls: 3, joined: 2 },
    });
    expect(summaryLines(hookFigures).at(-1)).toBe('hook: audit of 3 recorded Bash call(s), 2 matched to the hook log');
  });
});
