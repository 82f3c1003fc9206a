import {
  encodeDetail,
  HOOK_AUDIT_SUBJECT,
  HOOK_SCENARIOS,
  METRICS,
  type OffenderDetail,
  type RowInput,
} from '../core/schema.js';
import type { AuditResult } from './audit/index.js';
import type { CommandClass } from './classify/index.js';
import type { CaseVerdict, PolicyFigures, Ratio } from './checks.js';
import type { FloorFigures } from './floor.js';
import type { EnvSet, HookUnderTest } from './plan.js';
import { answerText, type HookAnswer } from './protocol.js';

const CLASS_WORDS: Record<CommandClass, string> = {
  read_only: 'read-only',
  mutating: 'mutating',
  unknown: 'unclassified',
};

/** A rate the policy run and the audit write with its counts (core/schema/details.ts countsOfSchema). */
type HookRateMetric =
  | typeof METRICS.mutatingRewriteRate
  | typeof METRICS.readOnlyRewriteRate
  | typeof METRICS.unknownRewriteRate
  | typeof METRICS.argsPreservedRate
  | typeof METRICS.invalidOutputRate
  | typeof METRICS.blockedRate
  | typeof METRICS.deterministicRate
  | typeof METRICS.postRewriteRetryRate
  | typeof METRICS.postRewriteFailureRate
  | typeof METRICS.nativeRetryRate
  | typeof METRICS.nativeFailureRate;

/** The metrics of a row about one command (core/schema/details.ts offenderSchema). */
type OffenderMetric =
  | typeof METRICS.mutatingRewrite
  | typeof METRICS.argsLost
  | typeof METRICS.invalidOutput
  | typeof METRICS.nondeterministic
  | typeof METRICS.blockedCommand
  | typeof METRICS.translatedRewrite;

function distinctAnswers(answers: readonly HookAnswer[]): string[] {
  return [...new Set(answers.map(answerText))];
}

function rateRow(base: Omit<RowInput, 'metric'>, metric: HookRateMetric, ratio: Ratio, what: string): RowInput {
  return {
    ...base,
    metric,
    value: ratio.rate,
    unit: 'fraction',
    detail: encodeDetail(metric, { k: ratio.count, n: ratio.of, of: what }),
  };
}

/**
 * The policy run's rows for one hook in one env set (scenario `policy`, subject = hook, mode = env
 * set): what was run, the rates the gates judge, latency, one `rewrite_prefix` row per wrapper the
 * hook rewrote to, and one row per case and fault so the report can list every offender.
 */
export function policyRows(
  hook: HookUnderTest,
  envSet: EnvSet,
  figures: PolicyFigures,
  verdicts: readonly CaseVerdict[],
  corpus: number,
): RowInput[] {
  const base = { suite: 'hook' as const, scenario: HOOK_SCENARIOS.policy, subject: hook.name, mode: envSet.name };
  const vars = Object.entries(envSet.vars).map(([name, value]) => `${name}=${value}`);
  const round = (ms: number) => (Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : null);
  const rows: RowInput[] = [
    { ...base, metric: METRICS.hookCommand, detail: hook.template },
    { ...base, metric: METRICS.hookEnvVars, value: vars.length, unit: 'count', detail: vars.join(' ') },
    {
      ...base,
      metric: METRICS.hookCorpusCases,
      value: corpus,
      unit: 'count',
      detail: `${corpus} command lines in hook/cases.ts`,
    },
    {
      ...base,
      metric: METRICS.hookCases,
      value: figures.cases,
      unit: 'count',
      detail: figures.cases < corpus ? 'part of the corpus' : 'every command line',
    },
    { ...base, metric: METRICS.hookCalls, value: figures.calls, unit: 'count' },
    rateRow(base, METRICS.mutatingRewriteRate, figures.rewriteRate.mutating, 'mutating cases'),
    rateRow(base, METRICS.readOnlyRewriteRate, figures.rewriteRate.read_only, 'read-only cases'),
    rateRow(base, METRICS.unknownRewriteRate, figures.rewriteRate.unknown, 'unclassified cases'),
    rateRow(base, METRICS.argsPreservedRate, figures.argsPreserved, 'rewrites that put a wrapper in front'),
    {
      ...base,
      metric: METRICS.translatedRewrites,
      value: figures.translated,
      unit: 'count',
      detail: 'rewrites that replaced the program itself: listed, not judged',
    },
    rateRow(base, METRICS.invalidOutputRate, figures.invalid, 'cases'),
    rateRow(base, METRICS.blockedRate, figures.blocked, 'cases'),
    rateRow(base, METRICS.deterministicRate, figures.deterministic, 'cases sent more than once'),
    {
      ...base,
      metric: METRICS.hookLatencyP50,
      value: round(figures.latency.p50),
      unit: 'ms',
      detail: `${figures.latency.n} calls, one at a time`,
    },
    {
      ...base,
      metric: METRICS.hookLatencyP95,
      value: round(figures.latency.p95),
      unit: 'ms',
      detail: `${figures.latency.n} calls, one at a time`,
    },
  ];
  for (const [prefix, cases] of figures.prefixes)
    rows.push({ ...base, metric: METRICS.rewritePrefix, value: cases, unit: 'count', detail: prefix });
  for (const verdict of verdicts) rows.push(...offenderRows(base, verdict));
  return rows;
}

/**
 * The floor beside one hook × env set's latency (same scenario, subject and mode): its runtime, the
 * no-op's command, how many calls, p50 and p95; with none, the p50 and p95 are empty and say why.
 */
export function floorRows(hook: HookUnderTest, envSet: EnvSet, floor: FloorFigures): RowInput[] {
  const base = { suite: 'hook' as const, scenario: HOOK_SCENARIOS.policy, subject: hook.name, mode: envSet.name };
  const round = (ms: number) => (Number.isFinite(ms) ? Math.round(ms * 1000) / 1000 : null);
  const rows: RowInput[] = [
    { ...base, metric: METRICS.hookFloorRuntime, detail: floor.runtime ?? '' },
    { ...base, metric: METRICS.hookFloorCommand, detail: floor.command ?? '' },
  ];
  if ('why' in floor) {
    const none = `no floor: ${floor.why}`;
    return [
      ...rows,
      { ...base, metric: METRICS.hookFloorSamples, value: 0, unit: 'count', detail: none },
      { ...base, metric: METRICS.hookFloorP50, unit: 'ms', detail: none },
      { ...base, metric: METRICS.hookFloorP95, unit: 'ms', detail: none },
    ];
  }
  const what = `${floor.latency.n} calls of a no-op ${floor.runtime}, each beside a call of the hook`;
  return [
    ...rows,
    { ...base, metric: METRICS.hookFloorSamples, value: floor.latency.n, unit: 'count', detail: what },
    { ...base, metric: METRICS.hookFloorP50, value: round(floor.latency.p50), unit: 'ms', detail: what },
    { ...base, metric: METRICS.hookFloorP95, value: round(floor.latency.p95), unit: 'ms', detail: what },
  ];
}

function offenderRows(base: { suite: 'hook'; subject: string; mode: string }, verdict: CaseVerdict): RowInput[] {
  const { hookCase } = verdict;
  const row = (metric: OffenderMetric, why?: string): RowInput => {
    const detail: OffenderDetail = {
      command: hookCase.command,
      class: hookCase.class,
      answers: distinctAnswers(verdict.answers),
      ...(why ? { why } : {}),
    };
    return { ...base, scenario: hookCase.id, metric, value: 1, unit: 'bool', detail: encodeDetail(metric, detail) };
  };
  const rows: RowInput[] = [];
  if (verdict.rewritten && hookCase.class === 'mutating')
    rows.push(row(METRICS.mutatingRewrite, `a ${CLASS_WORDS[hookCase.class]} command was rewritten`));
  if (verdict.prefixed && !verdict.argsPreserved) rows.push(row(METRICS.argsLost, `lost: ${verdict.lost.join(' ')}`));
  if (verdict.invalid) rows.push(row(METRICS.invalidOutput));
  if (verdict.deterministic === false) rows.push(row(METRICS.nondeterministic, 'the same call got different answers'));
  if (verdict.blocked) rows.push(row(METRICS.blockedCommand));
  if (verdict.translated)
    rows.push(row(METRICS.translatedRewrite, 'the program was replaced: not judged word by word'));
  return rows;
}

/**
 * The audit of recorded sessions (scenario `audit`, subject `sessions`): the call counts the exact
 * test needs (rewritten and native, each with retries and failures), their rates, the rate of
 * mutating commands rewritten, per-class counts (mode = class), one row per file read and one per
 * finding.
 */
export function auditRows(result: AuditResult): RowInput[] {
  const base = { suite: 'hook' as const, scenario: HOOK_SCENARIOS.audit, subject: HOOK_AUDIT_SUBJECT };
  const count = (metric: string, value: number, detail = ''): RowInput => ({
    ...base,
    metric,
    value,
    unit: 'count',
    detail,
  });
  const rate = (metric: HookRateMetric, hits: number, total: number, what: string): RowInput => ({
    ...base,
    metric,
    value: total === 0 ? null : hits / total,
    unit: 'fraction',
    detail: encodeDetail(metric, { k: hits, n: total, of: what }),
  });
  const mutating = result.byClass.mutating;
  const rows: RowInput[] = [
    count(METRICS.auditBashCalls, result.bashCalls, 'Bash calls in the transcripts'),
    count(METRICS.auditJoinedCalls, result.joined, 'Bash calls matched to a hook-log line'),
    count(METRICS.rewrittenCalls, result.rewritten.calls),
    count(METRICS.rewrittenRetries, result.rewritten.retries),
    count(METRICS.rewrittenFailures, result.rewritten.failures),
    count(METRICS.nativeCalls, result.native.calls),
    count(METRICS.nativeRetries, result.native.retries),
    count(METRICS.nativeFailures, result.native.failures),
    rate(METRICS.mutatingRewriteRate, mutating.rewritten, mutating.calls, 'mutating calls'),
    rate(METRICS.postRewriteRetryRate, result.rewritten.retries, result.rewritten.calls, 'rewritten calls'),
    rate(METRICS.postRewriteFailureRate, result.rewritten.failures, result.rewritten.calls, 'rewritten calls'),
    rate(METRICS.nativeRetryRate, result.native.retries, result.native.calls, 'calls left as they were'),
    rate(METRICS.nativeFailureRate, result.native.failures, result.native.calls, 'calls left as they were'),
  ];
  for (const cls of ['read_only', 'mutating', 'unknown'] as const) {
    rows.push(
      { ...count(METRICS.auditClassCalls, result.byClass[cls].calls), mode: cls },
      { ...count(METRICS.auditClassRewritten, result.byClass[cls].rewritten), mode: cls },
    );
  }
  for (const file of result.files) {
    rows.push({
      ...count(METRICS.auditFile, file.lines),
      mode: file.kind,
      detail: encodeDetail(METRICS.auditFile, { path: file.path, kind: file.kind, malformed: file.malformed }),
    });
  }
  for (const finding of result.findings) {
    rows.push({
      ...base,
      mode: finding.class,
      metric: METRICS.auditFinding,
      value: 1,
      unit: 'bool',
      detail: encodeDetail(METRICS.auditFinding, { ...finding }),
    });
  }
  return rows;
}
