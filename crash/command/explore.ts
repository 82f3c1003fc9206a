/**
 * A command's crash states under one persistence model: a seeded sample of at most `maxStates`
 * states (all of them when the space is that small), each judged by the built-in per-file checks,
 * and each distinct tree among them given to the user's checker in a seeded order until the time
 * budget runs out. What was checked of how much is part of the result, never left implicit.
 */
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../core/rng.js';
import { treeKey } from '../powerloss/materialize.js';
import { MODELS } from '../powerloss/models/index.js';
import { selectStates } from '../powerloss/selection.js';
import { StateSpace } from '../powerloss/space.js';
import { ContentCache, lostOps, type CrashState } from '../powerloss/state.js';
import type { ModelId, PowerLossInput } from '../powerloss/types.js';
import { fileViolations, type FileCheckName, type FileViolation, type PlacedFile } from './file-checks.js';

export type CommandCheck = FileCheckName | 'checker';

export interface CheckCount {
  states: number;
  violations: number;
}

export interface ExplainedViolation {
  check: CommandCheck;
  explanation: string;
}

export interface CommandExploration {
  model: ModelId;
  /** States the model allows in all (Infinity past 2^53). */
  spaceSize: number;
  /** States sampled (all when exhaustive). */
  sampled: number;
  exhaustive: boolean;
  /** Distinct trees among the sampled states. */
  distinctTrees: number;
  /** Distinct trees the checker ran on before the budget ran out, and the sampled states they stand for. */
  checkedTrees: number;
  atomicity: CheckCount;
  durability: CheckCount;
  checker: CheckCount;
  /** States (among those the checker judged) that the checker or a per-file check rejects. */
  violating: CheckCount;
  /** The time budget ran out before every distinct tree was checked. */
  budgetSpent: boolean;
  /** The first line the checker said for its smallest rejected state. */
  checkerSaid?: string;
  violations: ExplainedViolation[];
  elapsedMs: number;
  /**
   * What makes two explorations state for state the same: the ops' kinds and the sample. Two runs
   * with one signature (a command and a wrapper that only passes it through) check the same trees
   * in the same seeded order.
   */
  signature: string;
  /**
   * Per distinct tree in the order it was checked: how many states it stands for, and how many of them
   * the checker or a per-file check rejects.
   */
  checkedInOrder: { states: number; rejected: number; checkerRejected: number }[];
}

export interface ExploreCommandOptions {
  maxStates: number;
  seed: number;
  /** Wall-clock budget for the whole exploration, the checker runs included. */
  budgetMs: number;
  files: readonly PlacedFile[];
  /** Checker runs at once (each materializes into its own `slot`). */
  jobs: number;
  /** Materializes a state and runs the checker on it. */
  check(state: CrashState, slot: number): Promise<{ consistent: boolean; said: string }>;
}

/** How many violations of each check are explained in the rows. */
export const EXPLAINED_PER_CHECK = 2;

interface Group {
  state: CrashState;
  numbers: number[];
  fileViolations: Map<number, FileViolation[]>;
}

export async function exploreCommand(
  input: PowerLossInput,
  model: ModelId,
  options: ExploreCommandOptions,
): Promise<CommandExploration> {
  const started = performance.now();
  const space = new StateSpace(input, MODELS[model]);
  const selection = selectStates(space, options.maxStates, options.seed);
  const cache = new ContentCache(input);
  const last = input.ops.length - 1;
  const atomicity: CheckCount = { states: 0, violations: 0 };
  const durability: CheckCount = { states: 0, violations: 0 };
  const smallestFile = new Map<string, { state: CrashState; violation: FileViolation }>();
  const groups = new Map<string, Group>();
  const applies = { atomicity: options.files.length > 0, durability: options.files.some((file) => file.durable) };

  for (const number of selection.numbers) {
    const state = space.state(number);
    const violations = fileViolations(input, state, cache, options.files);
    if (applies.atomicity) atomicity.states++;
    if (applies.durability && state.crashAfter === last) durability.states++;
    if (violations.some((v) => v.check === 'atomicity')) atomicity.violations++;
    if (violations.some((v) => v.check === 'durability')) durability.violations++;
    for (const violation of violations) {
      const key = `${violation.check}|${violation.file.label}`;
      const kept = smallestFile.get(key);
      if (!kept || isSmaller(state, kept.state)) smallestFile.set(key, { state, violation });
    }
    const key = treeKey(input, state, cache);
    const group = groups.get(key);
    if (group) group.numbers.push(number);
    else groups.set(key, { state, numbers: [number], fileViolations: new Map() });
    if (violations.length > 0) (group ?? groups.get(key)!).fileViolations.set(number, violations);
  }

  // A seeded order, so a budget that runs out leaves a fair sample of crash points checked, not the first ones.
  const order = shuffle([...groups.values()], seededRandom(options.seed));
  const checker: CheckCount = { states: 0, violations: 0 };
  const violating: CheckCount = { states: 0, violations: 0 };
  let checkedTrees = 0;
  let smallestRejected: { state: CrashState; said: string } | undefined;
  let budgetSpent = false;
  let next = 0;
  const checkedInOrder: CommandExploration['checkedInOrder'] = [];
  // A checker run is started only when one of its usual length still fits in the budget, so the
  // exploration ends within it instead of one run past it.
  let checkerMs = 0;
  let checkerRuns = 0;
  const worker = async (slot: number): Promise<void> => {
    while (next < order.length) {
      const usual = checkerRuns ? (1.5 * checkerMs) / checkerRuns : 0;
      if (performance.now() - started + usual > options.budgetMs) {
        budgetSpent = true;
        return;
      }
      const position = next++;
      const group = order[position]!;
      const checkStarted = performance.now();
      const verdict = await options.check(group.state, slot);
      checkerMs += performance.now() - checkStarted;
      checkerRuns++;
      checkedInOrder[position] = {
        states: group.numbers.length,
        rejected: verdict.consistent ? group.fileViolations.size : group.numbers.length,
        checkerRejected: verdict.consistent ? 0 : group.numbers.length,
      };
      checkedTrees++;
      checker.states += group.numbers.length;
      violating.states += group.numbers.length;
      if (!verdict.consistent) {
        checker.violations += group.numbers.length;
        violating.violations += group.numbers.length;
        if (!smallestRejected || isSmaller(group.state, smallestRejected.state))
          smallestRejected = { state: group.state, said: verdict.said };
      } else violating.violations += group.fileViolations.size;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, (_, slot) => worker(slot)));

  const violations: ExplainedViolation[] = [];
  for (const check of ['atomicity', 'durability'] as const) {
    const kept = [...smallestFile.values()]
      .filter((entry) => entry.violation.check === check)
      .sort((a, b) => (isSmaller(a.state, b.state) ? -1 : 1))
      .slice(0, EXPLAINED_PER_CHECK);
    for (const { state, violation } of kept)
      violations.push({
        check,
        explanation: `${violation.file.label} held ${violation.held}: ${explainState(input, state)}`,
      });
  }
  if (smallestRejected) {
    const said = smallestRejected.said || '(nothing)';
    violations.push({
      check: 'checker',
      explanation: `your checker said "${said}": ${explainState(input, smallestRejected.state)}`,
    });
  }
  return {
    model,
    spaceSize: space.size,
    sampled: selection.numbers.length,
    exhaustive: selection.exhaustive,
    distinctTrees: groups.size,
    checkedTrees,
    atomicity,
    durability,
    checker,
    violating,
    budgetSpent,
    signature: JSON.stringify([input.ops.map((op) => op.kind), space.size, selection.numbers.length, groups.size]),
    checkedInOrder,
    ...(smallestRejected ? { checkerSaid: smallestRejected.said } : {}),
    violations,
    elapsedMs: performance.now() - started,
  };
}

/** Earlier crash point first, then fewer lost calls. */
function isSmaller(a: CrashState, b: CrashState): boolean {
  if (a.crashAfter !== b.crashAfter) return a.crashAfter < b.crashAfter;
  return lostOps(a).length < lostOps(b).length;
}

/** How many lost calls an explanation names before it says "and N more". */
const LOST_NAMED = 4;

/** "power lost right after #12 rename(…); not on disk: #9 write(…), … (2 of 12 calls)". */
export function explainState(input: PowerLossInput, state: CrashState): string {
  const issued = state.crashAfter + 1;
  const point =
    state.crashAfter < 0
      ? 'power lost before its first call'
      : `power lost right after #${state.crashAfter} ${input.ops[state.crashAfter]!.call}`;
  const lost = lostOps(state);
  if (lost.length === 0) return `${point}; every call issued before it is on disk`;
  const named = lost.slice(0, LOST_NAMED).map((index) => `#${index} ${input.ops[index]!.call}`);
  const more = lost.length > LOST_NAMED ? `, and ${lost.length - LOST_NAMED} more` : '';
  return `${point}; not on disk: ${named.join(', ')}${more} (${lost.length} of the ${issued} calls issued)`;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
