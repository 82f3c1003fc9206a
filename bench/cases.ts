import { BENCH_ENGINES, BENCH_SCENARIOS, PRIMARY_ENGINE, type BenchEngine } from '../core/schema.js';
import { WRITE_MODES, type WriteMode } from '../core/writer/types.js';

/** Every bench row carries this scenario; mode and size_bytes say which write it was. */
export const SCENARIO = BENCH_SCENARIOS.write;
/** Rows about a transport's own cost (spawn, round trip), one per subject. */
export const CALIBRATION_SCENARIO = BENCH_SCENARIOS.calibration;
/** The one row saying the accounting pass was skipped (no usable strace). */
export const ACCOUNTING_SCENARIO = BENCH_SCENARIOS.accounting;
/** N files across K directories: one batch call against the single write, file after file. */
export const BATCH_SCENARIO = BENCH_SCENARIOS.batch;

/** What `--scenarios` selects: `write` is the timing pass with its calibration and accounting. */
export const BENCH_SCENARIO_CHOICES = [BENCH_SCENARIOS.write, BENCH_SCENARIOS.batch] as const;
export type BenchScenarioChoice = (typeof BENCH_SCENARIO_CHOICES)[number];
/** A default run does what it did before batches existed. */
export const DEFAULT_BENCH_SCENARIOS: readonly BenchScenarioChoice[] = [BENCH_SCENARIOS.write];

/** The three write modes: a changed write, durable; a changed write, fast; unchanged content (an idempotent skip). */
export const DEFAULT_MODES: readonly WriteMode[] = WRITE_MODES;

export const ENGINES = BENCH_ENGINES;
export type EngineName = BenchEngine;
export const DEFAULT_ENGINE: EngineName = PRIMARY_ENGINE;

export function sizeLabel(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return `${bytes}B`;
}
