/**
 * Timing of one exploration at the largest size the harness writes (8 MiB in 128 writes):
 *   npx tsx crash/powerloss/explore.bench.ts
 * Prints wall time per model and case, building the space and checking ≤ 1000 states included.
 * Kept out of the unit tests on purpose: times are reported, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { explore } from './explore.js';
import { largePayloadRun } from './large-payload.js';
import type { ModelId } from './types.js';

const cases = [
  { name: 'fsync temp + fsync dir', fsyncTemp: true, fsyncDir: true },
  { name: 'no fsync at all', fsyncTemp: false, fsyncDir: false },
];
for (const model of ['posix', 'ext4-ordered'] as ModelId[]) {
  for (const { name, ...options } of cases) {
    const input = largePayloadRun(options);
    const started = performance.now();
    const result = explore(input, model, { maxStates: 1000, seed: 1 });
    const elapsed = performance.now() - started;
    console.log(
      `${model.padEnd(13)} ${name.padEnd(24)} ${elapsed.toFixed(0).padStart(6)} ms ` +
        ` states ${result.states}/${result.spaceSize}` +
        `${result.exhaustive ? ' (exhaustive)' : ' (sampled)'}  atomicity ${result.atomicity.violations}  ` +
        `durability ${result.durability.violations}`,
    );
  }
}
