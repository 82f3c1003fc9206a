/**
 * One commit point per command. Everything a command leaves in --out (results_raw.csv,
 * results_env.txt, RESULTS.md, trend.json, compare's rounds) and a history entry is staged first —
 * files written into a private staging workspace as they are produced — and committed in one
 * synchronous step at the very end, or not at all. No signal handler can run inside a synchronous
 * step, and one that arrives after it finds the results written (core/lifecycle.ts): so after a
 * signal, --out is either exactly as it was or complete, never half of a new set beside an old report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';
import { InterruptedError, isShuttingDown, markCommitted } from './lifecycle.js';
import { Workspace } from './workspace.js';
import { writeFileAtomicSync } from './writer/index.js';

type Entry =
  | { kind: 'file'; target: string; staged: string }
  | { kind: 'tree'; target: string; staged: string }
  | { kind: 'then'; run: () => void };

export class OutputCommit {
  private readonly entries: Entry[] = [];
  private workspace: Workspace | undefined;
  /**
   * One staging folder per target folder, so files staged for one folder sit side by side as they will
   * (results_raw.csv beside results_env.txt).
   */
  private readonly folders = new Map<string, string>();
  private done = false;

  /**
   * Stages `bytes` for `target`; returns where the staged copy can be read until the commit (same base name, same
   * neighbours).
   */
  file(target: string, bytes: string | Buffer): string {
    const staged = path.join(this.folderFor(target), path.basename(target));
    fs.writeFileSync(staged, bytes);
    this.entries.push({ kind: 'file', target, staged });
    return staged;
  }

  /** Stages a whole directory tree that replaces `target` (what was there goes). */
  tree(target: string, source: string): void {
    const staged = path.join(this.folderFor(target), path.basename(target));
    fs.cpSync(source, staged, { recursive: true });
    this.entries.push({ kind: 'tree', target, staged });
  }

  /** Runs `run` inside the commit, after the files (a history entry appended only once the report is written). */
  then(run: () => void): void {
    this.entries.push({ kind: 'then', run });
  }

  /**
   * Writes every staged entry in order, each file atomically, in one synchronous step; refuses once
   * an interrupting signal has arrived (nothing is written then).
   */
  commit(): void {
    if (this.done) throw new Error('commit: already committed');
    if (isShuttingDown()) throw new InterruptedError();
    this.done = true;
    for (const entry of this.entries) {
      if (entry.kind === 'then') {
        entry.run();
        continue;
      }
      try {
        if (entry.kind === 'file') {
          fs.mkdirSync(path.dirname(entry.target), { recursive: true });
          writeFileAtomicSync(entry.target, fs.readFileSync(entry.staged));
        } else replaceTree(entry.target, entry.staged);
      } catch (error) {
        throw new InputError(`${entry.target}: cannot write (${(error as Error).message.split('\n')[0]})`);
      }
    }
    markCommitted();
  }

  /** Removes the staging workspace (after the commit, or instead of it). */
  async dispose(): Promise<void> {
    await this.workspace?.dispose();
  }

  private folderFor(target: string): string {
    const parent = path.resolve(path.dirname(target));
    let folder = this.folders.get(parent);
    if (!folder) {
      this.workspace ??= Workspace.create('writegate-commit-');
      folder = this.workspace.dir(String(this.folders.size));
      this.folders.set(parent, folder);
    }
    return folder;
  }
}

/** A directory replaced by another: copied beside it, then swapped in by two renames. */
function replaceTree(target: string, staged: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const fresh = `${target}.writegate-new-${process.pid}`;
  const old = `${target}.writegate-old-${process.pid}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  fs.cpSync(staged, fresh, { recursive: true });
  const existed = fs.existsSync(target);
  if (existed) fs.renameSync(target, old);
  fs.renameSync(fresh, target);
  if (existed) fs.rmSync(old, { recursive: true, force: true });
}
