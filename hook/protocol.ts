import { z } from 'zod';

/**
 * The PreToolUse contract as Claude Code speaks it to a command hook: one JSON object on stdin, then
 * the hook's exit code, stdout and stderr. Exit 0 with JSON on stdout may rewrite the call through
 * `hookSpecificOutput.updatedInput`; exit 2 blocks it (stderr is the reason told to the agent); any
 * other exit is an error Claude Code shows and otherwise ignores.
 */
export interface PreToolUseInput {
  session_id: string;
  transcript_path: string;
  cwd: string;
  permission_mode: 'default';
  hook_event_name: 'PreToolUse';
  tool_name: 'Bash';
  tool_input: { command: string; description: string };
  tool_use_id: string;
}

export interface CallSite {
  sessionId: string;
  transcriptPath: string;
  cwd: string;
  toolUseId: string;
  description: string;
}

export function preToolUseInput(command: string, site: CallSite): PreToolUseInput {
  return {
    session_id: site.sessionId,
    transcript_path: site.transcriptPath,
    cwd: site.cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: site.description },
    tool_use_id: site.toolUseId,
  };
}

/**
 * What one call came to. `invalid` is everything Claude Code could not use: a crash, a timeout, an
 * exit other than 0 or 2, stdout that is not JSON, or JSON of the wrong shape.
 */
export type HookAnswer =
  | { kind: 'unchanged' }
  | { kind: 'rewritten'; command: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'invalid'; why: string };

/** Only the fields the answer depends on; anything else a hook prints (systemMessage, …) is its own business. */
const outputSchema = z.looseObject({
  decision: z.enum(['approve', 'block']).optional(),
  reason: z.string().optional(),
  hookSpecificOutput: z
    .looseObject({
      hookEventName: z.literal('PreToolUse').optional(),
      permissionDecision: z.enum(['allow', 'deny', 'ask']).optional(),
      permissionDecisionReason: z.string().optional(),
      updatedInput: z.looseObject({ command: z.string() }).optional(),
    })
    .optional(),
});

/** How a finished hook process looks to the reader of its answer (core/process.ts RunResult's fields). */
export interface HookExit {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError: string | undefined;
}

export function readHookAnswer(exit: HookExit, original: string, timeoutMs: number): HookAnswer {
  if (exit.spawnError !== undefined) return { kind: 'invalid', why: `could not start: ${exit.spawnError}` };
  if (exit.timedOut) return { kind: 'invalid', why: `no answer within ${timeoutMs} ms (killed)` };
  if (exit.exitCode === undefined) return { kind: 'invalid', why: `ended by ${exit.signal ?? 'a signal'}` };
  if (exit.exitCode === 2) return { kind: 'blocked', reason: excerpt(exit.stderr) || '(no reason on stderr)' };
  if (exit.exitCode !== 0)
    return { kind: 'invalid', why: `exit ${exit.exitCode}${exit.stderr.trim() ? `: ${lastLine(exit.stderr)}` : ''}` };
  const text = exit.stdout.trim();
  if (text === '') return { kind: 'unchanged' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'invalid', why: `stdout is not JSON: ${excerpt(text)}` };
  }
  const parsed = outputSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : 'stdout';
    return { kind: 'invalid', why: `wrong shape: ${where}: ${issue?.message ?? 'invalid'}` };
  }
  const output = parsed.data;
  const specific = output.hookSpecificOutput;
  if (specific?.permissionDecision === 'deny' || output.decision === 'block') {
    return { kind: 'blocked', reason: specific?.permissionDecisionReason ?? output.reason ?? '(no reason given)' };
  }
  const command = specific?.updatedInput?.command;
  if (command === undefined || command === original) return { kind: 'unchanged' };
  return { kind: 'rewritten', command };
}

/**
 * Two answers are the same when an agent would get the same command (or the same block reason). Two
 * invalid answers are the same answer whatever their error text: the call fails either way.
 */
export function sameAnswer(a: HookAnswer, b: HookAnswer): boolean {
  return a.kind === 'invalid' ? b.kind === 'invalid' : answerText(a) === answerText(b);
}

/** An answer in one line, for rows and the report. */
export function answerText(answer: HookAnswer): string {
  switch (answer.kind) {
    case 'unchanged':
      return 'unchanged';
    case 'rewritten':
      return `rewritten to ${answer.command}`;
    case 'blocked':
      return `blocked: ${answer.reason}`;
    case 'invalid':
      return `invalid: ${answer.why}`;
  }
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim());
  // A stack trace's first line names the error; its last names a frame. The error is what a reader wants.
  const error = lines.find((line) => /^\w*Error\b/.test(line.trim()));
  return excerpt(error ?? lines[lines.length - 1] ?? '');
}

function excerpt(text: string, max = 200): string {
  const flat = text.trim().replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A hook that has not answered after this long is killed and its answer is invalid; the run goes on. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
