import { execa } from 'execa';
import { shedGarbageBeforeSpawn } from './fork-cost.js';
import { performance } from 'node:perf_hooks';
import { InterruptedError, isShuttingDown, killGroup, runTokenEnv, trackChild, untrackChild } from './lifecycle.js';

export { killGroup } from './lifecycle.js';

export interface RunOptions {
  cwd?: string;
  /** Replaces the environment entirely when `isolatedEnv` is true, else extends process.env. */
  env?: Record<string, string | undefined>;
  isolatedEnv?: boolean;
  input?: string | Uint8Array;
  timeoutMs?: number;
  /** Called with the child's pid right after spawn, so a caller can kill its group at a moment of its choosing. */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  argv: readonly string[];
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** The executable could not be started at all (ENOENT, EACCES). */
  spawnError: string | undefined;
}

/**
 * Where writegate starts processes (per-op commands under bench go through core/spawner.ts, which
 * keeps the same rules and times them): argv only (never a shell), its own process group so a
 * timeout kills the whole tree, and a result instead of an exception for any exit. Every child is
 * registered with the lifecycle (core/lifecycle.ts) from spawn to exit, so an interrupting signal, the
 * exit path and the watchdog can kill its group; once writegate is stopping, no new child starts
 * (InterruptedError).
 */
export async function runProcess(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runProcess: empty argv');
  if (isShuttingDown()) throw new InterruptedError();
  shedGarbageBeforeSpawn();
  const started = performance.now();
  const child = execa(file, args, {
    cwd: options.cwd,
    // An isolated environment still carries the run's token (core/lifecycle.ts): it names the process as ours.
    env: options.isolatedEnv ? { ...options.env, ...runTokenEnv() } : options.env,
    extendEnv: !options.isolatedEnv,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    reject: false,
    shell: false,
    detached: true,
    cleanup: true,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
  const pid = child.pid;
  if (pid !== undefined) {
    try {
      trackChild(pid);
    } catch (error) {
      await child.catch(() => {});
      throw error;
    }
    options.onSpawn?.(pid);
  }
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, 'SIGKILL');
        }, options.timeoutMs);
  let result: Awaited<typeof child>;
  try {
    result = await child;
  } finally {
    if (timer) clearTimeout(timer);
    // Kills what is left of the group (orphaned grandchildren) and unregisters it.
    if (pid !== undefined) untrackChild(pid);
  }
  const spawnError =
    result.failed && result.exitCode === undefined && !result.signal
      ? String(result.cause instanceof Error ? result.cause.message : result.shortMessage)
      : undefined;
  return {
    argv,
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    durationMs: performance.now() - started,
    timedOut,
    spawnError,
  };
}
