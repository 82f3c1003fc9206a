/**
 * End to end: one durable writer per way of reaching the disk (test/fixtures/crash/mechanisms),
 * each passing kills, injected errors and power loss at 1 KiB and 128 KiB, beside known-bad twins
 * that fail exactly the gate naming their fault, and io_uring writers the suite must call "not
 * judged". Real processes, real strace, the real analyzer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verdictJson, verdictJsonSchema } from '../cli/json-output.js';
import { METRICS, type ResultRow } from '../core/schema.js';
import { commandSubject } from '../core/subjects/command-subject.js';
import type { WriterSubject } from '../core/subjects/types.js';
import { buildCFixture } from '../test/support/c-fixture.js';
import {
  analyzeCrash,
  builtin,
  CRASH_FIXTURES,
  fixture,
  gatesWith,
  runCrash,
  value,
} from '../test/support/crash-harness.js';
import type { AnalyzeOutcome } from '../analyze/analyze.js';

const MECHANISMS = path.join(CRASH_FIXTURES, 'mechanisms');
const mechanism = (name: string): WriterSubject => fixture(name, path.join('mechanisms', `${name}-writer.py`));

/** Each durable writer and the words its syscall profile must use for its mechanism. */
const DURABLE: Record<string, RegExp> = {
  odsync: /made durable by O_DSYNC writes/,
  'rwf-dsync': /in 2 pwritev2 calls \(each RWF_DSYNC, durable when it returns\)|in 1 pwritev2 call \(each RWF_DSYNC/,
  sync: /fsync of the file: yes \(sync\(\) before the rename\).*fsync of the directory: yes \(sync\(\) after the rename\)/,
  syncfs: /fsync of the file: yes \(syncfs of its file system before the rename\)/,
  mmap: /written through a shared mapping.*fsync of the file: yes \(msync\(MS_SYNC\) of its mapping, then fsync/,
  sendfile: /sendfile calls? \(copied in the kernel\)/,
  'copy-file-range': /copy_file_range calls? \(copied in the kernel\)/,
  splice: /splice calls? \(copied in the kernel\)/,
  fallocate: /pwrite64 calls?/,
  otmpfile: /anonymous \(O_TMPFILE\)/,
  'rename-exchange': /RENAME_EXCHANGE/,
  'link-backup': /fsync of the directory: yes/,
  'symlink-swap': /a symlink swap/,
};

/** Each known-bad twin, the gates it must fail (no other), and how its explanation names the missing call. */
const TWINS: Record<string, { gates: string[]; names: RegExp }> = {
  'odsync-no-dir-fsync': {
    gates: ['crash.powerloss_durability'],
    names: /did not persist: the target's directory was never fsynced after it/,
  },
  'mmap-no-msync': {
    gates: ['crash.powerloss_atomicity', 'crash.powerloss_durability'],
    names: /shared mapping were never msynced \(MS_SYNC\) or fsynced/,
  },
  'syncfs-other-fs': {
    gates: ['crash.powerloss_durability'],
    names: /did not persist: the target's directory was never fsynced after it/,
  },
  'sync-file-range-dir': {
    gates: ['crash.powerloss_durability'],
    names: /did not persist: the target's directory was never fsynced after it/,
  },
  'sync-file-range': {
    gates: ['crash.powerloss_atomicity', 'crash.powerloss_durability'],
    names: /the file was never fsynced \(nor fdatasynced, written O_DSYNC, or covered by sync or syncfs\)/,
  },
};

/** The five gates every durable writer must pass, judged (a pass instance, not an absence). */
const JUDGED = [
  'crash.corruption',
  'crash.false_success',
  'crash.powerloss_atomicity',
  'crash.powerloss_durability',
  'crash.step_reached',
];

let outDir: string;
let ring: (name: string, mode: string) => WriterSubject;
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-crash-mechanisms-'));
  const binary = buildCFixture(path.join(MECHANISMS, 'io-uring-writer.c'), outDir, ['uring']);
  ring = (name, mode) => commandSubject({ name, template: `'${binary}' {source} {target} ${mode}` });
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe.each([
  ['1 KiB', 1024],
  ['128 KiB', 128 * 1024],
])('every way of reaching the disk, at %s', (label, size) => {
  let rows: ResultRow[] = [];
  let outcome: AnalyzeOutcome;

  beforeAll(async () => {
    const subjects = [
      builtin('reference'),
      ...[...Object.keys(DURABLE), ...Object.keys(TWINS)].map(mechanism),
      ring('ring-all', 'ring-all'),
      ring('ring-fsync', 'ring-fsync'),
      ring('ring-idle', 'ring-idle'),
    ];
    ({ rows } = await runCrash(subjects, [size], { crashScenarios: 'kill_at_step,inject_error,power_loss' }));
    outcome = await analyzeCrash(rows, outDir, `mechanisms-${size}`);
  }, 300_000);

  it.each([...Object.keys(DURABLE), 'ring-idle'])(
    '%s passes every kill, injection and power-loss gate, judged',
    (name) => {
      expect(gatesWith(outcome, 'fail').get(name) ?? [], name).toEqual([]);
      expect(gatesWith(outcome, 'not_judged').get(name) ?? [], name).toEqual([]);
      const passed = gatesWith(outcome, 'pass').get(name) ?? [];
      for (const gate of JUDGED) expect(passed, `${name} ${gate}`).toContain(gate);
      for (const scenario of ['kill_at_step', 'inject_error'])
        expect(value(rows, name, scenario, METRICS.notReached), `${name} ${scenario}`).toBe(0);
    },
  );

  it.each(Object.keys(DURABLE))(
    '%s: ext4-ordered finds no violation either, and the profile names its mechanism',
    (name) => {
      const ext4 = rows.filter(
        (row) =>
          row.subject === name &&
          row.engine === 'ext4-ordered' &&
          row.metric.startsWith('powerloss_') &&
          row.metric.endsWith('_rate'),
      );
      expect(ext4.length, name).toBe(2);
      expect(
        ext4.every((row) => row.value === 0),
        name,
      ).toBe(true);
      expect(rows.find((row) => row.subject === name && row.metric === METRICS.syscallProfile)?.detail).toMatch(
        DURABLE[name] as RegExp,
      );
    },
  );

  it.each(Object.keys(TWINS))('%s fails exactly the gate naming its fault, and says which call was missing', (name) => {
    const twin = TWINS[name] as (typeof TWINS)[string];
    expect(gatesWith(outcome, 'fail').get(name), name).toEqual(twin.gates);
    const why = rows
      .filter((row) => row.subject === name && row.engine === 'posix' && row.metric === METRICS.powerlossViolation)
      .map((row) => row.detail);
    expect(
      why.some((detail) => twin.names.test(detail)),
      `${name}: ${why.join(' | ')}`,
    ).toBe(true);
  });

  it('says why a look-alike sync was not one: syncfs of another file system, sync_file_range', () => {
    const states = (name: string) =>
      rows.find((row) => row.subject === name && row.engine === 'posix' && row.metric === METRICS.powerlossStates)
        ?.detail;
    expect(states('syncfs-other-fs')).toMatch(
      /syncfs\(\/proc\) syncs another file system than the target's: it persists nothing of the target's/,
    );
    expect(states('sync-file-range-dir')).toMatch(
      /sync_file_range\(target\.dat\) is not counted as a sync: sync_file_range writes pages but persists no metadata/,
    );
  });

  it('a writer whose data and fsync go through io_uring is not judged, never passed or failed, with the reason', () => {
    const mine = outcome.gates.filter((gate) => gate.subject === 'ring-all');
    expect(mine.length).toBeGreaterThanOrEqual(8);
    expect(mine.every((gate) => gate.status === 'not_judged')).toBe(true);
    for (const scenario of ['kill_at_step', 'inject_error', 'power_loss']) {
      expect(
        rows.find((row) => row.subject === 'ring-all' && row.scenario === scenario && row.metric === METRICS.notJudged)
          ?.detail,
      ).toMatch(/^its I\/O goes through io_uring, which strace cannot see/);
    }
    expect(rows.some((row) => row.subject === 'ring-all' && row.metric === METRICS.trials)).toBe(false);
    const report = fs.readFileSync(outcome.reportPath, 'utf8');
    expect(report).toMatch(
      new RegExp(
        `not judged: \`ring-all · ${label}\` \\(7 gates\\) \\(\`its I/O goes through io_uring, which strace cannot see`,
      ),
    );
    const json = verdictJsonSchema.parse(verdictJson(outcome, { command: 'analyze' }));
    expect(json.not_judged.find((entry) => entry.subject === 'ring-all')?.reason).toMatch(
      /^its I\/O goes through io_uring, which strace cannot see/,
    );
    expect(
      json.gates
        .filter((gate) => gate.subject === 'ring-all')
        .every((gate) => gate.status === 'not_judged' && gate.not_judged !== undefined),
    ).toBe(true);
  });

  it('a writer that fsyncs through io_uring is judged on its kills and injections, not on power loss', () => {
    const notJudged = gatesWith(outcome, 'not_judged').get('ring-fsync');
    expect(notJudged).toEqual(['crash.powerloss_atomicity', 'crash.powerloss_durability']);
    expect(gatesWith(outcome, 'fail').get('ring-fsync') ?? []).toEqual([]);
    expect(rows.find((row) => row.subject === 'ring-fsync' && row.metric === METRICS.notJudged)?.detail).toMatch(
      /it uses io_uring, which strace cannot see: a sync submitted there would be invisible/,
    );
  });

  it('--require-judged turns what was not judged into failures, and nothing else', async () => {
    const strict = await analyzeCrash(rows, outDir, `mechanisms-${size}-strict`, { requireJudged: true });
    const failing = gatesWith(strict, 'fail');
    expect(failing.get('ring-all')?.length).toBeGreaterThanOrEqual(7);
    expect(failing.get('ring-fsync')).toEqual(['crash.powerloss_atomicity', 'crash.powerloss_durability']);
    for (const name of Object.keys(DURABLE)) expect(failing.get(name) ?? [], name).toEqual([]);
    expect(strict.verdict).toBe('fail');
  });
});
