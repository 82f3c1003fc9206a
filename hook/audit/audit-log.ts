import { classifyCommand, type CommandClass } from '../classify/index.js';

/** One Bash call the hook shim saw: what the hook did to it. */
export interface AuditRecord {
  ts: string;
  session_id: string;
  tool_use_id: string;
  command: string;
  /** The command the hook replaced it with, or null when it left the command alone. */
  rewritten: string | null;
  class: CommandClass;
}

const CLASSES: readonly string[] = ['read_only', 'mutating', 'unknown'] satisfies readonly CommandClass[];

/**
 * Whether a parsed JSON line looks like an audit-log line at all (used to tell the file's kind):
 * the shim's own lines (`v: 2`, raw input and output), or the decoded records of writegate ≤ 0.1.
 */
export function looksLikeAuditLine(value: Record<string, unknown>): boolean {
  return value.v === 2 || ('tool_use_id' in value && 'rewritten' in value && 'class' in value);
}

/**
 * The record of one log line; null for a line that is whole but not about a Bash call (the shim
 * logs every call it stands in for); undefined when the line is malformed.
 */
export function readAuditLine(value: Record<string, unknown> | undefined): AuditRecord | null | undefined {
  if (!value) return undefined;
  return value.v === 2 ? readShimLine(value) : readRecordLine(value);
}

/** A line of writegate ≤ 0.1's Node shim: the record itself, classified when it was written. */
function readRecordLine(value: Record<string, unknown>): AuditRecord | undefined {
  const { ts, session_id, tool_use_id, command, rewritten } = value;
  const cls = value.class;
  if (
    typeof ts !== 'string' ||
    typeof session_id !== 'string' ||
    typeof tool_use_id !== 'string' ||
    typeof command !== 'string'
  )
    return undefined;
  if (rewritten !== null && typeof rewritten !== 'string') return undefined;
  if (typeof cls !== 'string' || !CLASSES.includes(cls)) return undefined;
  return { ts, session_id, tool_use_id, command, rewritten, class: cls as CommandClass };
}

/**
 * A line of the sh shim (hook/shim/writegate-hook-shim): the hook's input as it arrived and, when the
 * hook exited 0 (the only answer the agent reads), its output, both base64. The record is decoded
 * here: `rewritten` is the output's `hookSpecificOutput.updatedInput.command` when it differs from
 * `tool_input.command`; a call that timed out, could not start or was killed went ahead unchanged.
 */
function readShimLine(value: Record<string, unknown>): AuditRecord | null | undefined {
  const { ts, outcome, code } = value;
  if (typeof ts !== 'string' || typeof outcome !== 'string' || typeof code !== 'number') return undefined;
  if (typeof value.input_b64 !== 'string') return typeof value.input_bytes === 'number' ? null : undefined;
  // Input that is not JSON (or not a Bash call) reached the hook all the same: a whole line, no record.
  const event = decodeJson(value.input_b64);
  if (!isObject(event) || !isObject(event.tool_input) || typeof event.tool_input.command !== 'string') return null;
  const command = event.tool_input.command;
  let rewritten: string | null = null;
  if (outcome === 'ran' && code === 0 && typeof value.output_b64 === 'string') {
    const output = decodeJson(value.output_b64);
    const updated =
      isObject(output) && isObject(output.hookSpecificOutput) ? output.hookSpecificOutput.updatedInput : undefined;
    if (isObject(updated) && typeof updated.command === 'string' && updated.command !== command)
      rewritten = updated.command;
  }
  return {
    ts,
    // Absent in old agent versions: such a record is kept but can join nothing.
    session_id: typeof event.session_id === 'string' ? event.session_id : '',
    tool_use_id: typeof event.tool_use_id === 'string' ? event.tool_use_id : '',
    command,
    rewritten,
    class: classOf(command),
  };
}

function decodeJson(base64: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function classOf(command: string): CommandClass {
  try {
    return classifyCommand(command).class;
  } catch {
    return 'unknown';
  }
}

/** A record as a line of writegate ≤ 0.1's format: what old logs hold, and what synthetic tests write. */
export function auditLine(record: AuditRecord): string {
  const fields = {
    ts: record.ts,
    session_id: record.session_id,
    tool_use_id: record.tool_use_id,
    command: record.command,
    rewritten: record.rewritten,
    class: record.class,
  };
  return `${JSON.stringify(fields)}\n`;
}
