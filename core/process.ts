import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { InterruptedError, isShuttingDown, killGroup, trackChild, untrackChild } from './lifecycle.js';

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
 * The one place writegate starts processes: argv only (never a shell), its own process group so a
 * timeout kills the whole tree, and a result instead of an exception for any exit. Every child is
 * registered with the lifecycle (core/lifecycle.ts) from spawn to exit, so an interrupting signal, the
 * exit path and the watchdog can kill its group; once writegate is stopping, no new child starts
 * (InterruptedError).
 */
export async function runProcess(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runProcess: empty argv');
  if (isShuttingDown()) throw new InterruptedError();
  const started = performance.now();
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
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
  const spawnError = result.failed && result.exitCode === undefined && !result.signal ? String(result.cause instanceof Error ? result.cause.message : result.shortMessage) : undefined;
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

export interface TimedRunResult {
  exitCode: number | undefined;
  signal: string | undefined;
  /** Wall time from just before the spawn to the child's exit, as hyperfine -N times a command. */
  elapsedMs: number;
  /** The end of what the command wrote to stderr; read only when it failed. */
  stderrTail: string;
  timedOut: boolean;
  /** The executable could not be started at all (ENOENT, EACCES). */
  spawnError: string | undefined;
}

/** Enough of stderr for a failure's last line; a chatty writer must not grow our memory. */
const STDERR_TAIL_BYTES = 8192;

/**
 * A command whose wall time is the figure (a per-op writer under bench). The same guarantees as
 * runProcess (argv only, its own process group, registered with the lifecycle from spawn to exit,
 * refused once writegate is stopping) without what would sit in the timed interval: no stdin, stdout
 * discarded as hyperfine -N discards it, stderr kept only for a failure's message, and the clock
 * stopped at the exit, not when the output streams close. execa's per-spawn work (option
 * normalisation, stream and promise plumbing) cost about 0.9 ms a write on a two-core machine.
 */
export async function runTimed(argv: readonly string[], options: { timeoutMs?: number } = {}): Promise<TimedRunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runTimed: empty argv');
  if (isShuttingDown()) throw new InterruptedError();
  const started = performance.now();
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const pid = child.pid;
  const stderr: Buffer[] = [];
  let stderrBytes = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    stderrBytes += chunk.length;
    while (stderrBytes - (stderr[0]?.length ?? 0) >= STDERR_TAIL_BYTES) stderrBytes -= (stderr.shift() as Buffer).length;
  });
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    return { exitCode: undefined, signal: undefined, elapsedMs: performance.now() - started, stderrTail: '', timedOut: false, spawnError: error.message };
  }
  try {
    trackChild(pid);
  } catch (error) {
    child.stderr?.destroy();
    throw error;
  }
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(pid, 'SIGKILL');
        }, options.timeoutMs);
  const [code, signal, elapsedMs] = await new Promise<[number | null, NodeJS.Signals | null, number]>((resolve) => {
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal, performance.now() - started]));
  });
  if (timer) clearTimeout(timer);
  // Kills what is left of the group (orphaned grandchildren, which could hold stderr open) and unregisters it.
  untrackChild(pid);
  let stderrTail = '';
  if (code !== 0) {
    // A failure's message may still be in the pipe at the exit: wait for the stream's end.
    if (child.stderr && !child.stderr.readableEnded && !child.stderr.destroyed) await new Promise((resolve) => child.stderr?.once('close', resolve));
    stderrTail = Buffer.concat(stderr).toString('utf8').slice(-STDERR_TAIL_BYTES);
  }
  return { exitCode: code ?? undefined, signal: signal ?? undefined, elapsedMs, stderrTail, timedOut, spawnError: undefined };
}
