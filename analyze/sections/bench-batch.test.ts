import { describe, expect, it } from 'vitest';
import { encodeDetail, makeRow, METRICS, type ResultRow, type RowInput } from '../../core/schema.js';
import { BENCH_GATES } from '../gates/bench.js';
import { evaluateGate } from '../gates/evaluate.js';
import { batchBlock, batchFigures, batchGateFigures } from './bench-batch.js';

const GATE = BENCH_GATES.find((gate) => gate.id === 'bench.batch_fsyncs');
const KIB = 1024;
const base = { suite: 'bench' as const, scenario: 'batch', mode: 'durable', size_bytes: KIB };

function rows(inputs: RowInput[]): ResultRow[] {
  return inputs.map((input) => makeRow('run-1', input));
}

/** A subject's traced batch: its fsyncs for 100 files over 10 directories, and two timed repetitions. */
function batchRows(subject: string, fsyncs: number, dirFsyncs: number): RowInput[] {
  const detail = encodeDetail(METRICS.batchFsyncCount, { files: 100, dirs: 10, dirFsyncs, method: 'strace' });
  return [
    { ...base, subject, metric: METRICS.batchTotalMs, value: 120, unit: 'ms', sample: 0 },
    { ...base, subject, metric: METRICS.batchTotalMs, value: 130, unit: 'ms', sample: 1 },
    { ...base, subject, metric: METRICS.perFileTotalMs, value: 240, unit: 'ms', sample: 0 },
    { ...base, subject, metric: METRICS.perFileTotalMs, value: 250, unit: 'ms', sample: 1 },
    { ...base, subject, metric: METRICS.batchFsyncCount, value: fsyncs, unit: 'count', detail },
    { ...base, subject, metric: METRICS.batchRenameCount, value: 100, unit: 'count', detail: 'strace' },
  ];
}

const judge = (input: RowInput[]) => {
  if (!GATE) throw new Error('no bench.batch_fsyncs gate');
  return evaluateGate(GATE, batchGateFigures(batchFigures(rows(input))));
};

describe('the batch fsync gate', () => {
  it('passes a batch of files + unique parents fsyncs, fails one over, naming the subject and the counts', () => {
    const results = judge([...batchRows('reference', 110, 10), ...batchRows('twice', 210, 10)]);
    expect(results.find((r) => r.subject === 'reference')?.status).toBe('pass');
    const failed = results.find((r) => r.subject === 'twice');
    expect(failed?.status).toBe('fail');
    expect(failed?.detail).toBe(
      'twice · 1 KiB: 1.91×, needs ≤ 1× (210 fsyncs for 100 files + 10 parent directories (at most 110), ' +
        '10 of them of a directory)',
    );
  });

  it('leaves out the per-file yardstick, which does not batch on purpose', () => {
    const results = judge([...batchRows('reference', 110, 10), ...batchRows('reference-per-file', 200, 100)]);
    expect(results.map((r) => r.subject)).toEqual(['reference']);
  });

  it('is not judged, saying why, when the strace pass did not run', () => {
    const timedOnly = batchRows('reference', 110, 10).filter((row) => row.metric === METRICS.batchTotalMs);
    const skipped = { suite: 'bench' as const, scenario: 'batch', subject: '', metric: METRICS.skipped };
    const results = judge([...timedOnly, { ...skipped, value: 1, unit: 'count', detail: 'strace is not installed' }]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ subject: 'reference', status: 'not_judged' });
    expect(results[0]?.notJudged).toBe('no fsync counts: strace is not installed');
  });

  it('is left out when the batch scenario did not run', () => {
    expect(judge([])).toEqual([]);
  });

  it('shows both ways side by side: totals with their interval, per-file time and counts', () => {
    const block = batchBlock(batchFigures(rows(batchRows('reference', 110, 10)))) ?? '';
    expect(block).toContain('| `reference` | one batch call | 125 (120–130) | 1.25 | 110 (10 of dirs) | 100 | 2 |');
    expect(block).toContain('| `reference` | single write, file after file | 245 (240–250) | 2.45 | — | — | 2 |');
    expect(block).toContain('Single writes ÷ batch, total p50: `reference` 1.96×.');
  });
});
