import { InputError } from '../../core/errors.js';
import { looksLikeAuditLine, readAuditLine, type AuditRecord } from './audit-log.js';
import { nonBlankLines, parseObject } from './lines.js';
import { measure, type AuditMetrics } from './metrics.js';
import { looksLikeTranscriptLine, readTranscriptLine, timeOf, type BashCall, type ToolResult } from './transcript.js';

export type { AuditCounts, AuditFinding } from './metrics.js';
export { RETRY_WINDOW } from './metrics.js';

export type AuditFileKind = 'transcript' | 'audit-log';

export interface AuditFileSummary {
  path: string;
  kind: AuditFileKind;
  /** Non-blank lines. */
  lines: number;
  /** Lines skipped because they are not JSON or not in the shape their kind requires. */
  malformed: number;
}

/** What the audit found: the metrics (audit/metrics.ts) and, per file, how much of it was read. */
export interface AuditResult extends AuditMetrics {
  files: readonly AuditFileSummary[];
}

/** Everything read so far, first occurrence of each tool_use_id winning (a resumed session repeats its history). */
class Collected {
  readonly calls: BashCall[] = [];
  readonly results = new Map<string, ToolResult>();
  readonly records = new Map<string, AuditRecord>();
  private readonly callIds = new Set<string>();

  addCall(call: BashCall): void {
    if (this.callIds.has(call.toolUseId)) return;
    this.callIds.add(call.toolUseId);
    this.calls.push(call);
  }

  addResult(result: ToolResult): void {
    if (!this.results.has(result.toolUseId)) this.results.set(result.toolUseId, result);
  }

  addRecord(record: AuditRecord): void {
    if (!this.records.has(record.tool_use_id)) this.records.set(record.tool_use_id, record);
  }
}

function kindOf(value: Record<string, unknown> | undefined): AuditFileKind | undefined {
  if (!value) return undefined;
  if (looksLikeAuditLine(value)) return 'audit-log';
  if (looksLikeTranscriptLine(value)) return 'transcript';
  return undefined;
}

/** Reads one file into `into`; its kind is that of its first line that looks like either kind. */
async function readFile(file: string, into: Collected): Promise<AuditFileSummary> {
  let kind: AuditFileKind | undefined;
  let lines = 0;
  let malformed = 0;
  let time = Number.NEGATIVE_INFINITY;
  // Lines before the kind is known (unparseable ones, normally none) wait here.
  const pending: (Record<string, unknown> | undefined)[] = [];
  const take = (value: Record<string, unknown> | undefined) => {
    if (kind === 'audit-log') {
      const record = readAuditLine(value);
      if (record) into.addRecord(record);
      else if (record === undefined) malformed++;
      return;
    }
    if (value) time = timeOf(value) ?? time;
    const line = readTranscriptLine(value, time);
    if (line.kind === 'malformed') malformed++;
    else if (line.kind === 'calls') for (const call of line.calls) into.addCall(call);
    else if (line.kind === 'results') for (const result of line.results) into.addResult(result);
  };
  for await (const text of nonBlankLines(file)) {
    lines++;
    const value = text === undefined ? undefined : parseObject(text);
    if (kind === undefined) {
      kind = kindOf(value);
      pending.push(value);
      if (kind !== undefined) pending.splice(0).forEach(take);
    } else {
      take(value);
    }
  }
  if (kind === undefined) {
    throw new InputError(
      `${file}: neither a Claude Code session transcript nor a hook-shim audit ` +
        `log (${lines === 0 ? 'it is empty' : `none of its ${lines} lines is either`})`,
    );
  }
  return { path: file, kind, lines, malformed };
}

/**
 * The audit proxy: reads Claude Code session transcripts and hook-shim audit logs (any number of
 * each, in any order; each file's kind is told from its content), joins Bash calls to audit records
 * by tool_use_id and measures whether rewritten calls are retried or fail more than native ones.
 * Bad input (a missing file, a directory, an unreadable file, a file of neither kind) is an InputError.
 */
export async function auditFiles(paths: readonly string[]): Promise<AuditResult> {
  const collected = new Collected();
  const files: AuditFileSummary[] = [];
  for (const file of paths) files.push(await readFile(file, collected));
  return { files, ...measure(collected) };
}
