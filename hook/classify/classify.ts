import { FILE_RULES } from './files.js';
import { classifyGh } from './gh.js';
import { classifyGit } from './git.js';
import { isHarmlessTarget } from './options.js';
import { PACKAGE_RULES } from './packages.js';
import { parseShell, ShellSyntaxError, type ShellCommand, type ShellRedirect } from './shell.js';
import {
  mutating,
  readOnly,
  unknown,
  worse,
  type Classification,
  type ClassifiedPart,
  type Rule,
  type RuleContext,
  type Verdict,
} from './types.js';
import { WRAPPER_RULES } from './wrappers.js';

/** Every command the classifier knows, by name. Anything else is unknown. */
const RULES = new Map<string, Rule>(
  Object.entries({
    git: classifyGit,
    gh: classifyGh,
    ...FILE_RULES,
    ...PACKAGE_RULES,
    ...WRAPPER_RULES,
  } satisfies Record<string, Rule>),
);

/** `bash -c "eval '…'"` nesting deeper than this is not followed (and is unknown). */
const MAX_NESTING = 8;

/**
 * Classes a whole shell command line by its most dangerous part: mutating > unknown > read_only. Every
 * simple command counts, including those in `$(…)`, backticks, subshells and `bash -c '…'`; heredoc
 * bodies and quoted text do not. A line that does not parse is unknown. Unknown is never read-only.
 */
export function classifyCommand(commandLine: string): Classification {
  return classifyLine(commandLine, 0);
}

function classifyLine(line: string, nesting: number): Classification {
  if (nesting > MAX_NESTING) return { class: 'unknown', reason: 'commands nested too deep to follow', parts: [] };
  let commands: ShellCommand[];
  try {
    commands = parseShell(line);
  } catch (error) {
    if (error instanceof ShellSyntaxError)
      return { class: 'unknown', reason: `the line cannot be read as a shell command: ${error.message}`, parts: [] };
    throw error;
  }
  const ctx = contextAt(nesting);
  const parts = commands.map(
    (command): ClassifiedPart => ({ command: command.source, ...classifyShellCommand(command, ctx) }),
  );
  const first = parts[0];
  if (!first) return { class: 'unknown', reason: 'the line holds no command', parts };
  const top = parts.reduce((a, b) => worse(a, b));
  return { class: top.class, reason: lineReason(parts, top), parts };
}

function lineReason(parts: readonly ClassifiedPart[], top: ClassifiedPart): string {
  if (parts.length === 1) return top.reason;
  if (top.class === 'read_only')
    return `all ${parts.length} commands only read (${parts.map((part) => part.reason).join('; ')})`;
  const flat = top.command.replace(/\s+/g, ' ');
  const shown = flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
  return `${top.reason} (command ${parts.indexOf(top) + 1} of ${parts.length}: ${shown})`;
}

function contextAt(nesting: number): RuleContext {
  const ctx: RuleContext = {
    classifyArgv: (argv) => classifyArgv(argv, ctx),
    classifyLine: (line) => {
      const inner = classifyLine(line, nesting + 1);
      return { class: inner.class, reason: inner.reason };
    },
  };
  return ctx;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

function classifyShellCommand(command: ShellCommand, ctx: RuleContext): Verdict {
  if (command.kind === 'opaque') return unknown(`${command.reason} is not followed into`);
  const firstCommandWord = command.words.findIndex((word) => !ASSIGNMENT.test(word.source));
  const argv = firstCommandWord < 0 ? [] : command.words.slice(firstCommandWord).map((word) => word.value);
  let verdict =
    argv.length > 0
      ? classifyArgv(argv, ctx)
      : readOnly(command.words.length > 0 ? 'it only sets shell variables' : 'it has no command, only redirections');
  for (const redirect of command.redirects) verdict = worse(verdict, redirectVerdict(redirect));
  return verdict;
}

const WRITING_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);

/** An output redirection into a file writes it; into /dev/null or another descriptor (`2>&1`) it does not. */
function redirectVerdict(redirect: ShellRedirect): Verdict {
  const target = redirect.target.value;
  if (!WRITING_OPS.has(redirect.op) || isHarmlessTarget(target)) return readOnly('its redirections write no file');
  if (redirect.op === '>&' && /^(\d+|-)$/.test(target)) return readOnly('its redirections write no file');
  const written = `${redirect.fd ?? ''}${redirect.op} ${redirect.target.source}`;
  return mutating(`${written} writes output into ${target}`);
}

function classifyArgv(argv: readonly string[], ctx: RuleContext): Verdict {
  const name = argv[0] ?? '';
  if (name === '') return unknown('the command name is empty');
  if (/[$`]/.test(name)) return unknown('the command name is only known at run time');
  if (name.includes('/') && !name.startsWith('/'))
    return unknown(`${name} runs a program from a path; what it does is not known here`);
  const base = name.slice(name.lastIndexOf('/') + 1);
  const rule = RULES.get(base);
  if (!rule) return unknown(`${base} is not a command this classifier knows`);
  return rule(argv.slice(1), ctx, base);
}
