import { describe, expect, it } from 'vitest';
import { makeRow, METRICS, type ResultRow } from '../../core/schema.js';
import { runIdOfDay, syntheticRun } from '../../test/fixtures/trend/synthetic.js';
import { historyRows } from '../history/store.js';
import { compareHistory, type HistoryRun } from './compare-history.js';
import { groupByKey, keyId, keyLabel, keyOf } from './keys.js';
import { DEFAULT_POLICIES } from './policy.js';

const p50 = DEFAULT_POLICIES.filter((policy) => policy.metric === METRICS.latencyP50);

const sample = (fs: string, value = 2): ResultRow =>
  makeRow('r1', {
    suite: 'bench',
    scenario: 'write',
    subject: 'w',
    mode: 'durable',
    size_bytes: 1024,
    metric: METRICS.latencySample,
    value,
    sample: 0,
    engine: 'tinybench',
    fs,
  });

/** A run's rows on one file system ('' = the workspace's own, as a run without --fs writes them). */
function runOn(fs: string, day: number, factor = 1): ResultRow[] {
  return syntheticRun({
    runId: runIdOfDay(day),
    seed: 100 + day,
    series: [{ subject: 'w', median: 2, sigma: 0.05, samples: 60 }],
    runFactor: factor,
  }).map((row) => (row.suite === 'env' ? row : { ...row, fs }));
}

describe('series keys and the fs column', () => {
  it('leaves a key without fs as it was, and keeps the same figure on two file systems apart', () => {
    const plain = keyOf(sample(''));
    expect(plain).not.toHaveProperty('fs');
    expect(keyId(plain)).toBe('bench|write|w|durable|1024|tinybench|latency_ms');
    expect(keyId(keyOf(sample('xfs')))).not.toBe(keyId(keyOf(sample('ext4'))));
    expect(keyId(keyOf(sample('xfs')))).not.toBe(keyId(plain));
    const groups = groupByKey(
      [sample(''), sample('xfs'), sample('ext4'), sample('xfs', 3)],
      'bench',
      METRICS.latencySample,
      true,
    );
    expect([...groups.values()].map((group) => [group.key.fs, group.rows.length])).toEqual([
      [undefined, 1],
      ['xfs', 2],
      ['ext4', 1],
    ]);
  });

  it('names the file system in a series label only when there is one', () => {
    const policy = { label: 'p50' };
    expect(keyLabel(keyOf(sample('')), policy)).toBe('write · w · durable · 1 KiB · p50');
    expect(keyLabel(keyOf(sample('xfs')), policy)).toBe('write · w · durable · 1 KiB · on xfs · p50');
  });

  it(
    'matches history written before the column existed with a run without ' +
      '--fs, and never with one on a fresh file system',
    () => {
      // History entries keep figures only, as history/store.ts writes them; the older ones have no fs.
      const past: HistoryRun[] = [0, 1, 2, 3, 4, 5].map((day) => ({
        id: runIdOfDay(day),
        time: '',
        rows: historyRows(runOn('', day), p50),
      }));
      const plain = compareHistory(runOn('', 20), past, p50);
      expect(plain).toHaveLength(1);
      expect(plain[0]!.series).toHaveLength(6);
      expect(plain[0]!.status).toBe('unchanged');
      const onXfs = compareHistory(runOn('xfs', 20, 1.5), past, p50);
      expect(onXfs).toHaveLength(1);
      expect(onXfs[0]!.key.fs).toBe('xfs');
      expect(onXfs[0]!.label).toContain('on xfs');
      // No earlier run on xfs: nothing to judge against, never a comparison with the other file system.
      expect(onXfs[0]!.series).toEqual([]);
      expect(onXfs[0]!.status).toBe('insufficient_data');
    },
  );

  it('keeps the fs of each figure in a history entry, so the next run on that file system finds its series', () => {
    const kept = historyRows([...runOn('xfs', 1), ...runOn('ext4', 1)], p50).filter(
      (row) => row.metric === METRICS.latencyP50,
    );
    expect(kept.map((row) => row.fs).sort()).toEqual(['ext4', 'xfs']);
    const past: HistoryRun[] = [0, 1, 2, 3, 4, 5].map((day) => ({
      id: runIdOfDay(day),
      time: '',
      rows: historyRows([...runOn('xfs', day), ...runOn('ext4', day)], p50),
    }));
    const findings = compareHistory([...runOn('xfs', 20), ...runOn('ext4', 20)], past, p50);
    expect(findings.map((finding) => [finding.key.fs, finding.series?.length])).toEqual([
      ['ext4', 6],
      ['xfs', 6],
    ]);
  });
});
