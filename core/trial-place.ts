import type { MountedFs } from './fs/mount.js';
import type { Workspace } from './workspace.js';

/**
 * Where a suite's trial files live: under the workspace root, or under a fresh file system mounted
 * inside it (`--fs`). Either way the path is the workspace's, so a removed workspace refuses new
 * directories (core/workspace.ts) and the sweep finds what a killed run left.
 */
export class TrialPlace {
  private constructor(
    private readonly workspace: Workspace,
    private readonly base: readonly string[],
    /** The fresh file system, when the pass runs on one. */
    readonly fs: MountedFs | undefined,
  ) {}

  static workspace(workspace: Workspace): TrialPlace {
    return new TrialPlace(workspace, [], undefined);
  }

  /** On a file system mountFresh made in this workspace (its mount point lies under the root). */
  static on(workspace: Workspace, mounted: MountedFs): TrialPlace {
    const relative = mounted.dir.slice(workspace.root.length + 1);
    if (!mounted.dir.startsWith(`${workspace.root}/`))
      throw new Error(`${mounted.dir} is not inside the workspace ${workspace.root}`);
    return new TrialPlace(workspace, relative.split('/'), mounted);
  }

  /** The fresh file system's name, or '' for the workspace's own. */
  get fsName(): string {
    return this.fs?.name ?? '';
  }

  path(...parts: string[]): string {
    return this.workspace.path(...this.base, ...parts);
  }

  /** A directory (parents created); refused once the workspace is removed. */
  dir(...parts: string[]): string {
    return this.workspace.dir(...this.base, ...parts);
  }
}
