import { z } from 'zod';
import { PARITY_CONTROL } from '../gates/parity.js';
import { EXCUSABLE_METRICS } from './parity-known.js';
import { RATE_OF, type WrapperRates } from './parity-pairs.js';

/**
 * The parity section's `--json` summary, and the model readiness decides on: a schema, so readiness
 * reads a typed value instead of casting whatever the section map holds.
 */
export const paritySummarySchema = z.object({
  /**
   * Per wrapper, per rate metric: the rate, over how many cases, and which cases mismatched (unlisted) or were
   * excused.
   */
  wrappers: z.record(
    z.string(),
    z.record(
      z.string(),
      z.object({
        rate: z.number().nullable(),
        cases: z.number(),
        mismatches: z.array(z.string()),
        known: z.array(z.string()),
      }),
    ),
  ),
  /** The built-in control wrapper, which must score 100%. */
  control: z.string(),
  cases_run: z.number(),
  mutating_cases_run: z.number(),
  cases_in_matrix: z.number().nullable(),
  /** Cases where native git did not behave as the case expects. */
  native_unexpected: z.array(z.string()),
});
export type ParitySummary = z.infer<typeof paritySummarySchema>;

/**
 * The summary from each wrapper's rates and what the matrix ran: mismatches a known difference excuses are listed
 * apart.
 */
export function paritySummaryOf(
  wrappers: readonly WrapperRates[],
  run: { casesRun: number; mutatingCasesRun: number; casesInMatrix: number | null; nativeUnexpected: string[] },
): ParitySummary {
  return {
    wrappers: Object.fromEntries(
      wrappers.map((wrapper) => [
        wrapper.subject,
        Object.fromEntries(
          EXCUSABLE_METRICS.map((flag) => {
            const rate = wrapper.rates[flag];
            return [
              RATE_OF[flag],
              {
                rate: rate.cases ? rate.matches / rate.cases : null,
                cases: rate.cases,
                mismatches: rate.mismatches.filter((pair) => !pair.flags[flag]?.known).map((pair) => pair.scenario),
                known: rate.known.map((pair) => pair.scenario),
              },
            ];
          }),
        ),
      ]),
    ),
    control: PARITY_CONTROL,
    cases_run: run.casesRun,
    mutating_cases_run: run.mutatingCasesRun,
    cases_in_matrix: run.casesInMatrix,
    native_unexpected: run.nativeUnexpected,
  };
}
