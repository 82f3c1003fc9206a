/**
 * crash on fresh file systems (--fs): power loss judged by the file system's own model, tmpfs's
 * durability shown but not gated, and the crash_image gates and report part.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { encodeDetail, makeRow, METRICS, type ImageObservation, type ResultRow } from '../../core/schema.js';
import { analyze } from '../analyze.js';
import type { GateResult } from '../types.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-crash-fs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const KIB4 = 4096;

function csv(name: string, rows: ResultRow[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, rowsToCsv(rows));
  return file;
}

async function run(rows: ResultRow[], name = 'results.csv') {
  const outcome = await analyze({ inputs: [csv(name, rows)], outDir: dir, githubStepSummary: null });
  return {
    outcome,
    report: fs.readFileSync(outcome.reportPath, 'utf8'),
    crash: outcome.gates.filter((gate) => gate.suite === 'crash'),
  };
}

/** The power-loss rows crash writes for one writer × model on one file system; rates as [k, n]. */
function powerLoss(
  subject: string,
  model: string,
  fsName: string,
  rates: { atomicity: [number, number]; durability: [number, number] },
  violations: string[] = [],
): ResultRow[] {
  const base = {
    suite: 'crash' as const,
    scenario: 'power_loss',
    subject,
    mode: 'durable',
    size_bytes: KIB4,
    engine: model,
    fs: fsName,
  };
  return [
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossStates,
      value: rates.atomicity[1],
      unit: 'count',
      detail: `${rates.atomicity[1]} states from 9 operations`,
    }),
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossAtomicityViolationRate,
      value: rates.atomicity[0] / rates.atomicity[1],
      unit: 'ratio',
      detail: rates.atomicity.join('/'),
    }),
    makeRow('r1', {
      ...base,
      metric: METRICS.powerlossDurabilityViolationRate,
      value: rates.durability[0] / rates.durability[1],
      unit: 'ratio',
      detail: rates.durability.join('/'),
    }),
    ...violations.map((detail) =>
      makeRow('r1', { ...base, metric: METRICS.powerlossViolation, value: 1, unit: 'count', detail }),
    ),
  ];
}

/** One file system's power-loss rows in which posix sees violations and the file system's own model none. */
function posixBadOwnGood(subject: string, fsName: string, own: string): ResultRow[] {
  return [
    ...powerLoss(subject, 'posix', fsName, { atomicity: [3, 12], durability: [2, 4] }),
    ...powerLoss(subject, own, fsName, { atomicity: [0, 12], durability: [0, 4] }),
  ];
}

const gateOf = (crash: readonly GateResult[], id: string, subject: string, fsName?: string): GateResult[] =>
  crash.filter((gate) => gate.id === id && gate.subject === subject && (fsName === undefined || gate.fs === fsName));

describe('power loss judged by the file system the rows were made on', () => {
  it(
    "passes on xfs under xfs's model and fails on the workspace's file system " +
      'under posix, from the same kind of rows',
    async () => {
      const rows = [...posixBadOwnGood('mine', '', 'xfs'), ...posixBadOwnGood('mine', 'xfs', 'xfs')];
      const { outcome, crash, report } = await run(rows);
      const atomicity = (fsName: string) => gateOf(crash, 'crash.powerloss_atomicity', 'mine', fsName);
      const durability = (fsName: string) => gateOf(crash, 'crash.powerloss_durability', 'mine', fsName);
      expect(atomicity('xfs').map((gate) => [gate.status, gate.instance])).toEqual([['pass', 'mine · 4 KiB · on xfs']]);
      expect(durability('xfs').map((gate) => gate.status)).toEqual(['pass']);
      expect(atomicity('').map((gate) => [gate.status, gate.instance])).toEqual([
        ['fail', "mine · 4 KiB · on the workspace's file system"],
      ]);
      expect(durability('').map((gate) => gate.status)).toEqual(['fail']);
      expect(outcome.verdict).toBe('fail');
      // Each part bolds the model that judges it, and says which that is.
      const xfsPart = report.slice(report.indexOf('## Crash — durability under faults — on xfs'));
      expect(xfsPart).toContain(
        'These rows were made on a fresh xfs, so its own model judges them. **xfs** (gated) is the default xfs mount.',
      );
      expect(xfsPart).toContain('| `mine` | 4 KiB | **xfs** | 12 | 0% (0/12) | 0% (0/4) |');
      expect(xfsPart).toContain('| `mine` | 4 KiB | posix | 12 | **25% (3/12)** | **50% (2/4)** |');
      const workspacePart = report.slice(
        report.indexOf("## Crash — durability under faults — on the workspace's file system"),
        report.indexOf('## Crash — durability under faults — on xfs'),
      );
      expect(workspacePart).toContain('| `mine` | 4 KiB | **posix** | 12 |');
      expect(workspacePart).toContain('| `mine` | 4 KiB | xfs | 12 |');
    },
  );

  it('judges ext4 rows by ext4-ordered when only ext4 ran, and says so in the heading', async () => {
    const { crash, report } = await run(posixBadOwnGood('mine', 'ext4', 'ext4-ordered'));
    expect(
      gateOf(crash, 'crash.powerloss_atomicity', 'mine').map((gate) => [gate.status, gate.instance, gate.fs]),
    ).toEqual([['pass', 'mine · 4 KiB', undefined]]);
    expect(report).toMatch(/^## Crash — durability under faults — on ext4$/m);
  });

  it('keeps posix on rows without fs, as before', async () => {
    const { crash } = await run(posixBadOwnGood('mine', '', 'ext4-ordered'));
    expect(gateOf(crash, 'crash.powerloss_atomicity', 'mine').map((gate) => [gate.status, gate.instance])).toEqual([
      ['fail', 'mine · 4 KiB'],
    ]);
  });

  it('marks a writer not durable beside its bench figures by the model of the same file system', async () => {
    const bench = (fsName: string) =>
      ['reference', 'mine'].flatMap((subject) =>
        [0, 1, 2].map((sample) =>
          makeRow('r1', {
            suite: 'bench',
            scenario: 'write',
            subject,
            mode: 'durable',
            size_bytes: KIB4,
            metric: METRICS.latencySample,
            value: 2 + sample / 10,
            unit: 'ms',
            sample,
            engine: 'tinybench',
            fs: fsName,
          }),
        ),
      );
    const { report } = await run([
      ...bench('ext4'),
      ...bench('xfs'),
      ...posixBadOwnGood('mine', 'xfs', 'xfs'),
      ...powerLoss('mine', 'ext4-ordered', 'ext4', { atomicity: [1, 12], durability: [0, 4] }),
    ]);
    const ext4Bench = report.slice(
      report.indexOf('## Bench — micro I/O — on ext4'),
      report.indexOf('## Bench — micro I/O — on xfs'),
    );
    const xfsBench = report.slice(report.indexOf('## Bench — micro I/O — on xfs'), report.indexOf('## Crash'));
    expect(ext4Bench.length).toBeGreaterThan(0);
    expect(xfsBench).not.toContain('not durable');
    expect(ext4Bench).toContain('`mine` ⚠ not durable');
  });
});

describe('power loss on tmpfs', () => {
  const rows = [
    ...powerLoss('mine', 'tmpfs', 'tmpfs', { atomicity: [0, 12], durability: [4, 4] }, [
      'check=durability; why=a power loss empties the tmpfs',
    ]),
    ...powerLoss('torn', 'tmpfs', 'tmpfs', { atomicity: [2, 12], durability: [4, 4] }),
  ];

  it('reports durability without gating it, says why, and still gates atomicity', async () => {
    const { outcome, crash, report } = await run(rows);
    expect(crash.some((gate) => gate.id === 'crash.powerloss_durability')).toBe(false);
    expect(gateOf(crash, 'crash.powerloss_atomicity', 'mine').map((gate) => gate.status)).toEqual(['pass']);
    expect(gateOf(crash, 'crash.powerloss_atomicity', 'torn').map((gate) => gate.status)).toEqual(['fail']);
    expect(outcome.verdict).toBe('fail');
    expect(report).toContain(
      'On tmpfs the success-not-durable column is reported, not gated: a power ' +
        'loss empties a tmpfs, so no write on it survives one, whatever the writer does.',
    );
    // Shown, not bold: nothing broke a rule that holds here.
    expect(report).toContain('| `mine` | 4 KiB | **tmpfs** | 12 | 0% (0/12) | 100% (4/4) |');
    expect(report).not.toContain('a power loss empties the tmpfs`');
  });

  it('is gated as usual on the other file systems of the same run', async () => {
    const { crash } = await run([
      ...rows,
      ...powerLoss('mine', 'btrfs', 'btrfs', { atomicity: [0, 12], durability: [1, 4] }),
    ]);
    expect(gateOf(crash, 'crash.powerloss_durability', 'mine').map((gate) => [gate.fs, gate.status])).toEqual([
      ['btrfs', 'fail'],
    ]);
  });
});

/** One real crash image as crash_image writes it. */
function observation(fields: Partial<ImageObservation> = {}): ImageObservation {
  return {
    point: 'exit',
    after: 'exit_group(0)',
    held: 'new',
    allowed: ['new'],
    unsound: false,
    leftovers: [],
    ...fields,
  };
}

/** The crash_image rows of one writer × size on one file system. */
function images(subject: string, fsName: string, model: string, observations: ImageObservation[]): ResultRow[] {
  const base = {
    suite: 'crash' as const,
    scenario: 'crash_image',
    subject,
    mode: 'durable',
    size_bytes: KIB4,
    engine: model,
    fs: fsName,
  };
  const torn = observations.filter((o) => o.held === 'other' || o.held === 'missing').length;
  const atExit = observations.filter((o) => o.point === 'exit');
  const lost = atExit.filter((o) => o.held !== 'new').length;
  const unsound = observations.filter((o) => o.unsound).length;
  return [
    makeRow('r1', { ...base, metric: METRICS.imageStates, value: observations.length, unit: 'count' }),
    makeRow('r1', {
      ...base,
      metric: METRICS.imageAtomicityViolationRate,
      value: torn / observations.length,
      unit: 'ratio',
      detail: `${torn}/${observations.length}`,
    }),
    makeRow('r1', {
      ...base,
      metric: METRICS.imageDurabilityViolationRate,
      value: atExit.length ? lost / atExit.length : null,
      unit: 'ratio',
      detail: `${lost}/${atExit.length}`,
    }),
    makeRow('r1', { ...base, metric: METRICS.imageUnsoundStates, value: unsound, unit: 'count' }),
    ...observations.map((o, index) =>
      makeRow('r1', {
        ...base,
        metric: METRICS.imageObservation,
        sample: index,
        detail: encodeDetail(METRICS.imageObservation, o),
      }),
    ),
  ];
}

const SOUND = [
  observation({ point: 'first_write', after: 'after the first payload write', held: 'old', allowed: ['old'] }),
  observation({
    point: 'before_rename',
    after: 'after the rename onto the target',
    held: 'old',
    allowed: ['old', 'new'],
    leftovers: ['.target.tmp'],
  }),
  observation(),
];

describe('crash images', () => {
  it(
    'passes every image gate on sound images that kept what they should, and ' +
      'leaves them out when crash_image did not run',
    async () => {
      const { crash, report } = await run(images('mine', 'ext4', 'ext4-ordered', SOUND));
      for (const id of ['crash.model_sound', 'crash.image_atomicity', 'crash.image_durability'])
        expect(
          gateOf(crash, id, 'mine').map((gate) => gate.status),
          id,
        ).toEqual(['pass']);
      expect(report).toContain('### Crash images');
      expect(report).toContain('| `mine` | 4 KiB | ext4-ordered | 3 | 0% (0/3) | 0% (0/1) | 0 |');
      expect(report).toContain(
        'on a real ext4 image taken with the writer frozen `after the rename onto ' +
          'the target` (point `before_rename`), the target held the old content (the ' +
          'model allows: old, new); left beside it: `.target.tmp`',
      );
      expect(report).toContain(
        'on a real ext4 image taken right after exit 0, the target held the new content (the model allows: new)',
      );

      const without = await run(powerLoss('mine', 'posix', '', { atomicity: [0, 12], durability: [0, 4] }), 'none.csv');
      expect(
        without.crash.filter((gate) => gate.id.startsWith('crash.image_') || gate.id === 'crash.model_sound'),
      ).toEqual([]);
      expect(without.report).not.toContain('### Crash images');
    },
  );

  it(
    'fails crash.model_sound on an unsound image, for the yardstick too, and ' +
      'lists it first and loudly with where it was kept',
    async () => {
      const unsound = observation({
        point: 'mid_payload',
        after: 'after a write in the middle of the payload',
        held: 'other',
        allowed: ['old', 'new'],
        unsound: true,
        kept: 'out/crash-images/native-unsafe-4k-3.img',
      });
      const { outcome, crash, report } = await run([
        ...images('mine', 'xfs', 'xfs', SOUND),
        ...images('native-unsafe', 'xfs', 'xfs', [...SOUND, unsound]),
      ]);
      expect(gateOf(crash, 'crash.model_sound', 'mine').map((gate) => gate.status)).toEqual(['pass']);
      const bad = gateOf(crash, 'crash.model_sound', 'native-unsafe');
      expect(bad.map((gate) => [gate.status, gate.figure])).toEqual([['fail', 1]]);
      expect(bad[0]?.detail).toContain('out/crash-images/native-unsafe-4k-3.img');
      // The yardstick's torn image is shown, not gated as a writer's failure.
      expect(gateOf(crash, 'crash.image_atomicity', 'native-unsafe')).toEqual([]);
      expect(outcome.verdict).toBe('fail');
      const part = report.slice(report.indexOf('### Crash images'));
      expect(part).toContain(
        '⚠ **1 image(s) the model says cannot happen.** A real disk kept a state ' +
          'of the target the **xfs** model does not allow: the model is wrong about ' +
          'this file system, and its power-loss verdicts here cannot be trusted until ' +
          "it is fixed. This is not the writer's fault.",
      );
      expect(part.indexOf('kept at `out/crash-images/native-unsafe-4k-3.img`')).toBeLessThan(
        part.indexOf('| writer |'),
      );
      expect(part).toContain('| `native-unsafe` | 4 KiB | xfs | 4 | **25% (1/4)** | 0% (0/1) | **1** ⚠ |');
      expect(part).toContain(
        '  - ⚠ unsound: on a real xfs image taken with the writer frozen `after ' +
          'a write in the middle of the payload` (point `mid_payload`), the target ' +
          'held neither the old nor the new content (the model allows: old, new)',
      );
    },
  );

  it('fails crash.image_atomicity on a torn image and crash.image_durability on an old target after exit 0', async () => {
    const torn = observation({
      point: 'first_write',
      after: 'after the first payload write',
      held: 'other',
      allowed: ['old', 'new', 'other'],
    });
    const lost = observation({ held: 'old', allowed: ['old', 'new'] });
    const { crash, report } = await run([
      ...images('tearing', 'ext4', 'ext4-ordered', [torn, observation()]),
      ...images('forgetful', 'ext4', 'ext4-ordered', [
        observation({ point: 'first_write', after: 'after the first payload write', held: 'old', allowed: ['old'] }),
        lost,
      ]),
    ]);
    expect(gateOf(crash, 'crash.image_atomicity', 'tearing').map((gate) => [gate.status, gate.detail])).toEqual([
      ['fail', 'tearing · 4 KiB: 50.00%, needs = 0% (1/2 crash images)'],
    ]);
    expect(gateOf(crash, 'crash.image_durability', 'tearing').map((gate) => gate.status)).toEqual(['pass']);
    expect(gateOf(crash, 'crash.image_durability', 'forgetful').map((gate) => [gate.status, gate.detail])).toEqual([
      ['fail', 'forgetful · 4 KiB: 100.00%, needs = 0% (1/1 images taken right after exit 0)'],
    ]);
    expect(gateOf(crash, 'crash.image_atomicity', 'forgetful').map((gate) => gate.status)).toEqual(['pass']);
    // Sound, though they broke the writer's rules: the model allowed what the disk kept.
    expect(gateOf(crash, 'crash.model_sound', 'tearing').map((gate) => gate.status)).toEqual(['pass']);
    expect(report).toContain(
      '  - ❌ on a real ext4 image taken right after exit 0, the target held ' +
        'the old content (the model allows: old, new)',
    );
  });

  it('gates images per file system, and never image durability on tmpfs', async () => {
    const lost = observation({ held: 'old', allowed: ['old', 'new'] });
    const { crash } = await run([
      ...images('mine', 'btrfs', 'btrfs', [lost]),
      ...images('mine', 'tmpfs', 'tmpfs', [lost]),
    ]);
    expect(
      gateOf(crash, 'crash.image_durability', 'mine').map((gate) => [gate.fs, gate.status, gate.instance]),
    ).toEqual([['btrfs', 'fail', 'mine · 4 KiB · on btrfs']]);
    expect(gateOf(crash, 'crash.image_atomicity', 'mine').map((gate) => gate.fs)).toEqual(['btrfs', 'tmpfs']);
  });

  it("lists a skipped crash_image and a writer it could not judge like crash's other scenarios", async () => {
    const base = {
      suite: 'crash' as const,
      scenario: 'crash_image',
      mode: 'durable',
      size_bytes: KIB4,
      engine: 'xfs',
      fs: 'xfs',
    };
    const rows = [
      ...images('mine', 'xfs', 'xfs', SOUND),
      makeRow('r1', {
        ...base,
        subject: 'slow',
        metric: METRICS.skipped,
        value: 1,
        detail: 'the writer could not be frozen: no strace',
      }),
      makeRow('r1', {
        ...base,
        subject: 'ring',
        metric: METRICS.notJudged,
        value: 1,
        detail: 'its I/O goes through io_uring',
      }),
      makeRow('r1', {
        ...base,
        subject: 'mine',
        metric: METRICS.notApplicable,
        value: 1,
        detail: 'before_dir_fsync: it never fsyncs the directory',
      }),
    ];
    const { crash, report } = await run(rows);
    expect(gateOf(crash, 'crash.image_atomicity', 'ring').map((gate) => gate.status)).toEqual(['not_judged']);
    expect(gateOf(crash, 'crash.image_durability', 'ring').map((gate) => gate.status)).toEqual(['not_judged']);
    expect(report).toContain(
      '- crash images of a fresh file system (`slow`): skipped — `the writer could not be frozen: no strace`',
    );
    expect(report).toContain(
      'Not run (never counted as a pass):\n\n- `slow` · 4 KiB: `the writer could not be frozen: no strace`',
    );
    expect(report).toContain(
      "Points not on a writer's path, so no image there:\n\n- `mine` · 4 KiB: " +
        '`before_dir_fsync: it never fsyncs the directory`',
    );
  });
});
