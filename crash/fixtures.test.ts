/**
 * End to end: the crash suite against small known-bad writers (test/fixtures/crash), each of which
 * must be caught by exactly the gate that names its fault, while a correct writer and the
 * reference pass everything. Real processes, real strace, real tmpfs when root.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type ResultRow } from '../core/schema.js';
import { parseOptions } from '../core/suite-options.js';
import {
  builtin,
  CRASH_FIXTURES,
  failingGates as failing_,
  fixture,
  runCrash,
  value,
} from '../test/support/crash-harness.js';
import { ContentStore } from './contents.js';
import { crashOptionsSchema } from './index.js';

const FIXTURES = CRASH_FIXTURES;
const MIB = 1024 * 1024;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const reference = builtin('reference');

let outDir: string;
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-crash-fixtures-'));
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** The crash gates each subject fails, through the real analyzer (its RESULTS.md lands in outDir/label). */
function failingGates(rows: readonly ResultRow[], label: string): Promise<Map<string, string[]>> {
  return failing_(rows, outDir, label);
}

describe('known-bad writers are each caught by the metric that names their fault', () => {
  let rows: ResultRow[] = [];
  let failing = new Map<string, string[]>();

  beforeAll(async () => {
    const subjects = [
      reference,
      fixture('correct', 'correct-writer.py'),
      fixture('in-place', 'in-place-writer.py'),
      fixture('swallowing', 'swallowing-writer.py'),
      fixture('leaky', 'leaky-writer.py'),
      fixture('shell', 'shell-writer.sh'),
      fixture('tmpdir', 'tmpdir-writer.py'),
      fixture('tmpdir-leaky', 'tmpdir-leaky-writer.py'),
      fixture('probe-fallback', 'probe-fallback-writer.py'),
    ];
    ({ rows } = await runCrash(subjects, [MIB], { crashScenarios: 'kill_at_step,inject_error,tiny_fs' }));
    failing = await failingGates(rows, 'faults');
  }, 240_000);

  it('a correct writer (Python) and the reference pass every gate', () => {
    expect(failing.get('correct') ?? []).toEqual([]);
    expect(failing.get('reference') ?? []).toEqual([]);
    expect(value(rows, 'correct', 'kill_at_step', METRICS.trials)).toBeGreaterThanOrEqual(5);
  });

  it(
    'a writer whose temp lives in $TMPDIR is followed there: every step reached, ' +
      'a correct profile, every gate passed',
    () => {
      expect(failing.get('tmpdir') ?? []).toEqual([]);
      expect(value(rows, 'tmpdir', 'kill_at_step', METRICS.notReached)).toBe(0);
      expect(value(rows, 'tmpdir', 'kill_at_step', METRICS.trials)).toBeGreaterThanOrEqual(5);
      const profile = rows.find((row) => row.subject === 'tmpdir' && row.metric === METRICS.syscallProfile)?.detail;
      expect(profile).toContain('temp file in $TMPDIR, renamed into the target');
      expect(profile).toContain('fsync of the file: yes');
      expect(profile).toMatch(/rename: rename/);
      expect(profile).toContain('fsync of the directory: yes');
    },
  );

  it('a $TMPDIR writer that leaves its temp behind on an error: orphan temps, and nothing else', () => {
    expect(failing.get('tmpdir-leaky')).toEqual(['crash.orphan_temp']);
    expect(rows.find((row) => row.subject === 'tmpdir-leaky' && row.metric === METRICS.failedTrial)?.detail).toMatch(
      /orphan_temp \(\$TMPDIR\//,
    );
  });

  it('a writer that falls back when a probe or a rename fails is not called a false success', () => {
    expect(failing.get('probe-fallback') ?? []).toEqual([]);
    expect(value(rows, 'probe-fallback', 'inject_error', METRICS.falseSuccessRate)).toBe(0);
  });

  it('the in-place writer: corruption, and nothing else', () => {
    expect(failing.get('in-place')).toEqual(['crash.corruption']);
    const trials = rows
      .filter((row) => row.subject === 'in-place' && row.metric === METRICS.failedTrial)
      .map((row) => decodeDetail(METRICS.failedTrial, row.detail));
    expect(trials.find((trial) => trial?.step.startsWith('mid_payload'))?.held).toMatch(/^torn: .*the first .* of new/);
  });

  it('the error-swallowing writer that exits 0: false success, and nothing else', () => {
    expect(failing.get('swallowing')).toEqual(['crash.false_success']);
    expect(value(rows, 'swallowing', 'inject_error', METRICS.falseSuccessRate)).toBe(1);
  });

  it('the writer that leaks its temp on error: orphan temps, and nothing else', () => {
    expect(failing.get('leaky')).toEqual(['crash.orphan_temp']);
  });

  it('every injected trial of an outside shell script (several processes) was checked and reached its step', () => {
    for (const scenario of ['kill_at_step', 'inject_error']) {
      expect(value(rows, 'shell', scenario, METRICS.notReached)).toBe(0);
      expect(value(rows, 'shell', scenario, METRICS.trials)).toBeGreaterThanOrEqual(4);
    }
  });

  it('reports not_reached per scenario for every subject, and a syscall profile per writer', () => {
    for (const subject of ['reference', 'correct', 'in-place', 'swallowing', 'leaky', 'shell', 'tmpdir']) {
      for (const scenario of ['kill_at_step', 'inject_error'])
        expect(value(rows, subject, scenario, METRICS.notReached)).not.toBeUndefined();
    }
    const profile = rows.find((row) => row.subject === 'correct' && row.metric === METRICS.syscallProfile);
    expect(profile?.detail).toContain('fsync of the file: yes (fsync before the rename)');
    expect(profile?.detail).toContain('fsync of the directory: yes');
  });

  it('real ENOSPC on a tiny tmpfs when root, else a stated reason', () => {
    if (isRoot) {
      expect(value(rows, 'leaky', 'tiny_fs', METRICS.orphanTempRate)).toBe(1);
      expect(value(rows, 'correct', 'tiny_fs', METRICS.corruptionRate)).toBe(0);
      expect(rows.find((row) => row.subject === 'correct' && row.metric === METRICS.syscallProfile)?.detail).toMatch(
        /short write .* followed by a write of the rest/,
      );
    } else {
      expect(rows.find((row) => row.scenario === 'tiny_fs' && row.metric === METRICS.skipped)?.detail).toMatch(/root/);
    }
  });
});

describe('power loss', () => {
  let rows: ResultRow[] = [];
  let failing = new Map<string, string[]>();
  let report = '';

  beforeAll(async () => {
    const subjects = [
      reference,
      builtin('steno'),
      builtin('write-file-atomic'),
      builtin('atomically'),
      fixture('correct', 'correct-writer.py'),
      fixture('tmpdir', 'tmpdir-writer.py'),
      fixture('cp-then-mv', 'cp-then-mv-writer.py'),
      fixture('no-dir-fsync', 'no-dir-fsync-writer.py'),
      fixture('fsync-before-last-write', 'fsync-before-last-write-writer.py'),
      fixture('fsync-other-fd', 'fsync-other-fd-writer.py'),
    ];
    ({ rows } = await runCrash(subjects, [128 * 1024], { crashScenarios: 'power_loss' }));
    failing = await failingGates(rows, 'powerloss');
    report = fs.readFileSync(path.join(outDir, 'powerloss', 'RESULTS.md'), 'utf8');
  }, 180_000);

  it('judges every one of them: their traces account for every byte and name they left', () => {
    expect(rows.filter((row) => row.metric === METRICS.notJudged)).toEqual([]);
  });

  it('passes writers that fsync the file before the rename and the directory after it', () => {
    for (const subject of ['reference', 'correct', 'tmpdir']) {
      expect(failing.get(subject) ?? [], subject).toEqual([]);
      expect(value(rows, subject, 'power_loss', METRICS.powerlossStates), subject).toBeGreaterThan(0);
    }
  });

  it(
    'fails writers that can leave a torn or empty target: no fsync, an fsync ' +
      'before the last write, an fsync of another file',
    () => {
      for (const subject of ['steno', 'cp-then-mv', 'fsync-before-last-write', 'fsync-other-fd'])
        expect(failing.get(subject), subject).toContain('crash.powerloss_atomicity');
    },
  );

  it('fails, on durability alone, writers that never fsync the directory after the rename', () => {
    for (const subject of ['write-file-atomic', 'atomically', 'no-dir-fsync'])
      expect(failing.get(subject), subject).toEqual(['crash.powerloss_durability']);
  });

  it('explains each violation in RESULTS.md, and reports ext4-ordered beside the gated model', () => {
    expect(report).toMatch(
      /\*\*`cp-then-mv`\*\* · 128 KiB · posix — atomicity: `crash after .*persisted, the file data did not/,
    );
    expect(report).toMatch(
      /\*\*`no-dir-fsync`\*\* · 128 KiB · posix — durability: `after success \(exit 0\) the target still holds the old content.*the target's directory was never fsynced after it/,
    );
    // One table row per writer × size × model, none for the scenario's own pace rows.
    expect(report).not.toMatch(/^\| {2}\| — \|/m);
    expect(
      rows.some((row) => row.scenario === 'power_loss' && row.engine === 'ext4-ordered' && row.subject === 'steno'),
    ).toBe(true);
  });
});

describe('power loss with your own checker', () => {
  const size = 128 * 1024;
  const checkerFile = (name: string): string => path.join(FIXTURES, name);

  it('runs the checker on every distinct crash state and gates on what it says', async () => {
    // The same seeded contents the run writes, so the checker can compare against them.
    const contents = new ContentStore(path.join(outDir, 'checker-contents'), 7);
    const [oldFile, newFile] = [contents.get(size, 'old').source, contents.get(size, 'new').source];
    const { rows } = await runCrash([reference, fixture('cp-then-mv', 'cp-then-mv-writer.py')], [size], {
      crashScenarios: 'power_loss',
      crashChecker: `node ${checkerFile('checker-old-or-new.mjs')} {dir} ${oldFile} ${newFile}`,
    });
    const failing = await failingGates(rows, 'checker');
    expect(failing.get('reference') ?? []).toEqual([]);
    expect(failing.get('cp-then-mv')).toContain('crash.powerloss_checker');
    const posix = (subject: string, metric: string) =>
      rows.find((row) => row.subject === subject && row.engine === 'posix' && row.metric === metric);
    // The checker judges exactly what the atomicity check judges, so the two must agree state for state.
    expect(posix('cp-then-mv', METRICS.powerlossCheckerViolationRate)?.detail).toBe(
      posix('cp-then-mv', METRICS.powerlossAtomicityViolationRate)?.detail,
    );
    const violations = rows
      .filter((row) => row.subject === 'cp-then-mv' && row.metric === METRICS.powerlossViolation)
      .map((row) => decodeDetail(METRICS.powerlossViolation, row.detail));
    expect(violations.find((violation) => violation?.check === 'checker')?.why).toMatch(
      /neither the old nor the new content/,
    );
  }, 120_000);

  it('a checker that crashes or hangs is an error, never a pass', async () => {
    await expect(
      runCrash([reference], [size], {
        crashScenarios: 'power_loss',
        crashChecker: `node ${checkerFile('checker-crashes.mjs')} {dir}`,
      }),
    ).rejects.toThrow(
      /--crash-checker on a crash state of reference \(posix\): crashed \(exit 70\): checker-crashes: TypeError/,
    );
    await expect(
      runCrash([reference], [size], {
        crashScenarios: 'power_loss',
        crashChecker: `node ${checkerFile('checker-hangs.mjs')} {dir}`,
        crashCheckerTimeout: '1',
      }),
    ).rejects.toThrow(/no answer within 1 s/);
  }, 60_000);

  it('a missing checker, or one that does not name {dir}, is refused before anything runs', () => {
    expect(() => parseOptions(crashOptionsSchema, { crashChecker: '/nonexistent/check {dir}' })).toThrow(
      /--crash-checker: \/nonexistent\/check is not an executable file$/,
    );
    expect(() => parseOptions(crashOptionsSchema, { crashChecker: 'no-such-checker-binary {dir}' })).toThrow(
      /no-such-checker-binary is not an executable file on PATH/,
    );
    expect(() => parseOptions(crashOptionsSchema, { crashChecker: 'node check.mjs' })).toThrow(
      /must name the crash state's directory as \{dir\}/,
    );
  });
});

describe('concurrent writers', () => {
  it('catch fast writers with a fixed temp name in one round, and flag the ' +
    'name from the fault-free traces; a correct writer passes', async () => {
    const subjects = [
      fixture('fixed-temp', 'fixed-temp-writer.py'),
      fixture('fixed-temp-1k', 'fixed-temp-1k-writer.py'),
      fixture('correct', 'correct-writer.py'),
    ];
    const { rows } = await runCrash(subjects, [1024], { crashScenarios: 'concurrent' });
    const failing = await failingGates(rows, 'concurrent');
    expect(failing.get('correct') ?? []).toEqual([]);
    expect(value(rows, 'correct', 'profile', METRICS.fixedTempName)).toBe(0);
    for (const subject of ['fixed-temp', 'fixed-temp-1k']) {
      expect(value(rows, subject, 'concurrent', METRICS.trials)).toBe(1);
      expect(value(rows, subject, 'concurrent', METRICS.notReached)).toBe(0);
      const caught = failing.get(subject) ?? [];
      expect(caught).toContain('crash.fixed_temp_name');
      expect(caught.some((id) => id === 'crash.corruption' || id === 'crash.false_success')).toBe(true);
      expect(
        caught.every((id) => ['crash.fixed_temp_name', 'crash.corruption', 'crash.false_success'].includes(id)),
      ).toBe(true);
      const round = rows.find((row) => row.subject === subject && row.metric === METRICS.failedTrial);
      expect(round?.detail).toMatch(/held right after the open that creates the temp file .* until all were held/);
      expect(rows.some((row) => row.subject === subject && row.metric === METRICS.overlapNotForced)).toBe(false);
    }
    expect(rows.find((row) => row.subject === 'fixed-temp' && row.metric === METRICS.fixedTempName)?.detail).toMatch(
      /temp file \.target\.dat\.tmp had the same name in two fault-free runs/,
    );
    expect(rows.find((row) => row.subject === 'fixed-temp-1k' && row.metric === METRICS.fixedTempName)?.detail).toMatch(
      /temp file target\.dat\.tmp had the same name/,
    );
  }, 180_000);

  it('without strace, rounds still run but say the overlap was not forced', async () => {
    const { rows } = await runCrash([reference], [1024], {
      crashScenarios: 'concurrent',
      crashStrace: '/nonexistent/strace',
    });
    expect(value(rows, 'reference', 'concurrent', METRICS.trials)).toBe(1);
    const unforced = rows.find((row) => row.subject === 'reference' && row.metric === METRICS.overlapNotForced);
    expect(unforced?.value).toBe(1);
    expect(unforced?.detail).toMatch(/without holding them.*strace is not available/);
    expect(rows.some((row) => row.metric === METRICS.fixedTempName)).toBe(false);
  }, 60_000);
});

describe('the reference writer', () => {
  it('passes random kills, its in-process fault points, CAS and the locked rev counter', async () => {
    const { rows } = await runCrash([reference], [128 * 1024], {
      crashScenarios: 'fault_point,random_kill,cas_stale,concurrent_cas,lock_rev',
      crashKills: '4',
    });
    expect((await failingGates(rows, 'reference')).get('reference') ?? []).toEqual([]);
    expect(value(rows, 'reference', 'lock_rev', METRICS.finalRev)).toBe(100);
    expect(value(rows, 'reference', 'cas_stale', METRICS.conflictDetectedRate)).toBe(1);
    expect(value(rows, 'reference', 'concurrent_cas', METRICS.conflictDetectedRate)).toBe(1);
    expect(value(rows, 'reference', 'fault_point', METRICS.trials)).toBe(11);
    expect(value(rows, 'reference', 'random_kill', METRICS.trials)).toBe(4);
  }, 120_000);
});

describe('without strace', () => {
  it('skips the injection scenarios with one line saying why and how to install it; the rest runs', async () => {
    const { rows, notes } = await runCrash([reference], [128 * 1024], {
      crashScenarios: 'kill_at_step,inject_error,random_kill,power_loss',
      crashKills: '2',
      crashStrace: '/nonexistent/strace',
    });
    const line = notes.filter((note) => note.includes('strace'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(
      /strace not found at \/nonexistent\/strace: kill_at_step, inject_error and power_loss are skipped .*apt-get install strace/,
    );
    expect(
      rows
        .filter((row) => row.metric === METRICS.skipped)
        .map((row) => row.scenario)
        .sort(),
    ).toEqual(['inject_error', 'kill_at_step', 'power_loss']);
    expect(rows.some((row) => row.metric === METRICS.powerlossAtomicityViolationRate)).toBe(false);
    expect(value(rows, 'reference', 'random_kill', METRICS.trials)).toBe(2);
    expect(rows.some((row) => row.scenario === 'kill_at_step' && row.metric === METRICS.trials)).toBe(false);
  }, 60_000);
});
