import type { Suite } from '../core/suite.js';
import { BENCH_OPTIONS, benchOptionsSchema, type BenchOptions } from './options.js';
import { planBench } from './plan.js';
import type { BenchPlan } from './types.js';
import { batchSubjects } from './batch-runner.js';
import { BATCH_SCENARIO, DEFAULT_BENCH_SCENARIOS, SCENARIO } from './cases.js';
import { BATCH_SHAPES, batchWork } from './plan.js';
import { benchWork } from './work.js';
import { runBench } from './runner.js';

export {
  BENCH_OPTIONS,
  benchOptionsSchema,
  parseEngines,
  parseModes,
  parseScenarios,
  type BenchOptions,
} from './options.js';

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
    const scenarios = plan.settings.scenarios ?? DEFAULT_BENCH_SCENARIOS;
    const write = scenarios.includes(SCENARIO) ? benchWork(plan.subjects, plan.sizes, plan.settings) : 0;
    if (!scenarios.includes(BATCH_SCENARIO)) return write;
    const shape = plan.settings.batch ?? BATCH_SHAPES.quick;
    const batch = batchWork(batchSubjects(plan.subjects).length, shape, plan.settings.plan.tracedWrites);
    return write + batch.timing + batch.trace;
  },
  async run(ctx, plan) {
    await runBench(ctx, plan.settings);
  },
};
