import { decodeDetail, METRICS, PARITY_MATRIX_SCENARIO, type ResultRow } from '../../core/schema.js';
import { percentile } from '../../core/stats.js';
import { formatNumber, formatPercent } from '../format.js';
import { PARITY_CONTROL, PARITY_GATES, PARITY_NATIVE } from '../gates/parity.js';
import { blocks, table, untrusted } from '../report/markdown.js';
import type { SuiteSection } from '../section.js';
import type { Figure, GateResult } from '../types.js';
import type { ParitySummary } from './parity-summary.js';
import { EXCUSABLE_METRICS, findKnown, loadKnownDifferences, type KnownDifference } from './parity-known.js';

type FlagMetric = (typeof EXCUSABLE_METRICS)[number];

/** Each per-case flag and the per-wrapper rate computed from it. */
const RATE_OF: Record<FlagMetric, string> = {
  [METRICS.exitCodeMatch]: METRICS.exitCodeMatchRate,
  [METRICS.sideEffectMatch]: METRICS.sideEffectMatchRate,
  [METRICS.stderrSignalMatch]: METRICS.stderrKeySignalMatchRate,
};
const SHORT: Record<FlagMetric, string> = {
  [METRICS.exitCodeMatch]: 'exit code',
  [METRICS.sideEffectMatch]: 'side effect',
  [METRICS.stderrSignalMatch]: 'key signals',
};
const MATRIX_SCENARIO = PARITY_MATRIX_SCENARIO;

/** One case as native git ran it. */
interface CaseInfo {
  scenario: string;
  mode: string;
  command: string;
  nativeAsExpected: boolean;
  nativeProblem: string;
  signals: number;
  durationMs: number | null;
}

/** One case × wrapper: the three flags (worst across shards), what they say, and the raw exit codes. */
interface Pair {
  scenario: string;
  subject: string;
  flags: Partial<Record<FlagMetric, { value: number; detail: string; known?: KnownDifference }>>;
  /** Exit codes as the report shows them (Markdown, exitText). */
  nativeExit: string;
  wrapperExit: string;
  durationMs: number | null;
}

interface WrapperRates {
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
    const durations = group.filter((row) => row.metric === METRICS.durationMs && row.value !== null).map((row) => row.value as number);
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
    const pair: Pair = { scenario, subject, flags: {}, nativeExit: exitText(metric(METRICS.nativeExitCode)), wrapperExit: exitText(metric(METRICS.wrapperExitCode)), durationMs: duration };
    for (const flag of EXCUSABLE_METRICS) {
      const row = metric(flag);
      if (!row || row.value === null) continue;
      const excuse = row.value === 0 ? findKnown(known, scenario, subject, flag) : undefined;
      pair.flags[flag] = { value: row.value, detail: row.detail, ...(excuse ? { known: excuse } : {}) };
    }
    pairs.set(key, pair);
    if (!cases.has(scenario)) cases.set(scenario, { scenario, mode: group[0]?.mode ?? '', command: '', nativeAsExpected: true, nativeProblem: '', signals: 0, durationMs: null });
  }
  return { cases, pairs: [...pairs.values()], subjects };
}

function ratesOf(subject: string, pairs: readonly Pair[], cases: ReadonlyMap<string, CaseInfo>): WrapperRates {
  const mine = pairs.filter((pair) => pair.subject === subject);
  const rates = {} as WrapperRates['rates'];
  for (const flag of EXCUSABLE_METRICS) {
    const judged = mine.filter((pair) => pair.flags[flag] !== undefined);
    const mismatches = judged.filter((pair) => pair.flags[flag]?.value !== 1);
    rates[flag] = { matches: judged.length - mismatches.length, cases: judged.length, mismatches, known: mismatches.filter((pair) => pair.flags[flag]?.known) };
  }
  const extra = mine
    .map((pair) => (pair.durationMs !== null && cases.get(pair.scenario)?.durationMs != null ? pair.durationMs - (cases.get(pair.scenario)?.durationMs as number) : null))
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
        ...(allKnown ? { known: `${rate.known.length} listed in the known-differences file (${rate.known.map((pair) => pair.scenario).join(', ')})` } : {}),
      });
    }
  }
  return figures;
}

function mark(pair: Pair | undefined, flag: FlagMetric): string {
  const entry = pair?.flags[flag];
  if (!entry) return '·';
  if (entry.value === 1) return '✅';
  return entry.known ? '🟡' : '❌';
}

/** `command.variant` → [command, variant]. */
function splitId(id: string): [string, string] {
  const dot = id.indexOf('.');
  return dot < 0 ? [id, ''] : [id.slice(0, dot), id.slice(dot + 1)];
}

function matrixTable(cases: readonly CaseInfo[], subjects: readonly string[], pairs: readonly Pair[]): string {
  const find = (scenario: string, subject: string) => pairs.find((pair) => pair.scenario === scenario && pair.subject === subject);
  const rows = cases.map((info) => {
    const [command, variant] = splitId(info.scenario);
    const nativeExit = pairs.find((pair) => pair.scenario === info.scenario)?.nativeExit ?? '—';
    return [
      untrusted(command),
      variant ? untrusted(variant) : '',
      info.mode === 'read_only' ? 'read-only' : info.mode === 'mutating' ? info.mode : untrusted(info.mode),
      `${nativeExit}${info.nativeAsExpected ? '' : ' ⚠'}`,
      ...subjects.map((subject) => EXCUSABLE_METRICS.map((flag) => mark(find(info.scenario, subject), flag)).join('')),
    ];
  });
  return table(['command', 'variant', 'class', 'native exit', ...subjects.map(untrusted)], rows, ['left', 'left', 'left', 'right', ...subjects.map(() => 'left' as const)]);
}

function ratesTable(wrappers: readonly WrapperRates[]): string {
  const rows = wrappers.map((wrapper) => {
    const cells = EXCUSABLE_METRICS.map((flag) => {
      const rate = wrapper.rates[flag];
      return rate.cases ? `${formatPercent(rate.matches / rate.cases, 2)} (${rate.matches}/${rate.cases})` : '—';
    });
    const mismatches = new Set(EXCUSABLE_METRICS.flatMap((flag) => wrapper.rates[flag].mismatches.map((pair) => pair.scenario))).size;
    const known = new Set(EXCUSABLE_METRICS.flatMap((flag) => wrapper.rates[flag].known.map((pair) => pair.scenario))).size;
    const extra = wrapper.medianExtraMs === null ? '—' : `${wrapper.medianExtraMs >= 0 ? '+' : ''}${formatNumber(wrapper.medianExtraMs)} ms`;
    return [wrapper.subject === PARITY_CONTROL ? `${untrusted(wrapper.subject)} (built-in control)` : untrusted(wrapper.subject), ...cells, `${mismatches}${known ? ` (${known} known)` : ''}`, extra];
  });
  return table(['wrapper', 'exit code', 'side effect', 'key signals', 'cases with a mismatch', 'median time vs native'], rows, ['left', 'right', 'right', 'right', 'right', 'right']);
}

/** A list from a detail as inline code, so paths and `<fixture>` show as written. */
function pieces(list: readonly string[] | undefined): string {
  return list?.length ? list.map((piece) => untrusted(piece)).join(', ') : 'not said';
}

function mismatchList(pairs: readonly Pair[], cases: ReadonlyMap<string, CaseInfo>): string {
  const bad = pairs.filter((pair) => EXCUSABLE_METRICS.some((flag) => pair.flags[flag] && pair.flags[flag]?.value !== 1));
  if (bad.length === 0) return 'None: every wrapper matched native git on every case and metric.';
  return bad
    .map((pair) => {
      const info = cases.get(pair.scenario);
      const lines = [`- **${untrusted(pair.subject)} · ${untrusted(pair.scenario)}**${info?.command ? ` — ${untrusted(info.command)}` : ''}`];
      lines.push(`  - exit codes: native ${pair.nativeExit}, wrapper ${pair.wrapperExit}${pair.flags[METRICS.exitCodeMatch]?.value === 0 ? ' ❌' : ''}`);
      const side = pair.flags[METRICS.sideEffectMatch];
      lines.push(`  - repository: ${side?.value === 0 ? `differs ❌ — ${pieces(decodeDetail(METRICS.sideEffectMatch, side.detail)?.differences)}` : 'same as native'}`);
      const signals = pair.flags[METRICS.stderrSignalMatch];
      lines.push(`  - key signals: ${signals?.value === 0 ? `missing ❌ — ${pieces(decodeDetail(METRICS.stderrSignalMatch, signals.detail)?.missing)}` : 'all present'}`);
      for (const flag of EXCUSABLE_METRICS) {
        const excuse = pair.flags[flag]?.known;
        if (excuse) lines.push(`  - 🟡 known difference (${SHORT[flag]}): ${untrusted(excuse.rationale)}`);
      }
      return lines.join('\n');
    })
    .join('\n');
}

function knownTable(known: readonly KnownDifference[], pairs: readonly Pair[]): string | undefined {
  if (known.length === 0) return undefined;
  const rows = known.map((entry) => {
    const used = pairs.some((pair) => pair.scenario === entry.case && (entry.wrapper === undefined || entry.wrapper === pair.subject) && pair.flags[entry.metric]?.known === entry);
    // The known-differences file is the user's: its case, wrapper and rationale are shown inert.
    return [untrusted(entry.case), entry.metric, entry.wrapper === undefined ? 'any' : untrusted(entry.wrapper), untrusted(entry.rationale), used ? 'excused a mismatch' : 'not observed in this run'];
  });
  return blocks('### Known differences', table(['case', 'metric', 'wrapper', 'rationale', 'this run'], rows));
}

function coverage(rows: readonly ResultRow[], cases: ReadonlyMap<string, CaseInfo>): { run: number; inMatrix: number | null; how: string[] } {
  const inMatrix = rows.filter((row) => row.scenario === MATRIX_SCENARIO && row.metric === METRICS.casesInMatrix && row.value !== null).map((row) => row.value as number);
  const how = [...new Set(rows.filter((row) => row.scenario === MATRIX_SCENARIO && row.metric === METRICS.casesRun).map((row) => row.detail))].filter(Boolean);
  return { run: cases.size, inMatrix: inMatrix.length ? Math.max(...inMatrix) : null, how };
}

export const paritySection: SuiteSection = {
  suite: 'parity',
  title: 'Parity — native git vs wrappers',
  gates: PARITY_GATES,
  prepare({ rows, dataset, files }) {
    const known = loadKnownDifferences(files.knownDifferences);
    const { cases, pairs, subjects } = collect(rows, known);
    const wrappers = subjects.map((subject) => ratesOf(subject, pairs, cases));
    const caseList = [...cases.values()];
    const cover = coverage(rows, cases);
    const unexpected = caseList.filter((info) => !info.nativeAsExpected);
    const gitVersions = [...new Set(dataset.rows.filter((row) => row.suite === 'env' && row.metric === 'git').map((row) => row.detail))];
    const mutating = caseList.filter((info) => info.mode === 'mutating').length;

    const summary: ParitySummary = {
      wrappers: Object.fromEntries(
        wrappers.map((wrapper) => [
          wrapper.subject,
          Object.fromEntries(
            EXCUSABLE_METRICS.map((flag) => {
              const rate = wrapper.rates[flag];
              return [
                RATE_OF[flag],
                {
                  rate: rate.cases ? rate.matches / rate.cases : null,
                  cases: rate.cases,
                  mismatches: rate.mismatches.filter((pair) => !pair.flags[flag]?.known).map((pair) => pair.scenario),
                  known: rate.known.map((pair) => pair.scenario),
                },
              ];
            }),
          ),
        ]),
      ),
      control: PARITY_CONTROL,
      cases_run: cover.run,
      mutating_cases_run: mutating,
      cases_in_matrix: cover.inMatrix,
      native_unexpected: unexpected.map((info) => info.scenario),
    };

    const render = (gates: readonly GateResult[]): string => {
      const failing = gates.filter((gate) => gate.status === 'fail').length;
      return blocks(
        '## Parity — native git vs wrappers',
        `**How each figure was obtained.** ${cover.run} case(s) (${mutating} mutating, ${cover.run - mutating} read-only)` +
          `${cover.inMatrix !== null ? ` of the ${cover.inMatrix}-case matrix` : ''}${cover.how.length ? ` (${cover.how.map(untrusted).join('; ')})` : ''}; native ${gitVersions.map(untrusted).join(', ') || 'git'}. ` +
          'Each case builds its fixture once (pinned identity and dates, no user or system config, HOME and XDG dirs inside the workspace, remotes local or on a 127.0.0.1 smart-HTTP server), ' +
          'then runs natively and once per wrapper on fresh copies at the same path, and snapshots the repository after each run. ' +
          'Exit code: equal, or a mismatch. Side effect: the snapshots are equal (differences named below). Key signals: every key line of native output appears in the wrapper\'s output. ' +
          'Rates are per wrapper over the cases run; `passthrough` execs git unchanged and must score 100%, or the harness itself is at fault.',
        unexpected.length
          ? `⚠ Native git did not do what ${unexpected.length} case(s) say it does, so those cases may not test the variant they name (another git version, or a leaking environment): ` +
              unexpected.map((info) => `${untrusted(info.scenario)} (${untrusted(info.nativeProblem)})`).join('; ')
          : undefined,
        '### Rates',
        ratesTable(wrappers),
        failing ? `${failing} parity gate instance(s) fail; the mismatches behind them are listed below.` : undefined,
        '### Matrix',
        'Per wrapper, three marks: exit code, side effect, key signals. ✅ match · ❌ mismatch · 🟡 known difference (listed, excused) · `·` not measured. ⚠ after a native exit code: native git did not behave as the case expects.',
        matrixTable(caseList, subjects, pairs),
        '### Mismatches',
        mismatchList(pairs, cases),
        knownTable(known, pairs),
      );
    };
    return { figures: figuresOf(wrappers), render, summary };
  },
};
