import type { ResultRow, SuiteName } from '../core/schema.js';
import type { Phrase } from './phrase.js';

/** A suite that produces measurement rows (the environment is not gated). */
export type GatedSuite = Exclude<SuiteName, 'env'>;

/**
 * One gate-able number, keyed like a row: what a section derives from its suite's rows (bench turns
 * latency samples into p50s; crash and parity can use their rate rows as they are).
 */
export interface Figure {
  scenario: string;
  subject: string;
  mode: string;
  size_bytes: number | null;
  metric: string;
  /** null: the suite says it could not measure this (e.g. a fault point not reached); see `note`. */
  value: number | null;
  /** Shown beside the figure, e.g. "net of 31.2 ms spawn overhead" or why value is null. */
  note?: string;
  /** A documented, accepted difference (parity known-differences): a failing instance is `known`, not `fail`. */
  known?: string;
  /**
   * The suite could not judge this figure, and why (its trace does not show how the writer reached
   * its files): the instance is `not_judged`, never a pass, never a fail.
   */
  notJudged?: string;
  /**
   * The value only bounds from above what the gate means (a gross p50 whose net of the spawn cost is not
   * measurable), and this says why. It can pass a gate that sets an upper limit (`<`, `<=`; divided by an
   * exact figure), never fail one: what it cannot pass is `not_judged` with this reason.
   */
  upperBoundOnly?: string;
  /**
   * The value is a latency net of a floor timed beside it in the same pass (hook: a no-op on the
   * hook's own runtime): the instance is not judged, too noisy, when the floor says the machine was
   * too loaded to tell (analyze/gates/floor.ts), never a pass or a fail.
   */
  floor?: LatencyFloor;
  /**
   * What in the subject's own rows explains a failing figure, in writegate's words (a section maps what
   * its rows show onto its own vocabulary, never copies the input's text), e.g. "its trace shows no
   * fsync of the directory after the rename". The report's why-lines show it beside the failure.
   */
  cause?: string;
}

/** A floor's own figures, beside a latency judged net of it. */
export interface LatencyFloor {
  p50: number;
  p95: number;
  /** The runtime the floor is a no-op of, as its rows name it: `node`, `python`, `shell`, `ruby`, … */
  runtime: string;
}

export type Comparison = '<' | '<=' | '==' | '>=' | '>';

/**
 * How figures are displayed. `fraction` values are 0..1 and shown as percentages; thresholds use the
 * same scale as the figure (a 100% recovery gate on a fraction is `== 1`).
 */
export type GateUnit = 'ms' | 'x' | 'fraction' | 'percent' | 'count' | 'MiB/s' | '';

/** Which figures a gate looks at. Every matching figure is one gate instance. */
export interface GateSelector {
  scenario?: readonly string[];
  /** Only these subjects (writers, wrappers). Default: every subject in the data. */
  subjects?: readonly string[];
  /** Never these subjects (baselines, or writers that do not claim the gated behaviour). */
  excludeSubjects?: readonly string[];
  mode?: readonly string[];
  /**
   * These sizes. Listed sizes are expected: a subject in scope with no figure at a listed size gets a
   * visible `no_data` instance instead of silently dropping out.
   */
  sizes?: readonly number[];
}

/**
 * The figure is divided by the figure with the same key except these fields, e.g.
 * `{ subject: 'reference' }` (ratio to the reference writer) or `{ mode: 'durable' }`.
 */
export type RelativeTo = Partial<Pick<Figure, 'scenario' | 'subject' | 'mode'>>;

/** A gate is data: what it checks, against what, and where the threshold comes from. */
export interface GateSpec {
  /** Stable id, `<suite>.<name>`; a thresholds file refers to gates by it. */
  id: string;
  suite: GatedSuite;
  /** A few words for the gate table, e.g. "durable p50 vs reference". */
  title: string;
  metric: string;
  selector: GateSelector;
  relativeTo?: RelativeTo;
  comparison: Comparison;
  threshold: number;
  unit: GateUnit;
  /** For a relative gate (unit `x`): the unit of the two figures divided, for display. */
  baseUnit?: GateUnit;
  /**
   * Where the threshold comes from, in plain words, e.g. "default target: durable safety costs at most 25% over a safe
   * baseline".
   */
  source: string;
  /** One or two sentences: what the gate means and why its scope is what it is. */
  description: string;
  /**
   * No figure of this metric at all means the part of the suite that makes it did not run (hook: no
   * --audit, or only --audit): the gate is left out instead of reported as no data. A figure whose
   * value is empty is still reported as no data.
   */
  leftOutWhenNotRun?: boolean;
  /**
   * Not gated on these fresh file systems (a partition's `fs`, README-sections.md): the gate is left
   * out there, and the section shows the figure and says why (`reason`, one plain sentence).
   */
  notGatedOn?: { fs: readonly string[]; reason: string };
  /**
   * The gate judges something the user configures (a checker, a hook, a file system to image). When
   * nothing of it is in the input, the gate is listed once under "Not configured" with this, instead of
   * as no data: with `leftOutWhenNotRun`, whenever its metric is absent; otherwise only when the part of
   * the suite that would use it ran (a figure of `ranWith` is present), so a run that did not get that
   * far still shows no data.
   */
  configuredBy?: ConfiguredBy;
}

/** What enables a gate that needs the user's configuration (GateSpec.configuredBy). */
export interface ConfiguredBy {
  /** The option that enables it, as typed, e.g. `--crash-checker <command>`. */
  option: string;
  /** What it gives the gate, in a few plain words, e.g. "your own consistency check of every power-loss state". */
  what: string;
  /** A metric whose figures show the part of the suite that would use the option ran. */
  ranWith?: string;
}

/**
 * pass / fail: evaluated. known: failed, but excused by a documented known difference. no_data: the
 * input holds nothing to evaluate (never a pass; never fails the verdict). not_judged: the suite saw
 * the subject but could not judge it, for a stated reason (never a pass; fails the verdict only with
 * --require-judged). disabled: switched off by a thresholds file, with its reason.
 */
export type GateStatus = 'pass' | 'fail' | 'known' | 'no_data' | 'not_judged' | 'disabled';

/** One evaluated gate instance (a gate over several subjects and sizes has one per figure). */
export interface GateResult {
  id: string;
  suite: GatedSuite;
  title: string;
  description: string;
  /** Which figure this instance judged, e.g. "atomically · 128 KiB"; empty for a gate-wide row. */
  instance: string;
  scenario?: string;
  subject?: string;
  mode?: string;
  size_bytes?: number | null;
  metric: string;
  figure: number | null;
  /** The figure as shown in the report, e.g. "1.31× (3.10 / 2.37 ms)". */
  figureText: string;
  /** The threshold as shown, e.g. "≤ 1.25× reference". */
  threshold: string;
  comparison: Comparison;
  thresholdValue: number;
  unit: GateUnit;
  /** Where the threshold comes from; names the thresholds file when it overrides the default. */
  source: string;
  status: GateStatus;
  /** Why, after the instance: writegate's words and the input's pieces apart (RESULTS.md renders them). */
  reason: Phrase;
  /** The instance and the reason as one line of text (--json, stderr): `detailText(instance, reason)`. */
  detail: string;
  /** not_judged (or failed under --require-judged): why the suite could not judge it. */
  notJudged?: string;
  /**
   * The file system the instance's rows were made on, when its suite's rows span several (`--fs`):
   * a fresh one's name, or '' for the workspace's own. The instance then ends "on xfs".
   */
  fs?: string;
  /** Figure.cause of the judged figure: what in the subject's rows explains a failure, in writegate's words. */
  cause?: string;
  /**
   * Under a comparison, a failing instance the base could not be judged on (comparison/base-failures.ts):
   * why. Nothing then shows the change caused the failure, so the comparison does not count it as such.
   */
  baseNotJudged?: string;
}

/** Everything the inputs held, merged across shards. */
export interface Dataset {
  rows: readonly ResultRow[];
  /** Files read, in order (duplicates of the same path removed). */
  sources: readonly string[];
  /**
   * Things the reader should know about the inputs themselves (duplicates dropped, mixed machines), as
   * Markdown for RESULTS.md: file names, run ids and machine classes in them went through untrusted().
   */
  notes: string[];
}
