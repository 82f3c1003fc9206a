import { decodeDetail, METRICS } from '../../core/schema.js';
import { formatNumber, formatPercent } from '../format.js';
import { PARITY_CONTROL, PARITY_GATES } from '../gates/parity.js';
import { blocks, table, untrusted } from '../report/markdown.js';
import type { SuiteSection } from '../section.js';
import type { GateResult } from '../types.js';
import { parityFigures, type CaseInfo, type FlagMetric, type Pair, type WrapperRates } from './parity-figures.js';
import { EXCUSABLE_METRICS, loadKnownDifferences, type KnownDifference } from './parity-known.js';

const SHORT: Record<FlagMetric, string> = {
  [METRICS.exitCodeMatch]: 'exit code',
  [METRICS.sideEffectMatch]: 'side effect',
  [METRICS.stderrSignalMatch]: 'key signals',
};

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
  const find = (scenario: string, subject: string) =>
    pairs.find((pair) => pair.scenario === scenario && pair.subject === subject);
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
  return table(['command', 'variant', 'class', 'native exit', ...subjects.map(untrusted)], rows, [
    'left',
    'left',
    'left',
    'right',
    ...subjects.map(() => 'left' as const),
  ]);
}

function ratesTable(wrappers: readonly WrapperRates[]): string {
  const rows = wrappers.map((wrapper) => {
    const cells = EXCUSABLE_METRICS.map((flag) => {
      const rate = wrapper.rates[flag];
      return rate.cases ? `${formatPercent(rate.matches / rate.cases, 2)} (${rate.matches}/${rate.cases})` : '—';
    });
    const mismatches = new Set(
      EXCUSABLE_METRICS.flatMap((flag) => wrapper.rates[flag].mismatches.map((pair) => pair.scenario)),
    ).size;
    const known = new Set(EXCUSABLE_METRICS.flatMap((flag) => wrapper.rates[flag].known.map((pair) => pair.scenario)))
      .size;
    const extra =
      wrapper.medianExtraMs === null
        ? '—'
        : `${wrapper.medianExtraMs >= 0 ? '+' : ''}${formatNumber(wrapper.medianExtraMs)} ms`;
    return [
      wrapper.subject === PARITY_CONTROL
        ? `${untrusted(wrapper.subject)} (built-in control)`
        : untrusted(wrapper.subject),
      ...cells,
      `${mismatches}${known ? ` (${known} known)` : ''}`,
      extra,
    ];
  });
  return table(
    ['wrapper', 'exit code', 'side effect', 'key signals', 'cases with a mismatch', 'median time vs native'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** A list from a detail as inline code, so paths and `<fixture>` show as written. */
function pieces(list: readonly string[] | undefined): string {
  return list?.length ? list.map((piece) => untrusted(piece)).join(', ') : 'not said';
}

function mismatchList(pairs: readonly Pair[], cases: ReadonlyMap<string, CaseInfo>): string {
  const bad = pairs.filter((pair) =>
    EXCUSABLE_METRICS.some((flag) => pair.flags[flag] && pair.flags[flag]?.value !== 1),
  );
  if (bad.length === 0) return 'None: every wrapper matched native git on every case and metric.';
  return bad
    .map((pair) => {
      const info = cases.get(pair.scenario);
      const command = info?.command ? ` — ${untrusted(info.command)}` : '';
      const lines = [`- **${untrusted(pair.subject)} · ${untrusted(pair.scenario)}**${command}`];
      const exitMark = pair.flags[METRICS.exitCodeMatch]?.value === 0 ? ' ❌' : '';
      lines.push(`  - exit codes: native ${pair.nativeExit}, wrapper ${pair.wrapperExit}${exitMark}`);
      const side = pair.flags[METRICS.sideEffectMatch];
      const differences =
        side?.value === 0 ? decodeDetail(METRICS.sideEffectMatch, side.detail)?.differences : undefined;
      lines.push(`  - repository: ${side?.value === 0 ? `differs ❌ — ${pieces(differences)}` : 'same as native'}`);
      const signals = pair.flags[METRICS.stderrSignalMatch];
      const missing =
        signals?.value === 0 ? decodeDetail(METRICS.stderrSignalMatch, signals.detail)?.missing : undefined;
      lines.push(`  - key signals: ${signals?.value === 0 ? `missing ❌ — ${pieces(missing)}` : 'all present'}`);
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
    const used = pairs.some(
      (pair) =>
        pair.scenario === entry.case &&
        (entry.wrapper === undefined || entry.wrapper === pair.subject) &&
        pair.flags[entry.metric]?.known === entry,
    );
    // The known-differences file is the user's: its case, wrapper and rationale are shown inert.
    return [
      untrusted(entry.case),
      entry.metric,
      entry.wrapper === undefined ? 'any' : untrusted(entry.wrapper),
      untrusted(entry.rationale),
      used ? 'excused a mismatch' : 'not observed in this run',
    ];
  });
  return blocks('### Known differences', table(['case', 'metric', 'wrapper', 'rationale', 'this run'], rows));
}

export const paritySection: SuiteSection = {
  suite: 'parity',
  title: 'Parity — native git vs wrappers',
  gates: PARITY_GATES,
  prepare({ rows, dataset, files }) {
    const known = files.knownDifferencesParsed ?? loadKnownDifferences(files.knownDifferences);
    const { cases, pairs, subjects, wrappers, caseList, cover, unexpected, gitVersions, mutating, figures, summary } =
      parityFigures(rows, dataset.rows, known);

    const render = (gates: readonly GateResult[]): string => {
      const failing = gates.filter((gate) => gate.status === 'fail').length;
      return blocks(
        '## Parity — native git vs wrappers',
        `**How each figure was obtained.** ${cover.run} case(s) ` +
          `(${mutating} mutating, ${cover.run - mutating} read-only)` +
          (cover.inMatrix !== null ? ` of the ${cover.inMatrix}-case matrix` : '') +
          (cover.how.length ? ` (${cover.how.map(untrusted).join('; ')})` : '') +
          '; ' +
          `native ${gitVersions.map(untrusted).join(', ') || 'git'}. ` +
          'Each case builds its fixture once (pinned identity and dates, no user ' +
          'or system config, HOME and XDG dirs inside the workspace, remotes local ' +
          'or on a 127.0.0.1 smart-HTTP server), ' +
          'then runs natively and once per wrapper on fresh copies at the same path, ' +
          'and snapshots the repository after each run. ' +
          'Exit code: equal, or a mismatch. Side effect: the snapshots are equal ' +
          '(differences named below). Key signals: every key line of native output ' +
          "appears in the wrapper's output. " +
          'Rates are per wrapper over the cases run; `passthrough` execs git unchanged ' +
          'and must score 100%, or the harness itself is at fault.',
        unexpected.length
          ? `⚠ Native git did not do what ${unexpected.length} case(s) say it does, ` +
              `so those cases may not test the variant they name (another git version, ` +
              `or a leaking environment): ` +
              unexpected.map((info) => `${untrusted(info.scenario)} (${untrusted(info.nativeProblem)})`).join('; ')
          : undefined,
        '### Rates',
        ratesTable(wrappers),
        failing ? `${failing} parity gate instance(s) fail; the mismatches behind them are listed below.` : undefined,
        '### Matrix',
        'Per wrapper, three marks: exit code, side effect, key signals. ✅ match ' +
          '· ❌ mismatch · 🟡 known difference (listed, excused) · `·` not measured. ' +
          '⚠ after a native exit code: native git did not behave as the case expects.',
        matrixTable(caseList, subjects, pairs),
        '### Mismatches',
        mismatchList(pairs, cases),
        knownTable(known, pairs),
      );
    };
    return { figures, render, summary };
  },
};
