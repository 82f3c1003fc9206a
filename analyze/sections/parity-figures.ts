/**
 * parity's decoded pairs (parity-pairs.ts) gathered into figures: each wrapper's rates as gated figures,
 * the coverage of the matrix and the `--json` summary. parity.ts renders them.
 */
import { METRICS, type ResultRow } from '../../core/schema.js';
import type { Figure } from '../types.js';
import { EXCUSABLE_METRICS, type KnownDifference } from './parity-known.js';
import {
  collect,
  MATRIX_SCENARIO,
  RATE_OF,
  ratesOf,
  type CaseInfo,
  type Pair,
  type WrapperRates,
} from './parity-pairs.js';
import { paritySummaryOf, type ParitySummary } from './parity-summary.js';

export type { CaseInfo, FlagMetric, Pair, WrapperRates } from './parity-pairs.js';
function figuresOf(wrappers: readonly WrapperRates[]): Figure[] {
  const figures: Figure[] = [];
  for (const wrapper of wrappers) {
    for (const flag of EXCUSABLE_METRICS) {
      const rate = wrapper.rates[flag];
      if (rate.cases === 0) continue;
      const unlisted = rate.mismatches.filter((pair) => !pair.flags[flag]?.known);
      const notes = [`${rate.matches}/${rate.cases} cases`];
      if (unlisted.length) notes.push(`mismatch: ${unlisted.map((pair) => pair.scenario).join(', ')}`);
      const allKnown = rate.mismatches.length > 0 && unlisted.length === 0;
      figures.push({
        scenario: '',
        subject: wrapper.subject,
        mode: '',
        size_bytes: null,
        metric: RATE_OF[flag],
        value: rate.matches / rate.cases,
        note: notes.join('; '),
        ...(allKnown
          ? {
              known:
                `${rate.known.length} listed in the known-differences file ` +
                `(${rate.known.map((pair) => pair.scenario).join(', ')})`,
            }
          : {}),
      });
    }
  }
  return figures;
}

function coverage(
  rows: readonly ResultRow[],
  cases: ReadonlyMap<string, CaseInfo>,
): { run: number; inMatrix: number | null; how: string[] } {
  const inMatrix = rows
    .filter((row) => row.scenario === MATRIX_SCENARIO && row.metric === METRICS.casesInMatrix && row.value !== null)
    .map((row) => row.value as number);
  const how = [
    ...new Set(
      rows
        .filter((row) => row.scenario === MATRIX_SCENARIO && row.metric === METRICS.casesRun)
        .map((row) => row.detail),
    ),
  ].filter(Boolean);
  return { run: cases.size, inMatrix: inMatrix.length ? Math.max(...inMatrix) : null, how };
}

/** Everything the parity section renders and reports. */
export interface ParityFigures {
  cases: Map<string, CaseInfo>;
  pairs: Pair[];
  subjects: string[];
  wrappers: WrapperRates[];
  caseList: CaseInfo[];
  cover: { run: number; inMatrix: number | null; how: string[] };
  unexpected: CaseInfo[];
  gitVersions: string[];
  mutating: number;
  figures: Figure[];
  summary: ParitySummary;
}

/**
 * The parity rows of the section, every row of the input (the env rows name git's version), and the known differences.
 */
export function parityFigures(
  rows: readonly ResultRow[],
  allRows: readonly ResultRow[],
  known: readonly KnownDifference[],
): ParityFigures {
  const { cases, pairs, subjects } = collect(rows, known);
  const wrappers = subjects.map((subject) => ratesOf(subject, pairs, cases));
  const caseList = [...cases.values()];
  const cover = coverage(rows, cases);
  const unexpected = caseList.filter((info) => !info.nativeAsExpected);
  const gitVersions = [
    ...new Set(allRows.filter((row) => row.suite === 'env' && row.metric === 'git').map((row) => row.detail)),
  ];
  const mutating = caseList.filter((info) => info.mode === 'mutating').length;

  const summary = paritySummaryOf(wrappers, {
    casesRun: cover.run,
    mutatingCasesRun: mutating,
    casesInMatrix: cover.inMatrix,
    nativeUnexpected: unexpected.map((info) => info.scenario),
  });

  return {
    cases,
    pairs,
    subjects,
    wrappers,
    caseList,
    cover,
    unexpected,
    gitVersions,
    mutating,
    figures: figuresOf(wrappers),
    summary,
  };
}
