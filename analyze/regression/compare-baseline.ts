/**
 * `--baseline BASE.csv HEAD.csv`: base and head measured in one job on one runner, ideally in
 * interleaved rounds (base, head, head, base…), so both arms see the same neighbours and the same
 * disk. Each series is judged by its policy:
 * - timing: a regression is a worsening of the figure larger than the policy's minimum effect AND
 *   significant: the interval of the ratio lies wholly on the worse side of 1. A median measured in
 *   ≥ 6 interleaved rounds per arm (as many in both, paired in run order) is judged by the paired
 *   Hodges-Lehmann interval of the per-round differences (paired.ts), which cancels what a round's
 *   load did to both arms. Anything else (a p95, arms that do not pair up) by the bootstrap interval
 *   (bootstrap.ts), widened to the run-level Welch interval (run-level.ts) when both arms have
 *   several runs.
 * - a timing change needs a measured run-to-run variance: with a single run in either arm, the
 *   intervals above see only the noise within a run, while whole runs of unchanged code shift by far
 *   more (about 15% in log p50 against 1.6% within a run on the development machine), so a change
 *   beyond the minimum effect is reported as unconfirmed, to be re-measured interleaved, and never
 *   fails. "Unchanged" from single runs stands, with its interval marked as within-run only.
 * - the timing series of one comparison are judged together (`multiplicity`): each interval at
 *   1 − (1 − confidence)/m for m gated timing series (Bonferroni), so that all m hold together at
 *   `confidence`. A gate with dozens of series at 95% each would otherwise expect a false alarm on
 *   most identical runs, however good each test is.
 * - correctness: any worsening is a regression; no interval, no minimum.
 */
import { PRIMARY_ENGINE, type ResultRow } from '../../core/schema.js';
import { bootstrapQuantileRatio, DEFAULT_BOOTSTRAP, mean, quantileOf } from '../../core/stats.js';
import type { Finding } from './finding.js';
import { confidenceText, formatFigure, percentChange } from './format.js';
import { groupByKey, keyId, keyLabel, strataOf, type SeriesKey } from './keys.js';
import { policyRows, worsening, type MetricPolicy } from './policy.js';
import { pairedRatioInterval } from './paired.js';
import { sequentialBoundary, sequentialPairedInterval, type SequentialDesign } from './sequential.js';
import { hashSeed } from './random.js';
import { runLogQuantiles, welchRatioInterval } from './run-level.js';

export interface BaselineOptions {
  confidence: number;
  replicates: number;
  /** Fewer raw samples than this in either arm: insufficient data. */
  minSamples: number;
  /** Mixed into every series' seed; 0 by default so a CSV pair always gives the same verdict. */
  seed: number;
  /**
   * No verdict when the interval's upper bound is more than this many times its lower bound. Such
   * an interval means the runner swung between runs by more than the samples can pin down (whole
   * runs 2× slower than their neighbours), and the bootstrap, which sees only the few runs it has,
   * then understates how unsure it is. Calling that a regression or an improvement would be crying
   * wolf; it is reported as too noisy instead — never a pass. The paired interval is exact whatever
   * its spread (under no change the two arms of a round are exchangeable, so each difference is as
   * likely negative as positive), so one wholly on one side of 1 keeps its verdict; a wide one that
   * includes 1 is still too noisy, never "unchanged".
   */
  maxIntervalSpread: number;
  /**
   * paired: a median in arms of as many runs, ≥ 6, is judged paired (paired.ts); everything else as
   * welch. welch: with ≥ 2 runs in each arm, also require the run-level Welch interval (run-level.ts)
   * to agree with the bootstrap: the interval judged is the union of both. off: the bootstrap alone.
   * welch and off exist to measure what the others buy.
   */
  runLevel: 'paired' | 'welch' | 'off';
  /**
   * bonferroni: `confidence` is the family-wise level of all gated timing series of the comparison
   * (each interval at 1 − (1 − confidence)/m). none: each series at `confidence` on its own, which
   * exists to measure what the correction buys (validate-gate --multiplicity none).
   */
  multiplicity: 'bonferroni' | 'none';
  /**
   * `compare`'s repeated looks: each paired series (p50 and p95 alike, arms of as many runs) is
   * judged by the interval of sequential.ts at the family's per-series level over every look up to
   * the horizon, instead of the fixed-n interval, so stopping when it is decided keeps its error.
   * `family` is the number of series planned before the first look: the share each series gets
   * stays that of the plan, even at a look where fewer of them have data yet.
   */
  sequential?: SequentialLooks;
}

/** compare's looks as the analyzer judges them: the boundary's design and the family fixed in advance. */
export type SequentialLooks = Pick<SequentialDesign, 'horizon' | 'lookEvery'> & { family: number };

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = {
  confidence: DEFAULT_BOOTSTRAP.confidence,
  replicates: DEFAULT_BOOTSTRAP.replicates,
  minSamples: 5,
  seed: 0,
  maxIntervalSpread: 2,
  runLevel: 'paired',
  multiplicity: 'bonferroni',
};

function baseFinding(
  key: SeriesKey,
  policy: MetricPolicy,
): Pick<Finding, 'id' | 'key' | 'label' | 'policy' | 'against'> {
  return {
    id: keyId(key),
    key,
    label: keyLabel(key, policy, key.engine !== '' && key.engine !== PRIMARY_ENGINE),
    policy,
    against: 'baseline',
  };
}

function intervalText(lower: number, upper: number, confidence: number): string {
  return `${confidenceText(confidence)} CI ${percentChange(lower)}..${percentChange(upper)}`;
}

/**
 * Where an interval of "how much worse" (ratio scale, > 1 is worse) stands against a minimum effect:
 * past it (the whole interval worse by more than it), harmless (the whole interval below it), or
 * not yet either. This is what `compare` stops on.
 */
export type TimingDecision = 'regressed' | 'harmless' | 'undecided';

export function timingDecision(
  policy: Pick<MetricPolicy, 'direction' | 'minEffect'>,
  lower: number,
  upper: number,
): TimingDecision {
  const [worseLow, worseHigh] = policy.direction === 'lower_is_better' ? [lower, upper] : [1 / upper, 1 / lower];
  const limit = 1 + policy.minEffect;
  if (worseLow > limit) return 'regressed';
  if (worseHigh < limit) return 'harmless';
  return 'undecided';
}

/**
 * Two rules, each with words that say exactly what its interval showed:
 * - `interval` (compare's sequential looks): a regression is an interval wholly past the minimum
 *   effect. A comparison that stops when it is decided must not stop on a change the data cannot tell
 *   from +1%; until the interval is past the minimum, the series is undecided.
 * - `estimate` (a fixed number of rounds judged once: analyze --baseline, the PR workflow,
 *   validate-gate): a regression is significant (the interval excludes no change) with its estimate
 *   past the minimum effect, the rule validate-gate calibrated. When the interval's low end is not
 *   past the minimum as well, the words say so instead of claiming it.
 */
export type TimingRule = 'interval' | 'estimate';

export function judgeTiming(
  policy: MetricPolicy,
  ratio: number,
  lower: number,
  upper: number,
  rule: TimingRule = 'estimate',
): { status: Finding['status']; why: string } {
  const worse = worsening(policy, ratio);
  const [worseLow, worseHigh] = policy.direction === 'lower_is_better' ? [lower, upper] : [1 / upper, 1 / lower];
  const limit = 1 + policy.minEffect;
  const minimum = `${Math.round(policy.minEffect * 100)}% minimum effect`;
  if (worseLow > limit)
    return { status: 'regression', why: `worse by more than the ${minimum}: the whole interval is past it` };
  if (worseHigh < 1 / limit)
    return { status: 'improvement', why: `better by more than the ${minimum}: the whole interval is past it` };
  if (rule === 'estimate' && worse >= limit && worseLow > 1)
    return {
      status: 'regression',
      why: `significantly worse, and the estimate is past the ${minimum} (the interval's low end is not)`,
    };
  if (rule === 'estimate' && worse <= 1 / limit && worseHigh < 1)
    return {
      status: 'improvement',
      why: `significantly better, and the estimate is past the ${minimum} (the interval's high end is not)`,
    };
  if (worseLow > 1 && worseHigh >= limit)
    return { status: 'unchanged', why: `worse, but not yet shown past the ${minimum}` };
  if (worseHigh < 1 && worseLow <= 1 / limit)
    return { status: 'unchanged', why: `better, but not yet shown past the ${minimum}` };
  if (worseLow > 1 || worseHigh < 1) return { status: 'unchanged', why: `significant, but within the ${minimum}` };
  if (worse >= limit || worseHigh >= limit)
    return { status: 'unchanged', why: `not significant, and the interval still reaches past the ${minimum}` };
  return { status: 'unchanged', why: `within the ${minimum} and not significant` };
}

interface TimingInterval {
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  /** Which test gave the interval, for the finding's evidence. */
  test: string;
  /** Its coverage holds whatever the spread (the paired test); the bootstrap's does not. */
  exact: boolean;
}

/**
 * The interval a timing series is judged by (see the header). A median measured in ≥ 6 interleaved
 * rounds per arm is judged paired: a round's shared load moves both arms' medians alike and cancels
 * in the per-round difference, which the unpaired tests count twice. A tail quantile (p95) is made
 * by brief events inside one run, which pairing does not cancel (judged paired, an A/A comparison in
 * validate-gate's kept runs called a reference p95 +63%), so it keeps the unpaired rule, as does
 * anything that does not pair up.
 */
function timingInterval(
  baseStrata: number[][],
  headStrata: number[][],
  quantile: number,
  options: BaselineOptions,
  seed: number,
  sameRounds = true,
): TimingInterval | undefined {
  const [baseLogs, headLogs] = [runLogQuantiles(baseStrata, quantile), runLogQuantiles(headStrata, quantile)];
  if (options.sequential)
    return sequentialInterval(
      baseLogs,
      headLogs,
      sameRounds && baseLogs.length === baseStrata.length && headLogs.length === headStrata.length,
      options.sequential,
      options.confidence,
    );
  const pairs =
    options.runLevel === 'paired' &&
    quantile === 50 &&
    baseLogs.length === baseStrata.length &&
    headLogs.length === headStrata.length;
  const paired = pairs ? pairedRatioInterval(baseLogs, headLogs, options.confidence) : undefined;
  if (paired) {
    return {
      estimate: paired.estimate,
      lower: paired.lower,
      upper: paired.upper,
      confidence: options.confidence,
      exact: true,
      test:
        `paired over ${paired.pairs} interleaved rounds (Hodges-Lehmann, exact ` +
        `coverage ${(paired.coverage * 100).toFixed(1)}%)`,
    };
  }
  const boot = bootstrapQuantileRatio(baseStrata, headStrata, {
    quantile,
    confidence: options.confidence,
    replicates: options.replicates,
    seed,
  });
  const runs = options.runLevel === 'off' ? undefined : welchRatioInterval(baseLogs, headLogs, options.confidence);
  if (!runs) return { ...boot, exact: false, test: 'bootstrap of the samples' };
  return {
    estimate: boot.estimate,
    lower: Math.min(boot.lower, runs.lower),
    upper: Math.max(boot.upper, runs.upper),
    confidence: boot.confidence,
    exact: false,
    test: 'bootstrap of the samples ∪ Welch over the runs (unpaired)',
  };
}

/** A look of `compare`: the sequential paired interval, or none yet (too few rounds for its level). */
function sequentialInterval(
  baseLogs: number[],
  headLogs: number[],
  sameRuns: boolean,
  design: SequentialLooks,
  confidence: number,
): TimingInterval | undefined {
  if (!sameRuns || baseLogs.length !== headLogs.length) return undefined;
  const boundary = sequentialBoundary({ horizon: design.horizon, lookEvery: design.lookEvery, confidence });
  const paired = sequentialPairedInterval(baseLogs, headLogs, boundary);
  if (!paired) return undefined;
  return {
    estimate: paired.estimate,
    lower: paired.lower,
    upper: paired.upper,
    confidence,
    exact: true,
    test:
      `paired over ${paired.pairs} interleaved rounds, valid at every look up ` +
      `to round ${boundary.horizon} (sequential Hodges-Lehmann, each look at ${confidenceText(paired.coverage)})`,
  };
}

interface TimingSeries {
  key: SeriesKey;
  quantile: number;
  baseStrata: number[][];
  headStrata: number[][];
  /** Both arms hold the same runs (a comparison's rounds: one run id per round, shared by its arms). */
  sameRounds: boolean;
  evidence: string;
  reference: number;
  current: number;
}

/** A series to judge, or the finding of one that cannot be judged. */
type PreparedSeries = { series: TimingSeries } | { unjudged: Finding };

/** Pairs a timing policy's series across the arms, in id order. */
function timingSeries(
  base: readonly ResultRow[],
  head: readonly ResultRow[],
  policy: MetricPolicy,
  options: BaselineOptions,
): PreparedSeries[] {
  const samples = policy.samples;
  const result: PreparedSeries[] = [];
  if (!samples) return result;
  const baseGroups = groupByKey(base, policy.suite, samples.metric, true, policy.metric);
  const headGroups = groupByKey(head, policy.suite, samples.metric, true, policy.metric);
  for (const id of [...new Set([...baseGroups.keys(), ...headGroups.keys()])].sort()) {
    const b = baseGroups.get(id);
    const h = headGroups.get(id);
    const key = (h ?? b)?.key as SeriesKey;
    const common = baseFinding(key, policy);
    if (!b || !h) {
      result.push({
        unjudged: {
          ...common,
          reference: b ? quantileOf(strataOf(b.rows), samples.quantile) : null,
          current: h ? quantileOf(strataOf(h.rows), samples.quantile) : null,
          ratio: null,
          evidence: b
            ? `${b.rows.length} base samples, none in head`
            : `${h?.rows.length ?? 0} head samples, none in base`,
          status: 'insufficient_data',
          reason: b ? 'not measured in head' : 'new in head: nothing to compare with',
        },
      });
      continue;
    }
    const [baseStrata, headStrata] = [strataOf(b.rows), strataOf(h.rows)];
    const sampleCounts = `${b.rows.length} base / ${h.rows.length} head samples`;
    const evidence = `${sampleCounts} in ${baseStrata.length} / ${headStrata.length} runs`;
    const reference = quantileOf(baseStrata, samples.quantile);
    const current = quantileOf(headStrata, samples.quantile);
    if (b.rows.length < options.minSamples || h.rows.length < options.minSamples || !(reference > 0)) {
      result.push({
        unjudged: {
          ...common,
          reference,
          current,
          ratio: reference > 0 ? current / reference : null,
          evidence,
          status: 'insufficient_data',
          reason: !(reference > 0)
            ? 'base figure is not positive'
            : `fewer than ${options.minSamples} samples in an arm`,
        },
      });
      continue;
    }
    const runIds = (rows: readonly ResultRow[]) => [...new Set(rows.map((row) => row.run_id))].sort().join('\0');
    result.push({
      series: {
        key,
        quantile: samples.quantile,
        baseStrata,
        headStrata,
        sameRounds: runIds(b.rows) === runIds(h.rows),
        evidence,
        reference,
        current,
      },
    });
  }
  return result;
}

/**
 * Whether the arms measured how far whole runs move on their own: the run-level Welch interval needs
 * two runs in each arm. Without that, the bootstrap resamples within the single run and its interval
 * is only as wide as the within-run noise, which on a shared runner is a tenth of the run-to-run
 * shift of unchanged code: two separate runs of one writer read as a significant +13%.
 */
function singleRunText(baseRuns: number, headRuns: number): string | undefined {
  if (baseRuns >= 2 && headRuns >= 2) return undefined;
  if (baseRuns < 2 && headRuns < 2) return 'one run per arm';
  return baseRuns < 2 ? 'a single base run' : 'a single head run';
}

function judgeTimingSeries(
  series: TimingSeries,
  policy: MetricPolicy,
  options: BaselineOptions,
  family: string,
): Finding {
  const interval = timingInterval(
    series.baseStrata,
    series.headStrata,
    series.quantile,
    options,
    hashSeed(keyId(series.key), options.seed),
    series.sameRounds,
  );
  if (!interval) {
    const first = options.sequential
      ? sequentialBoundary({ ...options.sequential, confidence: options.confidence }).firstDecision
      : undefined;
    // Pairs are rounds: an arm missing a round (or with no positive figure in it) cannot be paired by position.
    const why = !series.sameRounds
      ? 'base and head were not measured in the same rounds, so the rounds cannot be paired'
      : first
        ? `too few rounds yet: the first interval at this level needs ${first} paired rounds`
        : 'no paired interval reaches this level within the rounds allowed';
    return {
      ...baseFinding(series.key, policy),
      reference: series.reference,
      current: series.current,
      ratio: series.current / series.reference,
      runs: { base: series.baseStrata.length, head: series.headStrata.length },
      evidence: `${series.evidence}${family}`,
      status: 'insufficient_data',
      reason: why,
    };
  }
  const spread = interval.upper / interval.lower;
  const judged = judgeTiming(
    policy,
    interval.estimate,
    interval.lower,
    interval.upper,
    options.sequential ? 'interval' : 'estimate',
  );
  // The spread rule guards intervals whose coverage depends on it; a sequential one holds at any
  // spread, and when it is wide the series simply stays undecided until the rounds run out.
  const keepsVerdict = interval.exact && (judged.status === 'regression' || judged.status === 'improvement');
  const single = singleRunText(series.baseStrata.length, series.headStrata.length);
  const { status, why } =
    spread > options.maxIntervalSpread && !keepsVerdict && !options.sequential
      ? {
          status: 'too_noisy' as const,
          why:
            `too noisy to judge: the interval spans ×${spread.toFixed(1)} (more than ` +
            `×${options.maxIntervalSpread}); re-run on a steadier runner or with more rounds`,
        }
      : single && (judged.status === 'regression' || judged.status === 'improvement')
        ? {
            status: 'unconfirmed' as const,
            why:
              `unconfirmed — re-measure interleaved: ${judged.status === 'regression' ? 'worse' : 'better'} by ` +
              `more than the ${Math.round(policy.minEffect * 100)}% minimum effect within ` +
              `the runs, but ${single} cannot show how far whole runs move on their own ` +
              `(often further than this); measure base and head in several interleaved ` +
              `rounds to judge it`,
          }
        : single
          ? {
              status: judged.status,
              why: `${judged.why}; from ${single}, so the interval leaves out run-to-run variance`,
            }
          : judged;
  const range = intervalText(interval.lower, interval.upper, interval.confidence);
  return {
    ...baseFinding(series.key, policy),
    reference: series.reference,
    current: series.current,
    ratio: interval.estimate,
    interval: { lower: interval.lower, upper: interval.upper, confidence: interval.confidence },
    runs: { base: series.baseStrata.length, head: series.headStrata.length },
    evidence: `${series.evidence}; ${interval.test}${family}`,
    status,
    reason: `${policy.label} ${percentChange(interval.estimate)} (${single ? 'within-run ' : ''}${range}): ${why}`,
  };
}

/** Correctness: any worsening of the figure is a regression. */
export function judgeCorrectness(
  policy: MetricPolicy,
  reference: number,
  current: number,
): { status: Finding['status']; why: string } {
  const worse = policy.direction === 'lower_is_better' ? current > reference : current < reference;
  const better = policy.direction === 'lower_is_better' ? current < reference : current > reference;
  const change = `${formatFigure(reference)} → ${formatFigure(current)}`;
  if (worse) return { status: 'regression', why: `${change}: worse, and correctness has no noise allowance` };
  if (better) return { status: 'improvement', why: `${change}: better` };
  return { status: 'unchanged', why: `${change}` };
}

function compareCorrectness(base: readonly ResultRow[], head: readonly ResultRow[], policy: MetricPolicy): Finding[] {
  const baseGroups = groupByKey(base, policy.suite, policy.metric, undefined);
  const headGroups = groupByKey(head, policy.suite, policy.metric, undefined);
  const findings: Finding[] = [];
  for (const id of [...new Set([...baseGroups.keys(), ...headGroups.keys()])].sort()) {
    const b = baseGroups.get(id);
    const h = headGroups.get(id);
    const key = (h ?? b)?.key as SeriesKey;
    const reference = b ? mean(b.rows.map((row) => row.value as number)) : null;
    const current = h ? mean(h.rows.map((row) => row.value as number)) : null;
    const common = baseFinding(key, policy);
    const evidence = `${b?.rows.length ?? 0} base / ${h?.rows.length ?? 0} head rows`;
    if (reference === null || current === null) {
      findings.push({
        ...common,
        reference,
        current,
        ratio: null,
        evidence,
        status: 'insufficient_data',
        reason: reference === null ? 'new in head: nothing to compare with' : 'not measured in head',
      });
      continue;
    }
    const { status, why } = judgeCorrectness(policy, reference, current);
    findings.push({
      ...common,
      reference,
      current,
      ratio: reference !== 0 ? current / reference : null,
      evidence,
      status,
      reason: `${policy.label} ${why}`,
    });
  }
  return findings;
}

export function compareBaseline(
  base: readonly ResultRow[],
  head: readonly ResultRow[],
  policies: readonly MetricPolicy[],
  options: Partial<BaselineOptions> = {},
): Finding[] {
  const settings = { ...DEFAULT_BASELINE_OPTIONS, ...options };
  const timing = new Map(
    policies
      .filter((policy) => policy.kind === 'timing')
      .map(
        (policy) =>
          [policy, timingSeries(policyRows(policy, base), policyRows(policy, head), policy, settings)] as const,
      ),
  );
  const counted = [...timing].reduce(
    (sum, [policy, prepared]) => sum + (policy.gate ? prepared.filter((entry) => 'series' in entry).length : 0),
    0,
  );
  // Repeated looks keep the planned family: a share that grew when a series had no data yet would spend error the plan
  // did not allow.
  const familySize = Math.max(counted, settings.sequential?.family ?? 0);
  const corrected = settings.multiplicity === 'bonferroni' && familySize > 1;
  const seriesSettings = corrected ? { ...settings, confidence: 1 - (1 - settings.confidence) / familySize } : settings;
  const family = corrected
    ? `; Bonferroni over the comparison's ${familySize} gated timing series: ` +
      `each interval at ${confidenceText(seriesSettings.confidence)}, all together ` +
      `at ${confidenceText(settings.confidence)}`
    : '';
  return policies.flatMap((policy) => {
    const prepared = timing.get(policy);
    if (!prepared) return compareCorrectness(policyRows(policy, base), policyRows(policy, head), policy);
    return prepared.map((entry) =>
      'series' in entry ? judgeTimingSeries(entry.series, policy, seriesSettings, family) : entry.unjudged,
    );
  });
}
