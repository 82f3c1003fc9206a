/**
 * Which states of a space get checked: all of them when there are at most `maxStates`; past that a
 * seeded sample that always keeps, budget permitting, every state of the last crash point (where
 * durability is judged; else that crash point's corners first) and the two corners of every block
 * (everything issued persisted; every file at its last-listed, most-torn outcome), then uniform
 * draws.
 */
import { randomBelow, seededRandom } from '../../core/rng.js';
import type { StateSpace } from './space.js';

export const DEFAULT_MAX_STATES = 1000;
export const DEFAULT_SEED = 1;

export interface Selection {
  /** State numbers, ascending. */
  numbers: number[];
  exhaustive: boolean;
}

export function selectStates(space: StateSpace, maxStates = DEFAULT_MAX_STATES, seed = DEFAULT_SEED): Selection {
  const budget = Math.max(1, Math.floor(maxStates));
  if (space.size <= budget) return { numbers: Array.from({ length: space.size }, (_, n) => n), exhaustive: true };

  const random = seededRandom(seed);
  const chosen = new Set<number>();
  const lastCrashPoint = space.blocks[space.blocks.length - 1]!.crashAfter;
  const finalBlocks = space.blocks.filter((block) => block.crashAfter === lastCrashPoint);
  const finalCount = finalBlocks.reduce((sum, block) => sum + block.count, 0);
  if (finalCount <= budget / 2) {
    for (const block of finalBlocks) for (let i = 0; i < block.count; i++) chosen.add(block.first + i);
  }

  // The last crash point's corners first (durability is judged only there), then the others.
  const cornersOf = (blocks: typeof space.blocks): number[] =>
    blocks.flatMap((block) => [block.first, block.first + block.count - 1]);
  const corners = [
    ...cornersOf(finalBlocks),
    ...shuffle(cornersOf(space.blocks.filter((block) => block.crashAfter !== lastCrashPoint)), random),
  ];
  const cornerBudget = Math.floor((budget * 3) / 4);
  for (const corner of corners) {
    if (chosen.size >= cornerBudget) break;
    chosen.add(corner);
  }

  // Uniform draws; the attempt cap only matters when the space is barely larger than the budget.
  for (let attempts = 0; chosen.size < budget && attempts < budget * 50; attempts++) {
    chosen.add(randomBelow(random, space.size));
  }
  return { numbers: [...chosen].sort((a, b) => a - b), exhaustive: false };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
