import {
  COMMAND_CLASSES as CLASSES,
  decodeDetail,
  HOOK_SCENARIOS,
  METRICS,
  type AuditFindingDetail,
  type ResultRow,
} from '../../core/schema.js';
import { fisherCanReachSignificance, fisherExactGreater, type Proportion } from '../../core/stats.js';
import { formatNumber, formatPercent } from '../format.js';
import { AUDIT_ALPHA } from '../gates/hook.js';
import { blocks, table, untrusted, word } from '../report/markdown.js';
import type { Figure } from '../types.js';

/** The command classes hook/classify assigns; a row naming another is the input's (shown inert). */
export const COMMAND_CLASSES: readonly string[] = CLASSES;

/** The audit of recorded sessions as the hook's `audit` rows say it, summed over every input. */
export interface AuditSummary {
  bash_calls: number;
  joined: number;
  rewritten: { calls: number; retries: number; failures: number };
  native: { calls: number; retries: number; failures: number };
  by_class: Record<string, { calls: number; rewritten: number }>;
  files: { path: string; kind: string; lines: number; malformed: number }[];
  findings: AuditFindingDetail[];
  tests: { retry: ExactTest; failure: ExactTest };
}

/** One exact test: the p-value, or why there is none. */
export interface ExactTest {
  treated: Proportion;
  baseline: Proportion;
  p: number | null;
  /** Set when p is null. */
  why?: string;
}

function exactTest(treated: Proportion, baseline: Proportion): ExactTest {
  if (treated.total === 0 || baseline.total === 0) {
    return {
      treated,
      baseline,
      p: null,
      why: `not enough data: ${treated.total} rewritten and ${baseline.total} native calls; both are needed`,
    };
  }
  if (!fisherCanReachSignificance(treated, baseline, AUDIT_ALPHA)) {
    return {
      treated,
      baseline,
      p: null,
      why:
        `not enough data: with ${treated.total} rewritten and ${baseline.total} native ` +
        `calls (${treated.hits + baseline.hits} events), no outcome could be significant ` +
        `at ${AUDIT_ALPHA}`,
    };
  }
  return { treated, baseline, p: fisherExactGreater(treated, baseline) };
}

/** Undefined when the input holds no audit. */
export function auditSummary(rows: readonly ResultRow[]): AuditSummary | undefined {
  const mine = rows.filter((row) => row.scenario === HOOK_SCENARIOS.audit);
  if (mine.length === 0) return undefined;
  const sum = (metric: string) =>
    mine.filter((row) => row.metric === metric).reduce((total, row) => total + (row.value ?? 0), 0);
  const byClass: AuditSummary['by_class'] = {};
  for (const row of mine) {
    if (row.metric !== METRICS.auditClassCalls && row.metric !== METRICS.auditClassRewritten) continue;
    const entry = (byClass[row.mode] ??= { calls: 0, rewritten: 0 });
    if (row.metric === METRICS.auditClassCalls) entry.calls += row.value ?? 0;
    else entry.rewritten += row.value ?? 0;
  }
  const rewritten = {
    calls: sum(METRICS.rewrittenCalls),
    retries: sum(METRICS.rewrittenRetries),
    failures: sum(METRICS.rewrittenFailures),
  };
  const native = {
    calls: sum(METRICS.nativeCalls),
    retries: sum(METRICS.nativeRetries),
    failures: sum(METRICS.nativeFailures),
  };
  return {
    bash_calls: sum(METRICS.auditBashCalls),
    joined: sum(METRICS.auditJoinedCalls),
    rewritten,
    native,
    by_class: byClass,
    files: mine
      .filter((row) => row.metric === METRICS.auditFile)
      .map((row) => {
        const file = decodeDetail(METRICS.auditFile, row.detail);
        return {
          path: file?.path ?? '',
          kind: file?.kind || row.mode,
          lines: row.value ?? 0,
          malformed: file?.malformed ?? 0,
        };
      }),
    findings: mine
      .filter((row) => row.metric === METRICS.auditFinding)
      .flatMap((row) => decodeDetail(METRICS.auditFinding, row.detail) ?? []),
    tests: {
      retry: exactTest(
        { hits: rewritten.retries, total: rewritten.calls },
        { hits: native.retries, total: native.calls },
      ),
      failure: exactTest(
        { hits: rewritten.failures, total: rewritten.calls },
        { hits: native.failures, total: native.calls },
      ),
    },
  };
}

function share(hits: number, total: number): string {
  return total === 0 ? '—' : `${formatPercent(hits / total)} (${hits}/${total})`;
}

function testFigure(metric: string, test: ExactTest): Figure {
  const { treated, baseline } = test;
  const counts = `rewritten ${treated.hits}/${treated.total} vs native ${baseline.hits}/${baseline.total}`;
  return {
    scenario: HOOK_SCENARIOS.audit,
    subject: 'sessions',
    mode: '',
    size_bytes: null,
    metric,
    value: test.p,
    note: test.p === null ? test.why : counts,
  };
}

export function auditFigures(summary: AuditSummary | undefined): Figure[] {
  if (!summary) return [];
  return [
    testFigure(METRICS.postRewriteRetryPValue, summary.tests.retry),
    testFigure(METRICS.postRewriteFailurePValue, summary.tests.failure),
  ];
}

function pText(test: ExactTest): string {
  return test.p === null ? (test.why ?? 'not enough data') : formatNumber(test.p);
}

export function auditBlock(summary: AuditSummary | undefined): string | undefined {
  if (!summary) return undefined;
  const { rewritten, native, tests } = summary;
  const findings = summary.findings.map((finding) => {
    const flags = [finding.retried ? 'retried' : '', finding.failed ? 'failed' : ''].filter(Boolean).join(', ');
    const change = `${untrusted(finding.command)} → ${untrusted(finding.rewritten)}`;
    return `- ${change} (${word(finding.class, COMMAND_CLASSES)})${flags ? `: ${flags}` : ''}`;
  });
  return blocks(
    '### Recorded sessions',
    `${summary.bash_calls} Bash call(s) in the transcripts, ${summary.joined} matched ` +
      `to a hook-log line. A call is retried when the agent sent it (or nearly ` +
      `it) again next; ` +
      'it failed when its result was an error. Rewritten calls are compared ' +
      'with calls left as they were by a one-sided Fisher exact test: a gate ' +
      'fails only when the rewritten share is significantly higher.',
    table(
      ['', 'calls', 'retried', 'failed'],
      [
        [
          'rewritten',
          String(rewritten.calls),
          share(rewritten.retries, rewritten.calls),
          share(rewritten.failures, rewritten.calls),
        ],
        [
          'left as they were',
          String(native.calls),
          share(native.retries, native.calls),
          share(native.failures, native.calls),
        ],
        ['exact test p (rewritten higher)', '', pText(tests.retry), pText(tests.failure)],
      ],
      ['left', 'right', 'right', 'right'],
    ),
    table(
      ['class', 'calls', 'rewritten'],
      Object.entries(summary.by_class).map(([cls, counts]) => [
        word(cls, COMMAND_CLASSES),
        String(counts.calls),
        share(counts.rewritten, counts.calls),
      ]),
      ['left', 'right', 'right'],
    ),
    table(
      ['file', 'kind', 'lines', 'malformed'],
      summary.files.map((file) => [
        untrusted(file.path),
        untrusted(file.kind),
        String(file.lines),
        file.malformed ? `${file.malformed} ⚠` : '0',
      ]),
      ['left', 'left', 'right', 'right'],
    ),
    findings.length
      ? blocks(
          'Findings (rewritten calls that were retried or failed, and mutating commands rewritten):',
          findings.join('\n'),
        )
      : 'No findings.',
  );
}
