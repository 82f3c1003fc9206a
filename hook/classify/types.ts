/**
 * `read_only`: running it cannot change files, the repository, or remote state. `mutating`: it can.
 * `unknown`: the tables do not know it; callers must never treat it as read-only.
 */
export type CommandClass = 'read_only' | 'mutating' | 'unknown';

export const COMMAND_CLASSES: readonly CommandClass[] = ['read_only', 'mutating', 'unknown'];

export interface ClassifiedPart {
  /** One simple command as written on the line (a pipeline stage, one side of `&&`, a `$(…)` body…). */
  command: string;
  class: CommandClass;
  reason: string;
}

export interface Classification {
  /** The most dangerous class among the parts: mutating > unknown > read_only. */
  class: CommandClass;
  /** Plain English, e.g. "git branch -d deletes a branch". */
  reason: string;
  parts: readonly ClassifiedPart[];
}

/** A class with the reason for it; what every rule returns. */
export interface Verdict {
  class: CommandClass;
  reason: string;
}

export const readOnly = (reason: string): Verdict => ({ class: 'read_only', reason });
export const mutating = (reason: string): Verdict => ({ class: 'mutating', reason });
export const unknown = (reason: string): Verdict => ({ class: 'unknown', reason });

const DANGER: Record<CommandClass, number> = { read_only: 0, unknown: 1, mutating: 2 };

/** The more dangerous of two verdicts; on a tie the first one keeps its reason. */
export function worse<T extends Verdict>(a: T, b: T): T {
  return DANGER[b.class] > DANGER[a.class] ? b : a;
}

/** What tool rules need from the classifier to judge a command they run (`find -exec`, `xargs`, `bash -c`). */
export interface RuleContext {
  classifyArgv(argv: readonly string[]): Verdict;
  classifyLine(line: string): Verdict;
}

/** Judges one command from its arguments (the command name is passed too, for tools with several names). */
export type Rule = (args: readonly string[], ctx: RuleContext, name: string) => Verdict;
