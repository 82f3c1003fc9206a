/**
 * The hook shim: runs an agent's PreToolUse hook exactly as the agent would have, and appends one
 * audit-log line per Bash call saying whether the hook rewrote the command. It runs before every tool
 * call the agent makes, so it is lean (plain child_process, synchronous appends, nothing else loaded)
 * and it never decides anything itself:
 * - the hook's stdout, stderr and exit code reach the agent byte for byte (exit 2 = block survives);
 * - when the hook cannot run (missing, killed by a signal) or the shim itself fails, it fails open:
 *   exit 0, empty stdout, one line on stderr, and the agent proceeds with its call unchanged;
 * - a failure to write the log never changes what the agent sees.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { auditLine, type AuditRecord } from './audit/audit-log.js';
import { classifyCommand, type CommandClass } from './classify/index.js';

export interface ShimOptions {
  /** The JSONL audit log to append to (created if absent; its directory must exist). */
  log: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Claude Code feeds a hook's stderr to the model only on this exit code; anything else goes to the user. */
const BLOCK_EXIT = 2;
const PREFIX = 'writegate hook-shim: ';

type HookOutcome = { ran: true; stdout: Buffer; stderr: Buffer; code: number } | { ran: false; why: string };

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Runs the hook from argv (no shell) with `input` on its stdin; every way it can end is a value. */
function runHook(argv: readonly string[], input: Buffer): Promise<HookOutcome> {
  const [file, ...args] = argv;
  if (!file) return Promise.resolve({ ran: false, why: 'no hook command given' });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: HookOutcome) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    child.on('error', (error: NodeJS.ErrnoException) => settle({ ran: false, why: `cannot start ${file} (${error.code ?? error.message})` }));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A hook that exits without reading its stdin closes the pipe under us: not an error of the hook's.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    child.on('close', (code, signal) => {
      if (signal !== null || code === null) settle({ ran: false, why: `hook ${file} was killed by ${signal ?? 'a signal'}` });
      else settle({ ran: true, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), code });
    });
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function classOf(command: string): CommandClass {
  try {
    return classifyCommand(command).class;
  } catch {
    return 'unknown';
  }
}

/**
 * The audit record of this call, or undefined when the hook input is not a Bash call (no
 * tool_input.command): those are passed through but not logged. Only an exit-0 hook's JSON is read by
 * the agent, so only then can its updatedInput have rewritten anything.
 */
function recordOf(input: Buffer, outcome: HookOutcome): AuditRecord | undefined {
  const event = parseJson(input);
  if (!isObject(event) || !isObject(event.tool_input) || typeof event.tool_input.command !== 'string') return undefined;
  const command = event.tool_input.command;
  let rewritten: string | null = null;
  if (outcome.ran && outcome.code === 0) {
    const output = parseJson(outcome.stdout);
    const updated = isObject(output) && isObject(output.hookSpecificOutput) ? output.hookSpecificOutput.updatedInput : undefined;
    if (isObject(updated) && typeof updated.command === 'string' && updated.command !== command) rewritten = updated.command;
  }
  return {
    ts: new Date().toISOString(),
    // Absent in old agent versions: such a record is kept but can join nothing.
    session_id: typeof event.session_id === 'string' ? event.session_id : '',
    tool_use_id: typeof event.tool_use_id === 'string' ? event.tool_use_id : '',
    command,
    rewritten,
    class: classOf(command),
  };
}

/**
 * Appends the line with one write(2) on an O_APPEND descriptor. On Linux local filesystems (ext4,
 * xfs, btrfs, tmpfs) such a write is atomic with respect to the file offset: concurrent shims'
 * lines land whole, one after another, never interleaved (not so on NFS). Only a short write (disk
 * full, a signal) splits a line; the rest is then written and the split reported.
 * Returns what went wrong, if anything.
 */
export function appendLine(file: string, line: string): string | undefined {
  const bytes = Buffer.from(line, 'utf8');
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'a');
    const first = fs.writeSync(fd, bytes, 0, bytes.length);
    if (first === bytes.length) return undefined;
    for (let offset = first; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    return `short write to ${file} (${first} of ${bytes.length} bytes at once): the line may be interleaved with another`;
  } catch (error) {
    return `cannot append to ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the call was not logged`;
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Nothing the agent should hear about: the bytes were written or reported above.
      }
    }
  }
}

function write(stream: NodeJS.WritableStream, bytes: Buffer | string): Promise<void> {
  if (bytes.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write(bytes, () => resolve());
  });
}

/**
 * Runs `hookArgv` as the agent's hook with this process's stdin, passes its output and exit code
 * through, appends the audit record to `opts.log`, and returns the exit code to exit with.
 */
export async function runShim(hookArgv: readonly string[], opts: ShimOptions): Promise<number> {
  let outcome: HookOutcome;
  let record: AuditRecord | undefined;
  try {
    const input = await readAll(opts.stdin);
    outcome = await runHook(hookArgv, input);
    record = recordOf(input, outcome);
  } catch (error) {
    await write(opts.stderr, `${PREFIX}${(error as Error).message ?? String(error)}; the call proceeds unchanged\n`);
    return 0;
  }
  const logProblem = record ? appendLine(opts.log, auditLine(record)) : undefined;
  if (!outcome.ran) {
    await write(opts.stderr, `${PREFIX}${outcome.why}; the call proceeds unchanged${logProblem ? `; ${logProblem}` : ''}\n`);
    return 0;
  }
  await write(opts.stdout, outcome.stdout);
  await write(opts.stderr, outcome.stderr);
  // After the hook's own bytes, and never on a block, where the agent's model would read it.
  if (logProblem && outcome.code !== BLOCK_EXIT) await write(opts.stderr, `${PREFIX}${logProblem}\n`);
  return outcome.code;
}
