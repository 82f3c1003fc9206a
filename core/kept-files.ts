import fs from 'node:fs';
import path from 'node:path';
import type { OutputCommit } from './out-commit.js';
import type { Workspace } from './workspace.js';

/** Where kept files land under --out. */
export const KEPT_DIR = 'kept';

/**
 * Files a run keeps for a person to inspect (a crash image its model forbids): moved into the
 * workspace's own folder as they come, and written under `--out/kept/` with the results, in the same
 * commit, so an interrupted run leaves none behind.
 */
export class KeptFiles {
  private folder: string | undefined;

  constructor(private readonly workspace: Workspace) {}

  keep(file: string, name: string): string {
    this.folder ??= this.workspace.dir(KEPT_DIR);
    const base = path.basename(name);
    fs.renameSync(file, path.join(this.folder, base));
    return `${KEPT_DIR}/${base}`;
  }

  /** Stages the kept files into `commit`, replacing `--out/kept/`; nothing when none were kept. */
  stage(commit: OutputCommit, outDir: string): void {
    if (this.folder === undefined) return;
    commit.tree(path.join(outDir, KEPT_DIR), this.folder);
  }
}
