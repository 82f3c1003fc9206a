import { killGroup, runProcess, type RunOptions, type RunResult } from '../core/process.js';

export type ProcessRunner = (argv: readonly string[], options: RunOptions) => Promise<RunResult>;

/**
 * Every process parity starts goes through here, so an interrupted run can stop them all: runProcess
 * starts each in its own process group (detached), which also means nothing else kills a hanging
 * wrapper when writegate exits. `stopAll` kills every running group and refuses new starts, so a case
 * that resumes while the workspace is being removed cannot start another process.
 */
export class ChildProcesses {
  private readonly running = new Set<number>();
  private stopped = false;

  readonly run: ProcessRunner = async (argv, options) => {
    if (this.stopped) throw new Error('parity run interrupted: no new processes are started');
    let pid: number | undefined;
    try {
      return await runProcess(argv, {
        ...options,
        onSpawn: (spawned) => {
          pid = spawned;
          this.running.add(spawned);
          options.onSpawn?.(spawned);
        },
      });
    } finally {
      if (pid !== undefined) this.running.delete(pid);
    }
  };

  /** How many started processes have not finished yet. */
  get count(): number {
    return this.running.size;
  }

  stopAll(): void {
    this.stopped = true;
    for (const pid of this.running) killGroup(pid, 'SIGKILL');
    this.running.clear();
  }
}
