/**
 * The trend and regression part of an analysis, prepared before anything is written (bad input
 * stops the analyzer with nothing written): compare against a baseline and/or a history window,
 * apply a re-measure, and hand back the findings plus a `commit` that appends this run to history.
 */
import { InputError } from '../../core/errors.js';
import type { ResultRow } from '../../core/schema.js';
import { appendToHistory, DEFAULT_KEEP, loadHistory, machineClassOf, type HistoryEntry } from '../history/store.js';
import { compareBaseline, type BaselineOptions } from '../regression/compare-baseline.js';
import { compareHistory, DEFAULT_HISTORY_OPTIONS, type HistoryOptions } from '../regression/compare-history.js';
import { confirmFindings, remeasurePlan, type RemeasurePlan } from '../regression/confirm.js';
import { failing, type Finding } from '../regression/finding.js';
import { DEFAULT_POLICIES, type MetricPolicy } from '../regression/policy.js';
import { noiseFigures, type NoiseFigure } from './noise.js';

export interface TrendInput {
  /** This run's rows (head), every input merged. */
  current: readonly ResultRow[];
  /** Rows of the base commit measured in the same job. */
  baseline?: readonly ResultRow[];
  history?: { dir: string; append?: boolean; keep?: number };
  /** Rows of a re-measure of the suspects (history mode). */
  remeasure?: readonly ResultRow[];
  policies?: readonly MetricPolicy[];
  baselineOptions?: Partial<BaselineOptions>;
  historyOptions?: Partial<HistoryOptions>;
}

export interface TrendReport {
  baseline: Finding[];
  history: Finding[];
  verdict: 'pass' | 'fail';
  machineClass?: string;
  windowRuns: number;
  windowSize: number;
  remeasure: RemeasurePlan[];
  noise: NoiseFigure[];
  notes: string[];
}

export interface PreparedTrend {
  report: TrendReport;
  /** Appends this run to the history (when asked); call once the report is written. */
  commit(): HistoryEntry | undefined;
}

function firstRunId(rows: readonly ResultRow[]): string | undefined {
  return [...new Set(rows.filter((row) => row.suite !== 'env').map((row) => row.run_id))].sort()[0];
}

export function prepareTrend(input: TrendInput): PreparedTrend {
  const policies = input.policies ?? DEFAULT_POLICIES;
  const notes: string[] = [];
  if (input.remeasure && !input.history)
    throw new InputError(
      '--remeasure needs --history: a re-measure confirms a regression suspected against the history',
    );
  const baseline = input.baseline
    ? compareBaseline(input.baseline, input.current, policies, input.baselineOptions)
    : [];
  const singleRun = baseline.filter((f) => f.runs && Math.min(f.runs.base, f.runs.head) < 2);
  if (singleRun.length) {
    const unconfirmed = singleRun.filter((f) => f.status === 'unconfirmed').length;
    const unconfirmedText = unconfirmed
      ? `${unconfirmed} change(s) beyond the minimum effect read ` +
        `"unconfirmed — re-measure interleaved" (not a failure) and `
      : '';
    notes.push(
      `${singleRun.length} timing series against the baseline come from a single ` +
        `run in an arm: their intervals see only the noise within a run, not how ` +
        `far whole runs move on their own, so ${unconfirmedText}an ` +
        `"unchanged" there is weaker than it looks. Measure base and head in several ` +
        `interleaved rounds to judge timing.`,
    );
  }
  let history: Finding[] = [];
  let machineClass: string | undefined;
  let windowRuns = 0;
  const windowSize = input.historyOptions?.window ?? DEFAULT_HISTORY_OPTIONS.window;
  if (input.history) {
    machineClass = machineClassOf(input.current);
    const window = loadHistory(input.history.dir, machineClass, {
      window: windowSize,
      exclude: firstRunId(input.current),
    });
    windowRuns = window.length;
    history = compareHistory(input.current, window, policies, input.historyOptions);
    if (input.remeasure) {
      const remeasureClass = machineClassOf(input.remeasure);
      if (remeasureClass !== machineClass)
        throw new InputError(
          `--remeasure: measured on machine class ${JSON.stringify(remeasureClass)}, ` +
            `the run on ${JSON.stringify(machineClass)}; re-measure on the same class`,
        );
      history = confirmFindings(history, compareHistory(input.remeasure, window, policies, input.historyOptions));
    }
    if (window.length < (input.historyOptions?.minRuns ?? DEFAULT_HISTORY_OPTIONS.minRuns)) {
      notes.push(
        `History holds ${window.length} earlier run(s) on this machine class; ` +
          `trend verdicts start at ${input.historyOptions?.minRuns ?? DEFAULT_HISTORY_OPTIONS.minRuns}.`,
      );
    }
  }
  const p50 = policies.find((policy) => policy.kind === 'timing' && policy.samples?.quantile === 50);
  const report: TrendReport = {
    baseline,
    history,
    verdict: failing([...baseline, ...history]).length > 0 ? 'fail' : 'pass',
    machineClass,
    windowRuns,
    windowSize,
    remeasure: remeasurePlan(history),
    noise: p50 ? noiseFigures(input.current, p50, history) : [],
    notes,
  };
  const historyDir = input.history;
  return {
    report,
    commit() {
      if (!historyDir || historyDir.append === false) return undefined;
      return appendToHistory(historyDir.dir, input.current, policies, historyDir.keep ?? DEFAULT_KEEP);
    },
  };
}
