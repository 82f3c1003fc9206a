import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { selfScriptArgv } from '../core/self-script.js';
import { useCliHarness } from '../test/support/cli-harness.js';
import { expectRefused } from '../test/support/refused.js';

const cli = useCliHarness({ prefix: 'wg-analyze-cli-', chdir: true });

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/analyze');
const PASS = path.join(fixtures, 'pass.csv');
const FAIL = path.join(fixtures, 'fail.csv');

describe('writegate analyze', () => {
  it('exits 0 on the pass fixture and writes <out>/RESULTS.md', async () => {
    expect(await main(['analyze', PASS, '--out', 'out'])).toBe(0);
    // The fixture's per-op writer has 4 small lines whose net p50 is not measurable: each named, never passed.
    expect(cli.stderr).toMatch(
      /^PASS: \d+ pass, 0 fail, 0 no data, 4 not judged; report: .*out\/RESULTS\.md\n( {2}not judged mycmd · .*: net p50 not measurable: .*\n){4}$/,
    );
    expect(fs.readFileSync(path.join(cli.dir, 'out', 'RESULTS.md'), 'utf8')).toContain(
      '**Verdict: ✅ PASS — not judged: ',
    );
  });

  it('exits 1 on the fail fixture and names the failing gates', async () => {
    expect(await main(['analyze', FAIL, '--out', 'out'])).toBe(1);
    expect(cli.stderr).toContain('FAIL: ');
    expect(cli.stderr).toContain('failed bench.unchanged_p50: reference · 1 KiB: 3.00 ms, needs < 2 ms');
    expect(cli.stderr).toContain(
      'failed bench.durable_vs_reference: write-file-atomic · 128 KiB: 1.60× ' +
        '(4.00 ms / 2.50 ms), needs ≤ 1.25× reference',
    );
  });

  it('reads <out>/results_raw.csv by default', async () => {
    fs.mkdirSync('results');
    fs.copyFileSync(PASS, path.join('results', 'results_raw.csv'));
    expect(await main(['analyze'])).toBe(0);
    expect(fs.existsSync(path.join(cli.dir, 'results', 'RESULTS.md'))).toBe(true);
  });

  it('--json prints the verdict and every gate with its figure on stdout', async () => {
    expect(await main(['analyze', FAIL, '--out', 'out', '--json'])).toBe(1);
    const summary = JSON.parse(cli.stdout) as {
      verdict: string;
      exit_code: number;
      counts: Record<string, number>;
      gates: {
        id: string;
        instance: string;
        figure: number | null;
        status: string;
        threshold: string;
        source: string;
      }[];
    };
    expect(summary.verdict).toBe('fail');
    expect(summary.exit_code).toBe(1);
    expect(summary.counts.fail).toBe(2);
    const failing = summary.gates.filter((gate) => gate.status === 'fail');
    expect(failing.map((gate) => gate.id)).toEqual(['bench.unchanged_p50', 'bench.durable_vs_reference']);
    expect(failing[1]?.figure).toBeCloseTo(1.6, 9);
    expect(failing[1]?.source).toBe('default target: durable safety costs at most 25% over a safe baseline');
  });

  it('takes the thresholds file from writegate.config.json', async () => {
    fs.writeFileSync(
      'writegate.config.json',
      JSON.stringify({ thresholds: path.join(fixtures, 'thresholds-relaxed.json') }),
    );
    expect(await main(['analyze', FAIL, '--out', 'out'])).toBe(0);
    expect(cli.stderr).toContain('1 disabled');
  });

  it('--list-gates prints every default gate with its source', async () => {
    expect(await main(['analyze', '--list-gates'])).toBe(0);
    expect(cli.stdout).toContain(
      'bench.durable_vs_reference\tdurable p50 vs reference ≤ 1.25× reference\t(default ' +
        'target: durable safety costs at most 25% over a safe baseline)',
    );
    expect(cli.stdout).toContain('bench.unchanged_p50');
  });

  describe('bad input: exit 2, one line, nothing written', () => {
    const expectBadInput = (args: string[], mentions: RegExp) =>
      expectRefused(cli, ['analyze', ...args, '--out', 'out'], mentions);

    it('malformed CSV', () =>
      expectBadInput([path.join(fixtures, 'bad', 'malformed.csv')], /malformed\.csv: not a valid CSV/));
    it('missing column', () =>
      expectBadInput(
        [path.join(fixtures, 'bad', 'missing-column.csv')],
        /missing-column\.csv: missing column\(s\) engine/,
      ));
    it('non-numeric value', () =>
      expectBadInput(
        [path.join(fixtures, 'bad', 'non-numeric.csv')],
        /non-numeric\.csv:3: column value is not a number/,
      ));
    it('unreadable default input', () => expectBadInput([], /out\/results_raw\.csv: cannot read \(ENOENT\)/));
    it('thresholds file with an unknown key', () =>
      expectBadInput(
        [FAIL, '--thresholds', path.join(fixtures, 'bad', 'thresholds-unknown-key.json')],
        /thresholds-unknown-key\.json: unknown key "gates\.bench\.unchanged_p50\.treshold"/,
      ));
    it('thresholds file with a wrong type', () =>
      expectBadInput(
        [FAIL, '--thresholds', path.join(fixtures, 'bad', 'thresholds-wrong-type.json')],
        /thresholds-wrong-type\.json: key "gates\.bench\.durable_vs_reference\.threshold"/,
      ));
    it('thresholds file naming no gate', () =>
      expectBadInput(
        [FAIL, '--thresholds', path.join(fixtures, 'bad', 'thresholds-unknown-gate.json')],
        /key "gates\.bench\.no_such_gate": no such gate/,
      ));
    it('unknown suite', () =>
      expectBadInput([PASS, '--suites', 'bench,nope'], /--suites: expected some of bench, crash, parity/));
  });
});

describe('as a real process', () => {
  it('exits 1 on a failing gate and 2 on bad input', () => {
    const [node, ...args] = selfScriptArgv('cli/bin.ts', ['analyze', FAIL, '--out', path.join(cli.dir, 'real')]);
    const env = { ...process.env, GITHUB_STEP_SUMMARY: '', GITHUB_ACTIONS: '' };
    const status = (argv: string[]) => {
      try {
        execFileSync(node as string, argv, { env, stdio: 'pipe' });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(status(args)).toBe(1);
    expect(fs.existsSync(path.join(cli.dir, 'real', 'RESULTS.md'))).toBe(true);
    expect(status([...args, '--thresholds', path.join(fixtures, 'bad', 'thresholds-wrong-type.json')])).toBe(2);
  });
});
