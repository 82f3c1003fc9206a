import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsCsv } from '../../core/csv.js';
import { packageRoot } from '../../core/self-script.js';
import { useCliHarness } from '../../test/support/cli-harness.js';
import { compareJsonSchema } from '../json-output.js';
import { main } from '../main.js';
import { familySize, firstDecision, horizonFor } from './family.js';
import { armOrder, armRows } from './runner.js';
import { parseCompareSettings } from './settings.js';
import { DEFAULT_POLICIES } from '../../analyze/regression/policy.js';
import type { WriterSubject } from '../../core/subjects/types.js';

const cli = useCliHarness({ prefix: 'wg-compare-' });
const WRITER = path.join(packageRoot, 'test/fixtures/crash/correct-writer.py');
const SLOWED = path.join(packageRoot, 'test/fixtures/compare/slowed-writer.py');
const base = `w=/usr/bin/python3 ${WRITER} {source} {target}`;
const head = (ms: number) => `w=/usr/bin/python3 ${SLOWED} ${ms} {source} {target}`;

describe('compare: bad input is refused before anything is measured', () => {
  for (const [args, message] of [
    [['--base', base], /^writegate: --head: give the head's writer/],
    [['--head', head(0)], /^writegate: --base: give the base's writer/],
    [
      ['--base', base, '--head', head(0).replace(/^w=/, 'v=')],
      /--base\/--head: each compared writer needs one name in both arms \(base: w; head: v\)/,
    ],
    [['--base', base, '--head', head(0), '--max-rounds', '1'], /--max-rounds: at least 2/],
    [['--base', base, '--head', head(0), '--max-rounds', 'many'], /--max-rounds: expected a whole number/],
    [['--base', base, '--head', head(0), '--max-rounds', '101'], /--max-rounds: at most 100/],
    [
      ['--base', base, '--head', head(0), '--max-time', 'soon'],
      /--max-time: expected a duration such as 300s, 5m or 1h, got "soon"/,
    ],
    [['--base', base, '--head', head(0), '--max-time', '0s'], /--max-time: more than 0/],
    [
      ['--base', base, '--head', head(0), '--head-noop', 'v=/bin/true'],
      /--head-noop: no --head writer command named v/,
    ],
    [
      ['--base', base, '--base', `w.head=${base.slice(2)}`, '--head', head(0), '--head', `w.head=${head(0).slice(2)}`],
      /--base\/--head: w\.head would clash with w's own arms in a round/,
    ],
    [['--base', base, '--head', head(0), '--sizes', '1k'], /--sizes/],
    [['--base', base, '--head', head(0), '--modes', 'sideways'], /--modes: unknown mode "sideways"/],
    [
      ['--base', base, '--head', head(0), '--modes', 'fast'],
      /--modes: w run none of fast \(a writer command without \{mode\} runs durable and unchanged\)/,
    ],
    [['--base', base, '--head', 'w=./no/such/writer {source} {target}'], /writer w: .*no\/such\/writer/],
    [['--base', base, '--head', 'w=python3 x.py {target}'], /template must contain \{source\}/],
    [['--base', base, '--head', head(0), '--thresholds', 'missing.json'], /missing\.json/],
    [['--base', base, '--head', head(0), '--regression-policy', 'missing.json'], /missing\.json/],
  ] as const) {
    it(`${args.filter((a) => !a.includes('=')).join(' ') || args.join(' ')} → exit 2, one line, nothing written`, async () => {
      const out = path.join(cli.dir, 'out');
      expect(await main(['compare', ...args, '--out', out])).toBe(2);
      expect(cli.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(cli.stderr).toMatch(message);
      expect(fs.existsSync(out)).toBe(false);
    });
  }
});

describe('compare: the family, its horizon and its first decision', () => {
  const subject = (modes: WriterSubject['modes']) => ({ name: 'w', modes }) as WriterSubject;
  it('counts a p50 and a p95 per size and mode the writer supports', () => {
    expect(
      familySize(
        [subject(['durable', 'unchanged'])],
        [1024, 131072, 8388608],
        ['durable', 'fast', 'unchanged'],
        DEFAULT_POLICIES,
      ),
    ).toBe(12);
    expect(
      familySize(
        [subject(['durable', 'fast', 'unchanged'])],
        [1024],
        ['durable', 'fast', 'unchanged'],
        DEFAULT_POLICIES,
      ),
    ).toBe(6);
  });

  it("plans as many rounds as fit in the time at the first pair's pace, even, within --max-rounds", () => {
    expect(horizonFor(60, 300, 20)).toBe(30);
    expect(horizonFor(60, 300, 7)).toBe(60);
    expect(horizonFor(41, 3000, 1)).toBe(40);
    expect(horizonFor(60, 10, 30)).toBe(2);
  });

  it('a larger family or a longer horizon needs more rounds before its first decision; a short horizon none', () => {
    const [small, large] = [firstDecision(2, 40), firstDecision(12, 40)];
    expect(small).toBeGreaterThanOrEqual(8);
    expect(large).toBeGreaterThan(small as number);
    expect(firstDecision(12, 6)).toBeUndefined();
  });

  it("hands --allow-inconclusive and both arms' writers to the run", () => {
    const settings = parseCompareSettings({
      base: [base],
      head: [head(8)],
      headNoop: ['w=/usr/bin/python3 -c pass'],
      maxRounds: '60',
      maxTime: '5m',
      profile: 'quick',
      allowInconclusive: true,
      out: path.join(cli.dir, 'out'),
      json: false,
    });
    // The writer takes no {mode}: fast would time only the yardsticks, so it is not run.
    expect(settings).toMatchObject({
      allowInconclusive: true,
      subjects: ['w'],
      maxRounds: 60,
      maxSeconds: 300,
      sizes: [1024, 131072, 8388608],
      modes: ['durable', 'unchanged'],
    });
    expect(settings.arms.head).toEqual({ w: { command: head(8).slice(2), noop: '/usr/bin/python3 -c pass' } });
    expect(settings.arms.base).toEqual({ w: { command: base.slice(2) } });
  });

  it("splits a round's rows into the arms: each writer under its own name, yardsticks and environment in both", () => {
    const row = (subject: string, value: number) => ({
      run_id: 'r1',
      suite: 'bench',
      scenario: 'write',
      subject,
      size_bytes: 1024,
      mode: 'durable',
      metric: 'latency_ms',
      value,
      unit: 'ms',
      sample: 0,
      engine: 'tinybench',
      detail: '',
      fs: '',
    });
    const rows = [row('w.base', 1), row('w.head', 2), row('floor', 3), { ...row('', 0), suite: 'env', metric: 'node' }];
    expect(armRows(rows as never, ['w'], 'base').map((r) => [r.subject, r.value])).toEqual([
      ['w', 1],
      ['floor', 3],
      ['', 0],
    ]);
    expect(armRows(rows as never, ['w'], 'head').map((r) => [r.subject, r.value])).toEqual([
      ['w', 2],
      ['floor', 3],
      ['', 0],
    ]);
  });

  it('alternates which arm runs first (ABBA)', () => {
    expect([1, 2, 3, 4].map((round) => armOrder(round).join(','))).toEqual([
      'base,head',
      'head,base',
      'base,head',
      'head,base',
    ]);
  });
});

describe('compare: end to end on a real writer', () => {
  it('measures every round of both arms in its own run, keeps them, and calls ' +
    'too few rounds inconclusive (exit 1)', async () => {
    const out = path.join(cli.dir, 'out');
    const code = await main([
      'compare',
      '--base',
      base,
      '--head',
      head(0),
      '--sizes',
      '1KiB',
      '--modes',
      'durable',
      '--samples',
      '5',
      '--max-rounds',
      '2',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(1);
    const json = compareJsonSchema.parse(JSON.parse(cli.stdout));
    expect(json).toMatchObject({
      command: 'compare',
      verdict: 'inconclusive',
      exit_code: 1,
      rounds: 2,
      rounds_needed: 8,
      family_size: 2,
      stopped: 'max-rounds',
      horizon: 2,
    });
    expect(json.line).toMatch(
      /^inconclusive: 2 rounds cannot decide any of the 2 gated timing series judged together: that takes at least 8 .*; not a pass — it stopped at 2 rounds \(--max-rounds 2\); rerun with --max-rounds 8$/,
    );
    expect(cli.stderr).toMatch(
      /the 2 judged series need more before any can be decided, so only the head's gates can decide this run/,
    );
    const kept = fs.readdirSync(path.join(out, 'rounds')).sort();
    expect(kept).toEqual(['round-01-base.csv', 'round-01-head.csv', 'round-02-base.csv', 'round-02-head.csv']);
    // Each round is one bench run timing both arms: base and head of a round share its run id (what
    // pairs them), and the two rounds are two runs; each arm's file holds only its own writer's samples.
    const runIds = await Promise.all(
      kept.map(
        async (file) =>
          new Set(
            (await readResultsCsv(path.join(out, 'rounds', file)))
              .filter((row) => row.subject === 'w')
              .map((row) => row.run_id),
          ),
      ),
    );
    expect(runIds.every((ids) => ids.size === 1)).toBe(true);
    const [base1, head1, base2, head2] = runIds.map((ids) => [...ids][0]);
    expect(base1).toBe(head1);
    expect(base2).toBe(head2);
    expect(base1).not.toBe(base2);
    const subjects = new Set(
      (await readResultsCsv(path.join(out, 'rounds', 'round-01-head.csv'))).map((row) => row.subject),
    );
    expect([...subjects].filter((name) => name.startsWith('w'))).toEqual(['w']);
    const report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(report).toContain('INCONCLUSIVE — not a pass');
  }, 120_000);

  it('stops as soon as a clear slowdown is shown past the minimum effect, long before its limits', async () => {
    const out = path.join(cli.dir, 'out');
    const code = await main([
      'compare',
      '--base',
      base,
      '--head',
      head(40),
      '--sizes',
      '1KiB',
      '--modes',
      'durable',
      '--samples',
      '5',
      '--max-rounds',
      '40',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(1);
    const json = compareJsonSchema.parse(JSON.parse(cli.stdout));
    expect(json).toMatchObject({ verdict: 'regressed', stopped: 'regressed' });
    expect(json.rounds).toBeLessThan(json.horizon as number);
    expect(json.line).toMatch(
      /p50: p50 \+\d+% \(\d+(\.\d)?% CI \+\d+%\.\.\+\d+%\): worse by more than the 10% minimum effect: the whole interval is past it/,
    );
    // Judged by the sequential intervals, not the fixed-length ones an uncorrected look would use.
    const trend = (json.sections as { trend?: { baseline?: { label: string; evidence: string }[] } }).trend;
    const p50 = trend?.baseline?.find((finding) => finding.label.endsWith('p50'));
    expect(p50?.evidence).toMatch(/valid at every look up to round \d+ \(sequential Hodges-Lehmann/);
    expect(cli.stderr).toMatch(/compare: look at round \d+ of at most \d+ \(.*\): a series regressed/);
  }, 240_000);
});
