import { HOOK_DEFAULT_ENV_SET, HOOK_SCENARIOS, METRICS } from '../../core/schema.js';
import type { ConfiguredBy, GateSpec } from '../types.js';
import { FLOOR_LEVEL_SHARE, FLOOR_SPREAD_SHARE } from './floor.js';

/** The significance level of the audit's exact tests (its gates' default threshold). */
export const AUDIT_ALPHA = 0.05;

/** The gates a hook's default environment must hold before anything about mutating rewrite is decided. */
export const HOOK_POLICY_GATE_IDS = [
  'hook.mutating_rewrite',
  'hook.args_preserved',
  'hook.invalid_output',
  'hook.deterministic',
] as const;

const policy = { scenario: [HOOK_SCENARIOS.policy] };

/** What runs each part of the suite: without it, that part's gates are not configured (listed apart, not no data). */
const POLICY_BY: ConfiguredBy = {
  option: '--hook NAME=COMMAND',
  what: 'a PreToolUse hook to run over the command corpus',
};
const AUDIT_BY: ConfiguredBy = {
  option: '--audit FILE',
  what: 'recorded agent sessions to audit (Claude Code transcripts or writegate hook-shim logs)',
};

/**
 * A PreToolUse hook may rewrite what only reads; by default it must leave every mutating command as
 * the agent wrote it, keep every word of what it rewrites, always answer in a form Claude Code can use,
 * give the same answer to the same call, and answer fast. Each gate judges one figure per hook × env
 * set (mode), from the policy run's rows; the audit's two gates judge recorded sessions.
 */
export const HOOK_GATES: readonly GateSpec[] = [
  {
    id: 'hook.mutating_rewrite',
    suite: 'hook',
    title: 'mutating commands rewritten by default',
    metric: METRICS.mutatingRewriteRate,
    selector: { ...policy, mode: [HOOK_DEFAULT_ENV_SET] },
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    leftOutWhenNotRun: true,
    configuredBy: POLICY_BY,
    source: 'default target: without an opt-in, a hook rewrites no command that changes anything',
    description:
      'In the default environment (no opt-in variable set) the hook rewrote ' +
      'none of the mutating command lines of the corpus (commits, pushes, file ' +
      'operations, redirects, ' +
      'package installs, chains holding any of them). A rewritten mutating command ' +
      'runs through a wrapper nobody has checked it against; opt-in env sets ' +
      'are reported, not gated.',
  },
  {
    id: 'hook.args_preserved',
    suite: 'hook',
    title: 'arguments kept by prefix rewrites',
    metric: METRICS.argsPreservedRate,
    selector: policy,
    comparison: '==',
    threshold: 1,
    unit: 'fraction',
    leftOutWhenNotRun: true,
    configuredBy: POLICY_BY,
    source: 'default target: a rewrite that puts a wrapper in front drops nothing',
    description:
      'Every rewrite that puts a wrapper in front of a command (`git log -3 ' +
      'x` → `mytool git log -3 x`, `A=1 git log` → `A=1 mytool git log`, each ' +
      'part of a chain) kept ' +
      'every original argument, env assignment and chained part, in order, compared ' +
      'word by word as a shell splits them. Rewrites that replace the program ' +
      'are listed apart, not judged.',
  },
  {
    id: 'hook.invalid_output',
    suite: 'hook',
    title: 'invalid answers',
    metric: METRICS.invalidOutputRate,
    selector: policy,
    comparison: '==',
    threshold: 0,
    unit: 'fraction',
    leftOutWhenNotRun: true,
    configuredBy: POLICY_BY,
    source: 'default target: every answer is one Claude Code can use',
    description:
      'No call ended in a crash, a timeout, an exit code other than 0 (answer) ' +
      'or 2 (block), stdout that is not JSON, or JSON of the wrong shape. ' +
      'Claude Code shows such an error and runs the command as typed, so the ' +
      'agent gets an error line and the hook silently did nothing.',
  },
  {
    id: 'hook.deterministic',
    suite: 'hook',
    title: 'same call, same answer',
    metric: METRICS.deterministicRate,
    selector: policy,
    comparison: '==',
    threshold: 1,
    unit: 'fraction',
    leftOutWhenNotRun: true,
    configuredBy: POLICY_BY,
    source: 'default target: the same call always gets the same answer',
    description:
      'Each command line was sent again after every other one had been sent ' +
      'once, and got the same answer every time (the same rewritten command, ' +
      'or unchanged, or the same block). ' +
      'A hook that answers differently cannot be checked once and trusted after.',
  },
  {
    id: 'hook.latency_p95',
    suite: 'hook',
    title: 'hook latency p95',
    metric: METRICS.hookLatencyP95,
    selector: policy,
    comparison: '<=',
    threshold: 100,
    unit: 'ms',
    leftOutWhenNotRun: true,
    configuredBy: POLICY_BY,
    source:
      'default budget: a hook runs before every Bash call, so what it adds to ' +
      'its runtime must not be felt (set your own with a thresholds file)',
    description:
      'The 95th percentile of one call, process start to exit, timed one call ' +
      'at a time after the checking passes, net of its floor: the p95 of a no-op ' +
      'on the same runtime ' +
      '(node, python, a shell, or the interpreter of its #! line), whose calls ' +
      "were interleaved with the hook's in the same pass, so load hits both alike. " +
      `A floor whose p95 is above ${FLOOR_LEVEL_SHARE * 100}% of the budget, ` +
      `or more than ${FLOOR_SPREAD_SHARE * 100}% of it above its p50, means the ` +
      `machine was too loaded to tell: too noisy to judge, never a pass or a fail. ` +
      'A hook with no floor (a runtime writegate cannot name) is judged on its ' +
      'p95 against the budget alone. The hook runs before every Bash command ' +
      'the agent sends, so its time is added to each of them.',
  },
  {
    id: 'hook.post_rewrite_retry',
    suite: 'hook',
    title: 'retries after a rewrite vs native (exact test p)',
    metric: METRICS.postRewriteRetryPValue,
    selector: { scenario: [HOOK_SCENARIOS.audit] },
    comparison: '>=',
    threshold: AUDIT_ALPHA,
    unit: '',
    leftOutWhenNotRun: true,
    configuredBy: AUDIT_BY,
    source:
      'default target: in recorded sessions, agents do not retry rewritten commands ' +
      'more often than commands left alone (one-sided exact test, 5% level)',
    description:
      'From the audit of recorded sessions: the share of rewritten calls the ' +
      'agent ran again is compared with the share of calls left as they were, ' +
      'by a one-sided Fisher exact test. ' +
      'It fails only when the rewritten share is significantly higher (p below ' +
      'the threshold). When the counts are too small for any outcome to be significant, ' +
      'it reads no data: not enough data.',
  },
  {
    id: 'hook.post_rewrite_failure',
    suite: 'hook',
    title: 'failures after a rewrite vs native (exact test p)',
    metric: METRICS.postRewriteFailurePValue,
    selector: { scenario: [HOOK_SCENARIOS.audit] },
    comparison: '>=',
    threshold: AUDIT_ALPHA,
    unit: '',
    leftOutWhenNotRun: true,
    configuredBy: AUDIT_BY,
    source:
      'default target: in recorded sessions, rewritten commands do not fail ' +
      'more often than commands left alone (one-sided exact test, 5% level)',
    description:
      'From the audit of recorded sessions: the share of rewritten calls that ' +
      'failed is compared with the share of calls left as they were that failed, ' +
      'by a one-sided Fisher exact test. ' +
      'It fails only when the rewritten share is significantly higher; too few ' +
      'calls to ever be significant reads no data: not enough data.',
  },
];
