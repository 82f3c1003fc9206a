/**
 * Whole commands under power loss, end to end: real processes under strace, real git, the real
 * analyzer's gates on the rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeDetail, METRICS, type ResultRow } from '../../core/schema.js';
import { CRASH_FIXTURES, failingGates, PYTHON, runCrash } from '../../test/support/crash-harness.js';

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-command-crash-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

const fixture = (name: string): string => path.join(CRASH_FIXTURES, name);
const rate = (rows: readonly ResultRow[], subject: string, model: string, metric: string) =>
  decodeDetail(
    metric as typeof METRICS.powerlossDurabilityViolationRate,
    rows.find((row) => row.subject === subject && row.engine === model && row.metric === metric)?.detail ?? '',
  );

describe('crash --command', () => {
  it('a checker that always says consistent does not hide a file the command fsynced, renamed and lost', async () => {
    const command = `${PYTHON} ${fixture('command-rename-no-dir-fsync.py')}`;
    const { rows } = await runCrash([], [1024], {
      command: [`lost=${command}`, `kept=${command} --dir-fsync`],
      crashChecker: 'true {dir}',
    });
    // The checker passed every state; the per-file check saw data.txt missing after exit 0.
    expect(rate(rows, 'lost', 'posix', METRICS.powerlossCheckerViolationRate)?.k).toBe(0);
    expect(rate(rows, 'lost', 'posix', METRICS.powerlossDurabilityViolationRate)?.k).toBeGreaterThan(0);
    const failing = await failingGates(rows, outDir, 'lying-checker');
    expect(failing.get('lost')).toEqual(['crash.powerloss_durability']);
    expect(failing.get('kept') ?? []).toEqual([]);
    const why = rows
      .filter((row) => row.subject === 'lost' && row.metric === METRICS.powerlossViolation && row.engine === 'posix')
      .map((row) => decodeDetail(METRICS.powerlossViolation, row.detail)?.why);
    expect(why).toContain(
      'data.txt held nothing (the name is absent): power lost right after #4 rename(data.tmp → data.txt); ' +
        'not on disk: #4 rename(data.tmp → data.txt) (1 of the 5 calls issued)',
    );
  }, 60_000);

  it('kills and errors at every step: a kill between two in-place writes is caught, fsynced renames hold', async () => {
    const python = (script: string) => `${PYTHON} ${fixture(script)}`;
    // A setup that takes {size} makes a size class per size of the run (quick: the largest).
    const { rows } = await runCrash([], [1024, 4096], {
      command: [
        `inplace=${python('command-in-place.py')}`,
        `kept=${python('command-rename-no-dir-fsync.py')} --dir-fsync`,
      ],
      commandSetup: `${python('command-data-setup.py')} {dir} {size}`,
      crashChecker: `${python('command-data-check.py')} {dir}`,
    });
    expect(new Set(rows.filter((row) => row.subject === 'inplace').map((row) => row.size_bytes))).toEqual(
      new Set([4096]),
    );
    const of = (subject: string, scenario: string, metric: string) =>
      rows.find((row) => row.subject === subject && row.scenario === scenario && row.metric === metric);
    const corruption = (subject: string, scenario: string) =>
      decodeDetail(METRICS.corruptionRate, of(subject, scenario, METRICS.corruptionRate)?.detail ?? '');
    // Every step of the in-place rewrite (truncate, two writes, fsync) is hit, and the kill after the
    // truncate or between the writes leaves a file that is neither record.
    expect(of('inplace', 'kill_at_step', METRICS.notReached)?.value).toBe(0);
    expect(corruption('inplace', 'kill_at_step')?.n).toBe(4);
    expect(corruption('inplace', 'kill_at_step')?.k).toBeGreaterThanOrEqual(2);
    expect(corruption('kept', 'kill_at_step')).toEqual({ k: 0, n: 5 });
    expect(corruption('kept', 'inject_error')?.k).toBe(0);
    const failing = await failingGates(rows, outDir, 'faults');
    expect(failing.get('inplace')).toEqual(expect.arrayContaining(['crash.corruption', 'crash.powerloss_checker']));
    expect(failing.get('kept') ?? []).toEqual([]);
  }, 120_000);

  it('a wrapper that runs git with core.fsync=none fails crash-safety parity against core.fsync=all; a passthrough holds', async () => {
    const { rows } = await runCrash([], [1024], {
      command: ['git-commit-fsync-all'],
      commandWrapper: [
        `nofsync=${fixture('git-no-fsync-wrapper.sh')} git`,
        `same=${fixture('passthrough-wrapper.sh')} git`,
      ],
      crashScenarios: 'power_loss',
      crashMaxStates: '120',
      commandBudget: '60',
    });
    const parity = (subject: string) =>
      rows
        .filter((row) => row.subject === subject && row.metric === METRICS.wrapperCrashParity)
        .map((row) => [row.engine, row.value]);
    expect(parity('git-commit-fsync-all@nofsync')).toEqual([
      ['posix', 1],
      ['ext4-ordered', 1],
    ]);
    expect(parity('git-commit-fsync-all@same')).toEqual([
      ['posix', 0],
      ['ext4-ordered', 0],
    ]);
    const failing = await failingGates(rows, outDir, 'wrapper-parity');
    expect(failing.get('git-commit-fsync-all@nofsync')).toContain('crash.wrapper_crash_parity');
    expect(failing.get('git-commit-fsync-all@same') ?? []).not.toContain('crash.wrapper_crash_parity');
    // git's own checker ran on the states: fsck failures come back in its words.
    const said = rows
      .filter((row) => row.subject === 'git-commit-fsync-all@nofsync' && row.metric === METRICS.powerlossViolation)
      .map((row) => decodeDetail(METRICS.powerlossViolation, row.detail))
      .find((violation) => violation?.check === 'checker')?.why;
    expect(said).toMatch(/^your checker said "(git fsck --full failed|HEAD)/);
  }, 180_000);
});
