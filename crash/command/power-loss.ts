/**
 * Power loss of a whole command: its work directory is prepared fresh, the command runs once under
 * strace, the trace becomes logical operations on every file and directory under the work directory
 * (tree-ops.ts), and each persistence model's crash states are judged by the per-file checks and,
 * materialized as directories, by the command's checker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../../core/names.js';
import { runProcess } from '../../core/process.js';
import { fillTemplate } from '../../core/subjects/template.js';
import { fileSystemProbe, syncfsFileSystems } from '../../core/trace/file-systems.js';
import { parseTrace } from '../../core/trace/strace.js';
import type { RowInput } from '../../core/schema.js';
import { checkDirectory } from '../checker.js';
import type { CrashRun } from '../context.js';
import { straceArgv } from '../one-shot.js';
import { materialize } from '../powerloss/materialize.js';
import { ContentCache } from '../powerloss/state.js';
import { modelsFor } from '../scenarios/power-loss.js';
import { createCommandSandbox, type CommandSandbox } from './environment.js';
import { exploreCommand, type CommandExploration } from './explore.js';
import { placedFiles } from './file-checks.js';
import { replayMismatch } from './replay.js';
import { commandNotRunRow, commandPowerLossRows } from './rows.js';
import type { CommandSubject } from './spec.js';
import { snapshotTree } from './tree.js';
import { treeOps, type TreeTranslation } from './tree-ops.js';

/** How long a setup or a traced command may take before it counts as hung. */
const COMMAND_TIMEOUT_MS = 120_000;

/** Writes up to this size are printed whole in the trace; a larger one's bytes come from the files left. */
const TRACED_BYTES = 4 * 1024 * 1024;

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

/** A command's own place: its sandbox (home, temp, config) and a counter for its work directories. */
export class CommandPlace {
  private counter = 0;
  readonly sandbox: CommandSandbox;

  constructor(
    private readonly run: CrashRun,
    readonly command: CommandSubject,
  ) {
    const root = run.ctx.workspace.dir('crash', 'commands', safeFileName(command.name));
    this.sandbox = createCommandSandbox(root, [run.ctx.workspace.root]);
  }

  /** A fresh, empty work directory where the trials go (on the --fs file system when there is one). */
  workDir(label: string): string {
    this.counter += 1;
    const dir = this.run.ctx.trials.path(
      'crash',
      'commands',
      safeFileName(this.command.name),
      `${label}-${this.counter}`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Runs the setup in `dir`; the reason it failed, or undefined. */
  async setUp(dir: string): Promise<string | undefined> {
    if (!this.command.setup) return undefined;
    const argv = fillTemplate(this.command.setup, { dir }, `the setup of ${this.command.name}`);
    const result = await runProcess(argv, {
      cwd: dir,
      env: this.sandbox.env,
      isolatedEnv: true,
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
    if (result.exitCode === 0) return undefined;
    const said = result.stderr.trim().split('\n').at(-1) ?? '';
    return `its setup failed (${ending(result)})${said ? `: ${said.slice(0, 200)}` : ''}`;
  }
}

export async function commandPowerLoss(
  run: CrashRun,
  command: CommandSubject,
  budget: CommandBudget,
): Promise<CommandPowerLossOutcome> {
  const place = new CommandPlace(run, command);
  const dir = place.workDir('record');
  const notRun = (metric: 'skipped' | 'not_judged', reason: string): CommandPowerLossOutcome => ({
    rows: [commandNotRunRow(command.name, metric, reason)],
    explorations: [],
  });
  const setupFailed = await place.setUp(dir);
  if (setupFailed) return notRun('skipped', `not run: ${setupFailed}`);
  const before = snapshotTree(dir);
  const traceFile = path.join(place.sandbox.root, 'command.trace');
  // Every written byte printed (as \xNN): files the command deletes, like a rollback journal, keep their bytes.
  const traced = run.traced(traceFile, ['-f', '-s', String(TRACED_BYTES), '-xx']);
  const result = await runProcess(straceArgv(traced.binary, traced.traceFile, traced.extra, command.argv), {
    cwd: dir,
    env: place.sandbox.env,
    isolatedEnv: true,
    timeoutMs: COMMAND_TIMEOUT_MS,
  });
  const trace = parseTrace(fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '');
  fs.rmSync(traceFile, { force: true });
  if (result.exitCode !== 0) {
    const said = result.stderr.trim().split('\n').at(-1) ?? '';
    return notRun(
      'skipped',
      `not run: its fault-free run under strace did not exit 0 (${ending(result)})` +
        `${said ? `: ${said.slice(0, 200)}` : ''}`,
    );
  }
  const after = snapshotTree(dir);
  const fileSystems = syncfsFileSystems(trace, fileSystemProbe(dir));
  const translation = treeOps({ trace, before, after, reportedSuccess: true, fileSystems });
  const why = notJudgedWhy(translation, after);
  if (why) return notRun('not_judged', why);

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
  fs.rmSync(dir, { recursive: true, force: true });
  return { rows, explorations };
}

function notJudgedWhy(translation: TreeTranslation, after: ReturnType<typeof snapshotTree>): string | undefined {
  if (translation.unseen.length > 0)
    return (
      `it uses ${translation.unseen.join(', ')}, whose I/O strace cannot see: ` +
      'a model of its visible calls is not a verdict'
    );
  if (translation.unmodelled.length > 0) {
    const more = translation.unmodelled.length > 1 ? ` (and ${translation.unmodelled.length - 1} more)` : '';
    return `it makes a call on its files that the model does not follow: ${translation.unmodelled[0]}${more}`;
  }
  const mismatch = replayMismatch(translation.input, after, rootInode(translation));
  if (mismatch)
    return `its work directory is not what its traced calls did (${mismatch}): part of its I/O is not in the trace`;
  return undefined;
}

function rootInode(translation: TreeTranslation): number {
  for (const [ino, dir] of translation.input.initial.dirs) if (dir.path === translation.root) return ino;
  throw new Error('the work directory is not among the initial directories');
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

/** How a process ended, in a few words. */
function ending(result: { spawnError?: string; signal?: string; exitCode?: number }): string {
  return result.spawnError ?? result.signal ?? `exit ${result.exitCode}`;
}
