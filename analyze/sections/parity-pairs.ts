/**
 * parity rows decoded: each case as native git ran it, and each case × wrapper pair with its three
 * flags (the worst across shards, known differences applied) and each wrapper's rates over them.
 */
import { METRICS, PARITY_MATRIX_SCENARIO, type ResultRow } from '../../core/schema.js';
import { percentile } from '../../core/stats.js';
import { PARITY_NATIVE } from '../gates/parity.js';
import { untrusted } from '../report/markdown.js';
import { EXCUSABLE_METRICS, findKnown, type KnownDifference } from './parity-known.js';

export type FlagMetric = (typeof EXCUSABLE_METRICS)[number];

/** Each per-case flag and the per-wrapper rate computed from it. */
export const RATE_OF: Record<FlagMetric, string> = {
  [METRICS.exitCodeMatch]: METRICS.exitCodeMatchRate,
  [METRICS.sideEffectMatch]: METRICS.sideEffectMatchRate,
  [METRICS.stderrSignalMatch]: METRICS.stderrKeySignalMatchRate,
};
export const MATRIX_SCENARIO = PARITY_MATRIX_SCENARIO;

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

export function collect(rows: readonly ResultRow[], known: readonly KnownDifference[]) {
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

export function ratesOf(subject: string, pairs: readonly Pair[], cases: ReadonlyMap<string, CaseInfo>): WrapperRates {
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
