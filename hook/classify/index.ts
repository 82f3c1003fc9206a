/**
 * PLACEHOLDER, replaced at merge by the real classifier (same API). It exists only so the audit proxy
 * and the hook shim compile and run before the real one lands; its verdicts are deliberately crude:
 * a few well-known read-only commands are read_only, a few obviously writing ones are mutating, the
 * rest unknown. Nothing outside the audit and shim tests should rely on its reasons.
 */
export type CommandClass = 'read_only' | 'mutating' | 'unknown';

export interface CommandPart {
  command: string;
  class: CommandClass;
  reason: string;
}

export interface Classification {
  class: CommandClass;
  reason: string;
  parts: readonly CommandPart[];
}

const READ_ONLY = new Set(['ls', 'cat', 'pwd', 'echo', 'head', 'tail', 'wc', 'grep', 'rg', 'find', 'which', 'true']);
const READ_ONLY_GIT = new Set(['status', 'log', 'diff', 'show', 'branch', 'rev-parse', 'blame', 'ls-files']);
const MUTATING = new Set(['rm', 'mv', 'cp', 'mkdir', 'touch', 'chmod', 'tee', 'sed', 'npm', 'pip', 'make']);
const MUTATING_GIT = new Set(['commit', 'push', 'add', 'reset', 'checkout', 'merge', 'rebase', 'stash', 'clean', 'restore', 'switch']);

function classifyPart(command: string): CommandPart {
  const words = command.trim().split(/\s+/);
  const [program = '', sub = ''] = words;
  if (program === 'git') {
    if (READ_ONLY_GIT.has(sub)) return { command, class: 'read_only', reason: `git ${sub} only reads` };
    if (MUTATING_GIT.has(sub)) return { command, class: 'mutating', reason: `git ${sub} changes the repository` };
    return { command, class: 'unknown', reason: `git ${sub || '(no subcommand)'} is not known` };
  }
  if (/(^|[^>])>{1,2}[^>&]/.test(command)) return { command, class: 'mutating', reason: 'redirects output into a file' };
  if (READ_ONLY.has(program)) return { command, class: 'read_only', reason: `${program} only reads` };
  if (MUTATING.has(program)) return { command, class: 'mutating', reason: `${program} can write` };
  return { command, class: 'unknown', reason: `${program || 'an empty command'} is not known` };
}

/** The strictest class of the parts of a command line split on ;, &&, || and |. */
export function classifyCommand(commandLine: string): Classification {
  const parts = commandLine
    .split(/&&|\|\||;|\|/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map(classifyPart);
  if (parts.length === 0) return { class: 'unknown', reason: 'empty command', parts: [] };
  const worst = parts.find((part) => part.class === 'mutating') ?? parts.find((part) => part.class === 'unknown') ?? parts[0]!;
  return { class: worst.class, reason: worst.reason, parts };
}
