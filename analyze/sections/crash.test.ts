import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { makeRow, METRICS, type ResultRow, type RowInput } from '../../core/schema.js';
import { analyze } from '../analyze.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-crash-analyze-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const MIB8 = 8 * 1024 * 1024;

/** The rows crash writes for one writer × scenario × size: counts, k/n rates, one row per failing trial. */
function group(
  run: string,
  subject: string,
  scenario: string,
  spec: { trials: number; notReached?: number; rates: Record<string, [number, number]>; failed?: string[] },
): ResultRow[] {
  const base = { suite: 'crash' as const, scenario, subject, mode: 'durable', size_bytes: MIB8, engine: 'strace' };
  const inputs: RowInput[] = [
    { ...base, metric: METRICS.trials, value: spec.trials, unit: 'count' },
    { ...base, metric: METRICS.notReached, value: spec.notReached ?? 0, unit: 'count' },
    {
      ...base,
      metric: METRICS.notReachedRate,
      value: (spec.notReached ?? 0) / (spec.trials + (spec.notReached ?? 0)),
      unit: 'ratio',
    },
    ...Object.entries(spec.rates).map(([metric, [k, n]]) => ({
      ...base,
      metric,
      value: k / n,
      unit: 'ratio',
      detail: `${k}/${n}`,
    })),
    ...(spec.failed ?? []).map((detail) => ({ ...base, metric: METRICS.failedTrial, value: 1, unit: 'count', detail })),
  ];
  return inputs.map((input) => makeRow(run, input));
}

function profile(run: string, subject: string, gaps: number, text: string): ResultRow {
  return makeRow(run, {
    suite: 'crash',
    scenario: 'profile',
    subject,
    mode: 'durable',
    metric: METRICS.syscallProfile,
    value: gaps,
    unit: 'durability gaps',
    detail: text,
  });
}

function csv(name: string, rows: ResultRow[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, rowsToCsv(rows));
  return file;
}

async function run(inputs: string[]) {
  const outcome = await analyze({ inputs, outDir: dir, githubStepSummary: null });
  return {
    outcome,
    report: fs.readFileSync(outcome.reportPath, 'utf8'),
    crash: outcome.gates.filter((gate) => gate.suite === 'crash'),
  };
}

const CLEAN = {
  [METRICS.corruptionRate]: [0, 6],
  [METRICS.falseSuccessRate]: [0, 6],
  [METRICS.recoveryRate]: [6, 6],
  [METRICS.tempAfterKillRate]: [3, 6],
} as Record<string, [number, number]>;

describe('crash section', () => {
  it('passes a clean writer, never gates the yardstick, and says what a kill cannot prove', async () => {
    const rows = [
      ...group('r1', 'reference', 'kill_at_step', { trials: 6, rates: CLEAN }),
      ...group('r1', 'native-unsafe', 'kill_at_step', {
        trials: 3,
        rates: { [METRICS.corruptionRate]: [2, 3], [METRICS.recoveryRate]: [3, 3] },
        failed: [
          'step=mid_payload; fault=SIGKILL at write(<target>) in 7 [write #3 of ' +
            'its thread]; held=torn: 1 MiB: the first 1 MiB of new (8 MiB), sha256 ' +
            '3a63; reported=killed by SIGKILL; failed=corruption',
        ],
      }),
      profile(
        'r1',
        'reference',
        0,
        'fsync of the file: yes (fdatasync before the rename); fsync of the directory: yes',
      ),
      profile('r1', 'steno', 2, 'fsync of the file: NO; fsync of the directory: NO'),
    ];
    const { outcome, report, crash } = await run([csv('clean.csv', rows)]);
    expect(outcome.verdict).toBe('pass');
    expect(crash.filter((gate) => gate.subject === 'reference').map((gate) => [gate.id, gate.status])).toEqual(
      expect.arrayContaining([
        ['crash.corruption', 'pass'],
        ['crash.false_success', 'pass'],
        ['crash.recovery', 'pass'],
        ['crash.step_reached', 'pass'],
      ]),
    );
    expect(crash.some((gate) => gate.subject === 'native-unsafe')).toBe(false);
    expect(report).toContain('A SIGKILL does not lose data the kernel already holds');
    expect(report).toContain('**`steno`** — ⚠ 2 durability gaps no kill can show');
    // The yardstick's failing trial is still listed, with what the target held.
    // What the trial row says (writer, step, fault, what was held and reported) is the input's: inline code.
    expect(report).toContain(
      '| `native-unsafe` | kill at a step (strace) | 8 MiB | `mid_payload` | ' +
        '`corruption` | `SIGKILL at write(<target>) in 7 [write #3 of its thread]` ' +
        '| `torn: 1 MiB: the first 1 MiB of new (8 MiB), sha256 3a63` | `killed by SIGKILL` |',
    );
  });

  it('fails the gate that names the fault and lists the trial behind it', async () => {
    const rows = [
      ...group('r1', 'reference', 'inject_error', {
        trials: 6,
        rates: {
          [METRICS.corruptionRate]: [0, 6],
          [METRICS.falseSuccessRate]: [0, 6],
          [METRICS.orphanTempRate]: [0, 6],
        },
      }),
      ...group('r1', 'leaky', 'inject_error', {
        trials: 5,
        rates: {
          [METRICS.corruptionRate]: [0, 5],
          [METRICS.falseSuccessRate]: [0, 5],
          [METRICS.orphanTempRate]: [4, 5],
        },
        failed: [
          'step=write_enospc; fault=ENOSPC at write(<dir>/.t.tmp) in 9; held=the ' +
            'old content, intact; reported=exit 1: leaky-writer: [Errno 28]; failed=orphan_temp (.t.tmp)',
        ],
      }),
    ];
    const { outcome, report, crash } = await run([csv('leaky.csv', rows)]);
    expect(outcome.verdict).toBe('fail');
    const failing = crash.filter((gate) => gate.status === 'fail');
    expect(failing.map((gate) => [gate.id, gate.subject])).toEqual([['crash.orphan_temp', 'leaky']]);
    expect(failing[0]?.figureText).toContain('80.00%');
    expect(report).toContain(
      '| `leaky` | injected I/O error (strace) | 8 MiB | `write_enospc` | `orphan_temp ' +
        '(.t.tmp)` | `ENOSPC at write(<dir>/.t.tmp) in 9` | `the old content, intact` ' +
        '| `exit 1: leaky-writer: [Errno 28]` |',
    );
  });

  it('pools shards by summing trials, so one clean shard cannot dilute another to a pass', async () => {
    const shard = (run: string, corrupt: number) =>
      group(run, 'mine', 'random_kill', {
        trials: 4,
        rates: { [METRICS.corruptionRate]: [corrupt, 4], [METRICS.recoveryRate]: [4, 4] },
      });
    const { crash } = await run([csv('a.csv', shard('r1', 0)), csv('b.csv', shard('r2', 1))]);
    const corruption = crash.find((gate) => gate.id === 'crash.corruption' && gate.subject === 'mine');
    expect(corruption?.status).toBe('fail');
    expect(corruption?.figure).toBeCloseTo(1 / 8);
    expect(corruption?.detail).toContain('1/8 trials');
  });

  it('a writer × scenario whose trials mostly missed their step fails loudly', async () => {
    const rows = group('r1', 'drv', 'inject_error', {
      trials: 1,
      notReached: 5,
      rates: { [METRICS.corruptionRate]: [0, 1] },
    });
    const { crash, report } = await run([csv('missed.csv', rows)]);
    const reached = crash.find((gate) => gate.id === 'crash.step_reached');
    expect(reached?.status).toBe('fail');
    expect(report).toContain('| injected I/O error (strace) | 5 | 6 |');
  });
});

describe('a writer the crash suite could not judge', () => {
  const REASON =
    'its I/O goes through io_uring, which strace cannot see: the target holds ' +
    '8388608 bytes, its traced calls account for 0';
  const notJudged = (run: string, subject: string, scenario: string): ResultRow =>
    makeRow(run, {
      suite: 'crash',
      scenario,
      subject,
      mode: 'durable',
      size_bytes: MIB8,
      engine: 'strace',
      metric: METRICS.notJudged,
      value: 1,
      unit: 'count',
      detail: REASON,
    });
  const rows = [
    ...group('r1', 'reference', 'kill_at_step', { trials: 6, rates: CLEAN }),
    notJudged('r1', 'ring', 'kill_at_step'),
    notJudged('r1', 'ring', 'inject_error'),
    notJudged('r1', 'ring', 'power_loss'),
  ];

  it('is neither a pass nor a fail: counted apart, named in the verdict line and in its own block', async () => {
    const { outcome, report, crash } = await run([csv('unjudged.csv', rows)]);
    expect(outcome.verdict).toBe('pass');
    const ring = crash.filter((gate) => gate.subject === 'ring');
    expect(ring.length).toBeGreaterThanOrEqual(8);
    expect(ring.every((gate) => gate.status === 'not_judged' && gate.notJudged === REASON)).toBe(true);
    expect(outcome.counts.not_judged).toBe(ring.length);
    expect(outcome.counts.pass).toBe(crash.filter((gate) => gate.status === 'pass').length);
    expect(outcome.notJudged).toEqual([
      {
        suite: 'crash',
        subject: 'ring',
        size_bytes: MIB8,
        reason: REASON,
        gates: expect.arrayContaining(['crash.corruption', 'crash.powerloss_atomicity', 'crash.step_reached']),
      },
    ]);
    expect(report).toContain(
      `**Verdict: ✅ PASS — not judged: \`ring · 8 MiB\` (7 gates) (\`${REASON}\`)** ` +
        `— 4 pass · 0 fail · 4 no data · 10 not judged (gate instances).`,
    );
    expect(report).toMatch(
      /### Not judged\n\n.*never counted as passes nor as failures.*\n\n- \*\*`ring`\*\* \(8 MiB; kill at a step \(strace\), injected I\/O error \(strace\), power loss \(persistence model\)\): `its I\/O goes through io_uring/,
    );
  });

  it('fails under --require-judged, saying why', async () => {
    const outcome = await analyze({
      inputs: [csv('unjudged.csv', rows)],
      outDir: dir,
      githubStepSummary: null,
      requireJudged: true,
    });
    expect(outcome.verdict).toBe('fail');
    expect(outcome.counts.not_judged).toBe(0);
    const failing = outcome.gates.filter((gate) => gate.status === 'fail');
    expect(
      failing.every((gate) => gate.subject === 'ring' && gate.detail.endsWith('(a failure under --require-judged)')),
    ).toBe(true);
    expect(fs.readFileSync(outcome.reportPath, 'utf8')).toContain(
      '`--require-judged`: `ring · 8 MiB` could not be judged',
    );
  });

  it('stays not judged when another shard judged the same writer and size', async () => {
    const judged = group('r2', 'ring', 'kill_at_step', { trials: 6, rates: CLEAN });
    const { crash } = await run([csv('a.csv', rows), csv('b.csv', judged)]);
    expect(
      crash
        .filter((gate) => gate.subject === 'ring' && gate.scenario === 'kill_at_step')
        .every((gate) => gate.status === 'not_judged'),
    ).toBe(true);
  });
});

describe("the writer's box", () => {
  const outside = (run: string, subject: string, files: string[]): ResultRow =>
    makeRow(run, {
      suite: 'crash',
      scenario: 'profile',
      subject,
      mode: 'durable',
      engine: 'strace',
      metric: METRICS.writesOutside,
      value: files.length,
      unit: 'count',
      detail: files.length
        ? `changed ${files.length} file(s) outside its target's directory and $TMPDIR ` +
          `in 12 traced run(s): ${files.join(', ')}`
        : "changed nothing outside its target's directory and $TMPDIR in 12 traced run(s)",
    });
  const REASON = 'its I/O goes through io_uring, which strace cannot see';

  it(
    'fails a writer that changed files it was not given, naming them; passes ' +
      'one that did not; never judges one whose trace misses its I/O',
    async () => {
      const rows = [
        outside('r1', 'escaping', ['escape_log', '../escape_log']),
        outside('r1', 'reference', []),
        outside('r1', 'native-unsafe', ['stray']),
        makeRow('r1', {
          suite: 'crash',
          scenario: 'profile',
          subject: 'ring',
          mode: 'durable',
          engine: 'strace',
          metric: METRICS.notJudged,
          value: 1,
          unit: 'count',
          detail: REASON,
        }),
      ];
      const { outcome, crash } = await run([csv('box.csv', rows)]);
      const box = (subject: string) =>
        crash.find((gate) => gate.id === 'crash.writes_outside' && gate.subject === subject);
      expect(box('escaping')).toMatchObject({ status: 'fail', figure: 2 });
      expect(box('escaping')?.detail).toContain('escape_log, ../escape_log');
      expect(box('reference')?.status).toBe('pass');
      expect(box('ring')).toMatchObject({ status: 'not_judged', notJudged: REASON });
      // The yardstick writes in place by design and is shown, not gated.
      expect(box('native-unsafe')).toBeUndefined();
      expect(outcome.verdict).toBe('fail');
    },
  );

  it('pools shards and runs by the worst one', async () => {
    const { crash } = await run([
      csv('a.csv', [outside('r1', 'mine', [])]),
      csv('b.csv', [outside('r2', 'mine', ['/tmp/fixed.lock'])]),
    ]);
    expect(crash.find((gate) => gate.id === 'crash.writes_outside' && gate.subject === 'mine')).toMatchObject({
      status: 'fail',
      figure: 1,
    });
  });
});
