import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InterruptedError, isShuttingDown, killGroup, trackChild, untrackChild } from './lifecycle.js';

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

/**
 * The spawner process. Linux node forks (libuv 1.46 does not use vfork or posix_spawn there), and a
 * fork copies the parent's page tables: from writegate itself (about 100 MiB of anonymous memory
 * during a bench) each spawn cost about 0.8 ms more than from this bare node (about 6 MiB), and 12 ms
 * more from 300 MiB. hyperfine's posix_spawn copies none (bench/README.md, "Against hyperfine").
 *
 * Requests are JSON lines {id, argv}, run one at a time in order; answers are {id, pid} right after
 * the spawn (so writegate can register the child), then {id, code, signal, ms, stderr} at its exit, or
 * {id, error} when it could not start. Each command gets its own process group; when the leader exits
 * whatever is left of it is killed. When writegate goes away (stdin ends) the live group is killed.
 * The commands' stderr is fd 3, an unlinked file emptied before each command: a pipe would cost each
 * spawn a socketpair and its reading (about 0.25 ms here), a file only the child's dup2, as hyperfine's
 * /dev/null does.
 */
const SPAWNER_SOURCE = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const STDERR = 3;
const TAIL = 8192;
// node copies the environment on every spawn; from a plain object that is about 0.05 ms cheaper than
// from process.env, which reads the C environment each time. The commands get the same variables.
const env = { ...process.env };
const queue = [];
let running;
const send = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
const killGroup = (pid) => { try { process.kill(-pid, 'SIGKILL'); } catch {} };
function stderrTail() {
  const size = fs.fstatSync(STDERR).size;
  const bytes = Buffer.alloc(Math.min(size, TAIL));
  fs.readSync(STDERR, bytes, 0, bytes.length, size - bytes.length);
  return bytes.toString('utf8');
}
function done(message) {
  running = undefined;
  send(message);
  next();
}
function next() {
  const request = running === undefined && queue.shift();
  if (!request) return;
  running = request;
  const { id, argv } = request;
  fs.ftruncateSync(STDERR, 0);
  let child;
  const started = process.hrtime.bigint();
  try {
    child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', STDERR], detached: true, env });
  } catch (error) {
    done({ id, error: String(error && error.message || error) });
    return;
  }
  const pid = child.pid;
  if (pid === undefined) {
    child.once('error', (error) => done({ id, error: error.message }));
    return;
  }
  request.pid = pid;
  send({ id, pid });
  child.once('exit', (code, signal) => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    killGroup(pid);
    done({ id, code, signal, ms, stderr: code === 0 ? '' : stderrTail() });
  });
}
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) >= 0) {
    queue.push(JSON.parse(buffer.slice(0, at)));
    buffer = buffer.slice(at + 1);
  }
  next();
});
const end = () => {
  if (running && running.pid !== undefined) killGroup(running.pid);
  process.exit(0);
};
process.stdin.on('end', end);
process.stdin.on('error', end);
process.stdout.on('error', end);
`;

/** A file open for appending and reading that has no name left, so nothing is left behind on disk. */
function unlinkedFile(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writegate-spawner-'));
  try {
    const file = path.join(dir, 'stderr');
    const fd = fs.openSync(file, 'a+');
    fs.unlinkSync(file);
    return fd;
  } finally {
    fs.rmdirSync(dir);
  }
}

interface Answer {
  id: number;
  pid?: number;
  code?: number | null;
  signal?: string | null;
  ms?: number;
  stderr?: string;
  error?: string;
}

interface Pending {
  resolve(result: TimedRunResult): void;
  reject(error: Error): void;
  timeoutMs: number | undefined;
  pid?: number;
  timer?: NodeJS.Timeout;
  timedOut: boolean;
}

/**
 * Starts commands whose wall time is the figure (per-op writers under bench) from a small resident
 * node process, and hands back each one's spawn-to-exit time as that process measured it. The same
 * guarantees as runProcess: argv only, each command in its own process group, registered with the
 * lifecycle from spawn to exit (so an interrupt, the exit path and the watchdog kill it), what it left
 * behind killed at its exit, refused once writegate is stopping. Nothing of the round trip to the
 * spawner is in the figure. Commands run one at a time, in the order asked. No stdin, stdout
 * discarded (as hyperfine -N discards it), stderr kept only for a failure's message.
 */
export class Spawner {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = '';
  private gone: string | undefined;
  private readonly exited: Promise<void>;

  private constructor() {
    if (isShuttingDown()) throw new InterruptedError();
    const stderr = unlinkedFile();
    try {
      this.child = spawn(process.execPath, ['-e', SPAWNER_SOURCE], {
        stdio: ['pipe', 'pipe', 'inherit', stderr],
        detached: true,
      });
    } finally {
      fs.closeSync(stderr);
    }
    const pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.fail(`the process that starts the commands exited (${signal ?? `code ${code}`})`);
        if (pid !== undefined) untrackChild(pid);
        resolve();
      });
      this.child.once('error', (error) => {
        this.fail(`cannot start the process that starts the commands: ${error.message}`);
        resolve();
      });
    });
    if (pid !== undefined) trackChild(pid);
    this.child.stdin?.on('error', () => {});
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.read(chunk));
  }

  static start(): Spawner {
    return new Spawner();
  }

  run(argv: readonly string[], options: { timeoutMs?: number } = {}): Promise<TimedRunResult> {
    if (argv.length === 0) return Promise.reject(new Error('Spawner.run: empty argv'));
    if (isShuttingDown()) return Promise.reject(new InterruptedError());
    if (this.gone !== undefined) return Promise.reject(new Error(this.gone));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, timeoutMs: options.timeoutMs, timedOut: false });
      this.child.stdin?.write(`${JSON.stringify({ id, argv })}\n`);
    });
  }

  /** Ends the spawner (it kills any command still running) and waits for it to exit. */
  async close(): Promise<void> {
    this.child.stdin?.end();
    await this.exited;
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let at: number;
    while ((at = this.buffer.indexOf('\n')) >= 0) {
      const answer = JSON.parse(this.buffer.slice(0, at)) as Answer;
      this.buffer = this.buffer.slice(at + 1);
      this.answer(answer);
    }
  }

  private answer(answer: Answer): void {
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    if (answer.pid !== undefined && answer.ms === undefined) {
      const pid = answer.pid;
      pending.pid = pid;
      try {
        // Once writegate is stopping this kills the command at once and throws.
        trackChild(pid);
      } catch (error) {
        this.pending.delete(answer.id);
        pending.reject(error as Error);
        return;
      }
      if (pending.timeoutMs !== undefined) {
        pending.timer = setTimeout(() => {
          pending.timedOut = true;
          killGroup(pid, 'SIGKILL');
        }, pending.timeoutMs);
      }
      return;
    }
    this.pending.delete(answer.id);
    if (pending.timer) clearTimeout(pending.timer);
    if (pending.pid !== undefined) untrackChild(pending.pid);
    if (answer.error !== undefined) {
      pending.resolve({
        exitCode: undefined,
        signal: undefined,
        elapsedMs: 0,
        stderrTail: '',
        timedOut: false,
        spawnError: answer.error,
      });
      return;
    }
    pending.resolve({
      exitCode: answer.code ?? undefined,
      signal: answer.signal ?? undefined,
      elapsedMs: answer.ms as number,
      stderrTail: answer.stderr ?? '',
      timedOut: pending.timedOut,
      spawnError: undefined,
    });
  }

  private fail(why: string): void {
    this.gone ??= why;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      if (pending.timer) clearTimeout(pending.timer);
      if (pending.pid !== undefined) untrackChild(pending.pid);
      pending.reject(new Error(why));
    }
  }
}
