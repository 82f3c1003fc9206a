/**
 * tiny_fs on a fresh file system (`--fs`, root only): the file system is filled to 256 KiB free, so a
 * 1 MiB write meets that file system's own ENOSPC. The writer that leaves its temp behind on a failed
 * write is caught there as on tmpfs, and the writer that cleans up passes. Without root vitest
 * reports these skipped, never passed.
 */
import { describe, expect, it } from 'vitest';
import { METRICS } from '../core/schema.js';
import { fixture, runCrash, value } from '../test/support/crash-harness.js';

describe.runIf(process.getuid?.() === 0).each(['ext4', 'xfs', 'btrfs'] as const)('tiny_fs on a full %s', (fsName) => {
  it('the leaky writer leaves its temp, the correct one keeps the old target ' +
    'and cleans up; the rows name the file system', async () => {
    const { rows } = await runCrash(
      [fixture('correct', 'correct-writer.py'), fixture('leaky', 'leaky-writer.py')],
      [1024],
      { crashScenarios: 'tiny_fs' },
      fsName,
    );
    expect(value(rows, 'leaky', 'tiny_fs', METRICS.orphanTempRate)).toBe(1);
    expect(value(rows, 'correct', 'tiny_fs', METRICS.corruptionRate)).toBe(0);
    expect(value(rows, 'correct', 'tiny_fs', METRICS.orphanTempRate)).toBe(0);
    const trials = rows.filter((row) => row.scenario === 'tiny_fs' && row.metric === METRICS.trials);
    expect(trials.length).toBe(2);
    expect(trials.every((row) => row.engine === fsName && row.fs === fsName && (row.value ?? 0) >= 1)).toBe(true);
  }, 120_000);
});
