import { z } from 'zod';

/**
 * The structured details a row can carry, as zod schemas. Counts are numbers in a JSON object, never
 * text a reader re-parses; details.ts says which metric carries which, and how a 1.0.0 file said it.
 */

/** k of n: a rate's numerator and denominator, so runs and shards pool by summing both. */
export const countsSchema = z
  .object({ k: z.number().int().nonnegative(), n: z.number().int().nonnegative() })
  .refine((counts) => counts.k <= counts.n, { message: 'k must not exceed n' });
export type Counts = z.infer<typeof countsSchema>;

/** k of n, and what was counted ("mutating cases"): hook's rates, whose n may be 0 when no such case ran. */
export const countsOfSchema = z
  .object({ k: z.number().int().nonnegative(), n: z.number().int().nonnegative(), of: z.string() })
  .refine((counts) => counts.k <= counts.n, { message: 'k must not exceed n' });
export type CountsOf = z.infer<typeof countsOfSchema>;

/**
 * One crash trial that broke a rule: where it was hit, what the target held, what the writer said and which rules
 * failed.
 */
export const failedTrialSchema = z.object({
  step: z.string(),
  fault: z.string(),
  held: z.string(),
  reported: z.string(),
  failed: z.array(z.string()),
});
export type FailedTrial = z.infer<typeof failedTrialSchema>;

/** A trial (or a crash-image point) that did not reach its step, and why; `fault` when one was aimed. */
export const notReachedTrialSchema = z.object({ step: z.string(), fault: z.string().optional(), reason: z.string() });
export type NotReachedTrial = z.infer<typeof notReachedTrialSchema>;

/** Steps (or crash-image points) a writer's path does not have, each with why. */
export const absentStepsSchema = z.array(z.object({ step: z.string(), reason: z.string() }));
export type AbsentSteps = z.infer<typeof absentStepsSchema>;

/** One explained power-loss violation: which check it broke (atomicity, durability, checker) and why. */
export const powerLossViolationSchema = z.object({ check: z.string(), why: z.string() });
export type PowerLossViolation = z.infer<typeof powerLossViolationSchema>;

/**
 * A wrapped command's crash-safety parity: the share of checked crash states that its checker or a per-file
 * check rejects, natively and through the wrapper (k of n each), and the verdict in words.
 */
export const wrapperCrashParitySchema = z.object({
  wrapper: z.string(),
  native: z.string(),
  nativeViolating: z.object({ k: z.number().int().nonnegative(), n: z.number().int().nonnegative() }),
  wrappedViolating: z.object({ k: z.number().int().nonnegative(), n: z.number().int().nonnegative() }),
  why: z.string(),
  /** Set when the comparison could not decide (a side not explored, or an excess too small to tell): no value. */
  notJudged: z.string().optional(),
});
export type WrapperCrashParity = z.infer<typeof wrapperCrashParitySchema>;

/** How a transport's spawn cost was obtained, and whether it is only an estimate (no noop command given). */
export const spawnOverheadSchema = z.object({ method: z.string(), estimated: z.boolean() });
export type SpawnOverhead = z.infer<typeof spawnOverheadSchema>;

/** parity: what differs in the repository after the wrapper's run, one entry per difference. */
export const sideEffectsSchema = z.object({ differences: z.array(z.string()) });
export type SideEffects = z.infer<typeof sideEffectsSchema>;

/** parity: native git's key stderr lines the wrapper's stderr lacked. */
export const missingSignalsSchema = z.object({ missing: z.array(z.string()) });
export type MissingSignals = z.infer<typeof missingSignalsSchema>;

/** The command classes hook/classify assigns. */
export const COMMAND_CLASSES = ['read_only', 'mutating', 'unknown'] as const;
export type CommandClassName = (typeof COMMAND_CLASSES)[number];

/**
 * A hook row about one command: the command line, its class, every distinct answer the hook gave
 * (in call order) and why the row exists. JSON, because command lines hold quotes, semicolons and pipes.
 */
export const offenderSchema = z.object({
  command: z.string(),
  class: z.enum(COMMAND_CLASSES),
  answers: z.array(z.string()),
  why: z.string().optional(),
});
export type OffenderDetail = z.infer<typeof offenderSchema>;

/** A recorded-session file the audit read. */
export const auditFileSchema = z.object({
  path: z.string(),
  kind: z.string(),
  malformed: z.number().int().nonnegative(),
});
export type AuditFileDetail = z.infer<typeof auditFileSchema>;

/** One audit finding: a rewritten call that was retried or failed, or a mutating command rewritten. */
export const auditFindingSchema = z.object({
  /** Where the call was recorded; a reader does not need them to list the finding. */
  sessionId: z.string().optional(),
  toolUseId: z.string().optional(),
  command: z.string(),
  rewritten: z.string(),
  class: z.enum(COMMAND_CLASSES),
  retried: z.boolean(),
  failed: z.boolean(),
});
export type AuditFindingDetail = z.infer<typeof auditFindingSchema>;

/** What a crash image's target held: the contents the check knows, or neither. */
export const IMAGE_HELD = ['old', 'new', 'missing', 'other'] as const;
export type ImageHeld = (typeof IMAGE_HELD)[number];

/** The detail of one `image_observation` row: one real crash image, observed beside what the model allows. */
export const imageObservationSchema = z.object({
  /** Where the writer was frozen ('exit' = right after it exited 0), and the call it had just made. */
  point: z.string(),
  after: z.string(),
  held: z.enum(IMAGE_HELD),
  /** What the file system's model allows the target to hold at that point. */
  allowed: z.array(z.enum(IMAGE_HELD)),
  unsound: z.boolean(),
  /** Leftover names in the target's directory besides the target. */
  leftovers: z.array(z.string()),
  /** The user's checker on the image: true = consistent; absent when none was given. */
  checker: z.boolean().optional(),
  /** Where the image was kept for a person to inspect (an unsound one, under --out). */
  kept: z.string().optional(),
});
export type ImageObservation = z.infer<typeof imageObservationSchema>;

/**
 * bench batch: what one count of a batch's trace is about, so a reader (and the fsync gate) needs no
 * other row: the files and unique parent directories of the batch, how many of the syncs were of a
 * directory, and how the trace was taken.
 */
export const batchCountsSchema = z.object({
  files: z.number().int().positive(),
  dirs: z.number().int().positive(),
  dirFsyncs: z.number().int().nonnegative(),
  method: z.string(),
});
export type BatchCounts = z.infer<typeof batchCountsSchema>;
