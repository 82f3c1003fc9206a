import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { pairMismatch } from '../core/results-pair.js';
import { OutputCommit } from '../core/out-commit.js';
import { evaluateGate, REQUIRED_JUDGMENT, type EffectiveGate } from './gates/evaluate.js';
import { loadDataset } from './load.js';
import { publishToCi } from './report/ci.js';
import { environmentSection } from './report/environment.js';
import { countStatuses, gateDefinitions, gateTable } from './report/gate-table.js';
import { blocks, untrusted } from './report/markdown.js';
import { formatSize } from './format.js';
import type { PreparedSection, SuiteSection } from './section.js';
import { GATED_SUITES, SECTIONS, sectionFor } from './sections/index.js';
import { applyThresholds, loadThresholds, type ThresholdsFile } from './thresholds.js';
import type { KnownDifference } from './sections/parity-known.js';
import { loadPolicies, type MetricPolicy } from './regression/policy.js';
import { regressionGates } from './trend/gates.js';
import { trendJson } from './trend/json.js';
import { renderTrendSection } from './trend/markdown.js';
import { prepareTrend, type PreparedTrend } from './trend/prepare.js';
import { RESULTS_CSV, RESULTS_MD, TREND_JSON, type ResultRow } from '../core/schema.js';
import { baseOutcomesOf, markAgainstBase, type BaseOutcomes } from './comparison/base-failures.js';
import { judgeComparison, type ComparisonContext, type ComparisonVerdict } from './comparison/judge.js';
import { renderComparison } from './comparison/render.js';
import { roundRatios, type RoundRatios } from './comparison/rounds.js';
import { comparedRows } from './comparison/stopping.js';
import type { Dataset, GatedSuite, GateResult, GateStatus } from './types.js';
import { detailText } from './phrase.js';
import { headingSuffix, notGatedHere, onFileSystem, onPartition, partitionByFs, retitle } from './partition.js';
import { configuredOnly, notConfiguredBlock, notConfiguredOf, type NotConfigured } from './not-configured.js';
import { whyBlock } from './report/why.js';

/** The file names are the CSV contract's (core/schema.ts); re-exported for analyze's callers. */
export { RESULTS_CSV, RESULTS_MD, TREND_JSON };

export interface AnalyzeOptions {
  /** Results CSVs; several (shards) are merged. */
  inputs: readonly string[];
  /** Where RESULTS.md is written. */
  outDir: string;
  /** The thresholds file's name; read here unless `thresholds` carries it already parsed. */
  thresholdsFile?: string;
  /** The thresholds file as preflightAnalyzeInputs parsed it (the CLI parses it once, before measuring). */
  thresholds?: ThresholdsFile;
  knownDifferencesFile?: string;
  /** The known-differences file as preflightAnalyzeInputs parsed it; read from the file here otherwise. */
  knownDifferences?: readonly KnownDifference[];
  /** Evaluate only these suites' gates (e.g. parity for --readiness). Default: every suite present. */
  suites?: readonly GatedSuite[];
  /** stdout carries --json: CI annotations then go to stderr. */
  json?: boolean;
  /** Defaults to $GITHUB_STEP_SUMMARY; null turns CI publishing off (tests). */
  githubStepSummary?: string | null;
  /** Section registry; tests pass their own. */
  sections?: readonly SuiteSection[];
  /** Results of the base commit measured in the same job: the inputs are judged against them (analyze/trend). */
  baselineInputs?: readonly string[];
  /** History folder: judge the inputs against earlier runs on the same machine class, then append them. */
  historyDir?: string;
  /** Earlier runs judged against (default 20). */
  historyWindow?: number;
  /** false: judge against the history without appending this run. */
  historyAppend?: boolean;
  /** A re-measure of the regressions suspected against the history. */
  remeasureInputs?: readonly string[];
  /** Per-metric minimum effects and report-only switches (analyze/regression/policy.ts). */
  regressionPolicyFile?: string;
  /** A gate instance the suite could not judge fails instead of standing apart (--require-judged). */
  requireJudged?: boolean;
  /**
   * The command's commit: the report (and trend.json, and the history entry) are staged in it and
   * written when the command commits everything at once. Without it, analyze commits its own.
   */
  commit?: OutputCommit;
  /** How each input is named in the report, when it is read from somewhere else until the commit (a staged CSV). */
  inputNames?: readonly string[];
  /** The same for `baselineInputs`. */
  baselineNames?: readonly string[];
  /**
   * `writegate compare`: the inputs are the head's rounds and `baselineInputs` the base's. Only these
   * subjects are judged for regressions, a gate the base fails too is known on the head, and the
   * verdict is the comparison's (analyze/comparison).
   */
  comparison?: ComparisonContext;
}

export interface AnalyzeOutcome {
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1;
  reportPath: string;
  gates: GateResult[];
  counts: Record<GateStatus, number>;
  /** Suites whose gates were evaluated, and suites with no rows in the input. */
  suites: { analyzed: GatedSuite[]; absent: GatedSuite[] };
  inputs: readonly string[];
  /** Per-suite extras from the sections, for --json; `trend`: the regression verdicts per series. */
  sections: Partial<Record<GatedSuite | 'trend', Record<string, unknown>>>;
  /** With `comparison`: its verdict, which then sets the exit code. */
  comparison?: ComparisonVerdict;
  /**
   * What could not be judged, once per subject, size and reason (the not_judged instances, or failures under
   * --require-judged).
   */
  notJudged: NotJudged[];
  /** Options the run was not given, and the gates they would enable (not-configured.ts); not gate instances. */
  notConfigured?: NotConfigured[];
}

/** A subject at a size that a suite could not judge, the gates it left unjudged, and why. */
export interface NotJudged {
  suite: GatedSuite;
  subject: string;
  size_bytes: number | null;
  reason: string;
  gates: string[];
  /** The file system, when the suite's rows span several (GateResult.fs). */
  fs?: string;
}

/** The not-judged instances grouped by subject, size and reason. */
export function notJudgedOf(gates: readonly GateResult[]): NotJudged[] {
  const byKey = new Map<string, NotJudged>();
  for (const gate of gates) {
    if (gate.notJudged === undefined) continue;
    const key = JSON.stringify([gate.suite, gate.subject, gate.size_bytes, gate.notJudged, gate.fs ?? null]);
    const entry: NotJudged = byKey.get(key) ?? {
      suite: gate.suite,
      subject: gate.subject ?? '',
      size_bytes: gate.size_bytes ?? null,
      reason: gate.notJudged,
      gates: [],
      ...(gate.fs === undefined ? {} : { fs: gate.fs }),
    };
    if (!entry.gates.includes(gate.id)) entry.gates.push(gate.id);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** "io-uring · 128 KiB" ("io-uring · 128 KiB · on xfs" when the suite ran on several file systems) */
export function notJudgedLabel(entry: NotJudged): string {
  return [
    entry.subject,
    entry.size_bytes === null ? '' : formatSize(entry.size_bytes),
    entry.fs === undefined ? '' : onFileSystem(entry.fs),
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * " (2 gates)" when one reason left several gates of a writer and size unjudged (the counts line counts their
 * instances).
 */
export function notJudgedGates(entry: NotJudged): string {
  return entry.gates.length > 1 ? ` (${entry.gates.length} gates)` : '';
}

/** A suite's section prepared on the rows of one file system (analyze/partition.ts). */
interface PreparedPart {
  section: SuiteSection;
  prepared: PreparedSection;
  /** The file system of the part's rows ('' = the workspace's own). */
  fs: string;
  /** The suite's rows span several file systems: this part's gate instances name its own. */
  split: boolean;
  /** What the section heading adds (Markdown), when it names the file system. */
  heading?: string;
}

interface Prepared {
  dataset: Dataset;
  gates: EffectiveGate[];
  /** Every suite's gates after the thresholds file, analyzed or not (for what a run was not configured to run). */
  allGates: EffectiveGate[];
  analyzed: GatedSuite[];
  absent: GatedSuite[];
  /** Per analyzed suite, one part per file system its rows were made on (one, usually), in report order. */
  sections: PreparedPart[];
  trend?: PreparedTrend;
  /** The base's rows (the trend's baseline), for a comparison's per-round figures. */
  baseline?: readonly ResultRow[];
  policies: readonly MetricPolicy[];
}

/**
 * A results CSV whose results_env.txt names another run (a kill between the two commits,
 * core/results-pair.ts): flagged on stderr and in the report, and the CSV's own env rows are used.
 */
function pairNotes(inputs: readonly string[]): string[] {
  const notes: string[] = [];
  for (const input of inputs) {
    if (path.basename(input) !== RESULTS_CSV) continue;
    const mismatch = pairMismatch(input);
    if (!mismatch) continue;
    // Once as text for stderr, once as Markdown for the report (the paths and run ids are not writegate's).
    const note = (show: (text: string) => string) =>
      `${show(mismatch.envPath)} describes ${mismatch.envRunId ? `run ${show(mismatch.envRunId)}` : 'no named run'}, ` +
      `not run ${mismatch.csvRunId !== undefined ? show(mismatch.csvRunId) : '(unknown)'} that ` +
      `last wrote ${show(mismatch.csvPath)}; it is ignored (the environment rows ` +
      `inside the CSV are used), and the next writegate run rewrites it.`;
    process.stderr.write(`writegate: warning: ${note((text) => text)}\n`);
    notes.push(note(untrusted));
  }
  return notes;
}

/** Reads and validates every input; throws InputError before anything is written. */
async function prepare(options: AnalyzeOptions): Promise<Prepared> {
  const registry = options.sections ?? SECTIONS;
  const dataset = await loadDataset(options.inputs, options.inputNames);
  dataset.notes.push(...pairNotes(options.inputs));
  const thresholds =
    options.thresholds ?? (options.thresholdsFile ? loadThresholds(options.thresholdsFile) : undefined);
  const allGates = applyThresholds(
    registry.flatMap((section) => section.gates),
    thresholds,
    options.thresholdsFile,
  );
  // One pass over the rows, however many there are; each section gets its suite's rows.
  const bySuite = new Map<string, ResultRow[]>();
  for (const row of dataset.rows) {
    const list = bySuite.get(row.suite);
    if (list) list.push(row);
    else bySuite.set(row.suite, [row]);
  }
  const present = GATED_SUITES.filter((suite) => bySuite.has(suite));
  for (const suite of options.suites ?? []) {
    if (!GATED_SUITES.includes(suite))
      throw new InputError(`--suites: unknown suite ${JSON.stringify(suite)}; known: ${GATED_SUITES.join(', ')}`);
  }
  const analyzed = options.suites ? GATED_SUITES.filter((suite) => options.suites?.includes(suite)) : present;
  const sections = analyzed.flatMap((suite): PreparedPart[] => {
    const section = sectionFor(suite, registry);
    const rows = bySuite.get(suite) ?? [];
    const files = {
      ...(options.knownDifferencesFile ? { knownDifferences: options.knownDifferencesFile } : {}),
      ...(options.knownDifferences ? { knownDifferencesParsed: options.knownDifferences } : {}),
    };
    const parts = partitionByFs(rows);
    if (parts.size <= 1) {
      const fs = rows[0]?.fs ?? '';
      return [
        {
          section,
          prepared: section.prepare({ rows, dataset, files, fs }),
          fs,
          split: false,
          ...(fs ? { heading: headingSuffix(fs, rows, dataset.rows) } : {}),
        },
      ];
    }
    return [...parts].map(([fs, mine]) => ({
      section,
      prepared: section.prepare({ rows: mine, dataset, files, fs }),
      fs,
      split: true,
      heading: headingSuffix(fs, mine, dataset.rows),
    }));
  });
  const baseline = options.baselineInputs?.length ? (await loadDataset(options.baselineInputs)).rows : undefined;
  const policies = loadPolicies(options.regressionPolicyFile);
  const trend = await prepareTrendPart(dataset, baseline, policies, options);
  return {
    dataset,
    gates: allGates.filter((gate) => analyzed.includes(gate.suite)),
    allGates,
    analyzed,
    absent: GATED_SUITES.filter((suite) => !present.includes(suite)),
    sections,
    trend,
    baseline,
    policies,
  };
}

/** The regression rule and trend (analyze/trend), when a baseline, a history or a re-measure is given. */
async function prepareTrendPart(
  dataset: Dataset,
  baseline: readonly ResultRow[] | undefined,
  policies: readonly MetricPolicy[],
  options: AnalyzeOptions,
): Promise<PreparedTrend | undefined> {
  if (!baseline && !options.historyDir && !options.remeasureInputs?.length) return undefined;
  const remeasure = options.remeasureInputs?.length ? (await loadDataset(options.remeasureInputs)).rows : undefined;
  // A comparison judges only its subjects: the yardsticks would triple the family (and with it the
  // rounds it needs) without saying anything about the change.
  const subjects = options.comparison?.subjects;
  const judged = (rows: readonly ResultRow[]) => (subjects ? comparedRows(rows, subjects) : rows);
  const sequential = options.comparison?.sequential;
  return prepareTrend({
    current: judged(dataset.rows),
    baseline: baseline && judged(baseline),
    ...(sequential
      ? {
          baselineOptions: {
            sequential: {
              horizon: sequential.horizon,
              lookEvery: sequential.lookEvery,
              family: options.comparison?.familySize ?? 0,
            },
          },
        }
      : {}),
    history: options.historyDir ? { dir: options.historyDir, append: options.historyAppend } : undefined,
    remeasure,
    policies,
    historyOptions: options.historyWindow ? { window: options.historyWindow } : undefined,
  });
}

/** Each gated median's per-round ratios, for the comparison's charts. */
function roundRatiosOf(plan: Prepared, comparison: ComparisonContext): RoundRatios[] {
  const medians = plan.policies.filter(
    (policy) => policy.kind === 'timing' && policy.gate && policy.samples?.quantile === 50,
  );
  return medians.flatMap((policy) => roundRatios(plan.baseline ?? [], plan.dataset.rows, policy, comparison.subjects));
}

/** What the verdict block adds: the why-lines right under the verdict, and what the run was not configured to judge. */
interface VerdictExtras {
  why?: string;
  notConfigured?: readonly NotConfigured[];
  /** Suites with no rows that the not-configured list names (so "Not in the input" does not name them again). */
  listedSuites?: readonly GatedSuite[];
}

/**
 * The verdict line, then why it fails (report/why.ts); under a comparison the gates are one part of its
 * verdict, so they are only tallied.
 */
function verdictBlock(
  gates: readonly GateResult[],
  analyzed: readonly GatedSuite[],
  absent: readonly GatedSuite[],
  label = 'Verdict',
  requireJudged = false,
  extras: VerdictExtras = {},
): string {
  const counts = countStatuses(gates);
  const unjudged = notJudgedOf(gates);
  const verdict = counts.fail > 0 ? '❌ FAIL' : '✅ PASS';
  // Not judged is named in the verdict itself: a PASS with writers it could not see is not a plain PASS.
  const notJudgedText = (entry: (typeof unjudged)[number]) =>
    `${untrusted(notJudgedLabel(entry))}${notJudgedGates(entry)} (${untrusted(entry.reason)})`;
  const named = unjudged.length && !requireJudged ? ` — not judged: ${unjudged.map(notJudgedText).join('; ')}` : '';
  const countsLine = [
    `${counts.pass} pass`,
    `${counts.fail} fail`,
    `${counts.no_data} no data`,
    counts.not_judged ? `${counts.not_judged} not judged` : '',
    counts.known ? `${counts.known} known` : '',
    counts.disabled ? `${counts.disabled} disabled` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [`**${label}: ${verdict}${named}** — ${countsLine} (gate instances).`];
  if (extras.why) lines.push(extras.why);
  if (counts.not_judged > 0) {
    lines.push(
      `⚠ ${counts.not_judged} gate instance(s) were **not judged**: the harness ` +
        `could not judge them, for the reason each gives (it could not see how ` +
        `a writer reached its files, a writer's spawn cost was not clearly below ` +
        `its write, or a hook's floor showed the machine too loaded to time it), ` +
        `so it neither passed nor failed them (\`--require-judged\` makes them fail).`,
    );
  }
  if (requireJudged && unjudged.length)
    lines.push(
      `⚠ \`--require-judged\`: ${unjudged
        .map((entry) => `${untrusted(notJudgedLabel(entry))} could not be judged (${untrusted(entry.reason)})`)
        .join('; ')}: counted as failures.`,
    );
  if (counts.no_data > 0)
    lines.push(
      `⚠ ${counts.no_data} gate instance(s) had no data: they were **not checked** and are not counted as passes.`,
    );
  if (counts.disabled > 0) lines.push(`⚠ ${counts.disabled} gate(s) disabled by the thresholds file; reasons below.`);
  const skipped = absent.filter((suite) => !analyzed.includes(suite) && !(extras.listedSuites ?? []).includes(suite));
  const missing = skipped.length ? ` Not in the input: ${skipped.join(', ')} — their gates were not evaluated.` : '';
  lines.push(`Suites analyzed: ${analyzed.join(', ') || 'none'}.${missing}`);
  const unconfigured = notConfiguredBlock(extras.notConfigured ?? []);
  if (unconfigured) lines.push(unconfigured);
  return lines.join('\n\n');
}

function inputsBlock(dataset: Dataset, options: AnalyzeOptions): string {
  const runs = [...new Set(dataset.rows.map((row) => row.run_id))];
  const lines = [
    `- Results: ${dataset.sources.map(untrusted).join(', ')} ` +
      `(${dataset.rows.length} rows, ${runs.length} run(s): ${runs.map(untrusted).join(', ')})`,
    options.thresholdsFile
      ? `- Thresholds: ${untrusted(options.thresholdsFile)}`
      : '- Thresholds: the defaults (README, "Default gates")',
    options.knownDifferencesFile ? `- Known differences: ${untrusted(options.knownDifferencesFile)}` : undefined,
  ].filter(Boolean);
  return blocks('## Inputs', lines.join('\n'));
}

/**
 * Every gate of every analyzed suite on the plan's figures, per part (index for index with
 * plan.sections: a section renders its own). A suite on several file systems is gated on each, its
 * instances named by theirs; a disabled gate is reported once, with the suite's first part.
 */
function evaluateSuiteGates(plan: Prepared, base: BaseOutcomes | undefined, requireJudged = false): GateResult[][] {
  const seen = new Set<GatedSuite>();
  return plan.sections.map(({ section, prepared, fs, split }) => {
    const first = !seen.has(section.suite);
    seen.add(section.suite);
    const gates = plan.gates.filter(
      (gate) => gate.suite === section.suite && !notGatedHere(gate, fs) && (first || gate.disabled === undefined),
    );
    const evaluated = gates.flatMap((gate) => {
      const results = evaluateGate(gate, prepared.figures);
      return split && gate.disabled === undefined ? results.map((result) => onPartition(result, fs)) : results;
    });
    const results = requireJudged ? evaluated.map(requireJudgment) : evaluated;
    return base ? markAgainstBase(results, base) : results;
  });
}

/** A part's Markdown: the section's own, its heading naming the file system when there is one to name. */
function renderPart(part: PreparedPart, gates: readonly GateResult[]): string {
  const markdown = part.prepared.render(gates);
  return part.heading === undefined ? markdown : retitle(markdown, part.section.title, part.heading);
}

/** --json's per-suite extras: a suite on several file systems has one per file system. */
function summaries(parts: readonly PreparedPart[]): AnalyzeOutcome['sections'] {
  const sections: AnalyzeOutcome['sections'] = {};
  for (const suite of new Set(parts.map((part) => part.section.suite))) {
    const mine = parts.filter((part) => part.section.suite === suite);
    if (mine.length === 1 && !mine[0]?.split) {
      const summary = mine[0]?.prepared.summary;
      if (summary) sections[suite] = summary;
      continue;
    }
    const each = mine
      .filter((part) => part.prepared.summary)
      .map((part) => ({ fs: part.fs, ...part.prepared.summary }));
    if (each.length) sections[suite] = { file_systems: each };
  }
  return sections;
}

/**
 * What the run was not configured to judge (not-configured.ts): gates of the analyzed suites with
 * nothing of their configured input, and, when the whole input is analyzed, the suites with no rows
 * that run only when configured (hook).
 */
function notConfiguredOfPlan(
  plan: Prepared,
  options: AnalyzeOptions,
): { entries: NotConfigured[]; suites: GatedSuite[] } {
  const parts = plan.sections.map((part) => ({
    suite: part.section.suite,
    fs: part.fs,
    figures: part.prepared.figures,
  }));
  const suites = options.suites ? [] : plan.absent.filter((suite) => configuredOnly(suite, plan.allGates));
  const absent = plan.allGates.filter((gate) => suites.includes(gate.suite) && gate.disabled === undefined);
  return { entries: notConfiguredOf(plan.gates, parts, absent), suites };
}

/** Some instance of the gate is in the results (the wrapper's entry names gates judged on the control). */
function outcomeHas(gates: readonly GateResult[], id: string): boolean {
  return gates.some((gate) => gate.id === id);
}

/** --require-judged: an instance the suite could not judge fails, and says why. */
function requireJudgment(gate: GateResult): GateResult {
  if (gate.status !== 'not_judged') return gate;
  const reason = [...gate.reason, REQUIRED_JUDGMENT];
  return { ...gate, status: 'fail', reason, detail: detailText(gate.instance, reason) };
}

/** The base's own gate outcomes, judged exactly as the head's are. */
async function baseOutcomes(options: AnalyzeOptions): Promise<BaseOutcomes | undefined> {
  if (!options.comparison || !options.baselineInputs?.length) return undefined;
  const basePlan = await prepare({
    ...options,
    inputs: options.baselineInputs,
    inputNames: options.baselineNames,
    baselineInputs: undefined,
    historyDir: undefined,
    remeasureInputs: undefined,
    comparison: undefined,
  });
  return baseOutcomesOf(evaluateSuiteGates(basePlan, undefined).flat());
}

/**
 * results CSVs → RESULTS.md + verdict. Bad input (unreadable or malformed CSV, bad thresholds file, a
 * section's bad extra file) throws InputError with nothing written; RESULTS.md is replaced atomically.
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  const plan = await prepare(options);
  const byPart = evaluateSuiteGates(plan, await baseOutcomes(options), options.requireJudged);
  const gates: GateResult[] = byPart.flat();
  const trend = plan.trend?.report;
  if (trend) for (const result of regressionGates(trend)) gates.push(result);
  const counts = countStatuses(gates);
  const verdict = counts.fail > 0 ? 'fail' : 'pass';
  const comparison = options.comparison && judgeComparison(gates, trend?.baseline ?? [], options.comparison);
  const comparisonBlock =
    options.comparison && comparison
      ? renderComparison(gates, options.comparison, trend?.baseline ?? [], roundRatiosOf(plan, options.comparison))
      : '';
  const unconfigured = notConfiguredOfPlan(plan, options);
  const extras: VerdictExtras = {
    why: whyBlock(gates),
    notConfigured: unconfigured.entries,
    listedSuites: unconfigured.suites,
  };
  const head = blocks(
    '# writegate results',
    comparisonBlock,
    verdictBlock(
      gates,
      plan.analyzed,
      plan.absent,
      options.comparison ? 'Gates of the head' : 'Verdict',
      options.requireJudged,
      extras,
    ),
  );
  const gatesBlock = blocks('## Gates', gateTable(gates, plan.gates));
  const trendBlock = trend
    ? renderTrendSection(trend, { baselineNames: options.baselineNames ?? options.baselineInputs }).trimEnd()
    : '';
  const markdown = blocks(
    head,
    gatesBlock,
    trendBlock,
    // A gate the run was not configured for is named once, under Not configured: no definition needed.
    gateDefinitions(
      plan.gates.filter(
        (gate) => !unconfigured.entries.some((entry) => entry.gates.includes(gate.id)) || outcomeHas(gates, gate.id),
      ),
    ),
    environmentSection(plan.dataset.rows, plan.dataset.notes),
    ...plan.sections.map((part, index) => renderPart(part, byPart[index] ?? [])),
    inputsBlock(plan.dataset, options),
  );

  // Staged, then written with whatever else the command writes, in one step (core/out-commit.ts).
  const commit = options.commit ?? new OutputCommit();
  const reportPath = path.join(options.outDir, RESULTS_MD);
  commit.file(reportPath, `${markdown}\n`);

  const stepSummary =
    options.githubStepSummary === undefined ? process.env.GITHUB_STEP_SUMMARY : options.githubStepSummary;
  const inActions =
    options.githubStepSummary !== null && (Boolean(stepSummary) || process.env.GITHUB_ACTIONS === 'true');
  if (inActions) {
    const stream = options.json ? process.stderr : process.stdout;
    publishToCi(blocks(head, gatesBlock, trendBlock), gates, {
      stepSummary: stepSummary || undefined,
      annotate: (line) => stream.write(`${line}\n`),
    });
  }

  const sections = summaries(plan.sections);
  if (trend && plan.trend) {
    sections.trend = trendJson(trend);
    commit.file(path.join(options.outDir, TREND_JSON), `${JSON.stringify(sections.trend, null, 2)}\n`);
    // Appended only with the report: a run that failed to report never enters the history.
    const history = plan.trend;
    commit.then(() => history.commit());
  }
  if (!options.commit) {
    try {
      commit.commit();
    } finally {
      await commit.dispose();
    }
  }
  return {
    verdict,
    exitCode: comparison ? comparison.exitCode : verdict === 'fail' ? 1 : 0,
    reportPath,
    gates,
    counts,
    suites: { analyzed: plan.analyzed, absent: plan.absent },
    inputs: plan.dataset.sources,
    sections,
    ...(comparison ? { comparison } : {}),
    notJudged: notJudgedOf(gates),
    notConfigured: unconfigured.entries,
  };
}
