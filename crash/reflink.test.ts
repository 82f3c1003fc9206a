/**
 * End to end on a real reflink file system: a writer whose temp gets the source's blocks by
 * ioctl(FICLONE) is followed like a writer of bytes — killed and failed at the clone, and judged
 * under power loss — on xfs (mkfs -m reflink=1) mounted from a loop device with direct I/O. ext4,
 * where the workspace usually lives, has no reflinks. It needs root to mount (.ci/run is root and
 * installs xfsprogs); without root vitest reports it skipped, never passed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS, type ResultRow } from '../core/schema.js';
import { analyzeCrash, fixture, gatesWith, runCrash, value } from '../test/support/crash-harness.js';
import { mountLoopFs, type LoopFs } from '../test/support/loop-fs.js';
import type { AnalyzeOutcome } from '../analyze/analyze.js';

const isRoot = process.getuid?.() === 0;
let workDir: string;
let xfs: LoopFs;

describe.runIf(isRoot).each([
  ['1 KiB', 1024],
  ['128 KiB', 128 * 1024],
])('a reflink writer on xfs, at %s', (_label, size) => {
  let rows: ResultRow[] = [];
  let outcome: AnalyzeOutcome;

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-reflink-'));
    xfs = mountLoopFs(workDir, ['mkfs.xfs', '-q', '-m', 'reflink=1']);
  });
  afterAll(() => {
    xfs?.release();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    // The workspace (sources, trial directories) on the xfs mount: FICLONE needs both files there.
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = xfs.dir;
    try {
      ({ rows } = await runCrash([fixture('reflink', 'mechanisms/reflink-writer.py')], [size], {
        crashScenarios: 'kill_at_step,inject_error,power_loss',
      }));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    outcome = await analyzeCrash(rows, workDir, `reflink-${size}`);
  }, 120_000);

  it('passes every kill, injection and power-loss gate, judged, with the clone as its write step', () => {
    expect(gatesWith(outcome, 'fail').get('reflink') ?? []).toEqual([]);
    expect(gatesWith(outcome, 'not_judged').get('reflink') ?? []).toEqual([]);
    const passed = gatesWith(outcome, 'pass').get('reflink') ?? [];
    for (const gate of [
      'crash.corruption',
      'crash.false_success',
      'crash.powerloss_atomicity',
      'crash.powerloss_durability',
      'crash.step_reached',
    ])
      expect(passed).toContain(gate);
    expect(value(rows, 'reflink', 'kill_at_step', METRICS.notReached)).toBe(0);
    expect(value(rows, 'reflink', 'inject_error', METRICS.notReached)).toBe(0);
    const failedClone = rows.find(
      (row) => row.subject === 'reflink' && row.scenario === 'inject_error' && row.metric === METRICS.failedTrial,
    );
    expect(failedClone).toBeUndefined();
    expect(rows.find((row) => row.subject === 'reflink' && row.metric === METRICS.syscallProfile)?.detail).toMatch(
      /in 1 ioctl call \(sharing the source's blocks \(reflink\)\)/,
    );
  });
});
