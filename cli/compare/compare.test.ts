import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResultsCsv } from '../../core/csv.js';
import { packageRoot } from '../../core/self-script.js';
import { useCliHarness } from '../../test/support/cli-harness.js';
import { compareJsonSchema } from '../json-output.js';
import { main } from '../main.js';
import { familySize, planRounds } from './family.js';
import { armOrder } from './runner.js';
import { parseCompareSettings } from './settings.js';
import { DEFAULT_POLICIES } from '../../analyze/regression/policy.js';
import type { WriterSubject } from '../../core/subjects/types.js';

const cli = useCliHarness({ prefix: 'wg-compare-' });
const WRITER = path.join(packageRoot, 'test/fixtures/crash/correct-writer.py');
const SLOWED = path.join(packageRoot, 'test/fixtures/compare/slowed-writer.py');
const base = `w=python3 ${WRITER} {source} {target}`;
const head = (ms: number) => `w=python3 ${SLOWED} ${ms} {source} {target}`;

describe('compare: bad input is refused before anything is measured', () => {
  for (const [args, message] of [
    [['--base', base], /^writegate: --head: give the head's writer/],
    [['--head', head(0)], /^writegate: --base: give the base's writer/],
    [['--base', base, '--head', head(0).replace(/^w=/, 'v=')], /--base\/--head: each compared writer needs one name in both arms \(base: w; head: v\)/],
    [['--base', base, '--head', head(0), '--rounds', '1'], /--rounds: at least 2/],
    [['--base', base, '--head', head(0), '--rounds', 'many'], /--rounds: expected a whole number/],
    [['--base', base, '--head', head(0), '--sizes', '1k'], /--sizes/],
    [['--base', base, '--head', head(0), '--modes', 'sideways'], /--modes: unknown mode "sideways"/],
    [['--base', base, '--head', head(0), '--modes', 'fast'], /--modes: w run none of fast \(a writer command without \{mode\} runs durable and unchanged\)/],
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

describe('compare: the rounds a family needs', () => {
  const subject = (modes: WriterSubject['modes']) => ({ name: 'w', modes }) as WriterSubject;
  it('counts a p50 and a p95 per size and mode the writer supports', () => {
    expect(familySize([subject(['durable', 'unchanged'])], [1024, 131072, 8388608], ['durable', 'fast', 'unchanged'], DEFAULT_POLICIES)).toBe(12);
    expect(familySize([subject(['durable', 'fast', 'unchanged'])], [1024], ['durable', 'fast', 'unchanged'], DEFAULT_POLICIES)).toBe(6);
  });

  it('auto uses at least what the family needs; fewer on request is measured, with a warning', () => {
    expect(planRounds(12, 'auto')).toEqual({ familySize: 12, needed: 9, rounds: 20 });
    expect(planRounds(4000, 'auto')).toMatchObject({ needed: 18, rounds: 20 });
    expect(planRounds(100000, 'auto')).toMatchObject({ needed: 22, rounds: 22 });
    expect(planRounds(12, 4).warning).toMatch(/^--rounds 4 is fewer than the 9 that 12 gated timing series need/);
    expect(planRounds(12, 9).warning).toBeUndefined();
  });

  it('hands --allow-inconclusive and both arms\' writers to the run', () => {
    const settings = parseCompareSettings({ base: [base], head: [head(8)], rounds: 'auto', profile: 'quick', allowInconclusive: true, out: path.join(cli.dir, 'out'), json: false });
    // The writer takes no {mode}: fast would time only the yardsticks, so it is not run.
    expect(settings).toMatchObject({ allowInconclusive: true, subjects: ['w'], requestedRounds: 'auto', sizes: [1024, 131072, 8388608], modes: ['durable', 'unchanged'] });
    expect(settings.arms.head).toEqual({ w: { command: head(8).slice(2) } });
    expect(settings.arms.base).toEqual({ w: { command: base.slice(2) } });
  });

  it('alternates which arm runs first (ABBA)', () => {
    expect([1, 2, 3, 4].map((round) => armOrder(round).join(','))).toEqual(['base,head', 'head,base', 'base,head', 'head,base']);
  });
});

describe('compare: end to end on a real writer', () => {
  it('measures every round of both arms in its own run, keeps them, and calls too few rounds inconclusive (exit 1)', async () => {
    const out = path.join(cli.dir, 'out');
    const code = await main(['compare', '--base', base, '--head', head(0), '--sizes', '1KiB', '--modes', 'durable', '--samples', '5', '--rounds', '2', '--out', out, '--json']);
    expect(code).toBe(1);
    const json = compareJsonSchema.parse(JSON.parse(cli.stdout));
    expect(json).toMatchObject({ command: 'compare', verdict: 'inconclusive', exit_code: 1, rounds: 2, rounds_needed: 7, family_size: 2, rerun_rounds: 7 });
    expect(json.line).toMatch(/^inconclusive: 2 rounds is fewer than the 7 .* rerun with --rounds 7$/);
    expect(cli.stderr).toMatch(/compare: warning: --rounds 2 is fewer than the 7/);
    const kept = fs.readdirSync(path.join(out, 'rounds')).sort();
    expect(kept).toEqual(['round-01-base.csv', 'round-01-head.csv', 'round-02-base.csv', 'round-02-head.csv']);
    // Each arm of each round is its own bench run (its own run id), the compared writer's samples in it.
    const runIds = await Promise.all(kept.map(async (file) => new Set((await readResultsCsv(path.join(out, 'rounds', file))).filter((row) => row.subject === 'w').map((row) => row.run_id))));
    expect(runIds.every((ids) => ids.size === 1)).toBe(true);
    expect(new Set(runIds.map((ids) => [...ids][0])).size).toBe(4);
    const report = fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8');
    expect(report).toContain('INCONCLUSIVE — not a pass');
  }, 120_000);

});
