import { quote } from 'shell-quote';
import { decodeDetail, HOOK_DEFAULT_ENV_SET, METRICS } from '../../core/schema.js';
import { formatNumber, formatPercent } from '../format.js';
import { HOOK_GATES } from '../gates/hook.js';
import { blocks, code, table, untrusted, word } from '../report/markdown.js';
import type { SuiteSection } from '../section.js';
import type { GateResult } from '../types.js';
import { auditBlock, COMMAND_CLASSES } from './hook-audit.js';
import { hookFigures, value, type Offender, type OffenderMetric, type PolicyLine } from './hook-figures.js';
import { latencyBlock, type HookLatency } from './hook-latency.js';
import { suggestedWrapperName, type RewritePrefix } from './hook-prefixes.js';

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

function rate(line: PolicyLine, metric: PolicyRateMetric): string {
  const entry = line.values.get(metric);
  if (!entry || entry.value === null) return '—';
  const counts = decodeDetail(metric, entry.detail);
  return `${formatPercent(entry.value)}${counts && counts.n > 0 ? ` (${counts.k}/${counts.n})` : ''}`;
}

/** The latency the gate judges, as the policy table shows it: net of the floor, the floor's p95 beside it. */
function latencyText(line: PolicyLine, latencies: readonly HookLatency[]): string {
  const mine = latencies.filter((latency) => latency.hook === line.hook && latency.envSet === line.envSet);
  if (mine.length !== 1) return `${formatNumber(value(line, METRICS.hookLatencyP95))} ms`;
  const [latency] = mine as [HookLatency];
  return 'none' in latency.floor
    ? `${formatNumber(latency.p95)} ms (no floor)`
    : `${formatNumber(latency.judged)} ms (floor ${formatNumber(latency.floor.p95)} ms)`;
}

function policyTable(lines: readonly PolicyLine[], latencies: readonly HookLatency[]): string {
  return table(
    [
      'hook',
      'env set',
      'mutating rewritten',
      'read-only rewritten',
      'unclassified rewritten',
      'arguments kept',
      'translated',
      'invalid',
      'blocked',
      'deterministic',
      'latency p95 net of floor',
    ],
    lines.map((line) => [
      untrusted(line.hook),
      line.envSet === HOOK_DEFAULT_ENV_SET
        ? `${line.envSet} (gated)`
        : `${envSetText(line.envSet)}${line.vars ? ` (${untrusted(line.vars)})` : ''}`,
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
  const why = offender.why ? ` — ${untrusted(offender.why)}` : '';
  return `  - ${untrusted(offender.caseId)} (${cls}): ${commandCode(offender.command)} → ${answers || '—'}${why}`;
}

function offenderList(lines: readonly PolicyLine[], kinds: ReadonlyArray<[string, string]>, empty: string): string {
  const items: string[] = [];
  for (const line of lines) {
    for (const [metric, title] of kinds) {
      const offenders = line.offenders.get(metric) ?? [];
      if (offenders.length === 0) continue;
      const optIn =
        metric === METRICS.mutatingRewrite && line.envSet !== HOOK_DEFAULT_ENV_SET
          ? ' — opt-in env set: reported, not gated'
          : '';
      items.push(
        `- **${untrusted(line.hook)} · ${envSetText(line.envSet)} · ${title}** (${offenders.length})${optIn}`,
        ...offenders.map(offenderItem),
      );
    }
  }
  return items.length ? items.join('\n') : empty;
}

function prefixBlock(prefixes: readonly RewritePrefix[], parityTemplates: ReadonlyMap<string, string>): string {
  if (prefixes.length === 0)
    return 'No hook rewrote a command to a wrapper prefix, so there is nothing for `writegate parity` to check.';
  const rows = prefixes.map((entry) => {
    // pasted into a shell: the prefix is quoted as one word, whatever it holds
    const suggested = quote([
      'writegate',
      'parity',
      '--wrapper',
      `${suggestedWrapperName(entry.prefix)}=${entry.prefix}`,
    ]);
    const parity = entry.parity_wrappers.length
      ? `given to parity as ${entry.parity_wrappers.map(untrusted).join(', ')} (see its gates)`
      : `not given to parity: ${untrusted(suggested)}`;
    return [untrusted(entry.hook), envSetText(entry.env_set), untrusted(entry.prefix), String(entry.cases), parity];
  });
  return blocks(
    `Before a hook may rewrite mutating commands, each wrapper it rewrites ` +
      `to must behave like git: hand these to ${code("writegate parity --wrapper 'NAME=PREFIX'")}` +
      ` (or run ${code('writegate readiness')}, which runs both and joins them).` +
      (parityTemplates.size ? '' : ' No parity results are in this input.'),
    table(['hook', 'env set', 'prefix', 'cases', 'parity'], rows, ['left', 'left', 'left', 'right', 'left']),
  );
}

export const hookSection: SuiteSection = {
  suite: 'hook',
  title: 'Hook — what a PreToolUse hook rewrites',
  gates: HOOK_GATES,
  prepare({ rows, dataset }) {
    const { lines, templates, prefixes, audit, latencies, figures, summary } = hookFigures(rows, dataset.rows);

    const render = (gates: readonly GateResult[]): string => {
      const failing = gates.filter((gate) => gate.status === 'fail').length;
      const cases = Math.max(0, ...lines.map((line) => value(line, METRICS.hookCases) ?? 0));
      const corpus = Math.max(0, ...lines.map((line) => value(line, METRICS.hookCorpusCases) ?? 0));
      return blocks(
        '## Hook — what a PreToolUse hook rewrites',
        lines.length
          ? `**How each figure was obtained.** Each of ${cases} command line(s)` +
              (corpus > cases ? ` (part of the ${corpus}-line corpus)` : '') +
              ' an ' +
              `agent sends (read-only, mutating and unclassified ones: git, gh, file ` +
              `operations, redirects, chains, ` +
              'pipes, env prefixes, quoted messages, heredocs) went to each hook as ' +
              'Claude Code sends a Bash PreToolUse call: one JSON object on stdin, in ' +
              'a HOME and project ' +
              'directory of its own, with only PATH kept from the caller, in the default ' +
              'environment and in each opt-in env set. Each line was sent once; then ' +
              'lines were sent again after all had been sent once (the quick profile: ' +
              'a spread of every class × tag; full: every line, twice more), and determinism ' +
              'is judged on those. ' +
              'A rewrite is `hookSpecificOutput.updatedInput.command`; exit 2 or a deny ' +
              'is a block; a crash, a timeout, another exit code or output that is not ' +
              'the expected JSON is invalid. ' +
              'A prefix rewrite is judged word by word: every original argument, env ' +
              'assignment and chained part must survive in order. Latency is timed in ' +
              'a pass of its own, one call at a time, each beside a call of a no-op on ' +
              "the hook's runtime (its floor). " +
              'Rates are over command lines; a line counts when any of its calls did it.'
          : undefined,
        lines.length ? '### Policy per hook and env set' : undefined,
        lines.length ? policyTable(lines, latencies) : undefined,
        latencies.length ? '### Latency, net of the floor' : undefined,
        latencyBlock(latencies, gates, envSetText),
        failing ? `${failing} hook gate instance(s) fail; the commands behind them are listed below.` : undefined,
        lines.length ? '### Offending commands' : undefined,
        lines.length
          ? offenderList(
              lines,
              FAULTS,
              'None: no hook rewrote a mutating command by default, lost a word, answered ' +
                'invalidly or changed its answer.',
            )
          : undefined,
        lines.length ? '### Rewritten into another program, and blocked' : undefined,
        lines.length
          ? offenderList(lines, LISTED_APART, 'No rewrite replaced the program, and no command was blocked.')
          : undefined,
        lines.length ? '### Wrapper prefixes' : undefined,
        lines.length ? prefixBlock(prefixes, templates) : undefined,
        auditBlock(audit),
      );
    };
    return { figures, render, summary };
  },
};
