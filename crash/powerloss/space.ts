/**
 * The crash-state space of one run under one model: for each crash point and each allowed
 * metadata choice, a "block" of states, one per combination of the written files' outcomes.
 * States are numbered 0..size-1 across blocks (mixed radix inside a block), so the explorer can
 * enumerate them all or draw a seeded sample by number without materializing the rest.
 */
import type { PersistenceModel } from './models/model.js';
import type { CrashState, FileOutcome, MetadataChoice } from './state.js';
import type { PowerLossInput } from './types.js';

export interface StateBlock {
  crashAfter: number;
  meta: MetadataChoice;
  /** One list per written file; a state takes one outcome from each. */
  outcomes: FileOutcome[][];
  /** How many states: the product of the list lengths (may exceed 2^53 in theory: then Infinity). */
  count: number;
  /** Number of the block's first state. */
  first: number;
}

export class StateSpace {
  readonly blocks: StateBlock[] = [];
  /** Total states; Infinity when past Number.MAX_SAFE_INTEGER. */
  readonly size: number;

  constructor(input: PowerLossInput, model: PersistenceModel) {
    let total = 0;
    for (let crashAfter = -1; crashAfter < input.ops.length; crashAfter++) {
      for (const meta of model.metadataChoices(input, crashAfter)) {
        const outcomes = model.fileOutcomes(input, crashAfter, meta);
        const product = outcomes.reduce((acc, list) => acc * list.length, 1);
        const count = Number.isSafeInteger(product) ? product : Infinity;
        this.blocks.push({ crashAfter, meta, outcomes, count, first: total });
        total = Number.isSafeInteger(total + count) ? total + count : Infinity;
      }
    }
    this.size = total;
  }

  /** State number `n` (0 ≤ n < size). */
  state(n: number): CrashState {
    const block = this.blockOf(n);
    let rest = n - block.first;
    const files = new Map<number, FileOutcome>();
    for (const list of block.outcomes) {
      const outcome = list[rest % list.length]!;
      rest = Math.floor(rest / list.length);
      files.set(outcome.ino, outcome);
    }
    return { crashAfter: block.crashAfter, meta: block.meta, files };
  }

  blockOf(n: number): StateBlock {
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.blocks[mid]!.first <= n) low = mid;
      else high = mid - 1;
    }
    return this.blocks[low]!;
  }
}
