/**
 * Users read writegate's messages, help, RESULTS.md and READMEs; the design notes it was built from are
 * ours, not theirs. No production source or user-facing doc may cite them ("seed 000", "PR-W1",
 * "issue scenario 2") or carry untranslated Russian: say the rule and why, in plain English.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze/analyze.js';
import { buildProgram, main } from '../cli/main.js';
import { packageRoot } from '../core/self-script.js';
import { useCliHarness } from './support/cli-harness.js';

const LORE = /seed 0\d|issue scenario|PR-W\d|\p{Script=Cyrillic}/iu;
/** What users see is held to the broader form: no "seed 0…", "PR-W…" at all. */
const LORE_IN_OUTPUT = /seed 0|issue scenario|PR-W|\p{Script=Cyrillic}/iu;

function loreLines(where: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => (LORE_IN_OUTPUT.test(line) ? [`${where}:${i + 1}: ${line.trim().slice(0, 100)}`] : []));
}

const ANALYZE_FIXTURES = path.join(packageRoot, 'test', 'fixtures', 'analyze');

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: packageRoot, encoding: 'utf8' })
    .split('\n')
    .filter(
      (file) =>
        file &&
        !file.startsWith('test/') &&
        !file.endsWith('.test.ts') &&
        /\.(ts|md|json|ya?ml|sh)$/.test(file) &&
        file !== 'package-lock.json',
    );
}

describe('plain language', () => {
  it('no production source or user-facing doc cites the design notes', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((file) =>
      fs
        .readFileSync(path.join(packageRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (LORE.test(line) ? [`${file}:${i + 1}: ${line.trim().slice(0, 100)}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});

describe('plain language in what users see', () => {
  const cli = useCliHarness({ prefix: 'wg-plain-', chdir: true });

  it('RESULTS.md of the analyzed fixture CSVs (a pass, and a fail under a thresholds file)', async () => {
    const reports = [
      await analyze({
        inputs: [path.join(ANALYZE_FIXTURES, 'pass.csv')],
        outDir: path.join(cli.dir, 'pass'),
        githubStepSummary: null,
      }),
      await analyze({
        inputs: [path.join(ANALYZE_FIXTURES, 'fail.csv')],
        outDir: path.join(cli.dir, 'fail'),
        thresholdsFile: path.join(ANALYZE_FIXTURES, 'thresholds-relaxed.json'),
        githubStepSummary: null,
      }),
    ].map((outcome) => fs.readFileSync(outcome.reportPath, 'utf8'));
    expect(reports.every((report) => report.includes('## Gates'))).toBe(true);
    expect(reports.flatMap((report, i) => loreLines(`RESULTS.md #${i + 1}`, report))).toEqual([]);
  });

  it("every command's --help", () => {
    const program = buildProgram();
    const helps = [
      ['writegate', program.helpInformation()],
      ...program.commands.map((command) => [command.name(), command.helpInformation()]),
    ];
    expect(helps.length).toBeGreaterThan(8);
    expect(helps.flatMap(([name, help]) => loreLines(`${name} --help`, help as string))).toEqual([]);
  });

  it('a sample of error messages, one from each command', async () => {
    const badInputs = [
      ['bench', '--bogus'],
      ['benchmark'],
      ['bench', '--profile', 'huge'],
      ['bench', '--sizes', '128k'],
      ['bench', '--subjects', 'nope'],
      ['bench', '--writer-cmd', 'py=python3 w.py {target}'],
      ['crash', '--crash-scenarios', 'nope'],
      ['parity', '--cases', 'no-such-case'],
      ['hook'],
      ['hook', '--hook-env', 'REWRITE_MUTATING=1'],
      ['readiness', '--wrapper', 'mytool=git'],
      ['gate', '--thresholds', 'missing.json'],
      ['analyze', 'missing.csv'],
      ['validate-gate', '--size', 'big'],
    ];
    const messages: string[] = [];
    for (const args of badInputs) {
      cli.clear();
      expect(await main([...args, '--out', path.join(cli.dir, 'out')]), args.join(' ')).toBe(2);
      expect(cli.stderr, args.join(' ')).toMatch(/^writegate: /);
      messages.push(cli.stderr);
    }
    expect(messages.flatMap((message, i) => loreLines((badInputs[i] as string[]).join(' '), message))).toEqual([]);
  });
});
