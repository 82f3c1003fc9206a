/**
 * `writegate validate-gate`'s figures from its kept comparisons: the probe's series, the scoring of the
 * rounds against the targets, and the summary (validate-gate.md and the .json beside it). Pure: rows
 * in, text and an exit code out; measuring and writing files are the CLI's.
 */
import { METRICS, PRIMARY_ENGINE } from '../../core/schema.js';
import type { BaselineOptions } from './compare-baseline.js';
import { formatFigure, percentChange } from './format.js';
import { keyLabel, type SeriesKey } from './keys.js';
import type { MetricPolicy } from './policy.js';
import {
  countValidation,
  targetsMet,
  type ProbeComparison,
  type ValidationRound,
  type ValidationCounts,
} from './validation.js';

/** The subject name the slowed probe is measured under. */
export const PROBE = 'probe';

/** What a validate-gate run measured, as far as scoring and the summary need it. */
export interface ValidationSettings {
  subject: string;
  sizeBytes: number;
  mode: string;
  rounds: number;
  /** Runs per arm per comparison, interleaved. */
  runsPerArm: number;
  effect: number;
  inject: 'spin' | 'fsync';
  samples: number;
  policyFile?: string;
  /** How a comparison's gated timing series are judged together; none exists to measure what the correction buys. */
  multiplicity: BaselineOptions['multiplicity'];
}

export interface ValidationContext {
  command: string;
  injected: string;
  calibratedP50: number;
  machine: string;
  loadStart: number[];
  loadEnd: number[];
  minutes: number;
}

export function probeKey(settings: Pick<ValidationSettings, 'mode' | 'sizeBytes'>): SeriesKey {
  return {
    suite: 'bench',
    scenario: 'write',
    subject: PROBE,
    mode: settings.mode,
    size_bytes: settings.sizeBytes,
    engine: PRIMARY_ENGINE,
    metric: METRICS.latencyP50,
  };
}

function pct(n: number): string {
  return Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : 'n/a';
}

function row(c: ProbeComparison): string {
  const ci = c.lower === null || c.upper === null ? '' : ` (${percentChange(c.lower)}..${percentChange(c.upper)})`;
  return `${c.ratio === null ? 'n/a' : percentChange(c.ratio)}${ci} ${c.status}`;
}

export function renderValidation(
  counts: ValidationCounts,
  settings: ValidationSettings,
  context: ValidationContext & { measuredEffect: number },
): string {
  const met = targetsMet(counts);
  const k = counts.rounds;
  const needed = Math.ceil(0.95 * k);
  const label = keyLabel(probeKey(settings), { label: 'p50' });
  const { aa, detection, mannWhitney, noise } = counts;
  const loadAt = (load: readonly number[]) => load.map((n) => n.toFixed(2)).join('/');
  const lines = [
    '# validate-gate: the regression gate measured on itself',
    '',
    `\`${context.command}\``,
    '',
    `${k} comparisons of three arms (base, base again, slowed), each arm ${settings.runsPerArm} interleaved ` +
      `bench run(s), every run its own process, order rotated; each comparison ` +
      `is the PR gate's \`--baseline\` rule on the pooled runs. Probe: built-in ` +
      `\`${settings.subject}\` behind the JSON-lines driver transport, ${label.replace(/ · p50$/, '')}, ` +
      `${settings.samples} samples per run. Injected: ${context.injected}.`,
    '',
    '| Figure | Result | Target |',
    '|---|--:|--:|',
    `| A/A comparisons the gate failed | **${aa.gateFalseAlarms} / ${k}** | 0 ${met.falseAlarms ? '✅' : '❌'} |`,
    `| Detections of the slowed probe (p50) | **${detection.detected} / ${k}** ` +
      `| ≥ ${needed} ${met.detections ? '✅' : '❌'} |`,
    `| Gated series called regressions in A/A runs | ${aa.seriesFalseAlarms} / ${aa.seriesCompared} | 0 |`,
    `| Probe comparisons too noisy to judge (A/A, slowed) | ${aa.tooNoisy}, ${detection.tooNoisy} | |`,
    `| Unchanged series called regressions in slowed runs ` +
      `| ${detection.otherFalseAlarms} / ${detection.otherCompared} | 0 |`,
    `| Measured effect of the injection (median ratio) | ${percentChange(context.measuredEffect)} | |`,
    '',
    `Mann-Whitney U on the same samples (one-sided p < ${mannWhitney.alpha}): ` +
      `A/A false alarms ${mannWhitney.aaFalseAlarms} / ${k}, detections ${mannWhitney.detections} / ${k}; ` +
      `with the ${Math.round(0.1 * 100)}% minimum effect added: ` +
      `${mannWhitney.aaFalseAlarmsWithMinEffect} / ${k} and ${mannWhitney.detectionsWithMinEffect} / ${k}.`,
    '',
    `Noise of the probe: within-run CV median ${pct(noise.withinRunCvMedian)} (max ${pct(noise.withinRunCvMax)}); ` +
      `run-to-run CV of its p50 ${pct(noise.runToRunCv)}.`,
    `Machine: \`${context.machine}\`; load average (1/5/15 min) ${loadAt(context.loadStart)} at ` +
      `the start, ${loadAt(context.loadEnd)} at the end; ${context.minutes.toFixed(1)} min.`,
  ];
  if (Object.keys(aa.bySeries).length) {
    lines.push(
      '',
      'False alarms by series: ' +
        Object.entries(aa.bySeries)
          .map(([series, n]) => `${series} ×${n}`)
          .join(', ') +
        '.',
    );
  }
  lines.push(
    '',
    '<details><summary>Every round (probe p50, ratio to base with 95% CI)</summary>',
    '',
    '| Round | A/A | Slowed | MWU p A/A | MWU p slowed |',
    '|--:|---|---|--:|--:|',
  );
  aa.probe.forEach((aaRound, i) => {
    const slowed = detection.probe[i] as ProbeComparison;
    const mannWhitneyPs = `${formatFigure(aaRound.mannWhitneyP)} | ${formatFigure(slowed.mannWhitneyP)}`;
    lines.push(`| ${aaRound.round} | ${row(aaRound)} | ${row(slowed)} | ${mannWhitneyPs} |`);
  });
  lines.push('', '</details>', '');
  return lines.join('\n');
}

export interface ScoredValidation {
  counts: ValidationCounts;
  markdown: string;
  /** validate-gate.json: the context, the settings as given, `extra`, whether the targets were met, the counts. */
  json: Record<string, unknown>;
  /** 0 when the targets hold, 1 when they do not. */
  exitCode: number;
}

/** Scores kept rounds by the gate's rule and renders the summary. */
export function scoreValidation<S extends ValidationSettings>(
  rounds: readonly ValidationRound[],
  settings: S,
  context: ValidationContext,
  policies: readonly MetricPolicy[],
  extra: Record<string, unknown> = {},
): ScoredValidation {
  const counts = countValidation(rounds, probeKey(settings), policies, { multiplicity: settings.multiplicity });
  const ratios = counts.detection.probe
    .map((c) => c.ratio)
    .filter((r): r is number => r !== null)
    .sort((a, b) => a - b);
  const measuredEffect = ratios.length ? (ratios[Math.floor((ratios.length - 1) / 2)] as number) : Number.NaN;
  const markdown = renderValidation(counts, settings, { ...context, measuredEffect });
  const met = targetsMet(counts);
  const json = {
    command: context.command,
    settings,
    injected: context.injected,
    calibrated_p50_ms: context.calibratedP50,
    machine_class: context.machine,
    load_start: context.loadStart,
    load_end: context.loadEnd,
    minutes: context.minutes,
    ...extra,
    targets_met: met,
    counts,
  };
  return { counts, markdown, json, exitCode: met.falseAlarms && met.detections ? 0 : 1 };
}
