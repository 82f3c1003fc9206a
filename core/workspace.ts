import fs from 'node:fs';
import path from 'node:path';
import tmp from 'tmp';

type Cleanup = () => void | Promise<void>;

/**
 * Every run's private temp root: fixtures, targets, HOME and git config live under it. It is removed
 * on dispose, on normal exit and on SIGINT/SIGTERM, after the registered cleanups (child processes,
 * servers) have run.
 */
export class Workspace {
  readonly root: string;
  private readonly cleanups: Cleanup[] = [];
  private disposed = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    void this.dispose().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  private readonly onExit = (): void => this.disposeSync();

  private constructor(root: string) {
    this.root = root;
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
    process.once('exit', this.onExit);
  }

  static create(prefix = 'writegate-'): Workspace {
    const root = tmp.dirSync({ prefix, unsafeCleanup: true }).name;
    return new Workspace(fs.realpathSync(root));
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  /** A fresh directory under the root (parents created). */
  dir(...parts: string[]): string {
    const dir = this.path(...parts);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Runs before the root is removed, last registered first. */
  onCleanup(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  /** Runs the cleanups one after another (a server stops before its directory goes), then removes the root. */
  async dispose(): Promise<void> {
    for (const cleanup of this.takeCleanups()) {
      try {
        await cleanup();
      } catch {
        // Cleanup is best effort; the root removal below must still happen.
      }
    }
    removeTree(this.root);
  }

  /** On 'exit' nothing async can finish: cleanups are started (signals sent, servers closed), not awaited. */
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
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    process.removeListener('exit', this.onExit);
  }
}

function removeTree(root: string): void {
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
