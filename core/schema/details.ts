import type { z } from 'zod';
import * as legacy from './legacy.js';
import { ENV_KEYS, METRICS, type EnvKey, type MetricName } from './metrics.js';
import * as shapes from './shapes.js';

export * from './shapes.js';

/**
 * Every metric's unit and the schema of its `detail`: the second half of the CSV contract. Suites
 * write a detail with encodeDetail, analyze reads it with decodeDetail; nobody else parses one.
 *
 * - `text`: free text a reader only shows (a reason, a command line). Never pattern-matched.
 * - `json`: a JSON object (or array) its zod schema checks; `legacy` reads how 1.0.0 wrote it.
 * `blank` says an empty detail is allowed and means "nothing to say" (a parity flag that matched).
 */
interface TextDetail {
  kind: 'text';
  units: readonly string[];
}
interface JsonDetail<S extends z.ZodType> {
  kind: 'json';
  units: readonly string[];
  schema: S;
  legacy?: (text: string) => unknown;
  blank?: boolean;
}
type DetailSpec = TextDetail | JsonDetail<z.ZodType>;

const text = (...units: string[]): TextDetail => ({ kind: 'text', units });
const json = <S extends z.ZodType>(
  schema: S,
  units: string[],
  extra: { legacy?: (text: string) => unknown; blank?: boolean } = {},
): JsonDetail<S> => ({ kind: 'json', units, schema, ...extra });

const counts = (unit: string) => json(shapes.countsSchema, [unit], { legacy: legacy.legacyCounts });
const countsOf = () => json(shapes.countsOfSchema, ['fraction'], { legacy: legacy.legacyCountsOf });
const offender = () => json(shapes.offenderSchema, ['bool'], { legacy: legacy.legacyOffender });

const ENV_DETAILS = Object.fromEntries(ENV_KEYS.map((key) => [key, text('')])) as Record<EnvKey, TextDetail>;

export const DETAILS = {
  ...ENV_DETAILS,
  // bench
  [METRICS.latencySample]: text('ms'),
  [METRICS.latencyP50]: text('ms'),
  [METRICS.latencyP95]: text('ms'),
  [METRICS.latencyP99]: text('ms'),
  [METRICS.throughput]: text('MiB/s'),
  [METRICS.writeAmplification]: text('ratio'),
  [METRICS.fsyncCount]: text('count'),
  [METRICS.renameCount]: text('count'),
  [METRICS.bytesWritten]: text('bytes'),
  [METRICS.spawnOverhead]: json(shapes.spawnOverheadSchema, ['ms'], { legacy: legacy.legacySpawnOverhead }),
  [METRICS.spawnOverheadSample]: text('ms'),
  [METRICS.samples]: text('count'),
  [METRICS.latencyNetP50]: text('ms'),
  [METRICS.engineDisagreement]: text('ratio'),
  [METRICS.contentOk]: text('bool'),
  [METRICS.writeErrors]: text('count'),
  [METRICS.batchTotalMs]: text('ms'),
  [METRICS.perFileTotalMs]: text('ms'),
  [METRICS.batchFsyncCount]: json(shapes.batchCountsSchema, ['count']),
  [METRICS.perFileFsyncCount]: json(shapes.batchCountsSchema, ['count']),
  [METRICS.batchRenameCount]: text('count'),
  [METRICS.perFileRenameCount]: text('count'),
  // parity
  [METRICS.exitCodeMatch]: text('bool'),
  [METRICS.sideEffectMatch]: json(shapes.sideEffectsSchema, ['bool'], {
    legacy: legacy.legacySideEffects,
    blank: true,
  }),
  [METRICS.stderrSignalMatch]: json(shapes.missingSignalsSchema, ['bool'], {
    legacy: legacy.legacyMissingSignals,
    blank: true,
  }),
  [METRICS.nativeExitCode]: text('code'),
  [METRICS.wrapperExitCode]: text('code'),
  [METRICS.durationMs]: text('ms'),
  [METRICS.nativeAsExpected]: text('bool'),
  [METRICS.keySignals]: text('count'),
  [METRICS.commandLine]: text(''),
  [METRICS.casesInMatrix]: text('count'),
  [METRICS.casesRun]: text('count'),
  [METRICS.wrapperTemplate]: text(''),
  // parity: computed by analyze, never written.
  [METRICS.exitCodeMatchRate]: text('ratio'),
  [METRICS.sideEffectMatchRate]: text('ratio'),
  [METRICS.stderrKeySignalMatchRate]: text('ratio'),
  // crash
  [METRICS.trials]: text('count'),
  [METRICS.notReached]: text('count'),
  [METRICS.notReachedRate]: text('ratio'),
  [METRICS.notApplicable]: json(shapes.absentStepsSchema, ['count'], { legacy: legacy.legacyAbsentSteps }),
  [METRICS.notJudged]: text('count'),
  [METRICS.corruptionRate]: counts('ratio'),
  [METRICS.orphanTempRate]: counts('ratio'),
  [METRICS.falseSuccessRate]: counts('ratio'),
  [METRICS.recoveryRate]: counts('ratio'),
  [METRICS.staleTempRate]: counts('ratio'),
  [METRICS.tempAfterKillRate]: counts('ratio'),
  [METRICS.conflictDetectedRate]: counts('ratio'),
  [METRICS.killLandedRate]: counts('ratio'),
  [METRICS.finalRev]: text('rev'),
  [METRICS.lostUpdateRate]: text('ratio'),
  [METRICS.msPerWrite]: text('ms'),
  [METRICS.powerlossStates]: text('count'),
  [METRICS.powerlossAtomicityViolationRate]: counts('ratio'),
  [METRICS.powerlossDurabilityViolationRate]: counts('ratio'),
  [METRICS.powerlossCheckerViolationRate]: counts('ratio'),
  [METRICS.powerlossViolation]: json(shapes.powerLossViolationSchema, ['count'], {
    legacy: legacy.legacyPowerLossViolation,
  }),
  [METRICS.wrapperCrashParity]: json(shapes.wrapperCrashParitySchema, ['bool']),
  [METRICS.imageStates]: text('count'),
  [METRICS.imageAtomicityViolationRate]: counts('fraction'),
  [METRICS.imageDurabilityViolationRate]: counts('fraction'),
  [METRICS.imageUnsoundStates]: counts('count'),
  [METRICS.imageObservation]: json(shapes.imageObservationSchema, ['']),
  [METRICS.fixedTempName]: text('count'),
  [METRICS.writesOutside]: text('count'),
  [METRICS.overlapNotForced]: text('count'),
  [METRICS.failedTrial]: json(shapes.failedTrialSchema, ['count'], { legacy: legacy.legacyFailedTrial }),
  // A crash-image point not held at has neither value nor unit.
  [METRICS.notReachedTrial]: json(shapes.notReachedTrialSchema, ['count', ''], {
    legacy: legacy.legacyNotReachedTrial,
  }),
  [METRICS.syscallProfile]: text('durability gaps'),
  // A file system asked for but not made (core/run-suites.ts) is said with neither value nor unit.
  [METRICS.skipped]: text('count', ''),
  [METRICS.trialsPerSecond]: text('trials/s'),
  [METRICS.wallSeconds]: text('s'),
  // hook policy run
  [METRICS.hookCommand]: text(''),
  [METRICS.hookEnvVars]: text('count'),
  [METRICS.hookCorpusCases]: text('count'),
  [METRICS.hookCases]: text('count'),
  [METRICS.hookCalls]: text('count'),
  [METRICS.mutatingRewriteRate]: countsOf(),
  [METRICS.readOnlyRewriteRate]: countsOf(),
  [METRICS.unknownRewriteRate]: countsOf(),
  [METRICS.argsPreservedRate]: countsOf(),
  [METRICS.translatedRewrites]: text('count'),
  [METRICS.invalidOutputRate]: countsOf(),
  [METRICS.blockedRate]: countsOf(),
  [METRICS.deterministicRate]: countsOf(),
  [METRICS.hookLatencyP50]: text('ms'),
  [METRICS.hookLatencyP95]: text('ms'),
  [METRICS.hookFloorRuntime]: text(''),
  [METRICS.hookFloorCommand]: text(''),
  [METRICS.hookFloorSamples]: text('count'),
  [METRICS.hookFloorP50]: text('ms'),
  [METRICS.hookFloorP95]: text('ms'),
  [METRICS.rewritePrefix]: text('count'),
  [METRICS.mutatingRewrite]: offender(),
  [METRICS.argsLost]: offender(),
  [METRICS.invalidOutput]: offender(),
  [METRICS.nondeterministic]: offender(),
  [METRICS.blockedCommand]: offender(),
  [METRICS.translatedRewrite]: offender(),
  // hook audit of recorded sessions
  [METRICS.auditBashCalls]: text('count'),
  [METRICS.auditJoinedCalls]: text('count'),
  [METRICS.rewrittenCalls]: text('count'),
  [METRICS.rewrittenRetries]: text('count'),
  [METRICS.rewrittenFailures]: text('count'),
  [METRICS.nativeCalls]: text('count'),
  [METRICS.nativeRetries]: text('count'),
  [METRICS.nativeFailures]: text('count'),
  [METRICS.postRewriteRetryRate]: countsOf(),
  [METRICS.postRewriteFailureRate]: countsOf(),
  [METRICS.nativeRetryRate]: countsOf(),
  [METRICS.nativeFailureRate]: countsOf(),
  [METRICS.auditClassCalls]: text('count'),
  [METRICS.auditClassRewritten]: text('count'),
  [METRICS.auditFinding]: json(shapes.auditFindingSchema, ['bool'], { legacy: legacy.legacyAuditFinding }),
  [METRICS.auditFile]: json(shapes.auditFileSchema, ['count'], { legacy: legacy.legacyAuditFile }),
  // hook audit: computed by analyze, never written.
  [METRICS.postRewriteRetryPValue]: text(''),
  [METRICS.postRewriteFailurePValue]: text(''),
} as const satisfies Record<MetricName, DetailSpec>;

type Details = typeof DETAILS;
/** What a metric's detail holds once decoded: a string for a text detail, the schema's type for JSON. */
export type DetailOf<M extends MetricName> = Details[M] extends JsonDetail<infer S> ? z.infer<S> : string;

/** The spec of a metric, or undefined for a name the contract does not have. */
export function detailSpec(metric: string): DetailSpec | undefined {
  return Object.hasOwn(DETAILS, metric) ? (DETAILS as Record<string, DetailSpec>)[metric] : undefined;
}

/** The detail text a suite writes for `value`; throws when the value breaks the metric's schema (a suite's bug). */
export function encodeDetail<M extends MetricName>(metric: M, value: DetailOf<M>): string {
  const spec = detailSpec(metric);
  if (!spec) throw new Error(`no detail schema for metric ${metric}`);
  if (spec.kind === 'text') return String(value);
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`detail of ${metric} breaks its schema: ${issues.join('; ')}`);
  }
  return JSON.stringify(parsed.data);
}

/**
 * The detail as its metric's type, or undefined when there is nothing to read: an empty detail, or
 * one neither the schema nor 1.0.0's form matches (a hand-edited file). A text detail comes back as is.
 */
export function decodeDetail<M extends MetricName>(metric: M, detail: string): DetailOf<M> | undefined {
  const spec = detailSpec(metric);
  if (!spec) return undefined;
  if (spec.kind === 'text') return detail as DetailOf<M>;
  if (detail === '') return undefined;
  const fromJson = parseJson(detail);
  const parsed = fromJson === undefined ? undefined : spec.schema.safeParse(fromJson);
  if (parsed?.success) return parsed.data as DetailOf<M>;
  const old = spec.legacy?.(detail);
  const fromLegacy = old === undefined ? undefined : spec.schema.safeParse(old);
  return fromLegacy?.success ? (fromLegacy.data as DetailOf<M>) : undefined;
}

function parseJson(detail: string): unknown {
  if (!/^[[{]/.test(detail)) return undefined;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with a row's metric, unit or detail as this version writes them, or undefined when
 * nothing is: an unknown metric, a unit the metric does not have, a JSON detail its schema rejects.
 * The sink checks every row with it, so a suite that writes outside the contract fails its tests.
 */
export function rowContractProblem(row: { metric: string; unit: string; detail: string }): string | undefined {
  const spec = detailSpec(row.metric);
  if (!spec) return `metric ${row.metric} has no detail schema in core/schema/details.ts`;
  if (!spec.units.includes(row.unit)) {
    const expected = spec.units.map((unit) => `"${unit}"`).join(' or ');
    return `metric ${row.metric} has unit "${row.unit}", expected ${expected}`;
  }
  if (spec.kind === 'text') return undefined;
  if (row.detail === '') return spec.blank ? undefined : `metric ${row.metric} needs a detail`;
  const parsed = spec.schema.safeParse(parseJson(row.detail));
  return parsed.success ? undefined : `detail of ${row.metric} is not its JSON schema: ${row.detail.slice(0, 200)}`;
}
