import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOutcome, type ParitySummary } from '../analyze/index.js';
import { alignedTable, suiteSummary } from './suite-summary.js';

const FAIL = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze/fail.csv');

/** An outcome with nothing but the given sections: what the parity and hook summaries read. */
function outcomeWith(sections: AnalyzeOutcome['sections']): AnalyzeOutcome {
  return {
    verdict: 'pass',
    exitCode: 0,
    reportPath: 'RESULTS.md',
    gates: [],
    counts: { pass: 0, fail: 0, known: 0, no_data: 0, not_judged: 0, disabled: 0 },
    suites: { analyzed: [], absent: [] },
    inputs: [],
    sections,
    notJudged: [],
  };
}

describe('alignedTable', () => {
  it('pads each column to its widest cell, numbers to the right', () => {
    expect(
      alignedTable(
        ['writer', 'p50 ms'],
        [
          ['floor', '0.5'],
          ['write-file-atomic', '12.3'],
        ],
        ['left', 'right'],
      ),
    ).toEqual(['  writer             p50 ms', '  floor                 0.5', '  write-file-atomic    12.3']);
  });
});

describe("a suite command's summary, from the analyzer's outcome", () => {
  it(
    "bench: one line per writer × size × mode with the report's p50 and p95, " + 'the failed gates beside their line',
    async () => {
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-suite-summary-'));
      const outcome = await analyze({ inputs: [FAIL], outDir, suites: ['bench'], githubStepSummary: null }).finally(
        () => fs.rmSync(outDir, { recursive: true, force: true }),
      );
      const lines = suiteSummary('bench', outcome);
      expect(lines[1]).toMatch(/^ {2}writer +size +mode +p50 ms +p95 ms +net p50 ms +MiB\/s$/);
      // fail.csv's reference takes 3 ms to leave identical content alone (p50 of its samples), 2 ms allowed.
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {2}reference +1 KiB +unchanged +3\.00 +\S+ +— +\S+ +failed: unchanged p50$/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {2}write-file-atomic +128 KiB +durable +4\.00 +.* failed: durable p50 vs reference$/),
      );
      expect(lines).toContainEqual(expect.stringMatching(/^ {2}floor +1 KiB +durable +1\.80 +\S+ +— +\S+$/));
      expect(lines.filter((line) => / 8 MiB +unchanged /.test(line))).toEqual([]);
    },
  );

  it("parity: each wrapper's three match rates, the control named", () => {
    const rate = (value: number, cases: number) => ({ rate: value, cases, mismatches: [], known: [] });
    const parity: ParitySummary = {
      wrappers: {
        passthrough: {
          exit_code_match_rate: rate(1, 4),
          side_effect_match_rate: rate(1, 4),
          stderr_key_signal_match_rate: rate(1, 4),
        },
        mytool: {
          exit_code_match_rate: rate(0.75, 4),
          side_effect_match_rate: rate(1, 4),
          stderr_key_signal_match_rate: rate(0.5, 4),
        },
      },
      control: 'passthrough',
      cases_run: 4,
      mutating_cases_run: 2,
      cases_in_matrix: 87,
      native_unexpected: [],
    };
    expect(suiteSummary('parity', outcomeWith({ parity: parity as unknown as Record<string, unknown> }))).toEqual([
      'parity: match rates per wrapper over 4 case(s) of 87',
      '  wrapper                exit code match  side effect match  stderr key signal match  cases',
      '  passthrough (control)           100.0%             100.0%                   100.0%      4',
      '  mytool                           75.0%             100.0%                    50.0%      4',
    ]);
  });

  it("hook: each hook × env set's rates, a latency in ms, and the p95 net of the floor when one was timed", () => {
    // As the hook section writes it (HookSummary), with only the keys this summary reads.
    const hook = {
      hooks: {
        mine: {
          default: {
            template: 'node h.mjs',
            vars: '',
            cases: 349,
            corpus_cases: 349,
            rates: { mutating_rewrite_rate: 0.034, args_preserved_rate: 1, hook_latency_p95_ms: 52.5 },
            latency: { p95: 52.5, net_p95: 12.5, floor_p95: 40, floor_runtime: 'node' },
            offenders: {},
          },
          optin: {
            template: 'node h.mjs',
            vars: 'X=1',
            cases: 349,
            corpus_cases: 349,
            rates: { mutating_rewrite_rate: 0.5, args_preserved_rate: 1, hook_latency_p95_ms: 60 },
            latency: { p95: 60, net_p95: null, floor_p95: null, floor_runtime: null },
            offenders: {},
          },
        },
      },
      prefixes: [],
      parity_wrappers: {},
      audit: null,
    };
    expect(suiteSummary('hook', outcomeWith({ hook }))).toEqual([
      'hook: rates per hook and env set',
      '  hook  env set  mutating rewrite  args preserved  hook latency p95  p95 net of floor  cases',
      '  mine  default              3.4%          100.0%           52.5 ms           12.5 ms    349',
      '  mine  optin               50.0%          100.0%           60.0 ms                 —    349',
    ]);
  });

  it('says when there is nothing to show rather than printing an empty table', () => {
    expect(suiteSummary('parity', outcomeWith({}))).toEqual(['parity: no wrapper ran']);
    expect(suiteSummary('hook', outcomeWith({}))).toEqual(['hook: no hook ran']);
    expect(suiteSummary('crash', outcomeWith({}))).toEqual(['crash: gates per writer', '  no writer was judged']);
  });
});
