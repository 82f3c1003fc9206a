import { z } from 'zod';
import { parseJsonFile } from '../../core/config.js';
import { METRICS } from '../../core/schema.js';

/** The per-case flags a known difference can excuse. */
export const EXCUSABLE_METRICS = [METRICS.exitCodeMatch, METRICS.sideEffectMatch, METRICS.stderrSignalMatch] as const;

const entrySchema = z.strictObject({
  case: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/, 'a parity case id, like push.auth-failed'),
  metric: z.enum(EXCUSABLE_METRICS, { error: `one of ${EXCUSABLE_METRICS.join(', ')}` }),
  /** Only this wrapper; absent: every wrapper. */
  wrapper: z.string().min(1).optional(),
  rationale: z.string().trim().min(1, 'say why this difference is acceptable'),
});

/**
 * The parity known-differences file: mismatches a maintainer has looked at and accepted, each with
 * its reason. They stay in the report, marked known; anything not listed fails its gate.
 *
 * ```json
 * { "differences": [
 *   { "case": "push.auth-failed", "metric": "stderr_signal_match", "wrapper": "mytool",
 *     "rationale": "mytool replaces git's auth line with its own login hint" } ] }
 * ```
 */
export const knownDifferencesSchema = z.strictObject({
  $comment: z.string().optional(),
  differences: z.array(entrySchema),
});

export type KnownDifference = z.infer<typeof entrySchema>;

/** Reads and validates the file; InputError naming file and key on any defect (nothing is written then). */
export function loadKnownDifferences(file: string | undefined): KnownDifference[] {
  if (!file) return [];
  return parseJsonFile(file, knownDifferencesSchema, 'known-differences file').differences;
}

export function findKnown(
  known: readonly KnownDifference[],
  scenario: string,
  subject: string,
  metric: string,
): KnownDifference | undefined {
  return known.find(
    (entry) =>
      entry.case === scenario && entry.metric === metric && (entry.wrapper === undefined || entry.wrapper === subject),
  );
}
