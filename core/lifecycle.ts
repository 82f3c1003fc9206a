import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * Who owns the end of a run. writegate, not its dependencies, decides what SIGINT/SIGTERM/SIGHUP do:
 * stop starting work, kill every child process group it started, await the cleanups (the workspace),
 * then exit 130/143/129. A second signal during the cleanup exits at once, still killing the children.
 *
 * Why the libraries must not decide: `atomically` (through `when-exit`) listens with `process.once`
 * and always re-raises the signal with `process.kill(process.pid, signal)` after its own hook, and
 * `signal-exit` (through `write-file-atomic` and execa) re-raises as soon as it sees no other listener.
 * Either way the process died by the signal before an async workspace removal could finish. Here our
 * listener is persistent and prepended (so signal-exit never sees itself alone and we run first), and
 * while we are stopping a library's self-directed re-raise of an owned signal is swallowed
 * (see `guardSelfKill`), so it neither kills us nor counts as the user's second signal.
 *
 * Every child process writegate starts runs in its own process group (detached) and is registered here
 * from spawn to exit. When a leader exits, whatever is left in its group (a traced writer whose strace
 * was killed, a grandchild) is killed too. A small watchdog process, told of each live group over a
 * pipe, kills them if writegate itself dies by SIGKILL: the pipe's end-of-file is its signal.
 * A child is registered only once spawn has returned its pid; a SIGKILL inside spawn (after the fork)
 * would leave it unknown, so every child also carries this run's token in its environment, and the
 * watchdog kills each process it finds in /proc with that token too.
 */

export const OWNED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type OwnedSignal = (typeof OWNED_SIGNALS)[number];
const EXIT_CODES: Record<OwnedSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
/** How long the cleanup may take before we give up waiting and exit anyway. */
const CLEANUP_LIMIT_MS = 20_000;

/** Thrown where new work would start after an interrupting signal. Never reported as an error. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted: no new work is started');
    this.name = 'InterruptedError';
  }
}

type Hook = () => void | Promise<void>;

/** The variable every process of a run carries (inherited, or added to an isolated environment). */
export const RUN_TOKEN_VAR = 'WRITEGATE_RUN_TOKEN';
let runToken: string | undefined;

/**
 * This run's token as an environment entry, for a child whose environment is built from nothing; empty when no run
 * owns the signals.
 */
export function runTokenEnv(): Record<string, string> {
  return runToken ? { [RUN_TOKEN_VAR]: runToken } : {};
}

const liveGroups = new Set<number>();
const hooks = new Set<Hook>();
let stopping: OwnedSignal | undefined;
let installed = false;
let watchdog: ChildProcess | undefined;
let watchdogBroken = false;
let committed = false;
let exitPromise: Promise<number> | undefined;
let resolveExit: ((code: number) => void) | undefined;

export function isShuttingDown(): boolean {
  return stopping !== undefined;
}

/**
 * The command has written its results (core/out-commit.ts): a signal from now on comes too late to
 * leave --out as it was, so it no longer stops the run — the run finishes and exits with its own
 * code (a second signal still exits at once).
 */
export function markCommitted(): void {
  committed = true;
}

/** The exit code the run will end with once the cleanup is over (never resolves when not stopping). */
export function shutdownExit(): Promise<number> {
  if (!exitPromise) exitPromise = new Promise((resolve) => (resolveExit = resolve));
  return exitPromise;
}

/** A cleanup awaited on an interrupting signal before the exit; returns an unregister function. */
export function onShutdown(hook: Hook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/** Registers a just-started child (the leader of its own process group). Refused while stopping. */
export function trackChild(pid: number): void {
  if (stopping) {
    killGroup(pid, 'SIGKILL');
    throw new InterruptedError();
  }
  liveGroups.add(pid);
  tellWatchdog(`+${pid}`);
}

/**
 * The leader has exited: anything still in its group is an orphan of this run (a writer whose strace
 * was killed, a background grandchild) and is killed now, not left to outlive the run.
 */
export function untrackChild(pid: number): void {
  if (!liveGroups.delete(pid)) return;
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
  tellWatchdog(`-${pid}`);
}

/** The process groups started and not yet finished (for tests and the audit). */
export function liveChildGroups(): readonly number[] {
  return [...liveGroups];
}

/** SIGKILLs every live child group. Synchronous: safe in an 'exit' listener. */
export function killAllChildren(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
}

/** Sends `signal` to the process group led by `pid` (started detached), falling back to the pid. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    realKill(-pid, signal);
  } catch {
    try {
      realKill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function groupAlive(pgid: number): boolean {
  try {
    realKill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const realKill: typeof process.kill = process.kill.bind(process);

/**
 * Installs writegate's handlers for SIGINT/SIGTERM/SIGHUP and the exit-time child kill. Idempotent.
 * The CLI calls it first thing; library code and tests that do not call it keep Node's defaults.
 */
export function installSignalOwner(): void {
  if (installed) return;
  installed = true;
  runToken = `${process.pid}-${randomBytes(8).toString('hex')}`;
  // Set before anything is spawned or imported (core/spawner.ts copies the environment once).
  process.env[RUN_TOKEN_VAR] = runToken;
  guardSelfKill();
  for (const signal of OWNED_SIGNALS) process.prependListener(signal, onSignal);
  // Whatever the way out (normal end, error, process.exit from a cleanup), no child outlives us.
  process.on('exit', killAllChildren);
}

/**
 * While stopping, a library's `process.kill(process.pid, <owned signal>)` (when-exit's re-raise) is a
 * no-op: it would otherwise either kill us mid-cleanup or be taken for the user's second Ctrl-C.
 */
function guardSelfKill(): void {
  const guarded = ((pid: number, signal?: string | number) => {
    if (stopping && (pid === process.pid || pid === 0) && (OWNED_SIGNALS as readonly unknown[]).includes(signal))
      return true;
    return realKill(pid, signal);
  }) as typeof process.kill;
  process.kill = guarded;
}

function onSignal(signal: NodeJS.Signals): void {
  const owned = signal as OwnedSignal;
  if (stopping) {
    // Second signal: no more waiting. Children die now; the workspace's exit hook removes its tree
    // synchronously on the way out.
    process.stderr.write('writegate: second signal: exiting now\n');
    killAllChildren();
    process.exit(EXIT_CODES[stopping]);
  }
  stopping = owned;
  if (committed) {
    process.stderr.write(
      `writegate: ${signal}: the results are already written; finishing (send it again to exit at once)\n`,
    );
    return;
  }
  process.stderr.write(`writegate: ${signal}: stopping, cleaning up (send it again to exit at once)\n`);
  killAllChildren();
  const code = EXIT_CODES[owned];
  void shutdownExit();
  const limit = setTimeout(() => {
    process.stderr.write('writegate: cleanup is taking too long; exiting\n');
    killAllChildren();
    process.exit(code);
  }, CLEANUP_LIMIT_MS);
  void runHooks().finally(() => {
    clearTimeout(limit);
    killAllChildren();
    resolveExit?.(code);
    process.exit(code);
  });
}

async function runHooks(): Promise<void> {
  for (const hook of [...hooks].reverse()) {
    try {
      await hook();
    } catch {
      // Best effort: the next cleanup must still run.
    }
  }
}

/**
 * The watchdog: a detached node process reading "+pid"/"-pid" lines. When its stdin reaches EOF
 * (writegate exited, however it died) it SIGKILLs the groups still listed and exits. It is started
 * with the first child, so runs that start no process (analyze, --help) pay nothing.
 */
const WATCHDOG_SOURCE = `
const groups = new Set();
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, at);
    buffer = buffer.slice(at + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (line[0] === '+') groups.add(pid); else groups.delete(pid);
  }
});
// A child forked but killed with us before it was registered: found by the run's token in its
// environment. Its group goes too only when it leads one (ours are detached); any other group may be
// the user's shell job.
const strays = () => {
  const fs = require('node:fs');
  const needle = Buffer.from('\\0' + '${RUN_TOKEN_VAR}=' + process.argv[1] + '\\0');
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from('\\0'), fs.readFileSync('/proc/' + pid + '/environ')]);
      if (!environ.includes(needle)) continue;
      const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgid === pid) process.kill(-pid, 'SIGKILL'); else process.kill(pid, 'SIGKILL');
    } catch {}
  }
};
const end = () => {
  for (const pid of groups) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
  if (process.argv[1]) { try { strays(); } catch {} }
  process.exit(0);
};
process.stdin.on('end', end);
process.stdin.on('error', end);
`;

function tellWatchdog(line: string): void {
  if (!installed || watchdogBroken) return;
  try {
    if (!watchdog) {
      watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, runToken ?? ''], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
      });
      watchdog.on('error', () => (watchdogBroken = true));
      watchdog.stdin?.on('error', () => (watchdogBroken = true));
      // Never keeps writegate alive: it lives exactly as long as our end of the pipe.
      watchdog.unref();
      (watchdog.stdin as Socket | null)?.unref();
    }
    watchdog.stdin?.write(`${line}\n`);
  } catch {
    watchdogBroken = true;
  }
}
