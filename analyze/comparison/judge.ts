/**
 * The verdict of `writegate compare`: base and head of one subject measured in interleaved rounds.
 * The analyzer's gate table answers "does the head meet the gates, and did anything regress?"; a
 * comparison must also say when the rounds could not tell. A gated timing series that was too noisy,
 * had too few samples, or moved beyond its minimum effect without the interval excluding "no change"
 * is not a pass: the change is **inconclusive**, and inconclusive fails unless the user accepted it.
 * So is a gate the head fails where the base could not be judged: nothing shows the change caused it.
 */
import type { Finding } from '../regression/finding.js';
import { percentChange } from '../regression/format.js';
import { worsening } from '../regression/policy.js';
import type { GateResult } from '../types.js';

/** The most rounds a comparison may be asked to measure (the sequential boundary is simulated up to it). */
export const MAX_ROUNDS = 100;

export type ComparisonVerdictName = 'pass' | 'regressed' | 'inconclusive' | 'fail';

/** What the analyzer is told about a comparison it judges (what was measured, and how). */
export interface ComparisonContext {
  /** The subjects whose change is judged; every other subject (floor, reference) is a yardstick. */
  subjects: readonly string[];
  /** Interleaved rounds measured: each a base run and a head run, side by side, ABBA. */
  rounds: number;
  /** Rounds the family needs before its paired intervals can reach the confidence (pairsNeeded). */
  roundsNeeded: number;
  /** Gated timing series judged together (Bonferroni). */
  familySize: number;
  /** Inconclusive exits 0 (the user accepted "not shown either way"). */
  allowInconclusive: boolean;
  /**
   * `compare` looks after every ABBA pair and stops once the series are decided: the intervals are
   * the sequential ones (regression/sequential.ts) over looks up to `horizon`, and `stopped` says why
   * the rounds ended. Absent: the rounds were a fixed number, judged once.
   */
  sequential?: SequentialRun;
}

/** Why `compare` stopped measuring. */
export type StopReason = 'decided' | 'regressed' | 'max-rounds' | 'max-time';

export interface SequentialRun {
  horizon: number;
  lookEvery: number;
  stopped: StopReason;
  /** The limits the user gave (or the defaults), for the advice on an inconclusive run. */
  maxRounds: number;
  maxSeconds: number;
}

export interface ComparisonVerdict {
  verdict: ComparisonVerdictName;
  exitCode: 0 | 1;
  /** One line per reason, most important first; empty on a clean pass. */
  reasons: string[];
  /** inconclusive: how many rounds to ask for next time. */
  rerunRounds?: number;
  /** What it comes to, in a few words, without the verdict's name (the report's headline). */
  summary: string;
  /** The one line the command prints: the verdict's name, the first reason, what to do. */
  line: string;
}

/**
 * How the reasons and the summary name what came from the input: as it is (the command's line,
 * --json), or as Markdown for the report (comparison/render.ts), where a series label and a failing
 * gate's instance and detail are shown inert. The verdict never depends on them.
 */
export interface ReasonWords {
  /** A series label, e.g. "write · w · durable · 1 KiB · p50". */
  label(finding: Finding): string;
  /** A gate instance the head fails: "failed <id> (<instance>): <detail>". */
  failed(gate: GateResult): string;
}

export const PLAIN_WORDS: ReasonWords = {
  label: (finding) => finding.label,
  failed: (gate) => `failed ${gate.id}${gate.instance ? ` (${gate.instance})` : ''}: ${gate.detail}`,
};

const isTail = (finding: Finding): boolean =>
  finding.policy.kind === 'timing' && finding.policy.samples?.quantile !== 50;

/**
 * Why a judged-subject finding leaves the change undecided, or undefined when it decides. A median
 * passes only when its interval shows it within the minimum effect: "not significantly worse" from
 * an interval that still reaches past the minimum effect is absence of evidence, and passing it is
 * how a +8% slowdown of a writer measured on a busy runner would ship. Tails are `tailNote`'s.
 */
function undecided(finding: Finding, words: ReasonWords): string | undefined {
  if (isTail(finding)) return undefined;
  if (finding.status === 'too_noisy' || finding.status === 'unconfirmed')
    return `${words.label(finding)}: ${finding.reason}`;
  if (finding.status === 'insufficient_data') return `${words.label(finding)}: not judged (${finding.reason})`;
  if (finding.policy.kind !== 'timing' || finding.status !== 'unchanged' || finding.ratio === null || !finding.interval)
    return undefined;
  const limit = 1 + finding.policy.minEffect;
  const worstCase = Math.max(
    worsening(finding.policy, finding.interval.lower),
    worsening(finding.policy, finding.interval.upper),
  );
  if (worstCase < limit) return undefined;
  return (
    `${words.label(finding)}: ${percentChange(finding.ratio)}, but the interval ` +
    `reaches ${percentChange(worstCase)}: ` +
    `not shown to be within the ${Math.round(finding.policy.minEffect * 100)}% minimum effect`
  );
}

/**
 * A tail (p95) still fails the comparison when it regresses, but one it could not judge is a note on
 * the verdict, not a reason to withhold it. A p95 is made by a few slow writes in each run, which
 * pairing does not cancel, so it is judged unpaired; on a shared runner its interval over 20 rounds
 * of an unchanged per-op writer still spans ×2–3 (one round's burst is enough). Holding the verdict
 * on it would make nearly every comparison inconclusive, and an answer that never comes is ignored.
 */
function tailNote(finding: Finding, words: ReasonWords): string | undefined {
  if (!isTail(finding) || finding.status === 'regression') return undefined;
  const limit = 1 + finding.policy.minEffect;
  if (finding.status === 'too_noisy' || finding.status === 'unconfirmed' || finding.status === 'insufficient_data')
    return `${words.label(finding)} not judged (${finding.status.replace(/_/g, ' ')})`;
  if (finding.ratio !== null && finding.interval && worsening(finding.policy, finding.ratio) >= limit) {
    return (
      `${words.label(finding)} ${percentChange(finding.ratio)} ` +
      `(interval ${percentChange(finding.interval.lower)}..${percentChange(finding.interval.upper)}), ` +
      `not shown past its ${Math.round(finding.policy.minEffect * 100)}% minimum effect`
    );
  }
  return undefined;
}

/**
 * More rounds narrow a paired interval roughly as 1/√n, so doubling is the smallest step likely to
 * turn "undecided" into a verdict; below the family's minimum nothing paired can be judged at all.
 */
export function roundsToAskFor(context: Pick<ComparisonContext, 'rounds' | 'roundsNeeded'>): number {
  return context.rounds < context.roundsNeeded ? context.roundsNeeded : context.rounds * 2;
}

/** What to change for a decision next time: the limit that ended the rounds, doubled. */
function rerunAdvice(context: ComparisonContext, rerunRounds: number): string {
  const run = context.sequential;
  if (!run) return `rerun with --rounds ${rerunRounds}`;
  if (run.stopped === 'max-time')
    return (
      `it stopped at --max-time ${run.maxSeconds}s after ${context.rounds} rounds; ` +
      `rerun with --max-time ${run.maxSeconds * 2}s (or on a steadier machine)`
    );
  if (run.maxRounds >= MAX_ROUNDS)
    return (
      `it stopped at ${context.rounds} rounds, the most --max-rounds allows; ` +
      `rerun on a steadier machine, or judge a larger change (--regression-policy)`
    );
  return (
    `it stopped at ${context.rounds} rounds (--max-rounds ${run.maxRounds}); ` +
    `rerun with --max-rounds ${Math.min(MAX_ROUNDS, Math.max(rerunRounds, run.maxRounds * 2))}`
  );
}

/** Ends the summary of an undecided comparison whose rounds did decide: what would decide the gate. */
const BASE_NOT_JUDGED_ADVICE =
  'see why the base could not be judged: a base judged on that gate tells whether the change caused the failure';

export function judgeComparison(
  gates: readonly GateResult[],
  findings: readonly Finding[],
  context: ComparisonContext,
  words: ReasonWords = PLAIN_WORDS,
): ComparisonVerdict {
  const judgedFindings = findings.filter(
    (finding) =>
      finding.against === 'baseline' && finding.policy.gate && context.subjects.includes(finding.key.subject),
  );
  const regressions = judgedFindings
    .filter((finding) => finding.status === 'regression')
    .map((finding) => `${words.label(finding)}: ${finding.reason}`);
  const failing = gates.filter((gate) => gate.status === 'fail' && !gate.id.includes('.no_regression.'));
  // A head failure counts against the change only where the base passed (base-failures.ts marks the rest).
  const failed = failing.filter((gate) => gate.baseNotJudged === undefined).map(words.failed);
  const unattributed = failing.filter((gate) => gate.baseNotJudged !== undefined).map(words.failed);
  const open = judgedFindings
    .map((finding) => undecided(finding, words))
    .filter((why): why is string => why !== undefined);
  const notes = judgedFindings
    .map((finding) => tailNote(finding, words))
    .filter((why): why is string => why !== undefined);
  const short =
    context.rounds < context.roundsNeeded
      ? [
          `${context.rounds} rounds cannot decide any of the ${context.familySize} gated ` +
            `timing series judged together: that takes at least ${context.roundsNeeded}`,
        ]
      : [];
  const unattributedCount = unattributed.length
    ? `${unattributed.length} gate instance(s) fail on the head where the base could not be judged`
    : '';
  if (regressions.length || failed.length) {
    const verdict = regressions.length ? 'regressed' : 'fail';
    const reasons = [...regressions, ...failed, ...unattributed];
    const summary = [
      regressions.length ? `${regressions.length} judged series regressed` : '',
      failed.length ? `${failed.length} gate instance(s) fail on the head and pass on the base` : '',
      unattributedCount ? `${unattributedCount} (not counted against the change)` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return {
      verdict,
      exitCode: 1,
      reasons,
      summary,
      line: `${verdict}: ${reasons[0]}${reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : ''}`,
    };
  }
  const roundsUndecided = judgedFindings.length === 0 || open.length > 0 || short.length > 0;
  if (roundsUndecided || unattributed.length) {
    const rerunRounds = roundsUndecided ? roundsToAskFor(context) : undefined;
    const roundReasons =
      judgedFindings.length === 0
        ? ['no series of the compared subjects was measured in both base and head']
        : [...short, ...open];
    const reasons = [...unattributed, ...(roundsUndecided ? roundReasons : [])];
    const accepted = context.allowInconclusive ? ' (accepted: --allow-inconclusive)' : '';
    const advice = rerunRounds !== undefined ? rerunAdvice(context, rerunRounds) : BASE_NOT_JUDGED_ADVICE;
    const what = [
      roundsUndecided ? 'the rounds could not tell either way' : '',
      unattributedCount ? `${unattributedCount}, so the change is not shown to have caused them` : '',
    ]
      .filter(Boolean)
      .join(', and ');
    return {
      verdict: 'inconclusive',
      exitCode: context.allowInconclusive ? 0 : 1,
      reasons,
      ...(rerunRounds !== undefined ? { rerunRounds } : {}),
      summary: `${what}, so this is not a pass; ${advice}${accepted}`,
      line:
        `inconclusive: ${reasons[0]}${reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : ''}; ` +
        `not a pass — ${advice}${accepted}`,
    };
  }
  const medians = judgedFindings.filter((finding) => finding.policy.kind === 'timing' && !isTail(finding)).length;
  const tails = notes.length ? `; not checked: ${notes.join('; ')}` : '';
  const summary =
    `${medians} median(s) shown within their minimum effect over ${context.rounds} interleaved ` +
    `rounds, nothing regressed, and no gate fails on the head that passes on ` +
    `the base${tails}`;
  return { verdict: 'pass', exitCode: 0, reasons: notes, summary, line: `pass: ${summary}` };
}
