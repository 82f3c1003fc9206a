import { quote } from 'shell-quote';
import { decodeDetail, HOOK_DEFAULT_ENV_SET, HOOK_SCENARIOS, METRICS, type ResultRow } from '../../core/schema.js';
import { figuresFromRows } from '../figures.js';
import { formatNumber, formatPercent } from '../format.js';
import { HOOK_GATES } from '../gates/hook.js';
import { blocks, code, table, untrusted, word } from '../report/markdown.js';
import type { SuiteSection } from '../section.js';
import type { GateResult } from '../types.js';
import { auditBlock, auditFigures, auditSummary, COMMAND_CLASSES, type AuditSummary } from './hook-audit.js';
import { hookLatencies, latencyBlock, latencyFigures, type HookLatency } from './hook-latency.js';
import { parityWrapperTemplates, rewritePrefixes, suggestedWrapperName, type RewritePrefix } from './hook-prefixes.js';

/** The metrics of a row about one command. */
type OffenderMetric = typeof METRICS.mutatingRewrite | typeof METRICS.argsLost | typeof METRICS.invalidOutput | typeof METRICS.nondeterministic | typeof METRICS.blockedCommand | typeof METRICS.translatedRewrite;
/** The policy run's rates, each with its counts in its detail. */
type PolicyRateMetric =
  | typeof METRICS.mutatingRewriteRate
  | typeof METRICS.readOnlyRewriteRate
  | typeof METRICS.unknownRewriteRate
  | typeof METRICS.argsPreservedRate
  | typeof METRICS.invalidOutputRate
  | typeof METRICS.blockedRate
  | typeof METRICS.deterministicRate;

/** The per-command faults, in report order, with what the report calls them. */
const FAULTS: ReadonlyArray<[OffenderMetric, string]> = [
  [METRICS.mutatingRewrite, 'mutating command rewritten'],
  [METRICS.argsLost, 'words lost by the rewrite'],
  [METRICS.invalidOutput, 'invalid answer'],
  [METRICS.nondeterministic, 'different answers to the same call'],
];
const LISTED_APART: ReadonlyArray<[OffenderMetric, string]> = [
  [METRICS.translatedRewrite, 'rewritten into another program (not judged word by word)'],
  [METRICS.blockedCommand, 'blocked (exit 2 or a deny)'],
];
/** An env set as the report shows it: the default one is writegate's name, opt-in ones are the user's. */
function envSetText(envSet: string): string {
  return word(envSet, [HOOK_DEFAULT_ENV_SET]);
}

const GATED = [METRICS.mutatingRewriteRate, METRICS.argsPreservedRate, METRICS.invalidOutputRate, METRICS.deterministicRate, METRICS.hookLatencyP95];
/** Gated as they stand; latency is gated net of its floor (hook-latency.ts). */
const GATED_AS_ROWS = GATED.filter((metric) => metric !== METRICS.hookLatencyP95);

/** One command a hook got wrong (or that is listed apart), as its row says it. */
interface Offender {
  caseId: string;
  command: string;
  class: string;
  answers: string[];
  why: string;
}

/** One hook in one env set. */
interface PolicyLine {
  hook: string;
  envSet: string;
  template: string;
  vars: string;
  values: Map<string, { value: number | null; detail: string }>;
  offenders: Map<string, Offender[]>;
}

const OFFENDER_METRICS: readonly string[] = [...FAULTS, ...LISTED_APART].map(([metric]) => metric);

function offenderOf(row: ResultRow): Offender {
  const detail = OFFENDER_METRICS.includes(row.metric) ? decodeDetail(row.metric as OffenderMetric, row.detail) : undefined;
  if (!detail) return { caseId: row.scenario, command: '', class: '', answers: [], why: '' };
  return { caseId: row.scenario, command: detail.command, class: detail.class, answers: detail.answers, why: detail.why ?? '' };
}

function collect(rows: readonly ResultRow[]): PolicyLine[] {
  const lines = new Map<string, PolicyLine>();
  const line = (row: ResultRow): PolicyLine => {
    const key = JSON.stringify([row.subject, row.mode]);
    let found = lines.get(key);
    if (!found) lines.set(key, (found = { hook: row.subject, envSet: row.mode, template: '', vars: '', values: new Map(), offenders: new Map() }));
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
  return [...lines.values()].sort((a, b) => (a.hook === b.hook ? Number(b.envSet === HOOK_DEFAULT_ENV_SET) - Number(a.envSet === HOOK_DEFAULT_ENV_SET) : 0));
}

function rate(line: PolicyLine, metric: PolicyRateMetric): string {
  const entry = line.values.get(metric);
  if (!entry || entry.value === null) return '—';
  const counts = decodeDetail(metric, entry.detail);
  return `${formatPercent(entry.value)}${counts && counts.n > 0 ? ` (${counts.k}/${counts.n})` : ''}`;
}

function value(line: PolicyLine, metric: string): number | null {
  return line.values.get(metric)?.value ?? null;
}

/** The latency the gate judges, as the policy table shows it: net of the floor, the floor's p95 beside it. */
function latencyText(line: PolicyLine, latencies: readonly HookLatency[]): string {
  const mine = latencies.filter((latency) => latency.hook === line.hook && latency.envSet === line.envSet);
  if (mine.length !== 1) return `${formatNumber(value(line, METRICS.hookLatencyP95))} ms`;
  const [latency] = mine as [HookLatency];
  return 'none' in latency.floor ? `${formatNumber(latency.p95)} ms (no floor)` : `${formatNumber(latency.judged)} ms (floor ${formatNumber(latency.floor.p95)} ms)`;
}

function policyTable(lines: readonly PolicyLine[], latencies: readonly HookLatency[]): string {
  return table(
    ['hook', 'env set', 'mutating rewritten', 'read-only rewritten', 'unclassified rewritten', 'arguments kept', 'translated', 'invalid', 'blocked', 'deterministic', 'latency p95 net of floor'],
    lines.map((line) => [
      untrusted(line.hook),
      line.envSet === HOOK_DEFAULT_ENV_SET ? `${line.envSet} (gated)` : `${envSetText(line.envSet)}${line.vars ? ` (${untrusted(line.vars)})` : ''}`,
      rate(line, METRICS.mutatingRewriteRate),
      rate(line, METRICS.readOnlyRewriteRate),
      rate(line, METRICS.unknownRewriteRate),
      rate(line, METRICS.argsPreservedRate),
      String(value(line, METRICS.translatedRewrites) ?? '—'),
      rate(line, METRICS.invalidOutputRate),
      rate(line, METRICS.blockedRate),
      rate(line, METRICS.deterministicRate),
      latencyText(line, latencies),
    ]),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** A command line on one line of the report: a heredoc's line breaks shown as ⏎ (untrusted() does it). */
function commandCode(command: string): string {
  return untrusted(command);
}

/** The answers' own words before what the hook said (hook/protocol.ts answerText). */
const ANSWER_LEADS = ['blocked: ', 'invalid: '];

/**
 * `rewritten to X` shows X as code; the other answers (unchanged, blocked: …, invalid: …) keep their
 * words, and what follows them (the hook's reason, why its output was invalid) is the hook's, inert.
 */
function answerShown(answer: string): string {
  if (answer === 'unchanged') return answer;
  if (answer.startsWith('rewritten to ')) return commandCode(answer.slice('rewritten to '.length));
  const lead = ANSWER_LEADS.find((prefix) => answer.startsWith(prefix));
  return lead ? `${lead}${untrusted(answer.slice(lead.length))}` : untrusted(answer);
}

function offenderItem(offender: Offender): string {
  const answers = offender.answers.map(answerShown).join(' / ');
  const cls = COMMAND_CLASSES.includes(offender.class) ? offender.class.replace('_', '-') : untrusted(offender.class);
  return `  - ${untrusted(offender.caseId)} (${cls}): ${commandCode(offender.command)} → ${answers || '—'}${offender.why ? ` — ${untrusted(offender.why)}` : ''}`;
}

function offenderList(lines: readonly PolicyLine[], kinds: ReadonlyArray<[string, string]>, empty: string): string {
  const items: string[] = [];
  for (const line of lines) {
    for (const [metric, title] of kinds) {
      const offenders = line.offenders.get(metric) ?? [];
      if (offenders.length === 0) continue;
      const optIn = metric === METRICS.mutatingRewrite && line.envSet !== HOOK_DEFAULT_ENV_SET ? ' — opt-in env set: reported, not gated' : '';
      items.push(`- **${untrusted(line.hook)} · ${envSetText(line.envSet)} · ${title}** (${offenders.length})${optIn}`, ...offenders.map(offenderItem));
    }
  }
  return items.length ? items.join('\n') : empty;
}

function prefixBlock(prefixes: readonly RewritePrefix[], parityTemplates: ReadonlyMap<string, string>): string {
  if (prefixes.length === 0) return 'No hook rewrote a command to a wrapper prefix, so there is nothing for `writegate parity` to check.';
  const rows = prefixes.map((entry) => {
    const parity = entry.parity_wrappers.length
      ? `given to parity as ${entry.parity_wrappers.map(untrusted).join(', ')} (see its gates)`
      : // pasted into a shell: the prefix is quoted as one word, whatever it holds
        `not given to parity: ${untrusted(quote(['writegate', 'parity', '--wrapper', `${suggestedWrapperName(entry.prefix)}=${entry.prefix}`]))}`;
    return [untrusted(entry.hook), envSetText(entry.env_set), untrusted(entry.prefix), String(entry.cases), parity];
  });
  return blocks(
    `Before a hook may rewrite mutating commands, each wrapper it rewrites to must behave like git: hand these to ${code("writegate parity --wrapper 'NAME=PREFIX'")}` +
      ` (or run ${code('writegate readiness')}, which runs both and joins them).${parityTemplates.size ? '' : ' No parity results are in this input.'}`,
    table(['hook', 'env set', 'prefix', 'cases', 'parity'], rows, ['left', 'left', 'left', 'right', 'left']),
  );
}

function latencySummary(latency: HookLatency | undefined): HookSummary['hooks'][string][string]['latency'] {
  if (!latency) return { p95: null, net_p95: null, floor_p95: null, floor_runtime: null };
  if ('none' in latency.floor) return { p95: latency.p95, net_p95: null, floor_p95: null, floor_runtime: null };
  return { p95: latency.p95, net_p95: latency.judged, floor_p95: latency.floor.p95, floor_runtime: latency.floor.runtime };
}

/** The hook section's `--json` summary; readiness reads it too. */
export interface HookSummary {
  hooks: Record<
    string,
    Record<
      string,
      {
        template: string;
        vars: string;
        cases: number | null;
        corpus_cases: number | null;
        rates: Record<string, number | null>;
        /** p95 net of the floor (the figure the gate judges), and the floor's own p95 and runtime; null when there is none. */
        latency: { p95: number | null; net_p95: number | null; floor_p95: number | null; floor_runtime: string | null };
        offenders: Record<string, string[]>;
      }
    >
  >;
  prefixes: RewritePrefix[];
  parity_wrappers: Record<string, string>;
  audit: AuditSummary | null;
}

export const hookSection: SuiteSection = {
  suite: 'hook',
  title: 'Hook — what a PreToolUse hook rewrites',
  gates: HOOK_GATES,
  prepare({ rows, dataset }) {
    const lines = collect(rows);
    const templates = parityWrapperTemplates(dataset.rows);
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
        latency: latencySummary(latencies.find((latency) => latency.hook === line.hook && latency.envSet === line.envSet)),
        offenders: Object.fromEntries([...line.offenders].map(([metric, list]) => [metric, list.map((offender) => offender.caseId)])),
      };
    }

    const render = (gates: readonly GateResult[]): string => {
      const failing = gates.filter((gate) => gate.status === 'fail').length;
      const cases = Math.max(0, ...lines.map((line) => value(line, METRICS.hookCases) ?? 0));
      const corpus = Math.max(0, ...lines.map((line) => value(line, METRICS.hookCorpusCases) ?? 0));
      return blocks(
        '## Hook — what a PreToolUse hook rewrites',
        lines.length
          ? `**How each figure was obtained.** Each of ${cases} command line(s)${corpus > cases ? ` (part of the ${corpus}-line corpus)` : ''} an agent sends (read-only, mutating and unclassified ones: git, gh, file operations, redirects, chains, ` +
              'pipes, env prefixes, quoted messages, heredocs) went to each hook as Claude Code sends a Bash PreToolUse call: one JSON object on stdin, in a HOME and project ' +
              'directory of its own, with only PATH kept from the caller, in the default environment and in each opt-in env set. Each line was sent once; then lines were sent again after all had been sent once (the quick profile: a spread of every class × tag; full: every line, twice more), and determinism is judged on those. ' +
              'A rewrite is `hookSpecificOutput.updatedInput.command`; exit 2 or a deny is a block; a crash, a timeout, another exit code or output that is not the expected JSON is invalid. ' +
              'A prefix rewrite is judged word by word: every original argument, env assignment and chained part must survive in order. Latency is timed in a pass of its own, one call at a time, each beside a call of a no-op on the hook\'s runtime (its floor). ' +
              'Rates are over command lines; a line counts when any of its calls did it.'
          : undefined,
        lines.length ? '### Policy per hook and env set' : undefined,
        lines.length ? policyTable(lines, latencies) : undefined,
        latencies.length ? '### Latency, net of the floor' : undefined,
        latencyBlock(latencies, gates, envSetText),
        failing ? `${failing} hook gate instance(s) fail; the commands behind them are listed below.` : undefined,
        lines.length ? '### Offending commands' : undefined,
        lines.length ? offenderList(lines, FAULTS, 'None: no hook rewrote a mutating command by default, lost a word, answered invalidly or changed its answer.') : undefined,
        lines.length ? '### Rewritten into another program, and blocked' : undefined,
        lines.length ? offenderList(lines, LISTED_APART, 'No rewrite replaced the program, and no command was blocked.') : undefined,
        lines.length ? '### Wrapper prefixes' : undefined,
        lines.length ? prefixBlock(prefixes, templates) : undefined,
        auditBlock(audit),
      );
    };
    return { figures, render, summary: summary as unknown as Record<string, unknown> };
  },
};
