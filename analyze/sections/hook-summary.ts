import { z } from 'zod';
import type { AuditSummary } from './hook-audit.js';

/** One hook in one env set as the summary says it. */
const hookLineSchema = z.object({
  template: z.string(),
  vars: z.string(),
  cases: z.number().nullable(),
  corpus_cases: z.number().nullable(),
  rates: z.record(z.string(), z.number().nullable()),
  /**
   * p95 net of the floor (the figure the gate judges), and the floor's own p95 and runtime; null when there is none.
   */
  latency: z.object({
    p95: z.number().nullable(),
    net_p95: z.number().nullable(),
    floor_p95: z.number().nullable(),
    floor_runtime: z.string().nullable(),
  }),
  offenders: z.record(z.string(), z.array(z.string())),
});

/**
 * The hook section's `--json` summary, and the model readiness decides on: a schema, so readiness
 * reads a typed value instead of casting whatever the section map holds.
 */
export const hookSummarySchema = z.object({
  /** Per hook, per env set. */
  hooks: z.record(z.string(), z.record(z.string(), hookLineSchema)),
  prefixes: z.array(
    z.object({
      hook: z.string(),
      env_set: z.string(),
      prefix: z.string(),
      cases: z.number(),
      parity_wrappers: z.array(z.string()),
    }),
  ),
  parity_wrappers: z.record(z.string(), z.string()),
  // Readiness does not read the audit: it stays as hook-audit.ts builds it.
  audit: z.custom<AuditSummary>((value) => typeof value === 'object' && value !== null).nullable(),
});
export type HookSummary = z.infer<typeof hookSummarySchema>;
