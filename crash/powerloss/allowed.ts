/**
 * What a persistence model allows the target to hold after a power loss at one crash point: the
 * yardstick a real crash image is held to. An image whose target the model does not allow is a
 * defect of the model (it promised something the disk did not keep).
 */
import type { ImageHeld } from '../../core/schema.js';
import { MODELS } from './models/index.js';
import { StateSpace } from './space.js';
import { ContentCache } from './state.js';
import { viewTarget, type TargetView } from './target-view.js';
import type { ModelId, PowerLossInput } from './types.js';

/** States looked at before the answer is given up as incomplete (the kinds are few; this is seldom reached). */
export const ALLOWED_STATES_LIMIT = 200_000;

export interface Allowed {
  /** The kinds of target content the model allows at the crash point. */
  held: ImageHeld[];
  /** Every state at the crash point was looked at: a kind not listed is one the model forbids. */
  complete: boolean;
}

export function heldOf(view: TargetView): ImageHeld {
  switch (view.kind) {
    case 'absent':
      return 'missing';
    case 'fresh':
      return 'new';
    case 'old':
      return 'old';
    default:
      return 'other';
  }
}

/** The target kinds `model` allows after a power loss right after op `crashAfter` (every op up to it issued). */
export function allowedAt(
  input: PowerLossInput,
  model: ModelId,
  crashAfter: number,
  limit = ALLOWED_STATES_LIMIT,
): Allowed {
  const space = new StateSpace(input, MODELS[model]);
  const cache = new ContentCache(input);
  const held = new Set<ImageHeld>();
  let looked = 0;
  for (const block of space.blocks) {
    if (block.crashAfter !== crashAfter) continue;
    for (let n = block.first; n < block.first + block.count; n++) {
      if (looked++ >= limit) return { held: order(held), complete: false };
      held.add(heldOf(viewTarget(input, space.state(n), cache).view));
      if (held.size === 4) return { held: order(held), complete: true };
    }
  }
  return { held: order(held), complete: true };
}

function order(held: ReadonlySet<ImageHeld>): ImageHeld[] {
  return (['old', 'new', 'missing', 'other'] as const).filter((kind) => held.has(kind));
}
