/**
 * The hook latency gate's rule, on figures as rows carry them (no process is timed here): a slow
 * floor reads too noisy to judge, never pass or fail; a quiet floor leaves the hook's p95 net of it
 * judged against the budget; no floor leaves the p95 itself judged, with a note.
 */
import { describe, expect, it } from 'vitest';
import { makeRow, METRICS, type ResultRow, type RowInput } from '../../core/schema.js';
import { phraseText } from '../phrase.js';
import { hookLatencies, latencyFigures } from '../sections/hook-latency.js';
import type { GateResult } from '../types.js';
import { evaluateGate } from './evaluate.js';
import { floorTooNoisy } from './floor.js';
import { HOOK_GATES } from './hook.js';

const LATENCY = HOOK_GATES.find((gate) => gate.id === 'hook.latency_p95');
if (!LATENCY) throw new Error('no hook.latency_p95 gate');

interface Measured {
  hook: [p50: number, p95: number];
  floor?: [p50: number, p95: number] | { why: string };
}

/** The policy rows of one hook × env set's latency pass, as the hook suite writes them. */
function rows({ hook, floor }: Measured, run = 'run-1'): ResultRow[] {
  const base = { suite: 'hook' as const, scenario: 'policy', subject: 'ref', mode: 'default' };
  const out: RowInput[] = [
    { ...base, metric: METRICS.hookLatencyP50, value: hook[0], unit: 'ms' },
    { ...base, metric: METRICS.hookLatencyP95, value: hook[1], unit: 'ms' },
  ];
  if (Array.isArray(floor)) {
    out.push(
      { ...base, metric: METRICS.hookFloorRuntime, detail: 'node' },
      { ...base, metric: METRICS.hookFloorSamples, value: 20, unit: 'count' },
      { ...base, metric: METRICS.hookFloorP50, value: floor[0], unit: 'ms' },
      { ...base, metric: METRICS.hookFloorP95, value: floor[1], unit: 'ms' },
    );
  } else if (floor) {
    out.push({ ...base, metric: METRICS.hookFloorP95, unit: 'ms', detail: `no floor: ${floor.why}` });
  }
  return out.map((row) => makeRow(run, row));
}

function judge(measured: Measured, threshold = LATENCY?.threshold ?? 100): GateResult {
  const [result] = evaluateGate(
    { ...(LATENCY as NonNullable<typeof LATENCY>), threshold },
    latencyFigures(hookLatencies(rows(measured))),
  );
  if (!result) throw new Error('no gate result');
  return result;
}

describe('floorTooNoisy', () => {
  it('a floor above ¾ of the budget is too slow to judge against', () => {
    expect(phraseText(floorTooNoisy({ runtime: 'node', p50: 70, p95: 80 }, 100) ?? [])).toBe(
      'too noisy to judge: a no-op of node took 80.0 ms p95 beside the hook, ' +
        "over ¾ of the 100 ms budget (75.0 ms): the machine (or the runtime's start) " +
        "is too slow to tell the hook's own time from it; measure again on a quieter machine",
    );
  });

  it('a floor whose p95 is more than ¼ of the budget above its p50 swung too much', () => {
    expect(phraseText(floorTooNoisy({ runtime: 'node', p50: 40, p95: 70 }, 100) ?? [])).toMatch(
      /^too noisy to judge: a no-op of node took 40\.0 ms p50 but 70\.0 ms p95 beside the hook, a swing over ¼ of the 100 ms budget \(25\.0 ms\)/,
    );
  });

  it('a quiet floor, and the same floor against a larger budget, are fine', () => {
    expect(floorTooNoisy({ runtime: 'node', p50: 44, p95: 54 }, 100)).toBeUndefined();
    expect(floorTooNoisy({ runtime: 'node', p50: 70, p95: 200 }, 1000)).toBeUndefined();
  });
});

describe('hook.latency_p95 net of its floor', () => {
  it('floor slow: too noisy to judge — not judged, neither pass nor fail, whatever the hook took', () => {
    for (const hook of [
      [95, 120],
      [250, 400],
      [60, 70],
    ] as [number, number][]) {
      const result = judge({ hook, floor: [90, 110] });
      expect(result.status).toBe('not_judged');
      expect(result.notJudged).toMatch(/^too noisy to judge: a no-op of node took 110 ms p95/);
    }
    expect(judge({ hook: [120, 190], floor: [45, 80] }).status).toBe('not_judged');
  });

  it('floor quiet, hook slow: fail, on the p95 net of the floor', () => {
    const result = judge({ hook: [200, 210], floor: [44, 54] });
    expect(result.status).toBe('fail');
    expect(result.figure).toBe(156);
    expect(result.detail).toBe(
      'ref: 156 ms, needs ≤ 100 ms (net of the floor: the hook 210 ms p95 − ' +
        'a no-op of node 54.0 ms p95, timed in the same pass)',
    );
  });

  it('floor quiet, hook fast: pass, and a hook below its floor counts as adding nothing', () => {
    expect(judge({ hook: [48, 58], floor: [44, 54] })).toMatchObject({ status: 'pass', figure: 4 });
    expect(judge({ hook: [44, 50], floor: [44, 54] })).toMatchObject({ status: 'pass', figure: 0 });
  });

  it('the rule scales with the budget a thresholds file sets', () => {
    expect(judge({ hook: [1600, 1700], floor: [90, 110] }, 1000)).toMatchObject({ status: 'fail', figure: 1590 });
    expect(judge({ hook: [95, 120], floor: [90, 110] }, 1000)).toMatchObject({ status: 'pass' });
  });

  it('no floor: the p95 itself against the budget, saying why', () => {
    const none = judge({ hook: [120, 150], floor: { why: 'its program, rtk, is not an interpreter writegate knows' } });
    expect(none).toMatchObject({ status: 'fail', figure: 150 });
    expect(none.detail).toBe(
      'ref: 150 ms, needs ≤ 100 ms (no floor: its program, rtk, is not an interpreter ' +
        'writegate knows; judged against the budget alone)',
    );
    const old = judge({ hook: [40, 60] });
    expect(old).toMatchObject({ status: 'pass', figure: 60 });
    expect(old.detail).toMatch(
      /no floor in these results \(they were written before writegate timed one beside the hook\); judged against the budget alone/,
    );
  });

  it("two runs of the same hook: each net of its own run's floor, the worse one judged", () => {
    const both = [
      ...rows({ hook: [60, 70], floor: [44, 54] }, 'run-1'),
      ...rows({ hook: [200, 230], floor: [60, 70] }, 'run-2'),
    ];
    const [result] = evaluateGate(LATENCY as NonNullable<typeof LATENCY>, latencyFigures(hookLatencies(both)));
    expect(result).toMatchObject({ status: 'fail', figure: 160 });
  });

  it("a run too noisy to judge neither hides another run's failure nor lets the other run's pass stand for it", () => {
    const judgeRuns = (...runs: Measured[]) =>
      evaluateGate(
        LATENCY as NonNullable<typeof LATENCY>,
        latencyFigures(hookLatencies(runs.flatMap((run, i) => rows(run, `run-${i + 1}`)))),
      )[0];
    // Quiet run: 130 ms net, a real failure; loaded run: floor over ¾ of the budget, net 160 ms.
    expect(judgeRuns({ hook: [160, 180], floor: [40, 50] }, { hook: [200, 240], floor: [70, 80] })).toMatchObject({
      status: 'fail',
      figure: 130,
    });
    // Loaded run 30 ms net, quiet run 40 ms net: the loaded run is not judged, so the key is not either.
    expect(judgeRuns({ hook: [100, 110], floor: [70, 80] }, { hook: [80, 90], floor: [40, 50] })).toMatchObject({
      status: 'not_judged',
    });
  });
});
