/**
 * Power loss of a whole command: its work directory is prepared fresh, the command runs once under
 * strace, the trace becomes logical operations on every file and directory under the work directory
 * (tree-ops.ts), and each persistence model's crash states are judged by the per-file checks and,
 * materialized as directories, by the command's checker.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RowInput } from '../../core/schema.js';
import { checkDirectory } from '../checker.js';
import type { CrashRun } from '../context.js';
import { materialize } from '../powerloss/materialize.js';
import { ContentCache } from '../powerloss/state.js';
import { modelsFor } from '../scenarios/power-loss.js';
import { exploreCommand, type CommandExploration } from './explore.js';
import { placedFiles } from './file-checks.js';
import type { CommandPlace } from './record.js';
import { commandPowerLossRows } from './rows.js';
import type { TreeTranslation } from './tree-ops.js';

export interface CommandBudget {
  maxStates: number;
  /** Per model: the exploration with its checker runs stops here. */
  budgetMs: number;
  checkerTimeoutMs: number;
  /** Checker runs at once. */
  jobs: number;
}

export interface CommandPowerLossOutcome {
  rows: RowInput[];
  /** Per model, when the command was judged. */
  explorations: CommandExploration[];
}

/** Every model's crash states of the recorded run, judged (the rows and, for parity, the explorations). */
export async function commandPowerLoss(
  run: CrashRun,
  place: CommandPlace,
  translation: TreeTranslation,
  budget: CommandBudget,
): Promise<CommandPowerLossOutcome> {
  const { command } = place;
  const cache = new ContentCache(translation.input);
  const files = placedFiles(translation.input, cache, (ino) => dirPath(translation, ino));
  const rows: RowInput[] = [];
  const explorations: CommandExploration[] = [];
  for (const model of modelsFor(run.ctx.trials.fsName)) {
    const scratch = path.join(place.sandbox.root, 'states', model);
    const slotDir = (slot: number): string => path.join(scratch, String(slot));
    try {
      const exploration = await exploreCommand(translation.input, model, {
        maxStates: budget.maxStates,
        seed: run.ctx.seed,
        budgetMs: budget.budgetMs,
        files,
        jobs: budget.jobs,
        check: async (state, slot) => {
          await materialize(translation.input, state, slotDir(slot), cache);
          return checkDirectory(
            { argv: command.checker.argv, timeoutMs: budget.checkerTimeoutMs },
            slotDir(slot),
            `the checker of ${command.name} on a crash state (${model})`,
            { env: place.sandbox.env, cwd: slotDir(slot) },
          );
        },
      });
      explorations.push(exploration);
      rows.push(
        ...commandPowerLossRows({
          subject: command.name,
          size: place.size,
          seed: run.ctx.seed,
          budgetMs: budget.budgetMs,
          opCount: translation.input.ops.length,
          unknownBytes: translation.unknownBytes,
          notes: translation.notes,
          placedFiles: files.length,
          exploration,
        }),
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { rows, explorations };
}

/** A directory's path relative to the work directory ('' for itself): from the tree, or from the mkdir that made it. */
function dirPath(translation: TreeTranslation, ino: number): string {
  const input = translation.input;
  const initial = input.initial.dirs.get(ino);
  if (initial) return path.relative(translation.root, initial.path);
  const made = input.ops.find((op) => op.kind === 'mkdir' && op.ino === ino);
  if (made?.kind !== 'mkdir') return '(a directory it made)';
  const parent = dirPath(translation, made.dir);
  return parent ? `${parent}/${made.name}` : made.name;
}
