import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../core/csv.js';
import { InputError } from '../../core/errors.js';
import { makeRow, METRICS, type ResultRow, type RowInput } from '../../core/schema.js';
import { analyze } from '../analyze.js';
import { parityReadiness } from '../readiness.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-parity-analyze-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface PairSpec {
  exit?: [number | null, number | null];
  side?: string;
  missing?: string;
}

/** Rows as the parity suite writes them: per case for native, per case × wrapper for each wrapper. */
function caseRows(
  run: string,
  id: string,
  mode: string,
  wrappers: Record<string, PairSpec>,
  nativeProblem = '',
): ResultRow[] {
  const base = { suite: 'parity' as const, scenario: id, mode };
  const inputs: RowInput[] = [
    { ...base, subject: 'native', metric: METRICS.commandLine, detail: `git ${id.replace('.', ' ')}` },
    { ...base, subject: 'native', metric: METRICS.durationMs, value: 10, unit: 'ms' },
    {
      ...base,
      subject: 'native',
      metric: METRICS.nativeAsExpected,
      value: nativeProblem ? 0 : 1,
      unit: 'bool',
      detail: nativeProblem,
    },
    { ...base, subject: 'native', metric: METRICS.keySignals, value: 1, unit: 'count', detail: 'fatal: something' },
  ];
  for (const [subject, spec] of Object.entries(wrappers)) {
    const [native, wrapper] = spec.exit ?? [1, 1];
    inputs.push(
      {
        ...base,
        subject,
        metric: METRICS.exitCodeMatch,
        value: native === wrapper ? 1 : 0,
        unit: 'bool',
        detail: native === wrapper ? '' : `native exit ${native}, wrapper exit ${wrapper}`,
      },
      {
        ...base,
        subject,
        metric: METRICS.sideEffectMatch,
        value: spec.side ? 0 : 1,
        unit: 'bool',
        detail: spec.side ?? '',
      },
      {
        ...base,
        subject,
        metric: METRICS.stderrSignalMatch,
        value: spec.missing ? 0 : 1,
        unit: 'bool',
        detail: spec.missing ? `missing: ${spec.missing}` : '',
      },
      { ...base, subject, metric: METRICS.nativeExitCode, value: native, unit: 'code' },
      { ...base, subject, metric: METRICS.wrapperExitCode, value: wrapper, unit: 'code' },
      { ...base, subject, metric: METRICS.durationMs, value: 12, unit: 'ms' },
    );
  }
  return inputs.map((input) => makeRow(run, input));
}

function coverage(run: string, ran: number, total: number): ResultRow[] {
  const base = { suite: 'parity' as const, scenario: '(matrix)', subject: 'native', unit: 'count' };
  return [
    makeRow(run, { ...base, metric: METRICS.casesInMatrix, value: total }),
    makeRow(run, { ...base, metric: METRICS.casesRun, value: ran, detail: 'profile full' }),
  ];
}

/** n clean cases (passthrough and mytool matching), then the given special ones. */
function dataset(n: number, special: ResultRow[] = [], specialCount = 0, run = 'r1'): ResultRow[] {
  const rows: ResultRow[] = [];
  for (let i = 0; i < n; i++) rows.push(...caseRows(run, `add.ok-${i}`, 'mutating', { passthrough: {}, mytool: {} }));
  return [...rows, ...special, ...coverage(run, n + specialCount, n + specialCount)];
}

function write(name: string, content: string | ResultRow[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : rowsToCsv(content));
  return file;
}

async function analyzeParity(rows: ResultRow[], knownDifferences?: object) {
  const input = write('results_raw.csv', rows);
  const knownFile = knownDifferences ? write('known.json', JSON.stringify(knownDifferences)) : undefined;
  const outcome = await analyze({
    inputs: [input],
    outDir: path.join(dir, 'out'),
    githubStepSummary: null,
    knownDifferencesFile: knownFile,
    suites: ['parity'],
  });
  return { outcome, report: fs.readFileSync(outcome.reportPath, 'utf8'), readiness: parityReadiness(outcome) };
}

const statusOf = (gates: { id: string; subject?: string; status: string }[], id: string, subject: string) =>
  gates.find((g) => g.id === id && g.subject === subject)?.status;

describe('parity section', () => {
  it('all matching: every gate passes for every wrapper, readiness is GO', async () => {
    const { outcome, report, readiness } = await analyzeParity(dataset(40));
    expect(outcome.verdict).toBe('pass');
    expect(outcome.gates.filter((g) => g.suite === 'parity')).toHaveLength(6);
    expect(outcome.gates.every((g) => g.status === 'pass')).toBe(true);
    expect(report).toContain(
      '| `passthrough` (built-in control) | 100.00% (40/40) | 100.00% (40/40) | 100.00% (40/40) | 0 |',
    );
    expect(report).toContain('| `add` | `ok-0` | mutating | 1 | ✅✅✅ | ✅✅✅ |');
    expect(report).toContain('None: every wrapper matched native git on every case and metric.');
    expect(readiness.go).toBe(true);
    expect(readiness.line).toMatch(
      /^GO: safe to enable rewriting of mutating git commands through mytool: all parity gates hold on 40 cases/,
    );
  });

  it('an unlisted exit-code mismatch fails its gate, is reported with both exit codes, and makes readiness NO-GO', async () => {
    const bad = caseRows('r1', 'commit.nothing-to-commit', 'mutating', { passthrough: {}, mytool: { exit: [1, 0] } });
    const { outcome, report, readiness } = await analyzeParity(dataset(40, bad, 1));
    expect(outcome.verdict).toBe('fail');
    expect(statusOf(outcome.gates, 'parity.exit_code_match', 'mytool')).toBe('fail');
    expect(statusOf(outcome.gates, 'parity.exit_code_match', 'passthrough')).toBe('pass');
    expect(statusOf(outcome.gates, 'parity.side_effect_match', 'mytool')).toBe('pass');
    expect(report).toContain('| `commit` | `nothing-to-commit` | mutating | 1 | ✅✅✅ | ❌✅✅ |');
    expect(report).toContain(
      '- **`mytool` · `commit.nothing-to-commit`** — `git commit nothing-to-commit`\n ' +
        ' - exit codes: native 1, wrapper 0 ❌',
    );
    expect(readiness.go).toBe(false);
    expect(readiness.line).toBe(
      'NO-GO: not safe to enable rewriting of mutating git commands: mytool: ' +
        'exit code match rate 97.56%, needs = 100% (1 unlisted mismatch: commit.nothing-to-commit)',
    );
  });

  it('a listed mismatch is shown as known, does not fail the verdict, and readiness says it was accepted', async () => {
    const side = 'index <fixture>/work new.txt: native 100644 abc ≠ wrapper (absent)';
    const bad = caseRows('r1', 'add.all', 'mutating', { passthrough: {}, mytool: { side } });
    const known = {
      differences: [
        {
          case: 'add.all',
          metric: 'side_effect_match',
          wrapper: 'mytool',
          rationale: 'mytool never stages new files, by design',
        },
      ],
    };
    const { outcome, report, readiness } = await analyzeParity(dataset(40, bad, 1), known);
    expect(outcome.verdict).toBe('pass');
    expect(statusOf(outcome.gates, 'parity.side_effect_match', 'mytool')).toBe('known');
    expect(report).toContain('| `add` | `all` | mutating | 1 | ✅✅✅ | ✅🟡✅ |');
    expect(report).toContain(
      '  - repository: differs ❌ — `index <fixture>/work new.txt: native 100644 abc ≠ wrapper (absent)`',
    );
    expect(report).toContain('  - 🟡 known difference (side effect): `mytool never stages new files, by design`');
    expect(report).toContain(
      '| `add.all` | side_effect_match | `mytool` | `mytool never stages new files, by design` | excused a mismatch |',
    );
    expect(readiness.go).toBe(true);
    expect(readiness.line).toContain('1 gate(s) hold only through listed known differences');
  });

  it('one listed and one unlisted mismatch: the gate fails', async () => {
    const bad = [
      ...caseRows('r1', 'push.auth-failed', 'mutating', {
        passthrough: {},
        mytool: { missing: 'fatal: Authentication failed' },
      }),
      ...caseRows('r1', 'push.no-remote', 'mutating', {
        passthrough: {},
        mytool: { missing: 'fatal: No configured push destination.' },
      }),
    ];
    const known = {
      differences: [
        { case: 'push.auth-failed', metric: 'stderr_signal_match', rationale: 'prints its own login hint' },
      ],
    };
    const { outcome, readiness } = await analyzeParity(dataset(40, bad, 2), known);
    expect(statusOf(outcome.gates, 'parity.stderr_key_signals', 'mytool')).toBe('fail');
    expect(readiness.line).toContain('(1 unlisted mismatch: push.no-remote)');
  });

  it('key signals tolerate 1%: one miss in 200 cases passes but is still listed', async () => {
    const bad = caseRows('r1', 'push.rejected', 'mutating', {
      passthrough: {},
      mytool: { missing: '! [rejected] main -> main (fetch first)' },
    });
    const { outcome, report } = await analyzeParity(dataset(199, bad, 1));
    expect(statusOf(outcome.gates, 'parity.stderr_key_signals', 'mytool')).toBe('pass');
    expect(report).toContain('- **`mytool` · `push.rejected`**');
    expect(report).toContain('  - key signals: missing ❌ — `! [rejected] main -> main (fetch first)`');
  });

  it('shards: the same case measured twice counts its worst result', async () => {
    const good = caseRows('r1', 'branch.delete-unmerged', 'mutating', { passthrough: {}, mytool: {} });
    const bad = caseRows('r2', 'branch.delete-unmerged', 'mutating', { passthrough: {}, mytool: { exit: [1, 0] } });
    const { outcome } = await analyzeParity([...dataset(40, [...good, ...bad], 1)]);
    expect(statusOf(outcome.gates, 'parity.exit_code_match', 'mytool')).toBe('fail');
  });

  it('a malformed known-differences file is bad input naming file and key, and nothing is written', async () => {
    const input = write('results_raw.csv', dataset(3));
    const cases: [object, RegExp][] = [
      [{ differences: [{ case: 'add.all', metric: 'exit_code_match' }] }, /key "differences\.0\.rationale"/],
      [
        { differences: [{ case: 'add.all', metric: 'exit_code', rationale: 'x' }] },
        /key "differences\.0\.metric": one of exit_code_match, side_effect_match, stderr_signal_match/,
      ],
      [{ differences: [{ case: 'add all', metric: 'exit_code_match', rationale: 'x' }] }, /key "differences\.0\.case"/],
      [{ differences: [], extra: 1 }, /unknown key "extra"/],
    ];
    for (const [content, message] of cases) {
      const file = write('known-bad.json', JSON.stringify(content));
      const out = path.join(dir, 'out-bad');
      await expect(
        analyze({ inputs: [input], outDir: out, githubStepSummary: null, knownDifferencesFile: file }),
      ).rejects.toThrow(InputError);
      await expect(
        analyze({ inputs: [input], outDir: out, githubStepSummary: null, knownDifferencesFile: file }),
      ).rejects.toThrow(message);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});

describe('readiness', () => {
  it('NO-GO when only the passthrough ran', async () => {
    const rows = dataset(0, caseRows('r1', 'add.all', 'mutating', { passthrough: {} }), 1);
    const { readiness } = await analyzeParity(rows);
    expect(readiness.go).toBe(false);
    expect(readiness.reasons).toEqual([
      'no wrapper under test: only the built-in passthrough ran (add --wrapper NAME=TEMPLATE)',
    ]);
  });

  it('NO-GO when the passthrough control itself mismatched (harness unsound), even if the wrapper matched', async () => {
    const bad = caseRows('r1', 'stash.pop', 'mutating', {
      passthrough: { side: 'ref refs/stash: native a ≠ wrapper b' },
      mytool: {},
    });
    const { readiness } = await analyzeParity(dataset(40, bad, 1));
    expect(readiness.go).toBe(false);
    expect(readiness.line).toContain('harness check failed: passthrough side-effect match rate 97.56%');
  });

  it('NO-GO when only part of the matrix ran, or native git did not behave as a case expects', async () => {
    const rows = [...dataset(40).filter((row) => row.scenario !== '(matrix)'), ...coverage('r1', 40, 87)];
    expect((await analyzeParity(rows)).readiness.reasons).toEqual([
      'only 40 of 87 cases ran; readiness needs the full matrix',
    ]);
    const odd = caseRows(
      'r1',
      'fetch.no-remote',
      'mutating',
      { passthrough: {}, mytool: {} },
      'native git exited 128, the case expects 0',
    );
    const { readiness, report } = await analyzeParity(dataset(40, odd, 1));
    expect(readiness.reasons).toEqual(['native git did not behave as 1 case(s) expect (fetch.no-remote)']);
    expect(report).toContain('⚠ Native git did not do what 1 case(s) say it does');
  });

  it('NO-GO when there are no parity rows at all', () => {
    expect(parityReadiness({ gates: [], sections: {} }).line).toBe(
      'NO-GO: not safe to enable rewriting of mutating git commands: no parity results in the input',
    );
  });
});
