import { encodeDetail, METRICS, PARITY_MATRIX_SCENARIO, type RowInput } from '../core/schema.js';
import { CASES } from './cases.js';
import type { CaseOutcome, SideResult, SnapshotDifference } from './types.js';
import type { Wrapper } from './wrappers.js';

/** The subject of per-case rows about native git itself (wrapper names may not take it). */
export const NATIVE_SUBJECT = 'native';

/**
 * A case's rows. Scenario is the case id (`command.variant`), mode its class (read_only/mutating).
 *
 * Per case, subject `native`: `command` (detail: the git command line), `duration_ms`,
 * `native_as_expected` (0/1; detail: how native git differed from what the case expects) and
 * `key_signals` (count; detail: the lines, ` | `-separated).
 *
 * Per case and wrapper: `exit_code_match`, `side_effect_match`, `stderr_signal_match` (0/1; detail
 * says what differs: the differing repository keys, the missing stderr lines, as JSON), `native_exit_code`,
 * `wrapper_exit_code` (empty value when the wrapper did not
 * exit normally; detail says why) and `duration_ms`.
 */
export function caseRows(outcome: CaseOutcome): RowInput[] {
  const { parityCase, native, normalise } = outcome;
  const base = { suite: 'parity' as const, scenario: parityCase.id, mode: parityCase.class };
  const rows: RowInput[] = [
    {
      ...base,
      subject: NATIVE_SUBJECT,
      metric: METRICS.commandLine,
      detail: normalise(['git', ...parityCase.args].map(quoteArg).join(' ')),
    },
    { ...base, subject: NATIVE_SUBJECT, metric: METRICS.durationMs, value: round(native.durationMs), unit: 'ms' },
    {
      ...base,
      subject: NATIVE_SUBJECT,
      metric: METRICS.nativeAsExpected,
      value: outcome.expectationProblems.length === 0 ? 1 : 0,
      unit: 'bool',
      detail: normalise(outcome.expectationProblems.join('; ')),
    },
    {
      ...base,
      subject: NATIVE_SUBJECT,
      metric: METRICS.keySignals,
      value: outcome.nativeSignals.length,
      unit: 'count',
      detail: outcome.nativeSignals.join(' | '),
    },
  ];
  for (const comparison of outcome.comparisons) {
    const subject = comparison.wrapper.name;
    const side = comparison.side;
    rows.push(
      {
        ...base,
        subject,
        metric: METRICS.exitCodeMatch,
        value: comparison.exitCodeMatch ? 1 : 0,
        unit: 'bool',
        detail: comparison.exitCodeMatch ? '' : `native ${exitText(native)}, wrapper ${exitText(side)}`,
      },
      {
        ...base,
        subject,
        metric: METRICS.sideEffectMatch,
        value: comparison.differences.length === 0 ? 1 : 0,
        unit: 'bool',
        detail: comparison.differences.length
          ? encodeDetail(METRICS.sideEffectMatch, { differences: formatDifferences(comparison.differences) })
          : '',
      },
      {
        ...base,
        subject,
        metric: METRICS.stderrSignalMatch,
        value: comparison.missingSignals.length === 0 ? 1 : 0,
        unit: 'bool',
        detail: comparison.missingSignals.length
          ? encodeDetail(METRICS.stderrSignalMatch, { missing: [...comparison.missingSignals] })
          : '',
      },
      {
        ...base,
        subject,
        metric: METRICS.nativeExitCode,
        value: native.exitCode,
        unit: 'code',
        detail: native.abnormal ?? '',
      },
      {
        ...base,
        subject,
        metric: METRICS.wrapperExitCode,
        value: side.exitCode,
        unit: 'code',
        detail: normalise(side.abnormal ?? ''),
      },
      { ...base, subject, metric: METRICS.durationMs, value: round(side.durationMs), unit: 'ms' },
    );
  }
  return rows;
}

/** Scenario of the per-run rows: how much of the matrix this run covered. */
export const MATRIX_SCENARIO = PARITY_MATRIX_SCENARIO;

/** `cases_in_matrix` and `cases_run`, so the analyzer can tell a partial run from the whole matrix. */
export function coverageRows(run: number, profile: string, filter: string | undefined): RowInput[] {
  const how = filter ? `--cases ${filter}` : `profile ${profile}`;
  const base = { suite: 'parity' as const, scenario: MATRIX_SCENARIO, subject: NATIVE_SUBJECT, unit: 'count' };
  return [
    { ...base, metric: METRICS.casesInMatrix, value: CASES.length, detail: `${CASES.length} cases in parity/cases.ts` },
    { ...base, metric: METRICS.casesRun, value: run, detail: how },
  ];
}

/**
 * One `wrapper_template` row per wrapper (scenario `(matrix)`): the template as configured, so a join by prefix
 * (readiness) can find it.
 */
export function wrapperRows(wrappers: readonly Wrapper[]): RowInput[] {
  return wrappers.map((wrapper) => ({
    suite: 'parity' as const,
    scenario: MATRIX_SCENARIO,
    subject: wrapper.name,
    metric: METRICS.wrapperTemplate,
    detail: wrapper.template,
  }));
}

function exitText(side: SideResult): string {
  return side.exitCode === null ? `no exit code (${side.abnormal ?? 'abnormal end'})` : `exit ${side.exitCode}`;
}

function quoteArg(arg: string): string {
  return /^[\w@{}.,:/=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

const ABSENT = '(absent)';

/** `key: native → wrapper` per difference, values shortened so one line stays readable. */
export function formatDifferences(differences: readonly SnapshotDifference[], limit = 12): string[] {
  const shown = differences
    .slice(0, limit)
    .map((d) => `${d.key}: native ${shorten(d.native)} ≠ wrapper ${shorten(d.wrapper)}`);
  if (differences.length > limit) shown.push(`… and ${differences.length - limit} more`);
  return shown;
}

function shorten(value: string | undefined): string {
  if (value === undefined) return ABSENT;
  const oneLine = value.replace(/\s+/g, ' ').trim();
  const abbreviated = oneLine.replace(/\b([0-9a-f]{40})\b/g, (oid) => oid.slice(0, 10));
  return abbreviated.length > 80 ? `${abbreviated.slice(0, 77)}...` : abbreviated || '""';
}
