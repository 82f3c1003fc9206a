import fs from 'node:fs';
import path from 'node:path';
import tmp from 'tmp';
import { InterruptedError, isShuttingDown, onShutdown } from './lifecycle.js';
import { ownerStamp, OWNER_FILE } from './owner.js';

type Cleanup = () => void | Promise<void>;

/**
 * Every run's private temp root: fixtures, targets, HOME and git config live under it. It is removed
 * on dispose, on normal exit and on an interrupting signal (the lifecycle awaits `dispose` before it
 * exits, core/lifecycle.ts), after the registered cleanups (child processes, servers) have run.
 *
 * The root is named `<prefix>-<pid>-<random>` (tmp puts the pid in) and holds an owner file (pid and process start
 * time), so
 * the next run can tell a dead run's leftover (SIGKILL, power loss) from a live run's workspace and
 * sweep only the former (core/sweep.ts).
 */
export class Workspace {
  readonly root: string;
  private readonly cleanups: Cleanup[] = [];
  private disposed = false;
  private disposing: Promise<void> | undefined;
  private readonly unregister: () => void;
  private readonly onExit = (): void => this.disposeSync();

  private constructor(root: string) {
    this.root = root;
    this.unregister = onShutdown(() => this.dispose());
    process.once('exit', this.onExit);
  }

  static create(prefix = 'writegate-'): Workspace {
    const root = fs.realpathSync(tmp.dirSync({ prefix, unsafeCleanup: true }).name);
    fs.writeFileSync(path.join(root, OWNER_FILE), ownerStamp());
    return new Workspace(root);
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  /**
   * A fresh directory under the root (parents created). Refused once the root is removed: work still
   * running after a signal's cleanup must not bring the workspace back.
   */
  dir(...parts: string[]): string {
    if (this.disposed)
      throw isShuttingDown() ? new InterruptedError() : new Error(`workspace ${this.root} was already removed`);
    const dir = this.path(...parts);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Runs before the root is removed, last registered first. */
  onCleanup(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  /**
   * Runs the cleanups one after another (a server stops before its directory goes), then removes the
   * root. Every caller (the run's `finally`, the signal path) awaits the same removal.
   */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const cleanup of this.takeCleanups()) {
        try {
          await cleanup();
        } catch {
          // Cleanup is best effort; the root removal below must still happen.
        }
      }
      removeTree(this.root);
      // While stopping, work still in flight may write under the root after this removal (a path
      // taken before the signal); the exit listener removes the root once more on the way out.
      if (!isShuttingDown()) process.removeListener('exit', this.onExit);
    })();
    return this.disposing;
  }

  /**
   * On 'exit' nothing async can finish: cleanups are started (signals sent, servers closed), not
   * awaited, and the root is removed even when an async dispose was cut short (a second signal).
   */
  private disposeSync(): void {
    for (const cleanup of this.takeCleanups()) {
      try {
        void Promise.resolve(cleanup()).catch(() => {});
      } catch {
        // As above.
      }
    }
    removeTree(this.root);
  }

  /** Each cleanup runs once, last registered first. */
  private takeCleanups(): Cleanup[] {
    if (this.disposed) return [];
    this.disposed = true;
    this.detach();
    return this.cleanups.splice(0).reverse();
  }

  private detach(): void {
    this.unregister();
  }
}

export function removeTree(root: string): void {
  try {
    // Tests make read-only directories (EACCES cases); give write back so removal succeeds.
    restoreWritable(root);
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // Nothing more we can do; tmp's own exit hook gets another chance.
  }
}

function restoreWritable(dir: string): void {
  let entries: fs.Dirent[];
  try {
    fs.chmodSync(dir, 0o700);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) restoreWritable(path.join(dir, entry.name));
}
