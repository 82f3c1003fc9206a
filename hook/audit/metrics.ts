import type { CommandClass } from '../classify/index.js';
import type { AuditRecord } from './audit-log.js';
import type { BashCall, ToolResult } from './transcript.js';

/** A call counts as retried when its command comes back within this many later Bash calls of its session. */
export const RETRY_WINDOW = 3;

export interface AuditCounts {
  calls: number;
  retries: number;
  failures: number;
}

export interface AuditFinding {
  sessionId: string;
  toolUseId: string;
  command: string;
  rewritten: string;
  class: CommandClass;
  retried: boolean;
  failed: boolean;
}

export interface AuditMetrics {
  /** Bash calls seen in transcripts (each tool_use_id once). */
  bashCalls: number;
  /** Of those, with an audit-log record (joined by tool_use_id). */
  joined: number;
  /** Calls the hook rewrote (joined), with their retries and failures. */
  rewritten: AuditCounts;
  /** Baseline: joined calls not rewritten, of the classes the hook rewrote at least once. */
  native: AuditCounts;
  /** Joined calls by class; mutating_rewrite_rate = byClass.mutating.rewritten / byClass.mutating.calls. */
  byClass: Record<CommandClass, { calls: number; rewritten: number }>;
  /** Every mutating rewrite, and every rewritten call that was retried or failed. */
  findings: readonly AuditFinding[];
}

/** What the files held, deduplicated: Bash calls in input order, results and audit records by tool_use_id. */
export interface AuditEvidence {
  calls: readonly BashCall[];
  results: ReadonlyMap<string, ToolResult>;
  records: ReadonlyMap<string, AuditRecord>;
}

/** Commands compared for a retry: an agent retyping one may space it differently. */
function normalized(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/** Each session's calls in transcript order: by time, ties (and calls without a time) in input order. */
function sessions(calls: readonly BashCall[]): BashCall[][] {
  const bySession = new Map<string, BashCall[]>();
  for (const call of calls) {
    const list = bySession.get(call.sessionId);
    if (list) list.push(call);
    else bySession.set(call.sessionId, [call]);
  }
  // Array#sort is stable, so equal times keep the order of the files given and of their lines.
  const ordered = [...bySession.values()].map((list) => list.sort((a, b) => a.time - b.time));
  // Sessions by their first call, so the findings' order does not depend on the order of the files.
  return ordered.sort(
    (a, b) =>
      (a[0] as BashCall).time - (b[0] as BashCall).time ||
      ((a[0] as BashCall).sessionId < (b[0] as BashCall).sessionId ? -1 : 1),
  );
}

interface Judged {
  call: BashCall;
  record: AuditRecord;
  rewritten: string | undefined;
  retried: boolean;
  failed: boolean;
}

/** Joined calls of one session with their retry and failure verdicts. */
function judgeSession(session: readonly BashCall[], evidence: AuditEvidence): Judged[] {
  const judged: Judged[] = [];
  session.forEach((call, i) => {
    const record = evidence.records.get(call.toolUseId);
    if (!record) return;
    const rewritten = record.rewritten !== null && record.rewritten !== record.command ? record.rewritten : undefined;
    // The same command again, as the agent typed it or as the hook saw it; for a rewritten call also
    // the rewritten form typed by hand.
    const forms = new Set(
      [call.command, record.command, ...(rewritten === undefined ? [] : [rewritten])].map(normalized),
    );
    const retried = session.slice(i + 1, i + 1 + RETRY_WINDOW).some((later) => forms.has(normalized(later.command)));
    const failed = evidence.results.get(call.toolUseId)?.isError === true;
    judged.push({ call, record, rewritten, retried, failed });
  });
  return judged;
}

function count(judged: readonly Judged[]): AuditCounts {
  return {
    calls: judged.length,
    retries: judged.filter((j) => j.retried).length,
    failures: judged.filter((j) => j.failed).length,
  };
}

/** The join and every figure the audit proxy reports; see README.md for the definitions. */
export function measure(evidence: AuditEvidence): AuditMetrics {
  const judged = sessions(evidence.calls).flatMap((session) => judgeSession(session, evidence));
  const rewritten = judged.filter((j) => j.rewritten !== undefined);
  // Like for like: the baseline is drawn only from the classes the hook rewrote at least once.
  const rewrittenClasses = new Set(rewritten.map((j) => j.record.class));
  const native = judged.filter((j) => j.rewritten === undefined && rewrittenClasses.has(j.record.class));
  const byClass: AuditMetrics['byClass'] = {
    read_only: { calls: 0, rewritten: 0 },
    mutating: { calls: 0, rewritten: 0 },
    unknown: { calls: 0, rewritten: 0 },
  };
  for (const j of judged) {
    byClass[j.record.class].calls++;
    if (j.rewritten !== undefined) byClass[j.record.class].rewritten++;
  }
  const findings = rewritten
    .filter((j) => j.record.class === 'mutating' || j.retried || j.failed)
    .map((j) => ({
      sessionId: j.call.sessionId,
      toolUseId: j.call.toolUseId,
      command: j.record.command,
      rewritten: j.rewritten as string,
      class: j.record.class,
      retried: j.retried,
      failed: j.failed,
    }));
  return {
    bashCalls: evidence.calls.length,
    joined: judged.length,
    rewritten: count(rewritten),
    native: count(native),
    byClass,
    findings,
  };
}
