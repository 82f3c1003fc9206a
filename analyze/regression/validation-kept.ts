/**
 * The runs validate-gate keeps under <dir>/runs (one CSV per comparison and arm) and the
 * validate-gate.json beside them: where they are, and reading them back to be judged again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseJsonFile } from '../../core/config.js';
import { readResultsCsv } from '../../core/csv.js';
import type { ResultRow } from '../../core/schema.js';
import type { ValidationRound } from './validation.js';

export type Arm = keyof ValidationRound;
export const ARMS: readonly Arm[] = ['base', 'again', 'slowed'];

/** The kept CSV of one arm of comparison `comparison` (1-based). */
export const keptRunFile = (dir: string, comparison: number, arm: Arm): string =>
  path.join(dir, 'runs', `c${String(comparison).padStart(3, '0')}-${arm}.csv`);

const savedSchema = z.object({
  command: z.string(),
  settings: z.object({
    subject: z.string(),
    sizeBytes: z.number(),
    mode: z.string(),
    rounds: z.number(),
    runsPerArm: z.number(),
    effect: z.number(),
    inject: z.enum(['spin', 'fsync']),
    samples: z.number(),
  }),
  injected: z.string(),
  calibrated_p50_ms: z.number(),
  machine_class: z.string(),
  load_start: z.array(z.number()),
  load_end: z.array(z.number()),
  minutes: z.number(),
});
export type SavedValidation = z.infer<typeof savedSchema>;

/** The first `count` runs (by run id) of an arm; all of them when `count` is undefined. */
function firstRuns(rows: readonly ResultRow[], count: number | undefined): ResultRow[] {
  if (count === undefined) return [...rows];
  const keep = new Set(
    [...new Set(rows.filter((row) => row.suite !== 'env').map((row) => row.run_id))].sort().slice(0, count),
  );
  return rows.filter((row) => keep.has(row.run_id));
}

/** An earlier validate-gate's saved summary and its kept rounds, each arm cut to its first `runsPerArm` runs. */
export function readKeptValidation(
  dir: string,
  runsPerArm?: number,
): { saved: SavedValidation; rounds: ValidationRound[] } {
  const saved = parseJsonFile(path.join(dir, 'validate-gate.json'), savedSchema);
  const rounds: ValidationRound[] = [];
  for (let i = 1; fs.existsSync(keptRunFile(dir, i, 'base')); i++) {
    const [base, again, slowed] = ARMS.map((arm) => firstRuns(readResultsCsv(keptRunFile(dir, i, arm)), runsPerArm));
    rounds.push({ base: base as ResultRow[], again: again as ResultRow[], slowed: slowed as ResultRow[] });
  }
  return { saved, rounds };
}
