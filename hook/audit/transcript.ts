import { isObject } from './lines.js';

/** One Bash tool call as the agent made it, where it sits in its transcript. */
export interface BashCall {
  sessionId: string;
  toolUseId: string;
  command: string;
  /** The line's timestamp in ms; a line without one inherits the previous line's (see README: order). */
  time: number;
}

export interface ToolResult {
  toolUseId: string;
  isError: boolean;
}

/** What one transcript line contributes; `malformed` when its shape is not Claude Code's. */
export type TranscriptLine =
  | { kind: 'calls'; calls: BashCall[] }
  | { kind: 'results'; results: ToolResult[] }
  | { kind: 'ignored' }
  | { kind: 'malformed' };

/** Whether a parsed JSON line looks like a transcript line at all (used to tell the file's kind). */
export function looksLikeTranscriptLine(value: Record<string, unknown>): boolean {
  return typeof value.type === 'string' && !('tool_use_id' in value);
}

/** The line's own timestamp in ms, if it has a valid one. */
export function timeOf(value: Record<string, unknown>): number | undefined {
  if (typeof value.timestamp !== 'string') return undefined;
  const ms = Date.parse(value.timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

function assistantCalls(value: Record<string, unknown>, content: readonly unknown[], time: number): TranscriptLine {
  const calls: BashCall[] = [];
  for (const block of content) {
    if (!isObject(block)) return { kind: 'malformed' };
    if (block.type !== 'tool_use' || block.name !== 'Bash') continue;
    const input = block.input;
    if (
      typeof block.id !== 'string' ||
      !isObject(input) ||
      typeof input.command !== 'string' ||
      typeof value.sessionId !== 'string'
    )
      return { kind: 'malformed' };
    calls.push({ sessionId: value.sessionId, toolUseId: block.id, command: input.command, time });
  }
  return { kind: 'calls', calls };
}

function userResults(content: readonly unknown[]): TranscriptLine {
  const results: ToolResult[] = [];
  for (const block of content) {
    if (!isObject(block)) return { kind: 'malformed' };
    if (block.type !== 'tool_result') continue;
    if (typeof block.tool_use_id !== 'string' || (block.is_error !== undefined && typeof block.is_error !== 'boolean'))
      return { kind: 'malformed' };
    results.push({ toolUseId: block.tool_use_id, isError: block.is_error === true });
  }
  return { kind: 'results', results };
}

/**
 * One line of a Claude Code session transcript (~/.claude/projects/<project>/<session>.jsonl).
 * Only assistant lines with Bash tool_use blocks and user lines with tool_result blocks matter; every
 * other line type (summary, system, file-history-snapshot, a user's typed prompt, …) is ignored.
 * `time` orders the line's calls: its own timestamp, or the last one seen before it in the file.
 */
export function readTranscriptLine(value: Record<string, unknown> | undefined, time: number): TranscriptLine {
  if (!value || typeof value.type !== 'string') return { kind: 'malformed' };
  if (value.type !== 'assistant' && value.type !== 'user') return { kind: 'ignored' };
  const message = value.message;
  if (!isObject(message)) return { kind: 'malformed' };
  const content = message.content;
  if (typeof content === 'string') return { kind: 'ignored' };
  if (!Array.isArray(content)) return { kind: 'malformed' };
  return value.type === 'assistant' ? assistantCalls(value, content, time) : userResults(content);
}
