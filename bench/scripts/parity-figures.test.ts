import { describe, expect, it } from 'vitest';
import { makeRow, METRICS } from '../../core/schema.js';
import { hyperfineMedianMs } from '../../core/hyperfine.js';
import { judge, parityTable, writegateP50Ms } from './parity-figures.js';

// The shape `hyperfine -N --export-json` (1.15) writes: seconds, one entry per command.
const HYPERFINE_JSON = JSON.stringify({
  results: [
    {
      command: '/bin/true a b',
      mean: 0.001137232,
      stddev: 0.0008509318600869285,
      median: 0.000688687,
      user: 0.00054,
      system: 0,
      min: 0.000604411,
      max: 0.002118598,
      times: [0.000604411, 0.000688687, 0.002118598],
      exit_codes: [0, 0, 0],
    },
  ],
});

describe('hyperfine JSON', () => {
  it('reads the median in milliseconds', () => {
    expect(hyperfineMedianMs(HYPERFINE_JSON, 'h.json')).toBeCloseTo(0.688687, 9);
  });

  it.each([
    ['not JSON', '{"results": [', /^h\.json: not valid JSON/],
    ['no results', '{}', /^h\.json: expected "results" holding exactly one command$/],
    ['two commands', JSON.stringify({ results: [{ median: 1 }, { median: 2 }] }), /exactly one command/],
    [
      'a median that is not a number',
      JSON.stringify({ results: [{ median: '0.1' }] }),
      /^h\.json: the command's "median" is missing/,
    ],
  ])('refuses %s in one line naming the file', (_, text, message) => {
    expect(() => hyperfineMedianMs(text, 'h.json')).toThrow(message);
  });
});

describe("writegate's p50 from results rows", () => {
  const row = (subject: string, mode: string, metric: string, value: number) =>
    makeRow('r', {
      suite: 'bench',
      scenario: 'write',
      subject,
      mode,
      size_bytes: 1024,
      metric,
      value,
      unit: 'ms',
      engine: 'tinybench',
    });

  it("picks the subject's p50 at that mode and size, not another line's", () => {
    const rows = [
      row('floor', 'durable', METRICS.latencyP50, 0.5),
      row('py', 'durable', METRICS.latencyP95, 30),
      row('py', 'durable', METRICS.latencyP50, 18.4),
      row('py', 'unchanged', METRICS.latencyP50, 15),
    ];
    expect(writegateP50Ms(rows, 'py', 'durable', 1024, 'out.csv')).toBe(18.4);
  });

  it("says when the line is missing, with the write error's detail", () => {
    const failed = makeRow('r', {
      suite: 'bench',
      scenario: 'write',
      subject: 'py',
      mode: 'durable',
      size_bytes: 1024,
      metric: METRICS.writeErrors,
      value: 1,
      unit: 'count',
      detail: 'exit 1: boom',
    });
    expect(() => writegateP50Ms([failed], 'py', 'durable', 1024, 'out.csv')).toThrow(
      /^out\.csv: no single latency_p50_ms row for py durable 1024 B \(write failed: exit 1: boom\)$/,
    );
  });
});

describe('the verdict', () => {
  it("compares the medians of the per-round figures and reports the rounds' spread", () => {
    const verdict = judge([
      { hyperfineMs: 18, writegateMs: 18.5 },
      { hyperfineMs: 20, writegateMs: 20.2 },
      { hyperfineMs: 19, writegateMs: 25 },
    ]);
    expect(verdict.hyperfineMs).toBe(19);
    expect(verdict.writegateMs).toBe(20.2);
    expect(verdict.ratio).toBeCloseTo(20.2 / 19, 12);
    expect(verdict.roundRatios[0]).toBeCloseTo(1.01, 12);
    expect(verdict.roundRatios[1]).toBeCloseTo(25 / 19, 12);
    expect(verdict.within).toBe(false);
    expect(judge([{ hyperfineMs: 20, writegateMs: 20.9 }]).within).toBe(true);
    expect(judge([{ hyperfineMs: 20, writegateMs: 18.9 }]).within).toBe(false);
  });

  it('prints one aligned line per command', () => {
    const table = parityTable([
      { command: '/bin/true', verdict: judge([{ hyperfineMs: 0.75, writegateMs: 0.9 }]) },
    ]).split('\n');
    expect(table).toHaveLength(2);
    expect(table[1]).toMatch(
      /^\/bin\/true\s+0\.750 ms\s+0\.900 ms\s+1\.200 \(\+20\.0%\)\s+1\.200–1\.200\s+outside 5%$/,
    );
  });
});
