import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { InterruptedError, isShuttingDown, killGroup, trackChild, untrackChild } from '../lifecycle.js';
import { failureText } from './stderr-excerpt.js';

/**
 * The persistent-driver protocol: JSON lines. writegate sends one request per line on the driver's
 * stdin and reads one response per line on its stdout, matched by id.
 *   → {"op":"write","id":1,"source":"/ws/src","target":"/ws/t","mode":"durable"}
 *   → {"op":"write_batch","id":2,"files":[{"source":"/ws/s1","target":"/ws/t1"},…],"mode":"durable"}
 *   → {"op":"noop","id":3}
 *   → {"op":"quit"}                       (no response; the driver exits)
 *   ← {"id":1,"ok":true}  |  {"id":1,"ok":false,"error":"ENOSPC: no space left on device"}
 */
export type DriverRequest =
  | { op: 'write'; id: number; source: string; target: string; mode: string }
  | { op: 'write_batch'; id: number; files: BatchPair[]; mode: string }
  | { op: 'noop'; id: number }
  | { op: 'quit' };
/** One file of a write_batch request. */
export interface BatchPair {
  source: string;
  target: string;
}

/**
 * A driver without a batch form answers write_batch as any op it does not know: ok false, an error
 * saying "unknown op". That answer means "no batch form", not a failed write.
 */
export function answersUnknownOp(response: DriverResponse): boolean {
  return !response.ok && /\bunknown op\b/i.test(response.error ?? '');
}

export interface DriverResponse {
  id: number;
  ok: boolean;
  error?: string;
}

export class DriverConnection {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, (response: DriverResponse) => void>();
  private nextId = 1;
  private exited: string | undefined;
  private stderrTail = '';

  constructor(argv: readonly string[]) {
    const [file, ...args] = argv;
    if (!file) throw new Error('driver argv is empty');
    if (isShuttingDown()) throw new InterruptedError();
    // Its own process group, registered until it exits, like every child (core/lifecycle.ts).
    this.child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const pid = this.child.pid;
    if (pid !== undefined) {
      trackChild(pid);
      this.child.once('exit', () => untrackChild(pid));
    }
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    this.child.on('error', (error) => this.fail(`cannot start driver: ${error.message}`));
    this.child.on('exit', (code, signal) =>
      this.fail(failureText(`driver exited (${signal ?? `code ${code}`})`, this.stderrTail)),
    );
    this.child.stdin.on('error', () => {
      // EPIPE after the driver died; the exit handler reports it.
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.receive(line));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request(
    body:
      | { op: 'write'; source: string; target: string; mode: string }
      | { op: 'write_batch'; files: BatchPair[]; mode: string }
      | { op: 'noop' },
  ): Promise<DriverResponse> {
    if (this.exited) return Promise.resolve({ id: 0, ok: false, error: this.exited });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ ...body, id })}\n`);
    });
  }

  async quit(timeoutMs = 5000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.write(`${JSON.stringify({ op: 'quit' })}\n`);
    this.child.stdin.end();
    const timer = setTimeout(() => killGroup(this.child.pid), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private receive(line: string): void {
    let response: DriverResponse;
    try {
      response = JSON.parse(line) as DriverResponse;
    } catch {
      return; // Drivers may log to stdout; only JSON lines with a known id are answers.
    }
    const resolve = this.pending.get(response.id);
    if (!resolve) return;
    this.pending.delete(response.id);
    resolve({
      id: response.id,
      ok: response.ok === true,
      error: response.ok === true ? undefined : String(response.error ?? 'driver reported failure'),
    });
  }

  private fail(reason: string): void {
    if (this.exited) return;
    this.exited = reason;
    for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: reason });
    this.pending.clear();
  }
}
