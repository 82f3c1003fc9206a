/**
 * parity rows decoded and gathered into figures: each case as native git ran it, each case × wrapper
 * pair with its three flags (known differences applied), each wrapper's rates, the coverage of the
 * matrix, the gated figures and the `--json` summary. parity.ts renders them.
 */
import { METRICS, PARITY_MATRIX_SCENARIO, type ResultRow } from '../../core/schema.js';
import { percentile } from '../../core/stats.js';
import { PARITY_NATIVE } from '../gates/parity.js';
import { untrusted } from '../report/markdown.js';
import type { Figure } from '../types.js';
import { EXCUSABLE_METRICS, findKnown, type KnownDifference } from './parity-known.js';
import { paritySummaryOf, type ParitySummary } from './parity-summary.js';

export type FlagMetric = (typeof EXCUSABLE_METRICS)[number];

/** Each per-case flag and the per-wrapper rate computed from it. */
export const RATE_OF: Record<FlagMetric, string> = {
  [METRICS.exitCodeMatch]: METRICS.exitCodeMatchRate,
  [METRICS.sideEffectMatch]: METRICS.sideEffectMatchRate,
  [METRICS.stderrSignalMatch]: METRICS.stderrKeySignalMatchRate,
};
const MATRIX_SCENARIO = PARITY_MATRIX_SCENARIO;

/** One case as native git ran it. */
export interface CaseInfo {
  scenario: string;
  mode: string;
  command: string;
  nativeAsExpected: boolean;
  nativeProblem: string;
  signals: number;
  durationMs: number | null;
}

/** One case × wrapper: the three flags (worst across shards), what they say, and the raw exit codes. */
export interface Pair {
  scenario: string;
  subject: string;
  flags: Partial<Record<FlagMetric, { value: number; detail: string; known?: KnownDifference }>>;
  /** Exit codes as the report shows them (Markdown, exitText). */
  nativeExit: string;
  wrapperExit: string;
  durationMs: number | null;
}

export interface WrapperRates {
  subject: string;
  rates: Record<FlagMetric, { matches: number; cases: number; mismatches: Pair[]; known: Pair[] }>;
  medianExtraMs: number | null;
}

function worseFirst(a: ResultRow, b: ResultRow): number {
  return (a.value ?? 2) - (b.value ?? 2);
}

/** An exit code as the report shows it (Markdown: the reason a run had none is the input's). */
function exitText(row: ResultRow | undefined): string {
  if (!row) return '—';
  return row.value === null ? `none (${row.detail ? untrusted(row.detail) : 'abnormal end'})` : String(row.value);
}

function collect(rows: readonly ResultRow[], known: readonly KnownDifference[]) {
  const cases = new Map<string, CaseInfo>();
  const pairs = new Map<string, Pair>();
  const subjects: string[] = [];
  const byKey = new Map<string, ResultRow[]>();
  for (const row of rows) {
    if (row.scenario === MATRIX_SCENARIO) continue;
    const key = `${row.scenario}\u0000${row.subject}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
    if (row.subject !== PARITY_NATIVE && !subjects.includes(row.subject)) subjects.push(row.subject);
  }
  for (const [key, group] of byKey) {
    const [scenario = '', subject = ''] = key.split('\u0000');
    const metric = (name: string) => group.filter((row) => row.metric === name).sort(worseFirst)[0];
    const durations = group
      .filter((row) => row.metric === METRICS.durationMs && row.value !== null)
      .map((row) => row.value as number);
    const duration = durations.length ? percentile(durations, 50) : null;
    if (subject === PARITY_NATIVE) {
      const expected = metric(METRICS.nativeAsExpected);
      cases.set(scenario, {
        scenario,
        mode: group[0]?.mode ?? '',
        command: metric(METRICS.commandLine)?.detail ?? '',
        nativeAsExpected: expected?.value !== 0,
        nativeProblem: expected?.value === 0 ? expected.detail : '',
        signals: metric(METRICS.keySignals)?.value ?? 0,
        durationMs: duration,
      });
      continue;
    }
    const pair: Pair = {
      scenario,
      subject,
      flags: {},
      nativeExit: exitText(metric(METRICS.nativeExitCode)),
      wrapperExit: exitText(metric(METRICS.wrapperExitCode)),
      durationMs: duration,
    };
    for (const flag of EXCUSABLE_METRICS) {
      const row = metric(flag);
      if (!row || row.value === null) continue;
      const excuse = row.value === 0 ? findKnown(known, scenario, subject, flag) : undefined;
      pair.flags[flag] = { value: row.value, detail: row.detail, ...(excuse ? { known: excuse } : {}) };
    }
    pairs.set(key, pair);
    if (!cases.has(scenario))
      cases.set(scenario, {
        scenario,
        mode: group[0]?.mode ?? '',
        command: '',
        nativeAsExpected: true,
        nativeProblem: '',
        signals: 0,
        durationMs: null,
      });
  }
  return { cases, pairs: [...pairs.values()], subjects };
}

function ratesOf(subject: string, pairs: readonly Pair[], cases: ReadonlyMap<string, CaseInfo>): WrapperRates {
  const mine = pairs.filter((pair) => pair.subject === subject);
  const rates = {} as WrapperRates['rates'];
  for (const flag of EXCUSABLE_METRICS) {
    const judged = mine.filter((pair) => pair.flags[flag] !== undefined);
    const mismatches = judged.filter((pair) => pair.flags[flag]?.value !== 1);
    rates[flag] = {
      matches: judged.length - mismatches.length,
      cases: judged.length,
      mismatches,
      known: mismatches.filter((pair) => pair.flags[flag]?.known),
    };
  }
  const extra = mine
    .map((pair) =>
      pair.durationMs !== null && cases.get(pair.scenario)?.durationMs != null
        ? pair.durationMs - (cases.get(pair.scenario)?.durationMs as number)
        : null,
    )
    .filter((value): value is number => value !== null);
  return { subject, rates, medianExtraMs: extra.length ? percentile(extra, 50) : null };
}

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
              known: `${rate.known.length} listed in the known-differences file (${rate.known.map((pair) => pair.scenario).join(', ')})`,
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

/** The parity rows of the section, every row of the input (the env rows name git's version), and the known differences. */
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
