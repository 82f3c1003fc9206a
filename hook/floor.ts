import fs from 'node:fs';
import path from 'node:path';
import { resolveExecutable } from '../core/executable.js';
import { summarize } from '../core/stats.js';
import { answerText, type HookAnswer } from './protocol.js';

/**
 * The floor: a hook that does nothing, on the same runtime as the hook under test, timed in the same
 * pass (its calls interleaved with the hook's). A loaded machine slows both alike, so the hook's
 * latency net of the floor is what the hook itself costs, and a slow floor shows the machine was
 * too loaded to judge it (hook/README.md, "The floor").
 */
export interface HookFloor {
  /** As the report names it: `node`, `python`, `shell`, or an interpreter's file name (`ruby`). */
  runtime: string;
  argv: readonly string[];
}

/** A floor, or why the hook's runtime could not be told (its latency is then judged against the budget alone). */
export type FloorChoice = { floor: HookFloor } | { why: string };

/** Reads stdin to its end, then answers pass-through (`{}`: leave the command as it is). */
const NODE_NOOP = 'process.stdin.resume(); process.stdin.on("end", () => process.stdout.write("{}\\n"));';
const PYTHON_NOOP = 'import sys; sys.stdin.read(); print("{}")';
const SHELL_NOOP = 'while read -r line; do :; done; echo "{}"';

const NODE = /^(node|nodejs)$/;
const PYTHON = /^(python|pypy)(\d+(\.\d+)*)?$/;
const SHELL = /^(sh|bash|dash|zsh|ksh|mksh|ash|yash)$/;
/** Interpreters recognised by name when they are argv[0]; any program a `#!` line names counts as one. */
const OTHER_INTERPRETERS = /^(ruby|perl|php|lua|luajit|bun|deno|tclsh|Rscript|pwsh|fish)(\d+(\.\d+)*)?$/;

/** A program and the arguments given before the script: `#!/usr/bin/perl -w` is perl with -w. */
interface Interpreter {
  path: string;
  args: readonly string[];
  /** Named by a `#!` line (any program there is an interpreter), not only by argv[0]. */
  fromShebang: boolean;
}

/**
 * The no-op for a hook's argv: the runtime comes from its program (`node`, `python3`, `bash`, …),
 * from the `#!` line of a script run directly, or from `env NAME` in either place. Node, Python and
 * shells get a no-op that reads the call and answers pass-through; another interpreter runs an
 * empty program (/dev/null), which answers pass-through by exiting 0 with nothing on stdout.
 */
export function floorOf(argv: readonly string[], searchPath: string): FloorChoice {
  const found = interpreterOf(argv, searchPath);
  if ('why' in found) return found;
  const names = [path.basename(found.path), path.basename(realPath(found.path))];
  const named = (pattern: RegExp) => names.some((name) => pattern.test(name));
  // The interpreter's own flags come along: `python3 -S hook.py` starts faster than `python3`, and a
  // floor slower than the hook's start would make its net latency too small.
  if (named(NODE))
    return { floor: { runtime: 'node', argv: [found.path, ...found.args, '--input-type=module', '-e', NODE_NOOP] } };
  if (named(PYTHON)) return { floor: { runtime: 'python', argv: [found.path, ...found.args, '-c', PYTHON_NOOP] } };
  if (named(SHELL)) return { floor: { runtime: 'shell', argv: [found.path, ...found.args, '-c', SHELL_NOOP] } };
  if (found.fromShebang || named(OTHER_INTERPRETERS))
    return { floor: { runtime: names[0] as string, argv: [found.path, ...found.args, '/dev/null'] } };
  return {
    why:
      `its program, ${names[0]}, is not an interpreter writegate knows (a native ` +
      `program, or a runtime it cannot name from the command or a #! line), so ` +
      `no no-op of its runtime could be timed`,
  };
}

function interpreterOf(argv: readonly string[], searchPath: string): Interpreter | { why: string } {
  const [program = '', ...rest] = argv;
  const shebang = shebangWords(program);
  if (shebang) {
    const [interpreter = '', ...args] = shebang;
    if (isEnv(interpreter)) return viaEnv(args, searchPath, `the #! line of ${path.basename(program)}`);
    return { path: interpreter, args, fromShebang: true };
  }
  if (isEnv(program)) return viaEnv(rest, searchPath, 'the command');
  return { path: program, args: leadingFlags(rest), fromShebang: false };
}

/**
 * Flags that take the next word, or end the flags (a module, an inline program): no flag after them is the
 * interpreter's alone.
 */
const VALUE_FLAGS = new Set([
  '-m',
  '-c',
  '-e',
  '-p',
  '-r',
  '-X',
  '-W',
  '-O',
  '--require',
  '--import',
  '--eval',
  '--print',
  '--loader',
  '--input-type',
]);

/**
 * The interpreter's flags before the script (`node --no-warnings hook.mjs` → --no-warnings), up to any flag with a
 * value.
 */
function leadingFlags(words: readonly string[]): string[] {
  const flags: string[] = [];
  for (const word of words) {
    if (!word.startsWith('-') || word === '-' || word === '--' || VALUE_FLAGS.has(word) || word.includes('=')) break;
    flags.push(word);
  }
  return flags;
}

function isEnv(program: string): boolean {
  return path.basename(program) === 'env';
}

/** `env [-S] [-i] [-u NAME] [VAR=value…] NAME [ARG…]`: NAME, found on PATH as env would find it. */
function viaEnv(words: readonly string[], searchPath: string, where: string): Interpreter | { why: string } {
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    if (['-u', '--unset', '-C', '--chdir'].includes(word)) i += 2;
    else if (word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) i += 1;
    else break;
  }
  const name = words[i];
  if (name === undefined) return { why: `${where} runs env without naming a program` };
  const resolved = resolveExecutable(name, process.cwd(), searchPath);
  if (!resolved) return { why: `${where} names ${name} through env, and no executable ${name} is on PATH` };
  return { path: resolved, args: words.slice(i + 1), fromShebang: true };
}

/** The words of a file's `#!` line, or undefined when it has none (a native program, or unreadable). */
function shebangWords(file: string): string[] | undefined {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(256);
      head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (head[0] !== 0x23 || head[1] !== 0x21) return undefined;
  const line = head.toString('utf8', 2).split('\n')[0] ?? '';
  const words = line.trim().split(/\s+/).filter(Boolean);
  return words.length ? words : undefined;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** What the floor came to in the latency pass: its figures, or why there are none. */
export type FloorFigures =
  | { runtime: string; command: string; latency: { p50: number; p95: number; n: number } }
  | { runtime?: string; command?: string; why: string };

/**
 * The floor's figures from its calls. A no-op that did not pass the call through (it crashed, timed
 * out, or its runtime refused the empty program) is no floor: timing it would measure something else.
 */
export function floorFigures(
  choice: FloorChoice,
  calls: readonly { answer: HookAnswer; durationMs: number }[],
): FloorFigures {
  if ('why' in choice) return { why: choice.why };
  const { runtime, argv } = choice.floor;
  const command = commandText(argv);
  const odd = calls.find((call) => call.answer.kind !== 'unchanged');
  if (odd)
    return {
      runtime,
      command,
      why: `the no-op of ${runtime} did not pass the call through (${answerText(odd.answer)}), so it is no floor`,
    };
  if (calls.length === 0) return { runtime, command, why: 'no floor call was made' };
  const latency = summarize(calls.map((call) => call.durationMs));
  return { runtime, command, latency: { p50: latency.p50, p95: latency.p95, n: latency.n } };
}

/** The no-op as a reader would type it: a word that needs no quoting as it is, any other in single quotes. */
export function commandText(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
