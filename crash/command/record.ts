/**
 * A command's place and its fault-free recording: a sandbox of its own (crash/command/environment.ts),
 * a fresh work directory per trial prepared by its setup, and one run under strace whose trace becomes
 * logical operations on the whole tree (tree-ops.ts), or the reason it cannot be judged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeFileName } from '../../core/names.js';
import { runProcess, type RunResult } from '../../core/process.js';
import { fillTemplate } from '../../core/subjects/template.js';
import { fileSystemProbe, syncfsFileSystems } from '../../core/trace/file-systems.js';
import { resolveCalls } from '../../core/trace/files.js';
import { parseTrace, type ParsedTrace } from '../../core/trace/strace.js';
import { writesOutside } from '../strace/outside.js';
import type { CrashRun } from '../context.js';
import { straceArgv } from '../one-shot.js';
import { createCommandSandbox, type CommandSandbox } from './environment.js';
import { replayMismatch } from './replay.js';
import type { CommandSubject } from './spec.js';
import { snapshotTree, type TreeSnapshot } from './tree.js';
import { treeOps, type TreeTranslation } from './tree-ops.js';

/** How long a setup or a traced command may take before it counts as hung. */
export const COMMAND_TIMEOUT_MS = 120_000;

/** Writes up to this size are printed whole in the trace; a larger one's bytes come from the files left. */
const TRACED_BYTES = 4 * 1024 * 1024;

/** A command's own place: its sandbox (home, temp, config) and a counter for its work directories. */
export class CommandPlace {
  private counter = 0;
  readonly sandbox: CommandSandbox;

  constructor(
    private readonly run: CrashRun,
    readonly command: CommandSubject,
    /** The size class: what the setup gets as {size} (0 when it takes none). */
    readonly size: number,
  ) {
    const root = run.ctx.workspace.dir('crash', 'commands', safeFileName(command.name), String(size));
    this.sandbox = createCommandSandbox(root, [run.ctx.workspace.root]);
  }

  /** A fresh, empty work directory where the trials go (on the --fs file system when there is one). */
  workDir(label: string): string {
    this.counter += 1;
    const dir = this.run.ctx.trials.path(
      'crash',
      'commands',
      safeFileName(this.command.name),
      `${this.size}-${label}-${this.counter}`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  removeWorkDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  /** Runs the setup in `dir`; the reason it failed, or undefined. */
  async setUp(dir: string): Promise<string | undefined> {
    if (!this.command.setup) return undefined;
    const argv = fillTemplate(
      this.command.setup,
      { dir, size: String(this.size) },
      `the setup of ${this.command.name}`,
    );
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

  /** Runs the command in `dir` under strace with these extra arguments, its trace parsed. */
  async traced(
    dir: string,
    label: string,
    extra: readonly string[],
  ): Promise<{ result: RunResult; trace: ParsedTrace }> {
    this.counter += 1;
    const traceFile = path.join(this.sandbox.root, `${label}-${this.counter}.trace`);
    const traced = this.run.traced(traceFile, extra);
    const result = await runProcess(straceArgv(traced.binary, traced.traceFile, traced.extra, this.command.argv), {
      cwd: dir,
      env: this.sandbox.env,
      isolatedEnv: true,
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
    const trace = parseTrace(fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '');
    fs.rmSync(traceFile, { force: true });
    return { result, trace };
  }
}

export type Recording =
  | { translation: TreeTranslation; trace: ParsedTrace; after: TreeSnapshot }
  | { notRun: 'skipped' | 'not_judged'; reason: string };

/** The command's fault-free run in a fresh work directory, as logical operations (or why it cannot be judged). */
export async function recordCommand(place: CommandPlace): Promise<Recording> {
  const dir = place.workDir('record');
  try {
    const setupFailed = await place.setUp(dir);
    if (setupFailed) return { notRun: 'skipped', reason: `not run: ${setupFailed}` };
    const before = snapshotTree(dir);
    // Every written byte printed (as \xNN): files the command deletes, like a rollback journal, keep their bytes.
    const { result, trace } = await place.traced(dir, 'record', ['-f', '-s', String(TRACED_BYTES), '-xx']);
    if (result.exitCode !== 0) {
      const said = result.stderr.trim().split('\n').at(-1) ?? '';
      return {
        notRun: 'skipped',
        reason:
          `not run: its fault-free run under strace did not exit 0 (${ending(result)})` +
          `${said ? `: ${said.slice(0, 200)}` : ''}`,
      };
    }
    const after = snapshotTree(dir);
    const fileSystems = syncfsFileSystems(trace, fileSystemProbe(dir));
    const translation = treeOps({ trace, before, after, reportedSuccess: true, fileSystems });
    const why = notJudgedWhy(translation, after);
    if (why) return { notRun: 'not_judged', reason: why };
    // What it changed elsewhere (its $TMPDIR, its home) is not in the crash states: said beside the figures.
    const outside = writesOutside(resolveCalls(trace, { cwd: dir }), [dir]);
    if (outside.length > 0) {
      const shown = outside
        .slice(0, 3)
        .map((file) => (file.startsWith(place.sandbox.root) ? path.relative(place.sandbox.root, file) : file));
      const more = outside.length > 3 ? ` and ${outside.length - 3} more` : '';
      const count = `${outside.length} file(s)`;
      translation.notes.push(
        `it also changed ${count} outside its work directory, not modelled: ${shown.join(', ')}${more}`,
      );
    }
    return { translation, trace, after };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

export function rootInode(translation: TreeTranslation): number {
  for (const [ino, dir] of translation.input.initial.dirs) if (dir.path === translation.root) return ino;
  throw new Error('the work directory is not among the initial directories');
}

/** How a process ended, in a few words. */
function ending(result: { spawnError?: string; signal?: string; exitCode?: number }): string {
  return result.spawnError ?? result.signal ?? `exit ${result.exitCode}`;
}
