/**
 * Parses what `strace -f -q -y -s 0 -o FILE` writes: one system call per line, prefixed by the
 * thread id, fds decorated with their paths (`3</dir/file>`), calls split by other threads into
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
    const entry: TraceCall = { seq: calls.length, tid, name: call[1] as string, args: [], finished: false, injected: false, line: rawLine };
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
  const parsed = /^=\s+(\?|-?\d+|0x[0-9a-f]+)(?:<(.*?)>)?(?:\s+(E[A-Z0-9]+))?/.exec(result);
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

/** An fd argument: its number and, with -y, its path. */
export function parseFd(token: string | undefined): { fd: number | 'AT_FDCWD'; path?: string } | undefined {
  if (!token) return undefined;
  const match = /^(-?\d+|AT_FDCWD)(?:<(.*)>)?$/.exec(token);
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

function unescapeC(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '"': '"', '\\': '\\' };
    return simple[esc] ?? esc;
  });
}

function cleanPath(decorated: string): string {
  return decorated.replace(/ \(deleted\)$/, '');
}

/** How the process whose thread is `tid` ended: a thread's own line, else any line of its group. */
export function exitOf(trace: ParsedTrace, tid: number): TraceExit | undefined {
  return trace.exits.find((exit) => exit.tid === tid);
}
