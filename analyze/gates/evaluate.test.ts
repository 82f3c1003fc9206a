import { describe, expect, it } from 'vitest';
import type { Figure, GateSpec } from '../types.js';
import { evaluateGate } from './evaluate.js';

const KIB = 1024;

function fig(
  subject: string,
  mode: string,
  size: number | null,
  value: number | null,
  extra: Partial<Figure> = {},
): Figure {
  return { scenario: 'write', subject, mode, size_bytes: size, metric: 'latency_p50_ms', value, ...extra };
}

const unchanged: GateSpec = {
  id: 't.unchanged',
  suite: 'bench',
  title: 'unchanged p50',
  metric: 'latency_p50_ms',
  selector: { mode: ['unchanged'], sizes: [KIB, 128 * KIB], excludeSubjects: ['floor'] },
  comparison: '<',
  threshold: 2,
  unit: 'ms',
  source: 'test',
  description: 'test',
};

const durable: GateSpec = {
  id: 't.durable',
  suite: 'bench',
  title: 'durable vs reference',
  metric: 'latency_p50_ms',
  selector: { mode: ['durable'], excludeSubjects: ['reference'] },
  relativeTo: { subject: 'reference' },
  comparison: '<=',
  threshold: 1.25,
  unit: 'x',
  baseUnit: 'ms',
  source: 'test',
  description: 'test',
};

describe('evaluateGate', () => {
  it('judges each figure in scope and nothing outside it', () => {
    const results = evaluateGate(unchanged, [
      fig('reference', 'unchanged', KIB, 1.99),
      fig('reference', 'unchanged', 128 * KIB, 2),
      fig('floor', 'unchanged', KIB, 50),
      fig('reference', 'durable', KIB, 50),
      fig('reference', 'unchanged', 8 * 1024 * KIB, 50),
    ]);
    expect(results.map((r) => [r.instance, r.status])).toEqual([
      ['reference · 1 KiB', 'pass'],
      ['reference · 128 KiB', 'fail'], // 2 is not < 2
    ]);
    expect(results[1]?.detail).toContain('2.00 ms, needs < 2 ms');
  });

  it('divides by the reference at the same size; only being slower fails', () => {
    const results = evaluateGate(durable, [
      fig('reference', 'durable', KIB, 2),
      fig('peer', 'durable', KIB, 2.5), // exactly 1.25
      fig('fastpeer', 'durable', KIB, 0.1),
      fig('slowpeer', 'durable', KIB, 2.6),
      fig('reference', 'durable', 128 * KIB, 4),
      fig('peer', 'durable', 128 * KIB, 4.4),
    ]);
    const byInstance = Object.fromEntries(results.map((r) => [r.instance, r]));
    expect(byInstance['peer · 1 KiB']?.status).toBe('pass');
    expect(byInstance['peer · 1 KiB']?.figure).toBeCloseTo(1.25, 12);
    expect(byInstance['fastpeer · 1 KiB']?.status).toBe('pass');
    expect(byInstance['slowpeer · 1 KiB']?.status).toBe('fail');
    expect(byInstance['slowpeer · 1 KiB']?.figureText).toBe('1.30× (2.60 ms / 2.00 ms)');
    expect(byInstance['peer · 128 KiB']?.figure).toBeCloseTo(1.1, 12);
    expect(results.find((r) => r.subject === 'reference')).toBeUndefined();
  });

  it('says no_data, never pass, when the denominator or the whole scope is missing', () => {
    const noReference = evaluateGate(durable, [fig('peer', 'durable', KIB, 2)]);
    expect(noReference).toHaveLength(1);
    expect(noReference[0]?.status).toBe('no_data');
    expect(noReference[0]?.detail).toMatch(/cannot compare with reference · durable · 1 KiB: no figure/);

    const empty = evaluateGate(unchanged, [fig('reference', 'durable', KIB, 1)]);
    expect(empty).toHaveLength(1);
    expect(empty[0]?.status).toBe('no_data');
    expect(empty[0]?.instance).toBe('');
  });

  it('expects every listed size for every subject in scope', () => {
    const results = evaluateGate(unchanged, [
      fig('reference', 'unchanged', KIB, 0.1),
      fig('mine', 'unchanged', 128 * KIB, 0.1),
    ]);
    expect(results.map((r) => [r.instance, r.status])).toEqual([
      ['reference · 1 KiB', 'pass'],
      ['reference · 128 KiB', 'no_data'],
      ['mine · 1 KiB', 'no_data'],
      ['mine · 128 KiB', 'pass'],
    ]);
  });

  it('a listed size that no figure has was not run: it is left out, not no data', () => {
    const results = evaluateGate(unchanged, [
      fig('reference', 'unchanged', KIB, 0.1),
      fig('mine', 'unchanged', KIB, 0.1),
      fig('mine', 'durable', KIB, 0.2),
    ]);
    expect(results.map((r) => [r.instance, r.status])).toEqual([
      ['reference · 1 KiB', 'pass'],
      ['mine · 1 KiB', 'pass'],
    ]);
    // A gate none of whose sizes ran has nothing to report.
    expect(evaluateGate(unchanged, [fig('reference', 'unchanged', 8 * 1024 * KIB, 0.1)])).toEqual([]);
  });

  it('a figure without a value is no_data with its reason', () => {
    const [result] = evaluateGate(unchanged, [
      fig('reference', 'unchanged', KIB, null, { note: 'no latency_ms samples' }),
      fig('reference', 'unchanged', 128 * KIB, 1),
    ]);
    expect(result?.status).toBe('no_data');
    expect(result?.detail).toContain('no latency_ms samples');
  });

  it('the same key from several shards is judged by its worst figure', () => {
    const upper = evaluateGate(unchanged, [
      fig('reference', 'unchanged', KIB, 1),
      fig('reference', 'unchanged', KIB, 3),
      fig('reference', 'unchanged', 128 * KIB, 1),
    ]);
    expect(upper[0]?.figure).toBe(3);
    expect(upper[0]?.status).toBe('fail');
    // For a ratio the worrying denominator is the smaller one.
    const ratio = evaluateGate(durable, [
      fig('reference', 'durable', KIB, 2),
      fig('reference', 'durable', KIB, 1),
      fig('peer', 'durable', KIB, 2),
    ]);
    expect(ratio[0]?.figure).toBe(2);
  });

  it(
    'a figure that only bounds the quantity passes an upper limit it meets, ' +
      'and is otherwise not judged, never failed',
    () => {
      const bound = (value: number) => ({ upperBoundOnly: `net p50 not measurable (gross ${value} ms)` });
      // Gross 0.4 ms under 2 ms: the net, below the gross, is too. Gross 30 ms says nothing about the net.
      const results = evaluateGate(unchanged, [
        fig('drv', 'unchanged', KIB, 0.4, { ...bound(0.4), note: 'gross p50' }),
        fig('cmd', 'unchanged', KIB, 30, bound(30)),
      ]);
      expect(results.map((r) => [r.instance, r.status])).toEqual([
        ['drv · 1 KiB', 'pass'],
        ['cmd · 1 KiB', 'not_judged'],
      ]);
      expect(results[0]?.detail).toContain('0.400 ms, needs < 2 ms (gross p50)');
      expect(results[1]).toMatchObject({ figure: null, notJudged: 'net p50 not measurable (gross 30 ms)' });
      // A lower limit: a bound from above can never show it met.
      const atLeast: GateSpec = { ...unchanged, comparison: '>=', threshold: 0.1 };
      expect(evaluateGate(atLeast, [fig('drv', 'unchanged', KIB, 0.4, bound(0.4))])[0]?.status).toBe('not_judged');
      // As a ratio's numerator it may pass; as its denominator it is not judged (a smaller one makes every ratio larger).
      const ratio = evaluateGate(durable, [
        fig('reference', 'durable', KIB, 2),
        fig('drv', 'durable', KIB, 2.2, bound(2.2)),
        fig('cmd', 'durable', KIB, 32, bound(32)),
      ]);
      expect(ratio.map((r) => [r.instance, r.status])).toEqual([
        ['drv · 1 KiB', 'pass'],
        ['cmd · 1 KiB', 'not_judged'],
      ]);
      const overFast: GateSpec = {
        ...durable,
        selector: { mode: ['fast'] },
        relativeTo: { mode: 'durable' },
        threshold: 0.8,
      };
      const [fast] = evaluateGate(overFast, [fig('cmd', 'fast', KIB, 1), fig('cmd', 'durable', KIB, 32, bound(32))]);
      expect(fast?.status).toBe('not_judged');
      expect(fast?.detail).toContain('cannot compare with cmd · durable · 1 KiB: net p50 not measurable (gross 32 ms)');
    },
  );

  it('an exact figure from another shard wins over a bound, so merging can never hide its failure', () => {
    const [merged] = evaluateGate(unchanged, [
      fig('cmd', 'unchanged', KIB, 0.4, { upperBoundOnly: 'not measurable' }),
      fig('cmd', 'unchanged', KIB, 3),
      fig('cmd', 'unchanged', 128 * KIB, 1),
    ]);
    expect(merged).toMatchObject({ figure: 3, status: 'fail' });
  });

  it('a disabled gate is reported with its reason and not evaluated', () => {
    const results = evaluateGate({ ...unchanged, disabled: 'tmpfs runner' }, [fig('reference', 'unchanged', KIB, 99)]);
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('disabled');
    expect(results[0]?.detail).toContain('tmpfs runner');
  });
});

describe('the model expresses crash and parity gates', () => {
  const rate = (subject: string, metric: string, value: number | null, extra: Partial<Figure> = {}): Figure => ({
    scenario: 'kill-before-rename',
    subject,
    mode: 'durable',
    size_bytes: KIB,
    metric,
    value,
    ...extra,
  });

  it('crash: corruption rate = 0 and recovery = 100% per writer × scenario × size', () => {
    const corruption: GateSpec = {
      id: 'crash.corruption',
      suite: 'crash',
      title: 'corruption',
      metric: 'corruption_rate',
      selector: {},
      comparison: '==',
      threshold: 0,
      unit: 'fraction',
      source: 'default target',
      description: '',
    };
    const recovery: GateSpec = { ...corruption, id: 'crash.recovery', metric: 'recovery_rate', threshold: 1 };
    const figures = [
      rate('reference', 'corruption_rate', 0),
      rate('native-unsafe', 'corruption_rate', 0.35),
      rate('reference', 'recovery_rate', 1),
      rate('steno', 'recovery_rate', null, { note: 'not reached' }),
    ];
    expect(evaluateGate(corruption, figures).map((r) => [r.subject, r.status, r.figureText])).toEqual([
      ['reference', 'pass', '0.00%'],
      ['native-unsafe', 'fail', '35.00%'],
    ]);
    expect(evaluateGate(corruption, figures)[0]?.threshold).toBe('= 0%');
    expect(evaluateGate(recovery, figures).map((r) => r.status)).toEqual(['pass', 'no_data']);
  });

  it('parity: stderr signals ≥ 99% per wrapper, a known difference is excused but shown', () => {
    const gate: GateSpec = {
      id: 'parity.stderr',
      suite: 'parity',
      title: 'stderr key signals',
      metric: 'stderr_key_signal_match_rate',
      selector: {},
      comparison: '>=',
      threshold: 0.99,
      unit: 'fraction',
      source: 'default target',
      description: '',
    };
    const perWrapper = (subject: string, value: number, known?: string): Figure => ({
      scenario: '',
      subject,
      mode: '',
      size_bytes: null,
      metric: gate.metric,
      value,
      ...(known ? { known } : {}),
    });
    const results = evaluateGate(gate, [
      perWrapper('good', 1),
      perWrapper('edge', 0.99),
      perWrapper('bad', 0.9),
      perWrapper('documented', 0.9, 'push prints a summary line'),
    ]);
    expect(results.map((r) => [r.instance, r.status])).toEqual([
      ['good', 'pass'],
      ['edge', 'pass'],
      ['bad', 'fail'],
      ['documented', 'known'],
    ]);
    expect(results[3]?.detail).toContain('known difference: push prints a summary line');
  });
});

describe('a gate left out when its part did not run', () => {
  const optional: GateSpec = {
    ...unchanged,
    id: 't.optional',
    selector: { mode: ['unchanged'] },
    leftOutWhenNotRun: true,
  };

  it('no figure of its metric at all: no result, not even no data', () => {
    expect(evaluateGate(optional, [{ ...fig('a', 'unchanged', KIB, 1), metric: 'other' }])).toEqual([]);
  });

  it('its metric outside the scope, or a figure without a value, is still no data', () => {
    expect(evaluateGate(optional, [fig('a', 'durable', KIB, 1)]).map((r) => r.status)).toEqual(['no_data']);
    expect(
      evaluateGate(optional, [fig('a', 'unchanged', KIB, null, { note: 'not enough data' })]).map((r) => [
        r.status,
        r.detail,
      ]),
    ).toEqual([['no_data', 'a · 1 KiB: not enough data']]);
    expect(evaluateGate({ ...optional, leftOutWhenNotRun: false }, []).map((r) => r.status)).toEqual(['no_data']);
  });
});
