import { execa } from 'execa';
import { performance } from 'node:perf_hooks';

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
 * timeout kills the whole tree, and a result instead of an exception for any exit.
 */
export async function runProcess(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runProcess: empty argv');
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
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, 'SIGKILL');
        }, options.timeoutMs);
  const result = await child;
  if (timer) clearTimeout(timer);
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

/** Sends `signal` to the process group led by `pid` (started detached), falling back to the pid. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
