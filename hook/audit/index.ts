/**
 * PLACEHOLDER, replaced at merge by the real audit proxy (same API). Only the types are real here, so
 * the hook suite can turn an AuditResult into rows; auditFiles itself is not built on this branch.
 */
import type { CommandClass } from '../classify/index.js';

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

export interface AuditFile {
  path: string;
  kind: 'transcript' | 'audit-log';
  lines: number;
  malformed: number;
}

export interface AuditResult {
  files: readonly AuditFile[];
  bashCalls: number;
  joined: number;
  rewritten: AuditCounts;
  native: AuditCounts;
  byClass: Record<CommandClass, { calls: number; rewritten: number }>;
  findings: readonly AuditFinding[];
}

export async function auditFiles(paths: readonly string[]): Promise<AuditResult> {
  throw new Error(`the session audit is not built yet on this branch (asked for ${paths.length} file(s))`);
}
