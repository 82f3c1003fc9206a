/**
 * Every statistic, the engine-disagreement threshold, the primary engine and the results file names
 * have one definition. Two copies drift apart (a p50 in the report that bench's row contradicts, a
 * threshold that says 10% in one place and 15% in another); this test fails when a second appears.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'results']);

/** Every TypeScript and JavaScript source of the repository, tests included, as [relative path, text]. */
function sources(dir = ROOT): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(full));
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name))
      found.push([path.relative(ROOT, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8')]);
  }
  return found;
}

/**
 * The statistics core/stats/ defines; a function (or a const holding one) of the same name elsewhere is a second copy.
 */
const STATISTICS = [
  'median',
  'percentile',
  'percentileOfSorted',
  'quantile',
  'quantileOf',
  'quantileInPlace',
  'mean',
  'variance',
  'stddev',
  'stdev',
  'coefficientOfVariation',
  'mad',
  'medianAbsoluteDeviation',
  'robustSpread',
  'logGamma',
  'lgamma',
  'gamma',
  'incompleteBeta',
  'betainc',
  'betaFraction',
  'erf',
  'erfc',
  'normalCdf',
  'studentTCdf',
  'studentTQuantile',
  'tQuantile',
  'logChoose',
  'hypergeometric',
  'medianInterval',
  'pointMedian',
  'netLatency',
  'throughputMiBs',
  'disagreementRatio',
  'engineDifference',
  'enginesDisagree',
  'mannWhitneyU',
  'signedRankCdf',
  'walshTrim',
  'walshAverages',
  'hodgesLehmann',
  'welchInterval',
  'fisherExactGreater',
  'fisherSmallestPValue',
  'bootstrap',
  'bootstrapQuantileRatio',
  'blockLength',
];
const STATISTICS_OWNER = /^core\/stats\//;
const DEFINITION = new RegExp(
  `(?:\\bfunction\\s+|\\b(?:const|let|var)\\s+)(${STATISTICS.join('|')})\\b(?:\\s*=\\s*(?:async\\s*)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|\\w+\\s*=>))?`,
  'g',
);

/**
 * A literal that has one owner: where it is defined, and the pattern that finds a copy of it (quoted, so prose in
 * comments is not one).
 */
interface Owned {
  what: string;
  owner: string;
  copy: RegExp;
  /** Files allowed to hold the literal too, each with the reason. */
  allowed?: Record<string, string>;
  /** Only non-test sources (tests and fixtures write rows that name engines and files). */
  sourceOnly?: boolean;
}

const OWNED: Owned[] = [
  {
    what: 'the engine-disagreement threshold',
    owner: 'core/stats/figures.ts',
    copy: /\bENGINE_DISAGREEMENT\s*=|disagree\w*[^\n]*(?:\b0\.1\b|\b10%|\b1\.10?\b|\b0\.909)|(?:\b0\.1\b|\b1\.10?\b|\b0\.909)[^\n]*disagree/gi,
    sourceOnly: true,
  },
  {
    what: 'the primary engine',
    owner: 'core/schema.ts',
    copy: /\bPRIMARY_ENGINE\s*[:=]|(?<!from\s)(['"])tinybench\1/g,
    allowed: { 'bench/engines/tinybench.ts': 'the engine itself, naming itself' },
    sourceOnly: true,
  },
  {
    what: 'the results file names',
    owner: 'core/schema.ts',
    copy: /(['"])(?:results_raw\.csv|results_env\.txt|RESULTS\.md|trend\.json)\1/g,
    allowed: {
      'action/report.mjs':
        "runs on its own in the GitHub Action, importing nothing of writegate's; " +
        "it reads the report's path from writegate's --json first",
    },
    sourceOnly: true,
  },
];

const isTestOrFixture = (file: string) => /\.test\.ts$/.test(file) || file.startsWith('test/');

/** "file:line: text" for every definition of a statistic outside core/stats/. */
function statisticCopies(files: readonly [string, string][]): string[] {
  const copies: string[] = [];
  for (const [file, text] of files) {
    if (STATISTICS_OWNER.test(file) || file === 'test/one-owner.test.ts') continue;
    for (const match of text.matchAll(DEFINITION)) {
      const isFunction = match[0].startsWith('function') || match[0].includes('=');
      if (!isFunction) continue;
      copies.push(`${file}:${text.slice(0, match.index).split('\n').length}: ${match[0]}`);
    }
  }
  return copies;
}

/** "file:line: text" for every copy of an owned literal outside its owner. */
function literalCopies(owned: Owned, files: readonly [string, string][]): string[] {
  const copies: string[] = [];
  for (const [file, text] of files) {
    if (file === owned.owner || owned.allowed?.[file] !== undefined || file === 'test/one-owner.test.ts') continue;
    if (owned.sourceOnly && isTestOrFixture(file)) continue;
    for (const match of text.matchAll(owned.copy))
      copies.push(`${file}:${text.slice(0, match.index).split('\n').length}: ${match[0]}`);
  }
  return copies;
}

describe('one definition each', () => {
  const tree = sources();

  it('finds the sources it checks (the walk is not silently empty)', () => {
    const names = tree.map(([file]) => file);
    for (const file of [
      'core/stats.ts',
      'core/stats/descriptive.ts',
      'core/schema.ts',
      'bench/rows.ts',
      'analyze/sections/bench-lines.ts',
    ])
      expect(names).toContain(file);
  });

  it('every statistic is defined under core/stats/ and nowhere else', () => {
    expect(statisticCopies(tree)).toEqual([]);
    const owned = tree.filter(([file]) => STATISTICS_OWNER.test(file));
    for (const name of [
      'median',
      'percentile',
      'variance',
      'logGamma',
      'incompleteBeta',
      'studentTQuantile',
      'normalCdf',
      'medianInterval',
      'signedRankCdf',
      'bootstrapQuantileRatio',
    ]) {
      expect(
        owned.some(([, text]) => new RegExp(`export function ${name}\\b`).test(text)),
        name,
      ).toBe(true);
    }
  });

  it.each(OWNED.map((owned) => [owned.what, owned] as const))('%s is defined in its owner only', (_, owned) => {
    expect(literalCopies(owned, tree)).toEqual([]);
    const [, ownerText] = tree.find(([file]) => file === owned.owner) ?? ['', ''];
    expect(ownerText.match(owned.copy)?.length ?? 0).toBeGreaterThan(0);
  });

  it('catches a second copy (known-bad sources)', () => {
    const bad: [string, string][] = [
      [
        'analyze/sections/x.ts',
        'export function median(values: number[]) {}\nconst variance = (v: number[]) => 0;\nconst percentile = 3;',
      ],
      [
        'bench/y.ts',
        "const first = 'tinybench';\nconst ENGINE_DISAGREEMENT = 0.1;\n// engines " +
          "disagree beyond 1.10\nfs.writeFileSync(path.join(out, 'RESULTS.md'), text);",
      ],
    ];
    expect(statisticCopies(bad)).toEqual([
      'analyze/sections/x.ts:1: function median',
      'analyze/sections/x.ts:2: const variance = (v: number[]) =>',
    ]);
    const [threshold, primary, names] = OWNED.map((owned) => literalCopies(owned, bad));
    expect(threshold).toHaveLength(2);
    expect(primary).toEqual(["bench/y.ts:1: 'tinybench'"]);
    expect(names).toEqual(["bench/y.ts:4: 'RESULTS.md'"]);
  });
});
