import type { CommandClass } from '../classify/index.js';

/** One line of the hook shim's audit log: what the hook did to one Bash call. */
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

/** Whether a parsed JSON line looks like an audit-log line at all (used to tell the file's kind). */
export function looksLikeAuditLine(value: Record<string, unknown>): boolean {
  return 'tool_use_id' in value && 'rewritten' in value && 'class' in value;
}

/** The record, or undefined when a field is missing or of the wrong type. */
export function readAuditLine(value: Record<string, unknown> | undefined): AuditRecord | undefined {
  if (!value) return undefined;
  const { ts, session_id, tool_use_id, command, rewritten } = value;
  const cls = value.class;
  if (typeof ts !== 'string' || typeof session_id !== 'string' || typeof tool_use_id !== 'string' || typeof command !== 'string') return undefined;
  if (rewritten !== null && typeof rewritten !== 'string') return undefined;
  if (typeof cls !== 'string' || !CLASSES.includes(cls)) return undefined;
  return { ts, session_id, tool_use_id, command, rewritten, class: cls as CommandClass };
}

/** The record as one log line, newline included: what the shim appends in a single write. */
export function auditLine(record: AuditRecord): string {
  return `${JSON.stringify({ ts: record.ts, session_id: record.session_id, tool_use_id: record.tool_use_id, command: record.command, rewritten: record.rewritten, class: record.class })}\n`;
}
