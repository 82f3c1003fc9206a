/**
 * The few figures a suite command reports about its run, picked from the analyzer's outcome (its
 * sections' summaries and its gate results), never recomputed: bench's p50 / p95 / MiB/s per writer
 * × size × mode, crash's gates per writer, parity's and hook's rates. suite-summary.ts prints them
 * as tables on stderr; the suite's `--json` carries them as `summary`. The zod schema is their contract.
 */
import { z } from 'zod';
import {
  hookSummarySchema,
  paritySummarySchema,
  type AnalyzeOutcome,
  type BatchLineFigures,
  type BenchLineFigures,
  type GatedSuite,
  type GateResult,
  type HookSummary,
  type ParitySummary,
} from '../analyze/index.js';

const count = z.number().int().nonnegative();

export const statusCountsSchema = z.strictObject({
  pass: count,
  fail: count,
  known: count,
  no_data: count,
  not_judged: count,
  disabled: count,
});

const fsKey = z
  .string()
  .optional()
  .describe(
    'the file system these figures were measured on, when the suite ran on several (--fs); "" for the workspace\'s own',
  );
const gateRef = z.strictObject({ id: z.string(), title: z.string() });
const rates = z
  .record(z.string(), z.number().nullable())
  .describe(
    'metric → figure: a fraction from 0 to 1, or milliseconds for a metric ' +
      'ending in _ms; null when it was not measured',
  );

const benchLine = z.strictObject({
  writer: z.string(),
  scenario: z.string(),
  size_bytes: z.number().int().nullable(),
  mode: z.string(),
  samples: count.describe('timed samples behind p50 and p95 (0: no timing, e.g. its writes failed)'),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  net_p50_ms: z
    .number()
    .nullable()
    .describe(
      'p50 less the spawn or round-trip overhead, what the gates read; null ' +
        'when the writer has none or it could not be measured',
    ),
  mib_s: z.number().nullable().describe('payload ÷ p50'),
  failed: z.array(gateRef).describe('gates this line failed'),
  not_judged: z.array(gateRef).describe('gates that could not judge this line (never a pass)'),
});

const ms = z.number().nullable();
const batchLine = z.strictObject({
  writer: z.string(),
  way: z.enum(['batch', 'per_file']).describe('batch: one batch call; per_file: the single write, file after file'),
  files: count.nullable(),
  dirs: count.nullable(),
  size_bytes: z.number().int().nullable(),
  repetitions: count,
  total_p50_ms: ms.describe('median wall time of all the files over the repetitions'),
  total_lower_ms: ms.describe("the lower end of that median's 95% interval"),
  total_upper_ms: ms.describe("the upper end of that median's 95% interval"),
  ms_per_file: ms.describe('total_p50_ms ÷ files'),
  fsync_count: count.nullable().describe('fsyncs strace counted on the batch directories and their files'),
  dir_fsync_count: count.nullable().describe('of those, syncs of a directory'),
  rename_count: count.nullable(),
  failed: z.array(gateRef).describe('gates this writer failed in the batch scenario'),
  not_judged: z.array(gateRef).describe('gates that could not judge this writer in the batch scenario (never a pass)'),
});

const crashWriter = z.strictObject({
  writer: z.string(),
  verdict: z
    .enum(['fail', 'not_checked', 'pass'])
    .describe(
      'fail: a gate failed; not_checked: none failed, but some had no data or ' +
        'could not be judged (not a pass); pass: every gate passed, was a known ' +
        'difference or was disabled',
    ),
  failed: z.array(z.string()).describe('ids of the gates this writer failed'),
  counts: statusCountsSchema.describe("this writer's gate instances by status"),
});

export const suiteFiguresSchema = z.discriminatedUnion('suite', [
  z.strictObject({
    suite: z.literal('bench'),
    parts: z.array(
      z.strictObject({
        fs: fsKey,
        lines: z.array(benchLine).describe('one per writer × scenario × size × mode, smallest size first'),
        batch: z
          .array(batchLine)
          .optional()
          .describe('the batch scenario (--scenarios batch): one per writer × way; absent when it did not run'),
      }),
    ),
  }),
  z.strictObject({
    suite: z.literal('crash'),
    parts: z.array(
      z.strictObject({
        fs: fsKey,
        writers: z.array(crashWriter),
        every_writer_failed: z
          .array(z.string())
          .describe('ids of failed gates that judged the run as a whole, not one writer'),
        no_data: z
          .array(z.string())
          .describe(
            'ids of gates with no instance per writer and no data: their scenario ' +
              'did not run (not checked, not a pass)',
          ),
      }),
    ),
  }),
  z.strictObject({
    suite: z.literal('parity'),
    cases_run: count,
    cases_in_matrix: count.nullable(),
    control: z
      .string()
      .nullable()
      .describe('the passthrough wrapper every other is measured beside; null when no wrapper ran'),
    wrappers: z.array(z.strictObject({ wrapper: z.string(), control: z.boolean(), rates, cases: count })),
  }),
  z.strictObject({
    suite: z.literal('hook'),
    lines: z.array(
      z.strictObject({
        hook: z.string(),
        env_set: z.string(),
        rates,
        net_p95_ms: z
          .number()
          .nullable()
          .describe(
            "p95 latency net of a no-op on the hook's runtime, what the latency gate " +
              'judges; null when no floor was timed',
          ),
        cases: count.nullable(),
      }),
    ),
    audit: z
      .strictObject({ bash_calls: count, joined: count })
      .nullable()
      .describe('recorded Bash calls of an agent session, and how many matched the hook log; null without an audit'),
  }),
]);

export type SuiteFigures = z.infer<typeof suiteFiguresSchema>;
export type BenchFigures = Extract<SuiteFigures, { suite: 'bench' }>;
export type CrashFigures = Extract<SuiteFigures, { suite: 'crash' }>;
export type ParityFigures = Extract<SuiteFigures, { suite: 'parity' }>;
export type HookFigures = Extract<SuiteFigures, { suite: 'hook' }>;
export type StatusCounts = z.infer<typeof statusCountsSchema>;

/** A section's summary, or one per file system when the suite ran on several (`--fs`): with the file system's name. */
function summaryParts(
  section: Record<string, unknown> | undefined,
): { fs?: string; summary: Record<string, unknown> }[] {
  if (!section) return [];
  const parts = section.file_systems;
  if (Array.isArray(parts))
    return (parts as Record<string, unknown>[]).map((part) => ({ fs: String(part.fs ?? ''), summary: part }));
  return [{ summary: section }];
}

/** The gate instances of one part: all of them, or those made on its file system. */
function gatesOf(outcome: AnalyzeOutcome, suite: GatedSuite, fs: string | undefined): GateResult[] {
  return outcome.gates.filter((gate) => gate.suite === suite && (fs === undefined || (gate.fs ?? '') === fs));
}

const withFs = (fs: string | undefined) => (fs === undefined ? {} : { fs });

function uniqueGates(gates: readonly GateResult[]): { id: string; title: string }[] {
  const byId = new Map(gates.map((gate) => [gate.id, gate.title]));
  return [...byId].map(([id, title]) => ({ id, title }));
}

const MODE_ORDER = ['durable', 'fast', 'unchanged'];
const modeRank = (mode: string) => (MODE_ORDER.includes(mode) ? MODE_ORDER.indexOf(mode) : MODE_ORDER.length);

function benchFigures(outcome: AnalyzeOutcome): BenchFigures {
  const parts = summaryParts(outcome.sections.bench).map(({ fs, summary }) => {
    const gates = gatesOf(outcome, 'bench', fs);
    const lines = [...((summary.line_figures ?? []) as BenchLineFigures[])]
      .sort(
        (a, b) =>
          (a.size_bytes ?? 0) - (b.size_bytes ?? 0) ||
          modeRank(a.mode) - modeRank(b.mode) ||
          a.scenario.localeCompare(b.scenario),
      )
      .map((line) => {
        const mine = gates.filter(
          (gate) =>
            gate.subject === line.subject &&
            gate.mode === line.mode &&
            (gate.size_bytes ?? null) === line.size_bytes &&
            (gate.scenario ?? line.scenario) === line.scenario,
        );
        return {
          writer: line.subject,
          scenario: line.scenario,
          size_bytes: line.size_bytes,
          mode: line.mode,
          samples: line.samples,
          p50_ms: line.p50_ms,
          p95_ms: line.p95_ms,
          net_p50_ms: line.net_p50_ms,
          mib_s: line.mib_s,
          failed: uniqueGates(mine.filter((gate) => gate.status === 'fail')),
          not_judged: uniqueGates(mine.filter((gate) => gate.status === 'not_judged')),
        };
      });
    const batch = ((summary.batch_figures ?? []) as BatchLineFigures[]).map(({ subject, ...figures }) => {
      const mine = gates.filter((gate) => gate.subject === subject && gate.scenario === 'batch');
      return {
        writer: subject,
        ...figures,
        failed: uniqueGates(mine.filter((gate) => gate.status === 'fail')),
        not_judged: uniqueGates(mine.filter((gate) => gate.status === 'not_judged')),
      };
    });
    return { ...withFs(fs), lines, ...(batch.length ? { batch } : {}) };
  });
  return { suite: 'bench', parts };
}

function countsOf(gates: readonly GateResult[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, known: 0, no_data: 0, not_judged: 0, disabled: 0 };
  for (const gate of gates) counts[gate.status] += 1;
  return counts;
}

function crashFigures(outcome: AnalyzeOutcome): CrashFigures {
  const sections = summaryParts(outcome.sections.crash);
  const parts = (sections.length ? sections : [{ fs: undefined }]).map(({ fs }) => {
    const gates = gatesOf(outcome, 'crash', fs);
    const writers = [...new Set(gates.map((gate) => gate.subject ?? ''))].filter(Boolean).map((writer) => {
      const mine = gates.filter((gate) => gate.subject === writer);
      const counts = countsOf(mine);
      const failed = [...new Set(mine.filter((gate) => gate.status === 'fail').map((gate) => gate.id))];
      // Not a pass while something was not checked.
      const verdict = failed.length ? 'fail' : counts.no_data + counts.not_judged ? 'not_checked' : 'pass';
      return { writer, verdict, failed, counts } as const;
    });
    // A gate with no instance per writer: its scenario did not run (no data), or it judged the run as a whole.
    const wide = gates.filter((gate) => !gate.subject);
    const ids = (status: GateResult['status']) => [
      ...new Set(wide.filter((gate) => gate.status === status).map((gate) => gate.id)),
    ];
    return { ...withFs(fs), writers, every_writer_failed: ids('fail'), no_data: ids('no_data') };
  });
  return { suite: 'crash', parts };
}

function parityFigures(outcome: AnalyzeOutcome): ParityFigures {
  const summary: ParitySummary | undefined = readSummary(paritySummarySchema, outcome.sections.parity, 'parity');
  const wrappers = Object.entries(summary?.wrappers ?? {}).map(([wrapper, byMetric]) => ({
    wrapper,
    control: wrapper === summary?.control,
    rates: Object.fromEntries(Object.entries(byMetric).map(([metric, figure]) => [metric, figure.rate])),
    cases: Math.max(0, ...Object.values(byMetric).map((figure) => figure.cases)),
  }));
  return {
    suite: 'parity',
    cases_run: summary?.cases_run ?? 0,
    cases_in_matrix: summary?.cases_in_matrix ?? null,
    control: wrappers.length ? (summary?.control ?? null) : null,
    wrappers,
  };
}

function hookFigures(outcome: AnalyzeOutcome): HookFigures {
  const summary: HookSummary | undefined = readSummary(hookSummarySchema, outcome.sections.hook, 'hook');
  const lines = Object.entries(summary?.hooks ?? {}).flatMap(([hook, sets]) =>
    Object.entries(sets).map(([envSet, line]) => ({
      hook,
      env_set: envSet,
      rates: line.rates,
      // The latency gate judges the p95 net of a no-op on the hook's runtime, when one was timed.
      net_p95_ms: line.latency?.net_p95 ?? null,
      cases: line.cases,
    })),
  );
  const audit = summary?.audit;
  return { suite: 'hook', lines, audit: audit ? { bash_calls: audit.bash_calls, joined: audit.joined } : null };
}

/** A section's summary as its schema reads it: none when the suite had no rows; a misshapen one is writegate's bug. */
function readSummary<T>(schema: z.ZodType<T>, section: unknown, suite: string): T | undefined {
  if (section === undefined) return undefined;
  const parsed = schema.safeParse(section);
  if (!parsed.success)
    throw new Error(`writegate: the ${suite} summary does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

const FIGURES: { [S in GatedSuite]: (outcome: AnalyzeOutcome) => Extract<SuiteFigures, { suite: S }> } = {
  bench: benchFigures,
  crash: crashFigures,
  parity: parityFigures,
  hook: hookFigures,
};

/** A suite command's figures, from the analysis of its own rows. */
export function suiteFigures<S extends GatedSuite>(
  suite: S,
  outcome: AnalyzeOutcome,
): Extract<SuiteFigures, { suite: S }> {
  return FIGURES[suite](outcome);
}
