/**
 * The one parser of strace output in writegate: bench's syscall accounting, crash's aiming and
 * verification and the power-loss model all read traces through it. It reads what
 * `strace -f -q -y -s 0 -o FILE` writes: one system call per line, prefixed by the thread id, fds
 * decorated with their paths (`3</dir/file>`), calls split by other threads into
 * `<unfinished ...>` and `<... name resumed>` halves, and `+++ exited/killed +++` lines.
 */

export interface TraceCall {
  /** Position of the call's entry among all calls of the trace (what injection counters see). */
  seq: number;
  tid: number;
  name: string;
  /** Raw argument tokens, split at top-level commas. */
  args: string[];
  /** False when the call never returned (the thread died inside it, e.g. on an injected SIGKILL). */
  finished: boolean;
  retval?: number;
  errno?: string;
  /** strace marked the result `(INJECTED)`. */
  injected: boolean;
  /** The path decorating the returned fd (open family). */
  resultPath?: string;
  line: string;
}

export interface TraceExit {
  tid: number;
  exitCode?: number;
  killedBy?: string;
}

export interface ParsedTrace {
  calls: TraceCall[];
  exits: TraceExit[];
}

const PREFIX = /^(\d+)\s+(.*)$/;
const EXITED = /^\+\+\+ exited with (\d+) \+\+\+/;
const KILLED = /^\+\+\+ killed by (SIG[A-Z0-9]+)/;
const RESUMED = /^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/;
const CALL = /^([a-z0-9_]+)\((.*)$/;
const UNFINISHED = /\s*<unfinished \.\.\.>\s*$/;

export function parseTrace(text: string): ParsedTrace {
  const calls: TraceCall[] = [];
  const exits: TraceExit[] = [];
  const pending = new Map<number, { call: TraceCall; head: string }>();
  for (const rawLine of text.split('\n')) {
    if (!rawLine.trim()) continue;
    const prefixed = PREFIX.exec(rawLine);
    const tid = prefixed ? Number(prefixed[1]) : 0;
    const rest = prefixed ? (prefixed[2] as string) : rawLine;
    const exited = EXITED.exec(rest);
    if (exited) {
      exits.push({ tid, exitCode: Number(exited[1]) });
      continue;
    }
    const killed = KILLED.exec(rest);
    if (killed) {
      exits.push({ tid, killedBy: killed[1] });
      continue;
    }
    if (rest.startsWith('---') || rest.startsWith('+++')) continue;
    const resumed = RESUMED.exec(rest);
    if (resumed) {
      const open = pending.get(tid);
      if (!open || open.call.name !== resumed[1]) continue;
      pending.delete(tid);
      complete(open.call, `${open.head}${resumed[2] ?? ''}`, rawLine);
      continue;
    }
    const call = CALL.exec(rest);
    if (!call) continue;
    const entry: TraceCall = {
      seq: calls.length,
      tid,
      name: call[1] as string,
      args: [],
      finished: false,
      injected: false,
      line: rawLine,
    };
    calls.push(entry);
    const body = call[2] as string;
    if (UNFINISHED.test(body)) {
      pending.set(tid, { call: entry, head: body.replace(UNFINISHED, '') });
      continue;
    }
    complete(entry, body, rawLine);
  }
  // Calls still pending never returned: their thread died inside them.
  for (const { call, head } of pending.values()) call.args = splitArgs(head).args;
  return { calls, exits };
}

/** `body` is everything after `name(`: the arguments, `)`, and ` = result`. */
function complete(call: TraceCall, body: string, line: string): void {
  const { args, end } = splitArgs(body);
  call.args = args;
  call.line = line;
  const result = body.slice(end + 1).trim();
  const parsed = /^=\s+(\?|0x[0-9a-f]+|-?\d+)(?:<(.*?)>(?:\(deleted\))?)?(?:\s+(E[A-Z0-9]+))?/.exec(result);
  if (!parsed || parsed[1] === '?') {
    call.finished = false;
    return;
  }
  call.finished = true;
  call.retval = Number(parsed[1]);
  if (parsed[2] !== undefined) call.resultPath = cleanPath(parsed[2]);
  if (parsed[3]) call.errno = parsed[3];
  call.injected = /\(INJECTED\)/.test(result);
}

/**
 * Splits `a, "b,c", 3</x, y>, {...}` at top-level commas, up to the closing parenthesis of the call.
 * Returns the tokens and the index of that parenthesis (or the end of the text when absent).
 */
export function splitArgs(text: string): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') {
      const close = endOfString(text, i);
      current += text.slice(i, close + 1);
      i = close;
      continue;
    }
    if (ch === '<' && /[0-9D]$/.test(current)) {
      // An fd decoration: `3</path>` or `AT_FDCWD</cwd>`; the path may hold commas.
      const close = text.indexOf('>', i);
      const stop = close < 0 ? text.length - 1 : close;
      current += text.slice(i, stop + 1);
      i = stop;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ')') {
      if (depth === 0) break;
      depth--;
    } else if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return { args, end: i };
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === '"') return i;
  }
  return text.length - 1;
}

/**
 * An fd argument: its number and, with -y, its path. strace 6 marks an unlinked file after the
 * decoration (`3</d/x>(deleted)`), older versions inside it (`3</d/x (deleted)>`); both are read.
 */
export function parseFd(token: string | undefined): { fd: number | 'AT_FDCWD'; path?: string } | undefined {
  if (!token) return undefined;
  const match = /^(-?\d+|AT_FDCWD)(?:<(.*)>(?:\(deleted\))?)?$/.exec(token);
  if (!match) return undefined;
  const fd = match[1] === 'AT_FDCWD' ? 'AT_FDCWD' : Number(match[1]);
  return match[2] === undefined ? { fd } : { fd, path: cleanPath(match[2]) };
}

/** A quoted string argument, unescaped; undefined when the token is not a string. */
export function parseString(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const match = /^"((?:[^"\\]|\\.)*)"(?:\.\.\.)?$/s.exec(token);
  if (!match) return undefined;
  return unescapeC(match[1] as string);
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8 };

/**
 * strace prints bytes outside printable ASCII as \\ooo or \\xhh escapes: rebuild the bytes, then read
 * them as UTF-8, so a path with non-ASCII characters compares equal to the one Node sees.
 */
export function unescapeC(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const rest = text.slice(i + 1);
    const hex = /^x([0-9a-fA-F]{2})/.exec(rest);
    const octal = /^([0-7]{1,3})/.exec(rest);
    if (hex) {
      bytes.push(parseInt(hex[1] as string, 16));
      i += 3;
    } else if (octal) {
      bytes.push(parseInt(octal[1] as string, 8));
      i += (octal[1] as string).length;
    } else {
      const next = rest[0] ?? '';
      bytes.push(SIMPLE_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A `-y` path: unescaped, without the ` (deleted)` strace appends for an unlinked file. */
function cleanPath(decorated: string): string {
  return unescapeC(decorated.replace(/ \(deleted\)$/, ''));
}

/** Whether a `-y` decoration says the file was already unlinked when the call ran. */
export function isDeletedPath(token: string | undefined): boolean {
  return token !== undefined && /<.*(?: \(deleted\)>|>\(deleted\))$/.test(token);
}

/** How the process whose thread is `tid` ended: a thread's own line, else any line of its group. */
export function exitOf(trace: ParsedTrace, tid: number): TraceExit | undefined {
  return trace.exits.find((exit) => exit.tid === tid);
}
