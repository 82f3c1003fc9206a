/** What a judged file holds in a crash state, in the terms the checks and explanations use. */
import type { ContentCache, CrashState } from './state.js';
import { firstTarget, resolveEntries, resolveTarget } from './state.js';
import type { InodeId, JudgedTarget, PowerLossInput } from './types.js';

export type TargetView =
  | { kind: 'absent' }
  | { kind: 'old'; size: number }
  | { kind: 'fresh'; size: number }
  | { kind: 'other'; size: number; shape: 'empty' | 'zeros' | 'fresh-prefix' | 'mixed'; firstDifference: number };

export function viewTarget(
  input: PowerLossInput,
  state: CrashState,
  cache: ContentCache,
  target: JudgedTarget = firstTarget(input),
  entries: Map<InodeId, Map<string, InodeId>> = resolveEntries(input, state),
): { ino: InodeId | undefined; view: TargetView } {
  const ino = resolveTarget(input, state, target, entries);
  if (ino === undefined) return { ino, view: { kind: 'absent' } };
  if (input.initial.dirs.has(ino)) return { ino, view: { kind: 'other', size: 0, shape: 'mixed', firstDifference: 0 } };
  // Compared once per distinct outcome of the file, not once per state (per target: each has its own old and new).
  const key = input.targets.length === 1 ? 'view' : `view:${input.targets.indexOf(target)}`;
  const view = cache.memo<TargetView>(state, ino, key, (content) => {
    if (content.equals(target.fresh)) return { kind: 'fresh', size: content.size };
    if (target.old && content.equals(target.old)) return { kind: 'old', size: content.size };
    const shape =
      content.size === 0
        ? 'empty'
        : content.isAllZero()
          ? 'zeros'
          : content.isPrefixOf(target.fresh)
            ? 'fresh-prefix'
            : 'mixed';
    return { kind: 'other', size: content.size, shape, firstDifference: content.firstDifference(target.fresh) };
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
