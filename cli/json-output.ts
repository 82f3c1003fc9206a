/**
 * The contract of every `--json` output: one zod schema per output, the printers build objects
 * typed by it, and `writegate schema json` prints its JSON Schema (z.toJSONSchema of
 * `jsonOutputSchema`, every object open to keys it does not list). Keys are snake_case throughout;
 * `schema_version` changes when a key is renamed or removed or its meaning changes (a new optional
 * key does not change it, so a consumer validating against the published v1 must accept unknown keys).
 * The zod schemas stay strict: writegate's own tests catch a key it prints but does not describe.
 */
import { z } from 'zod';
import type {
  AnalyzeOutcome,
  ComparisonVerdict,
  GateResult,
  ParityReadiness,
  RewriteReadiness,
  SequentialRun,
} from '../analyze/index.js';
import { configSchema } from '../core/config.js';
import { statusCountsSchema, suiteFigures, suiteFiguresSchema } from './suite-figures.js';

export const JSON_SCHEMA_VERSION = 1;

const schemaVersion = z
  .literal(JSON_SCHEMA_VERSION)
  .describe('version of this output contract; changes when a key is renamed or removed or changes meaning');
const gatedSuite = z.enum(['bench', 'crash', 'parity', 'hook']);
const suiteCommand = gatedSuite;
const count = z.number().int().nonnegative();

/** A go / no-go answer: `parity --readiness` and `writegate readiness`. */
export const readinessJsonSchema = z.strictObject({
  go: z.boolean(),
  line: z.string().describe('the one GO / NO-GO line the command prints without --json'),
  reasons: z.array(z.string()).describe('why not (empty on GO)'),
});

/** One evaluated gate instance (analyze/types.ts GateResult, snake_case). */
export const gateJsonSchema = z.strictObject({
  id: z.string(),
  suite: gatedSuite,
  title: z.string(),
  description: z.string(),
  instance: z
    .string()
    .describe('which figure this instance judged, e.g. "atomically · 128 KiB"; empty for a gate-wide row'),
  scenario: z.string().optional(),
  subject: z.string().optional(),
  mode: z.string().optional(),
  size_bytes: z.number().int().nullable().optional(),
  metric: z.string(),
  figure: z.number().nullable(),
  figure_text: z.string().describe('the figure as shown in the report'),
  threshold: z.string().describe('the threshold as shown in the report'),
  comparison: z.enum(['<', '<=', '==', '>=', '>']),
  threshold_value: z.number(),
  unit: z.enum(['ms', 'x', 'fraction', 'percent', 'count', 'MiB/s', '']),
  source: z.string().describe('where the threshold comes from'),
  status: z.enum(['pass', 'fail', 'known', 'no_data', 'not_judged', 'disabled']),
  detail: z.string(),
  not_judged: z
    .string()
    .optional()
    .describe('not_judged (or failed under --require-judged): why the suite could not judge this instance'),
  cause: z
    .string()
    .optional()
    .describe(
      "what in the subject's own rows explains a failing figure, in writegate's " +
        'words (e.g. its trace shows no fsync of the directory after the rename)',
    ),
  fs: z
    .string()
    .optional()
    .describe(
      'the file system its rows were made on, when the suite ran on several (--fs); "" for the workspace\'s own',
    ),
});

const statusCounts = statusCountsSchema;

/** A subject at a size that could not be judged: never a pass, never a fail (unless --require-judged). */
const notJudgedJsonSchema = z.strictObject({
  suite: gatedSuite,
  subject: z.string(),
  size_bytes: z.number().int().nullable(),
  reason: z
    .string()
    .describe(
      'one line: why the harness could not judge it, e.g. its I/O goes through io_uring, which strace cannot see',
    ),
  gates: z.array(z.string()).describe('the gates it left unjudged'),
  fs: z.string().optional().describe('the file system it was measured on, when the suite ran on several (--fs)'),
});

/** An option the run was not given, and the gates it would feed: listed once, never counted as no data. */
const notConfiguredJsonSchema = z.strictObject({
  option: z.string().describe('the option that would enable them, e.g. --crash-checker <command>'),
  what: z.string().describe('what it gives, in plain words'),
  gates: z.array(z.string()).describe('the ids of the gates it feeds'),
});
const notConfiguredList = z
  .array(notConfiguredJsonSchema)
  .describe(
    'gates whose input this run was not configured with (a crash checker, ' +
      'a hook, a file system to image, your own wrapper): not gate instances, ' +
      'not counted in `counts`',
  );

const sectionJsonSchema = z
  .record(z.string(), z.unknown())
  .describe("a suite section's extras (snake_case keys; map keys are names of subjects, hooks, wrappers, metrics)");

/** `writegate gate --json` and `writegate analyze --json`: the verdict and every gate. */
export const verdictJsonSchema = z.strictObject({
  schema_version: schemaVersion,
  command: z.enum(['gate', 'analyze']),
  run_id: z.string().optional().describe('gate: the run it measured'),
  csv: z.string().optional().describe('gate: the results CSV it wrote'),
  verdict: z.enum(['pass', 'fail']),
  exit_code: z.union([z.literal(0), z.literal(1)]),
  report: z.string().describe('path of RESULTS.md'),
  counts: statusCounts,
  not_judged: z.array(notJudgedJsonSchema).describe('what could not be judged, once per subject, size and reason'),
  not_configured: notConfiguredList.optional(),
  suites: z.strictObject({ analyzed: z.array(gatedSuite), absent: z.array(gatedSuite) }),
  inputs: z.array(z.string()),
  gates: z.array(gateJsonSchema),
  sections: z.strictObject({
    bench: sectionJsonSchema.optional(),
    crash: sectionJsonSchema.optional(),
    parity: sectionJsonSchema.optional(),
    hook: sectionJsonSchema.optional(),
    trend: sectionJsonSchema
      .optional()
      .describe('regression verdicts against --baseline / --history (also written to trend.json)'),
  }),
});

/**
 * `writegate bench|crash|parity|hook --json`: what the run wrote, and the verdict of the suite's own
 * gates on its rows (the keys `gate --json` has; none with --no-verdict); with `parity --readiness`,
 * the answer instead.
 */
export const suiteRunJsonSchema = z.strictObject({
  schema_version: schemaVersion,
  command: suiteCommand,
  suite: suiteCommand,
  run_id: z.string(),
  csv: z.string().describe('the results CSV the run wrote'),
  rows: count.describe('rows this run measured'),
  report: z.string().optional().describe('path of RESULTS.md (absent with --no-verdict)'),
  readiness: readinessJsonSchema.optional().describe('parity --readiness'),
  verdict: z
    .enum(['pass', 'fail'])
    .optional()
    .describe(
      "the verdict of this suite's gates on the rows this run measured (absent with --no-verdict and with --readiness)",
    ),
  exit_code: z.union([z.literal(0), z.literal(1)]).optional(),
  counts: statusCounts.optional(),
  not_judged: z.array(notJudgedJsonSchema).optional(),
  not_configured: notConfiguredList.optional(),
  gates: z.array(gateJsonSchema).optional().describe("every instance of this suite's gates"),
  sections: verdictJsonSchema.shape.sections
    .optional()
    .describe("this suite's section extras (bench: line_figures, each line's p50, p95 and MiB/s)"),
  summary: suiteFiguresSchema
    .optional()
    .describe(
      'the figures the command prints before its verdict: bench p50, p95 (ms) ' +
        'and MiB/s per writer × size × mode; crash the gates per writer; parity ' +
        'and hook their rates (absent with --no-verdict and with --readiness)',
    ),
});

/** `writegate readiness --json`. */
export const readinessRunJsonSchema = z.strictObject({
  schema_version: schemaVersion,
  command: z.literal('readiness'),
  run_id: z.string(),
  csv: z.string(),
  rows: count,
  report: z.string(),
  readiness: readinessJsonSchema,
});

/** `writegate compare --json`: the comparison's verdict, how it was measured, and every gate of the head. */
export const compareJsonSchema = z.strictObject({
  schema_version: schemaVersion,
  command: z.literal('compare'),
  verdict: z
    .enum(['pass', 'regressed', 'inconclusive', 'fail'])
    .describe('inconclusive is not a pass: it exits 1 unless --allow-inconclusive'),
  exit_code: z.union([z.literal(0), z.literal(1)]),
  line: z.string().describe('the one verdict line the command prints without --json'),
  reasons: z.array(z.string()).describe('why, most important first (empty on a clean pass)'),
  rerun_rounds: count.optional().describe('inconclusive: the --max-rounds to ask for next time'),
  rounds: count.describe('interleaved rounds measured (a base run and a head run each)'),
  rounds_needed: count.describe('the first round at which the judged family of series could decide anything'),
  stopped: z
    .enum(['decided', 'regressed', 'max-rounds', 'max-time'])
    .optional()
    .describe('why measuring stopped: the looks decided, a series regressed, or a limit ran out'),
  horizon: count
    .optional()
    .describe('the most rounds the sequential intervals were planned for (what fit in --max-time and --max-rounds)'),
  seconds: z.number().nonnegative().optional().describe('wall time from the first round to the verdict'),
  family_size: count.describe('gated timing series of the compared subjects, judged together'),
  report: z.string().describe('path of RESULTS.md'),
  inputs: z.array(z.string()).describe("the head's per-round CSVs"),
  counts: statusCounts,
  not_judged: z.array(notJudgedJsonSchema),
  not_configured: notConfiguredList.optional(),
  gates: z.array(gateJsonSchema),
  sections: verdictJsonSchema.shape.sections,
});

/** Whatever `--json` prints, told apart by `command`. */
export const jsonOutputSchema = z.union([
  suiteRunJsonSchema,
  verdictJsonSchema,
  readinessRunJsonSchema,
  compareJsonSchema,
]);

export type GateJson = z.infer<typeof gateJsonSchema>;
export type VerdictJson = z.infer<typeof verdictJsonSchema>;
export type SuiteRunJson = z.infer<typeof suiteRunJsonSchema>;
export type ReadinessRunJson = z.infer<typeof readinessRunJsonSchema>;
export type CompareJson = z.infer<typeof compareJsonSchema>;
export type JsonOutput = z.infer<typeof jsonOutputSchema>;

export function gateJson(gate: GateResult): GateJson {
  // The reason's pieces are the report's to render; --json has them as one line, `detail`.
  const { figureText, thresholdValue, notJudged, reason: _reason, ...rest } = gate;
  return {
    ...rest,
    figure_text: figureText,
    threshold_value: thresholdValue,
    ...(notJudged !== undefined ? { not_judged: notJudged } : {}),
  };
}

/** The options the run was not given, as --json lists them (the report's titles left out: the ids name the gates). */
function notConfiguredJson(outcome: AnalyzeOutcome): z.infer<typeof notConfiguredList> {
  return (outcome.notConfigured ?? []).map(({ option, what, gates }) => ({ option, what, gates }));
}

export function readinessJson(readiness: ParityReadiness | RewriteReadiness): z.infer<typeof readinessJsonSchema> {
  return { go: readiness.go, line: readiness.line, reasons: readiness.reasons };
}

export function verdictJson(
  outcome: AnalyzeOutcome,
  run: { command: 'gate' | 'analyze'; run_id?: string; csv?: string },
): VerdictJson {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    ...run,
    verdict: outcome.verdict,
    exit_code: outcome.exitCode,
    report: outcome.reportPath,
    counts: outcome.counts,
    not_judged: outcome.notJudged,
    not_configured: notConfiguredJson(outcome),
    suites: outcome.suites,
    inputs: [...outcome.inputs],
    gates: outcome.gates.map(gateJson),
    sections: outcome.sections,
  };
}

export function compareJson(
  outcome: AnalyzeOutcome,
  verdict: ComparisonVerdict,
  run: {
    rounds: number;
    firstDecision: number | undefined;
    family: number;
    sequential: SequentialRun;
    seconds: number;
  },
): CompareJson {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    command: 'compare',
    verdict: verdict.verdict,
    exit_code: verdict.exitCode,
    line: verdict.line,
    reasons: verdict.reasons,
    ...(verdict.rerunRounds !== undefined ? { rerun_rounds: verdict.rerunRounds } : {}),
    rounds: run.rounds,
    rounds_needed: run.firstDecision ?? run.sequential.horizon + run.sequential.lookEvery,
    stopped: run.sequential.stopped,
    horizon: run.sequential.horizon,
    seconds: Math.round(run.seconds * 10) / 10,
    family_size: run.family,
    report: outcome.reportPath,
    inputs: [...outcome.inputs],
    counts: outcome.counts,
    not_judged: outcome.notJudged,
    not_configured: notConfiguredJson(outcome),
    gates: outcome.gates.map(gateJson),
    sections: outcome.sections,
  };
}

/** What a suite run wrote, as measure() reports it. */
export interface RunResult {
  csvPath: string;
  runId: string;
  rows: number;
}

/**
 * A suite run's JSON: with the readiness answer (`parity --readiness`) or the verdict of its gates (`outcome`), or
 * neither (--no-verdict).
 */
export function suiteRunJson(
  suite: SuiteRunJson['suite'],
  result: RunResult,
  judged: { readiness?: { readiness: ParityReadiness; report: string }; outcome?: AnalyzeOutcome } = {},
): SuiteRunJson {
  const { readiness, outcome } = judged;
  return {
    schema_version: JSON_SCHEMA_VERSION,
    command: suite,
    suite,
    run_id: result.runId,
    csv: result.csvPath,
    rows: result.rows,
    ...(readiness ? { report: readiness.report, readiness: readinessJson(readiness.readiness) } : {}),
    ...(outcome
      ? {
          report: outcome.reportPath,
          verdict: outcome.verdict,
          exit_code: outcome.exitCode,
          counts: outcome.counts,
          not_judged: outcome.notJudged,
          not_configured: notConfiguredJson(outcome),
          gates: outcome.gates.map(gateJson),
          sections: outcome.sections,
          summary: suiteFigures(suite, outcome),
        }
      : {}),
  };
}

export function readinessRunJson(result: RunResult, report: string, readiness: RewriteReadiness): ReadinessRunJson {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    command: 'readiness',
    run_id: result.runId,
    csv: result.csvPath,
    rows: result.rows,
    report,
    readiness: readinessJson(readiness),
  };
}

export function printJson(value: JsonOutput): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const SCHEMA_ID = 'urn:writegate:schema';

/** z.toJSONSchema of `schema`, with an `$id`, a title and a description after its `$schema`. */
function named(
  schema: z.ZodType,
  id: string,
  title: string,
  description: string,
  options: Parameters<typeof z.toJSONSchema>[1] = {},
): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, options);
  return { $schema: generated.$schema, $id: id, title, description, ...generated };
}

/**
 * The published --json schema drops `additionalProperties: false`: a later writegate may add an
 * optional key anywhere without a new schema_version, and a consumer validating against v1 must
 * still accept its output. Maps (`additionalProperties` holding a schema) keep theirs.
 */
const openObjects: Parameters<typeof z.toJSONSchema>[1] = {
  override: ({ jsonSchema }) => {
    if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
  },
};

/** The JSON Schemas `writegate schema <name>` prints. */
export const JSON_SCHEMAS = {
  json: () =>
    named(
      jsonOutputSchema,
      `${SCHEMA_ID}:json-output:v${JSON_SCHEMA_VERSION}`,
      'writegate --json output',
      'What `writegate <bench|crash|parity|hook|gate|analyze|readiness|compare> ' +
        '--json` prints on stdout; `command` tells which. Objects may carry keys ' +
        'not listed here: a later release adds optional keys under the same schema_version.',
      openObjects,
    ),
  config: () =>
    named(
      configSchema,
      `${SCHEMA_ID}:config`,
      'writegate.config.json',
      'The writegate config file: everything a flag can say, for a repository to keep.',
    ),
} as const;
export type SchemaName = keyof typeof JSON_SCHEMAS;
