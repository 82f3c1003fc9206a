import { z } from 'zod';

/**
 * The parity section's `--json` summary, and the model readiness decides on: a schema, so readiness
 * reads a typed value instead of casting whatever the section map holds.
 */
export const paritySummarySchema = z.object({
  /** Per wrapper, per rate metric: the rate, over how many cases, and which cases mismatched (unlisted) or were excused. */
  wrappers: z.record(z.string(), z.record(z.string(), z.object({ rate: z.number().nullable(), cases: z.number(), mismatches: z.array(z.string()), known: z.array(z.string()) }))),
  /** The built-in control wrapper, which must score 100%. */
  control: z.string(),
  cases_run: z.number(),
  mutating_cases_run: z.number(),
  cases_in_matrix: z.number().nullable(),
  /** Cases where native git did not behave as the case expects. */
  native_unexpected: z.array(z.string()),
});
export type ParitySummary = z.infer<typeof paritySummarySchema>;
