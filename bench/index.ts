import type { Suite } from '../core/suite.js';
import { BENCH_OPTIONS, benchOptionsSchema, type BenchOptions } from './options.js';
import { planBench } from './plan.js';
import type { BenchPlan } from './types.js';
import { benchWork } from './work.js';
import { runBench } from './runner.js';

export { BENCH_OPTIONS, benchOptionsSchema, parseEngines, parseModes, type BenchOptions } from './options.js';

/**
 * Micro-I/O bench: latency p50/p95/p99 and throughput of every writer subject at
 * each size × durable/fast/unchanged, plus fsync/rename/bytes accounting from strace.
 */
export const benchSuite: Suite<BenchOptions, BenchPlan> = {
  name: 'bench',
  summary:
    'micro-I/O: latency p50/p95/p99, MiB/s, fsync/rename counts and write ' +
    'amplification of each writer (1 KiB / 128 KiB / 8 MiB × durable / fast / unchanged)',
  options: BENCH_OPTIONS,
  optionsSchema: benchOptionsSchema,
  perFileSystem: true,
  plan: planBench,
  needs(plan) {
    return plan.settings.plan.tracedWrites > 0
      ? [
          {
            tool: 'strace',
            binary: 'strace',
            purpose: 'bench fsync/rename/bytes accounting (--trace-writes 0 turns it off)',
          },
        ]
      : [];
  },
  plannedWork(plan) {
    return benchWork(plan.subjects, plan.sizes, plan.settings);
  },
  async run(ctx, plan) {
    await runBench(ctx, plan.settings);
  },
};
