import type { Suite } from '../core/suite.js';
import { BENCH_OPTIONS, benchOptionsSchema, resolveBenchSettings, type BenchOptions } from './options.js';
import { runBench } from './runner.js';

/**
 * Micro-I/O bench: latency p50/p95/p99 and throughput of every writer subject at
 * each size × durable/fast/unchanged, plus fsync/rename/bytes accounting from strace.
 */
export const benchSuite: Suite<BenchOptions> = {
  name: 'bench',
  summary: 'micro-I/O: latency p50/p95/p99, MiB/s, fsync/rename counts and write amplification of each writer (1 KiB / 128 KiB / 8 MiB × durable / fast / unchanged)',
  options: BENCH_OPTIONS,
  optionsSchema: benchOptionsSchema,
  preflight(ctx, options) {
    const settings = resolveBenchSettings(ctx.profile, options);
    return settings.plan.tracedWrites > 0 ? [{ tool: 'strace', binary: 'strace', purpose: 'bench fsync/rename/bytes accounting (--trace-writes 0 turns it off)' }] : [];
  },
  async run(ctx, options) {
    await runBench(ctx, resolveBenchSettings(ctx.profile, options));
  },
};
