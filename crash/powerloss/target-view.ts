/** What the target holds in a crash state, in the terms the checks and explanations use. */
import type { ContentCache, CrashState } from './state.js';
import { resolveTarget } from './state.js';
import type { InodeId, PowerLossInput } from './types.js';

export type TargetView =
  | { kind: 'absent' }
  | { kind: 'old'; size: number }
  | { kind: 'fresh'; size: number }
  | { kind: 'other'; size: number; shape: 'empty' | 'zeros' | 'fresh-prefix' | 'mixed'; firstDifference: number };

export function viewTarget(
  input: PowerLossInput,
  state: CrashState,
  cache: ContentCache,
): { ino: InodeId | undefined; view: TargetView } {
  const ino = resolveTarget(input, state);
  if (ino === undefined) return { ino, view: { kind: 'absent' } };
  if (input.initial.dirs.has(ino)) return { ino, view: { kind: 'other', size: 0, shape: 'mixed', firstDifference: 0 } };
  // Compared once per distinct outcome of the target's file, not once per state.
  const view = cache.memo<TargetView>(state, ino, 'view', (content) => {
    if (content.equals(input.fresh)) return { kind: 'fresh', size: content.size };
    if (input.old && content.equals(input.old)) return { kind: 'old', size: content.size };
    const shape =
      content.size === 0
        ? 'empty'
        : content.isAllZero()
          ? 'zeros'
          : content.isPrefixOf(input.fresh)
            ? 'fresh-prefix'
            : 'mixed';
    return { kind: 'other', size: content.size, shape, firstDifference: content.firstDifference(input.fresh) };
  });
  return { ino, view };
}

/** Atomicity: exactly old or exactly fresh; absent only when there was no old file. */
export function isAtomic(view: TargetView, old: Buffer | undefined): boolean {
  return view.kind === 'fresh' || view.kind === 'old' || (view.kind === 'absent' && old === undefined);
}

/** Durability (after the writer reported success): exactly fresh. */
export function isDurable(view: TargetView): boolean {
  return view.kind === 'fresh';
}
