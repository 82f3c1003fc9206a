import { formatValue } from '../format.js';
import { input, type Phrase } from '../phrase.js';
import type { LatencyFloor } from '../types.js';

/**
 * A floor whose p95 is above this share of the budget is too slow to judge against: the no-op alone
 * eats most of the budget, and a machine that slows a no-op that much slows the hook's own work too,
 * by a factor nothing measured says. Node's idle start on a 2-core VM was 44 ms p50 / 54 ms p95: ¾ of
 * the default 100 ms budget leaves it room, and a loaded machine goes past it (hook/README.md).
 */
export const FLOOR_LEVEL_SHARE = 0.75;
/**
 * A floor whose p95 is more than this share of the budget above its p50 is too noisy to judge
 * against: load came and went within the pass, and the difference of two p95s (hook − floor) can be
 * off by about that much either way. An idle no-op's p95 sits within a few ms of its p50.
 */
export const FLOOR_SPREAD_SHARE = 0.25;

/**
 * Why a latency measured beside this floor cannot be judged against `budget` (the gate's threshold,
 * as a thresholds file may have set it), or undefined when the floor was quiet enough. Never a pass,
 * never a fail: the instance is not judged, and says to measure again on a quieter machine.
 */
export function floorTooNoisy(floor: LatencyFloor, budget: number): Phrase | undefined {
  const ms = (value: number) => formatValue(value, 'ms');
  const noop = ['too noisy to judge: a no-op of ', input(floor.runtime)];
  const level = FLOOR_LEVEL_SHARE * budget;
  if (floor.p95 > level) {
    return [
      ...noop,
      ` took ${ms(floor.p95)} p95 beside the hook, over ¾ of the ${ms(budget)} budget ` +
        `(${ms(level)}): the machine (or the runtime's start) is too slow to tell ` +
        `the hook's own time from it; measure again on a quieter machine`,
    ];
  }
  const swing = FLOOR_SPREAD_SHARE * budget;
  if (floor.p95 - floor.p50 > swing) {
    return [
      ...noop,
      ` took ${ms(floor.p50)} p50 but ${ms(floor.p95)} p95 beside the hook, ` +
        `a swing over ¼ of the ${ms(budget)} budget (${ms(swing)}): the machine's ` +
        `load came and went; measure again on a quieter machine`,
    ];
  }
  return undefined;
}
