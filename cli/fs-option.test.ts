/**
 * `--fs`: a file system that cannot be made here is refused up front (one line, exit 2, nothing
 * measured or written), or skipped with a note and `skipped` rows under --skip-unavailable; one that
 * can is made fresh, and every bench and crash row of its pass names it.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCliHarness } from '../test/support/cli-harness.js';
import { expectRefused as refused } from '../test/support/refused.js';
import { readResultsCsv } from '../core/csv.js';
import { FS_SKIPPED_SCENARIO, METRICS } from '../core/schema.js';
import type { FsHost } from '../core/fs/check.js';
import { benchSuite } from '../bench/index.js';
import { preflight } from './preflight.js';
import { resolveRun } from './run-options.js';
import { parseOptions } from '../core/suite-options.js';
import { main } from './main.js';

const cli = useCliHarness({ prefix: 'wg-fs-option-', chdir: true });
const expectRefused = (args: string[], mentions: RegExp) => refused(cli, args, mentions);
const QUICK_BENCH = [
  'bench',
  '--subjects',
  'reference',
  '--sizes',
  '1KiB',
  '--modes',
  'durable',
  '--samples',
  '2',
  '--trace-writes',
  '0',
  '--out',
  'out',
];

describe('--fs is checked before anything runs', () => {
  it('an unknown file system', async () => {
    await expectRefused(
      [...QUICK_BENCH, '--fs', 'ext4,zfs'],
      /--fs: unknown file system "zfs"; known: ext4, xfs, btrfs, tmpfs, or none/,
    );
  });

  it('a file system named twice', async () => {
    await expectRefused([...QUICK_BENCH, '--fs', 'xfs,xfs'], /--fs: xfs is named twice/);
  });

  it('an unknown one in the config file names the file and key', async () => {
    fs.writeFileSync('writegate.config.json', JSON.stringify({ fs: ['ntfs'] }));
    await expectRefused(QUICK_BENCH, /writegate\.config\.json.*fs/);
  });

  it('crash_image without --fs', async () => {
    await expectRefused(
      ['crash', '--subjects', 'reference', '--sizes', '1KiB', '--crash-scenarios', 'crash_image', '--out', 'out'],
      /crash_image: needs --fs/,
    );
  });
});

describe('a file system this machine cannot make', () => {
  const notRoot: FsHost = { uid: 1000, kernelHas: () => true, hasCommand: () => true, freeLoopDevice: () => true };
  const noMkfs: FsHost = {
    uid: 0,
    kernelHas: () => true,
    hasCommand: (command) => command !== 'mkfs.xfs',
    freeLoopDevice: () => true,
  };
  const runs = [{ suite: benchSuite, options: parseOptions(benchSuite.optionsSchema, {}) }];
  const resolved = (extra: Record<string, unknown>) =>
    resolveRun({ out: 'out', profile: 'quick', json: false, ...extra });

  it('is refused in one line when not root', () => {
    expect(() => preflight(runs, resolved({ fs: 'ext4' }), notRoot)).toThrow(
      /--fs ext4: making a file system \(mkfs, loop devices, mount\) needs root; .*--skip-unavailable/,
    );
  });

  it('names the Debian package of a missing mkfs', () => {
    expect(() => preflight(runs, resolved({ fs: 'ext4,xfs' }), noMkfs)).toThrow(
      /mkfs\.xfs not found, needed to make xfs; install it \(Debian\/Ubuntu: apt-get install xfsprogs\)/,
    );
  });

  it('under --skip-unavailable is skipped with a note, the others still made', () => {
    const { notes, fileSystems } = preflight(runs, resolved({ fs: 'ext4,xfs', skipUnavailable: true }), noMkfs);
    expect(fileSystems.made).toEqual(['ext4']);
    expect(fileSystems.skipped).toEqual([{ name: 'xfs', reason: expect.stringMatching(/mkfs\.xfs not found/) }]);
    expect(notes.join('\n')).toMatch(/mkfs\.xfs not found.*skipped \(--skip-unavailable\)/);
  });

  it(
    "the full profile's default (ext4) falls back to the workspace's own file " + 'system with a note, not a refusal',
    () => {
      const run = resolveRun({ out: 'out', profile: 'full', json: false });
      expect(run.fileSystems).toEqual(['ext4']);
      const { notes, fileSystems } = preflight(runs, run, notRoot);
      expect(fileSystems).toEqual({ made: [], skipped: [] });
      expect(notes.join('\n')).toMatch(
        /the full profile runs bench and crash on a fresh ext4 where it can; not here \(.*needs root.*\), so they run on the workspace's own file system/,
      );
    },
  );

  it('the full profile with --fs none stays on the workspace; an explicit --fs is refused as usual', () => {
    expect(resolveRun({ out: 'out', profile: 'full', json: false, fs: 'none' }).fileSystems).toEqual([]);
    expect(() =>
      preflight(runs, resolveRun({ out: 'out', profile: 'full', json: false, fs: 'ext4' }), notRoot),
    ).toThrow(/needs root/);
  });

  it('without --fs nothing is asked of the machine', () => {
    expect(preflight(runs, resolved({}), notRoot).fileSystems).toEqual({ made: [], skipped: [] });
  });
});

describe.runIf(process.getuid?.() === 0)('a fresh file system per pass', () => {
  it('bench --fs tmpfs: every bench row names tmpfs, how it was made is in ' +
    'results_env.txt, and nothing stays mounted', async () => {
    expect(await main([...QUICK_BENCH, '--fs', 'tmpfs']), cli.stderr).toBe(0);
    const rows = readResultsCsv('out/results_raw.csv').filter((row) => row.suite === 'bench');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.fs === 'tmpfs')).toBe(true);
    expect(fs.readFileSync('out/results_env.txt', 'utf8')).toMatch(/^fs_made=tmpfs: tmpfs -o size=\d+m$/m);
    expect(fs.readFileSync('/proc/self/mounts', 'utf8')).not.toContain(cli.dir);
  }, 120_000);

  it('without --fs the rows name no fresh file system', async () => {
    expect(await main(QUICK_BENCH), cli.stderr).toBe(0);
    expect(readResultsCsv('out/results_raw.csv').every((row) => row.fs === '')).toBe(true);
    expect(fs.readFileSync('out/results_env.txt', 'utf8')).not.toMatch(/^fs_made=/m);
  }, 120_000);
});

describe('skipped file systems leave a row per suite that would have run on them', () => {
  it('bench under --skip-unavailable', async () => {
    const { runSuites } = await import('../core/run-suites.js');
    const { SilentProgress } = await import('../core/progress.js');
    const run = resolveRun({ out: 'out', profile: 'quick', json: false, subjects: 'reference', sizes: '1KiB' });
    const options = parseOptions(benchSuite.optionsSchema, { modes: 'durable', samples: '2', traceWrites: '0' });
    const { planned, subjects } = preflight([{ suite: benchSuite, options }], run);
    const outcome = await runSuites(planned, {
      ...run,
      subjects,
      progress: new SilentProgress(),
      skippedFileSystems: [{ name: 'xfs', reason: 'mkfs.xfs not found' }],
    });
    const skipped = outcome.rows.filter((row) => row.scenario === FS_SKIPPED_SCENARIO);
    expect(skipped).toEqual([
      expect.objectContaining({ suite: 'bench', fs: 'xfs', metric: METRICS.skipped, detail: 'mkfs.xfs not found' }),
    ]);
  }, 60_000);
});
