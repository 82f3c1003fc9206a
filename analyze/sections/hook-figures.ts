/**
 * hook rows decoded and gathered into figures: one policy line per hook and env set with its values and
 * the commands it got wrong, the wrapper prefixes, the latencies net of their floor, the audit, the gated
 * figures and the `--json` summary. hook.ts renders them.
 */
import { decodeDetail, HOOK_DEFAULT_ENV_SET, HOOK_SCENARIOS, METRICS, type ResultRow } from '../../core/schema.js';
import { figuresFromRows } from '../figures.js';
import type { Figure } from '../types.js';
import { auditFigures, auditSummary, type AuditSummary } from './hook-audit.js';
import { hookLatencies, latencyFigures, type HookLatency } from './hook-latency.js';
import { parityWrapperTemplates, rewritePrefixes, type RewritePrefix } from './hook-prefixes.js';
import type { HookSummary } from './hook-summary.js';

/** The metrics of a row about one command. */
export type OffenderMetric =
  | typeof METRICS.mutatingRewrite
  | typeof METRICS.argsLost
  | typeof METRICS.invalidOutput
  | typeof METRICS.nondeterministic
  | typeof METRICS.blockedCommand
  | typeof METRICS.translatedRewrite;

const OFFENDER_METRICS: readonly string[] = [
  METRICS.mutatingRewrite,
  METRICS.argsLost,
  METRICS.invalidOutput,
  METRICS.nondeterministic,
  METRICS.translatedRewrite,
  METRICS.blockedCommand,
];

export const GATED = [
  METRICS.mutatingRewriteRate,
  METRICS.argsPreservedRate,
  METRICS.invalidOutputRate,
  METRICS.deterministicRate,
  METRICS.hookLatencyP95,
];
/** Gated as they stand; latency is gated net of its floor (hook-latency.ts). */
const GATED_AS_ROWS = GATED.filter((metric) => metric !== METRICS.hookLatencyP95);

/** One command a hook got wrong (or that is listed apart), as its row says it. */
export interface Offender {
  caseId: string;
  command: string;
  class: string;
  answers: string[];
  why: string;
}

/** One hook in one env set. */
export interface PolicyLine {
  hook: string;
  envSet: string;
  template: string;
  vars: string;
  values: Map<string, { value: number | null; detail: string }>;
  offenders: Map<string, Offender[]>;
}

/** Everything the hook section renders and reports. */
export interface HookFigures {
  lines: PolicyLine[];
  /** parity wrapper name → its template, from the whole input. */
  templates: Map<string, string>;
  prefixes: RewritePrefix[];
  audit: AuditSummary | undefined;
  latencies: HookLatency[];
  figures: Figure[];
  summary: HookSummary;
}

function offenderOf(row: ResultRow): Offender {
  const detail = OFFENDER_METRICS.includes(row.metric)
    ? decodeDetail(row.metric as OffenderMetric, row.detail)
    : undefined;
  if (!detail) return { caseId: row.scenario, command: '', class: '', answers: [], why: '' };
  return {
    caseId: row.scenario,
    command: detail.command,
    class: detail.class,
    answers: detail.answers,
    why: detail.why ?? '',
  };
}

function collect(rows: readonly ResultRow[]): PolicyLine[] {
  const lines = new Map<string, PolicyLine>();
  const line = (row: ResultRow): PolicyLine => {
    const key = JSON.stringify([row.subject, row.mode]);
    let found = lines.get(key);
    if (!found)
      lines.set(
        key,
        (found = {
          hook: row.subject,
          envSet: row.mode,
          template: '',
          vars: '',
          values: new Map(),
          offenders: new Map(),
        }),
      );
    return found;
  };
  for (const row of rows) {
    if (row.scenario === HOOK_SCENARIOS.audit) continue;
    if (row.scenario !== HOOK_SCENARIOS.policy) {
      const target = line(row).offenders;
      const list = target.get(row.metric) ?? [];
      if (!list.some((seen) => seen.caseId === row.scenario)) list.push(offenderOf(row));
      target.set(row.metric, list);
      continue;
    }
    const target = line(row);
    if (row.metric === METRICS.hookCommand) target.template = row.detail;
    else if (row.metric === METRICS.hookEnvVars) target.vars = row.detail;
    else if (!target.values.has(row.metric)) target.values.set(row.metric, { value: row.value, detail: row.detail });
  }
  // The default environment first for each hook: the one the gates judge.
  return [...lines.values()].sort((a, b) =>
    a.hook === b.hook ? Number(b.envSet === HOOK_DEFAULT_ENV_SET) - Number(a.envSet === HOOK_DEFAULT_ENV_SET) : 0,
  );
}

export function value(line: PolicyLine, metric: string): number | null {
  return line.values.get(metric)?.value ?? null;
}

function latencySummary(latency: HookLatency | undefined): HookSummary['hooks'][string][string]['latency'] {
  if (!latency) return { p95: null, net_p95: null, floor_p95: null, floor_runtime: null };
  if ('none' in latency.floor) return { p95: latency.p95, net_p95: null, floor_p95: null, floor_runtime: null };
  return {
    p95: latency.p95,
    net_p95: latency.judged,
    floor_p95: latency.floor.p95,
    floor_runtime: latency.floor.runtime,
  };
}

/** The hook rows of the section, and every row of the input (parity's wrapper templates are read from it). */
export function hookFigures(rows: readonly ResultRow[], allRows: readonly ResultRow[]): HookFigures {
  const lines = collect(rows);
  const templates = parityWrapperTemplates(allRows);
  const prefixes = rewritePrefixes(rows, templates);
  const audit = auditSummary(rows);
  const policyRows = rows.filter((row) => row.scenario === HOOK_SCENARIOS.policy);
  const latencies = hookLatencies(rows);
  const figures = [...figuresFromRows(policyRows, GATED_AS_ROWS), ...latencyFigures(latencies), ...auditFigures(audit)];
  const summary: HookSummary = {
    hooks: {},
    prefixes,
    parity_wrappers: Object.fromEntries(templates),
    audit: audit ?? null,
  };
  for (const line of lines) {
    (summary.hooks[line.hook] ??= {})[line.envSet] = {
      template: line.template,
      vars: line.vars,
      cases: value(line, METRICS.hookCases),
      corpus_cases: value(line, METRICS.hookCorpusCases),
      rates: Object.fromEntries(GATED.map((metric) => [metric, value(line, metric)])),
      latency: latencySummary(
        latencies.find((latency) => latency.hook === line.hook && latency.envSet === line.envSet),
      ),
      offenders: Object.fromEntries(
        [...line.offenders].map(([metric, list]) => [metric, list.map((offender) => offender.caseId)]),
      ),
    };
  }
  return { lines, templates, prefixes, audit, latencies, figures, summary };
}
