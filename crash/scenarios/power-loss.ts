import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { safeFileName } from '../../core/names.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import { checkDirectory } from '../checker.js';
import type { CrashRun } from '../context.js';
import { explore, type Exploration } from '../powerloss/explore.js';
import { distinctStates, materialize } from '../powerloss/materialize.js';
import { powerLossRows, powerLossSkipped, type CheckerOutcome } from '../powerloss/rows.js';
import type { ModelId, PowerLossInput } from '../powerloss/types.js';
import { CONSERVATIVE_MODEL, judgingModel } from '../../core/schema.js';

/** On the workspace's own file system: the conservative model is gated; ext4's default mount is reported beside it. */
export const POWER_LOSS_MODELS: readonly ModelId[] = ['posix', 'ext4-ordered'];

/**
 * The models a pass explores: posix first (the conservative one), then the fresh file system's own, which judges its
 * rows.
 */
export function modelsFor(fsName: string): readonly ModelId[] {
  if (fsName === '') return POWER_LOSS_MODELS;
  return [...new Set<ModelId>([CONSERVATIVE_MODEL, judgingModel(fsName)])];
}

/**
 * A power loss at every point of the writer's own fault-free run: the recorded trace becomes
 * logical operations, each persistence model says which subsets of them can be on disk, and every
 * such state is judged (old or new content; after a reported success, the new content). What a
 * kill cannot show — a missing fsync — shows here.
 */
export async function powerLoss(run: CrashRun, subject: WriterSubject, size: number): Promise<void> {
  const recordings = await run.recordings(subject, size);
  if ('error' in recordings) {
    run.ctx.sink.addAll(powerLossSkipped(subject.name, size, `not run: ${recordings.error}`));
    return;
  }
  if ('notJudged' in recordings) {
    run.markNotJudged('power_loss', subject, size, recordings.notJudged);
    return;
  }
  const { input, unknownBytes, notes } = recordings.translation;
  const options = { maxStates: run.plan.maxStates, seed: run.ctx.seed };
  const explored = exploreJudged(run, input, options, recordings.unseen);
  if ('notJudged' in explored) {
    run.markNotJudged('power_loss', subject, size, explored.notJudged);
    return;
  }
  for (const { model, exploration, exploreMs } of explored.explored) {
    const checker = run.settings.checker
      ? await runChecker(run, subject, size, input, model, options, exploration)
      : undefined;
    run.ctx.sink.addAll(
      powerLossRows({
        subject: subject.name,
        size,
        seed: run.ctx.seed,
        exploration,
        exploreMs,
        checker,
        unknownBytes,
        opCount: input.ops.length,
        notes,
      }),
    );
  }
}

export interface ExploredModel {
  model: ModelId;
  exploration: Exploration;
  exploreMs: number;
}

/**
 * The run's models explored over `input`, or why they are no verdict: a writer that also submits I/O through a ring
 * (`unseen`) is judged on its visible calls only when they suffice, since a violation could be a sync it submitted
 * where strace cannot see.
 */
export function exploreJudged(
  run: CrashRun,
  input: PowerLossInput,
  options: { maxStates: number; seed: number },
  unseen: string | undefined,
): { explored: ExploredModel[] } | { notJudged: string } {
  const explored = modelsFor(run.ctx.trials.fsName).map((model) => {
    const started = performance.now();
    const exploration = explore(input, model, options);
    return { model, exploration, exploreMs: performance.now() - started };
  });
  const gated = explored.find((entry) => entry.model === judgingModel(run.ctx.trials.fsName));
  if (unseen && gated && gated.exploration.atomicity.violations + gated.exploration.durability.violations > 0)
    return {
      notJudged:
        `it uses ${unseen}, which strace cannot see: a sync submitted ` +
        `there would be invisible, so the violations its visible calls show are not a verdict`,
    };
  return { explored };
}

/**
 * Runs the user's checker once per distinct crash state (materialized in a scratch directory).
 * A checker that crashes or hangs is an error of the run, never a pass.
 */
async function runChecker(
  run: CrashRun,
  subject: WriterSubject,
  size: number,
  input: PowerLossInput,
  model: ModelId,
  options: { maxStates: number; seed: number },
  exploration: Exploration,
): Promise<CheckerOutcome> {
  const checker = run.settings.checker as NonNullable<CrashRun['settings']['checker']>;
  const scratch = run.ctx.workspace.dir('crash', 'powerloss-states', `${safeFileName(subject.name)}-${size}-${model}`);
  const outcome: CheckerOutcome = { states: 0, violations: 0, distinct: 0, first: undefined };
  try {
    for (const distinct of distinctStates(input, model, options)) {
      await materialize(input, distinct.state, scratch);
      const { consistent, said } = await checkDirectory(
        checker,
        scratch,
        `--crash-checker on a crash state of ${subject.name} (${model})`,
      );
      outcome.distinct += 1;
      outcome.states += distinct.sharedBy;
      if (!consistent) {
        outcome.violations += distinct.sharedBy;
        outcome.first ??= said;
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (outcome.states !== exploration.states)
    outcome.note = `${outcome.states} of ${exploration.states} states reached the checker`;
  return outcome;
}
