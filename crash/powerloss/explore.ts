/**
 * The crash-state explorer: every crash point of a fault-free run × every persistence choice the
 * model allows (or a seeded sample past `maxStates`), each judged for atomicity and, after the
 * writer reported success, durability. Violations come back smallest first: earliest crash point,
 * then fewest lost ops.
 */
import { explainViolation, targetName, type CheckName } from './explain.js';
import { MODELS, type PersistenceModel } from './models/index.js';
import { assertDenseIndices } from './op-facts.js';
import { DEFAULT_MAX_STATES, DEFAULT_SEED, selectStates } from './selection.js';
import { StateSpace } from './space.js';
import { ContentCache, lostOps, resolveEntries, type CrashState } from './state.js';
import { isAtomic, isDurable, viewTarget, type TargetView } from './target-view.js';
import type { JudgedTarget, ModelId, PowerLossInput } from './types.js';

export interface ExploreOptions {
  /** At most this many states are checked (default 1000); past it, a seeded sample. */
  maxStates?: number;
  /** Seed of the sample (default 1); the same seed checks the same states. */
  seed?: number;
}

export interface Violation {
  check: CheckName;
  /** The last issued op (-1: before the first). */
  crashAfter: number;
  /** That op's call, in words; undefined for a crash before the first op. */
  afterCall: string | undefined;
  /** Indices of issued entry and data ops on disk in this state. */
  persisted: number[];
  /** Indices of issued ops not (or not wholly) on disk. */
  lost: number[];
  /** What the judged file held. */
  target: TargetView;
  /** Which judged file: its index in `input.targets` and how explanations name it. */
  targetIndex: number;
  targetName: string;
  /** How many judged files fail this check in this state (1 for a single target). */
  failingTargets: number;
  explanation: string;
  state: CrashState;
}

export interface CheckCount {
  states: number;
  violations: number;
}

export interface Exploration {
  model: ModelId;
  /** States checked (each judges every target: a state with any target failing counts once). */
  states: number;
  /** Every state of the space was checked. */
  exhaustive: boolean;
  /** How many states the model allows in all; ">N" when past N = Number.MAX_SAFE_INTEGER. */
  spaceSize: number | `>${number}`;
  atomicity: CheckCount;
  durability: CheckCount;
  /**
   * Up to VIOLATIONS_KEPT violations of each check (atomicity first), smallest first: the smallest
   * state for each distinct thing a target held (the first such target when several do).
   */
  violations: Violation[];
}

/** How many violations of each check are explained. */
export const VIOLATIONS_KEPT = 5;

export function explore(input: PowerLossInput, model: ModelId, options: ExploreOptions = {}): Exploration {
  assertDenseIndices(input.ops);
  const persistence = MODELS[model];
  const space = new StateSpace(input, persistence);
  const selection = selectStates(space, options.maxStates ?? DEFAULT_MAX_STATES, options.seed ?? DEFAULT_SEED);
  const cache = new ContentCache(input);
  const lastCrashPoint = input.ops.length - 1;
  const atomicity: CheckCount = { states: 0, violations: 0 };
  const durability: CheckCount = { states: 0, violations: 0 };
  const smallest: Record<CheckName, Map<string, Candidate>> = { atomicity: new Map(), durability: new Map() };

  for (const number of selection.numbers) {
    const state = space.state(number);
    const entries = resolveEntries(input, state);
    const views = input.targets.map((target) => viewTarget(input, state, cache, target, entries));
    const judgeDurability = input.reportedSuccess && state.crashAfter === lastCrashPoint;
    const failing: Record<CheckName, number[]> = {
      atomicity: views.flatMap(({ view }, i) => (isAtomic(view, input.targets[i]!.old) ? [] : [i])),
      durability: judgeDurability ? views.flatMap(({ view }, i) => (isDurable(view) ? [] : [i])) : [],
    };
    atomicity.states++;
    if (judgeDurability) durability.states++;
    for (const check of ['atomicity', 'durability'] as const) {
      if (failing[check].length === 0) continue;
      if (check === 'atomicity') atomicity.violations++;
      else durability.violations++;
      const lost = lostOps(state);
      for (const targetIndex of failing[check]) {
        const { ino, view } = views[targetIndex]!;
        const failingTargets = failing[check].length;
        keepSmallest(smallest[check], { state, ino, view, lost, number, targetIndex, failingTargets });
      }
    }
  }

  const violations = (['atomicity', 'durability'] as const).flatMap((check) =>
    [...smallest[check].values()]
      .sort((a, b) => (isSmaller(a, b) ? -1 : 1))
      .slice(0, VIOLATIONS_KEPT)
      .map((candidate) => toViolation(input, check, candidate, persistence)),
  );
  return {
    model,
    states: selection.numbers.length,
    exhaustive: selection.exhaustive,
    spaceSize: Number.isFinite(space.size) ? space.size : `>${Number.MAX_SAFE_INTEGER}`,
    atomicity,
    durability,
    violations,
  };
}

interface Candidate {
  state: CrashState;
  ino: number | undefined;
  view: TargetView;
  lost: number[];
  number: number;
  targetIndex: number;
  failingTargets: number;
}

function isSmaller(a: Candidate, b: Candidate): boolean {
  if (a.state.crashAfter !== b.state.crashAfter) return a.state.crashAfter < b.state.crashAfter;
  if (a.lost.length !== b.lost.length) return a.lost.length < b.lost.length;
  if (a.number !== b.number) return a.number < b.number;
  return a.targetIndex < b.targetIndex;
}

/**
 * Keep the smallest violating state per distinct target content: five states that all show "the
 * old content" teach less than one each of "old", "0 bytes", "a prefix", "zeros".
 */
function keepSmallest(kept: Map<string, Candidate>, candidate: Candidate): void {
  const key = JSON.stringify(candidate.view);
  const other = kept.get(key);
  if (!other || isSmaller(candidate, other)) kept.set(key, candidate);
}

function toViolation(
  input: PowerLossInput,
  check: CheckName,
  candidate: Candidate,
  model: PersistenceModel,
): Violation {
  const { state, ino, view, lost, targetIndex, failingTargets } = candidate;
  const target = input.targets[targetIndex] as JudgedTarget;
  const lostSet = new Set(lost);
  const persisted = input.ops
    .slice(0, state.crashAfter + 1)
    .filter((op) => op.kind !== 'sync' && op.kind !== 'sync_all' && op.kind !== 'close' && !lostSet.has(op.index))
    .map((op) => op.index);
  return {
    check,
    crashAfter: state.crashAfter,
    afterCall: state.crashAfter < 0 ? undefined : input.ops[state.crashAfter]!.call,
    persisted,
    lost,
    target: view,
    targetIndex,
    targetName: targetName(input, target),
    failingTargets,
    explanation: explainViolation(input, state, check, ino, view, model, target, failingTargets),
    state,
  };
}
