/**
 * Crash-safety parity of a wrapper: the same command, same setup, same checker, natively and through
 * the wrapper. A wrapper that leaves a larger share of violating crash states (checker or per-file
 * checks) than the native command, under the same model, fails. Pure: the explorations come in.
 */
import { encodeDetail, METRICS, type RowInput } from '../../core/schema.js';
import { fisherExactGreater } from '../../core/stats.js';
import type { CommandExploration } from './explore.js';

/**
 * Below this one-sided p-value an excess seen on sampled states is a difference, not sampling luck
 * (four checks are compared, so each is held to 1%).
 */
const SIGNIFICANCE = 0.01;

export type ParityVerdict =
  | { verdict: 'worse' | 'same-or-better'; why: string }
  | { verdict: 'not-proven'; why: string };

type Count = { states: number; violations: number };

/** What each compared count is, in the words of the verdict. */
const CHECKS: ReadonlyArray<[string, (found: CommandExploration) => Count]> = [
  ['states any check rejects', (found) => found.violating],
  ['states the checker rejects', (found) => found.checker],
  ['states with a torn or empty renamed file (atomicity)', (found) => found.atomicity],
  ['end states missing an fsynced, renamed file (durability)', (found) => found.durability],
];

/**
 * Worse when, for any check, the wrapped command's share of violating states exceeds the native one's:
 * exactly, when both sides judged every state the model allows; else by a one-sided Fisher test. An
 * excess neither proven nor ruled out is not proven, never a pass.
 */
export function judgeParity(native: CommandExploration, wrapped: CommandExploration): ParityVerdict {
  // The same ops and sample on both sides: the same trees in the same order, so compare the trees both
  // checked, one for one; a budget that stopped one side earlier is then no reason for doubt.
  if (native.signature === wrapped.signature) {
    const common = Math.min(native.checkedInOrder.length, wrapped.checkedInOrder.length);
    const prefix = (found: CommandExploration): CommandExploration => {
      const trees = found.checkedInOrder.slice(0, common);
      const sum = (key: 'states' | 'rejected' | 'checkerRejected') =>
        trees.reduce((total, tree) => total + tree[key], 0);
      return {
        ...found,
        exhaustive: true,
        budgetSpent: false,
        violating: { states: sum('states'), violations: sum('rejected') },
        checker: { states: sum('states'), violations: sum('checkerRejected') },
      };
    };
    return compareCounts(prefix(native), prefix(wrapped));
  }
  return compareCounts(native, wrapped);
}

function compareCounts(native: CommandExploration, wrapped: CommandExploration): ParityVerdict {
  const share = (count: Count): string =>
    `${count.violations}/${count.states} (${count.states ? Math.round((100 * count.violations) / count.states) : 0}%)`;
  const worse: string[] = [];
  const unproven: string[] = [];
  const lines: string[] = [];
  for (const [what, countOf] of CHECKS) {
    const a = countOf(native);
    const b = countOf(wrapped);
    if (a.states === 0 && b.states === 0) continue;
    const line = `${what}: natively ${share(a)}, through the wrapper ${share(b)}`;
    lines.push(line);
    // The native run had such states and the wrapped one none (it did not exit 0, or did not fsync what the native
    // run fsynced): nothing to compare, so the check cannot vouch for the wrapper.
    if (b.states === 0) {
      unproven.push(`${line} (the wrapper's run had no such state to compare)`);
      continue;
    }
    if (b.violations * a.states <= a.violations * b.states) continue;
    if (a.states === 0) {
      unproven.push(`${line} (the native run had no such state to compare)`);
      continue;
    }
    // Every state the model allows judged on both sides: the excess is what the model says, not a sample's.
    const checkerCut =
      what === CHECKS[0]![0] || what === CHECKS[1]![0] ? native.budgetSpent || wrapped.budgetSpent : false;
    const complete = native.exhaustive && wrapped.exhaustive && !checkerCut;
    const p = fisherExactGreater({ hits: b.violations, total: b.states }, { hits: a.violations, total: a.states });
    if (complete) worse.push(line);
    else if (p < SIGNIFICANCE) worse.push(`${line} (one-sided Fisher p = ${p.toPrecision(2)})`);
    else unproven.push(`${line} (one-sided Fisher p = ${p.toPrecision(2)})`);
  }
  if (lines.length === 0) return { verdict: 'not-proven', why: 'no crash state was judged on both sides' };
  if (worse.length > 0) return { verdict: 'worse', why: `the wrapper loses crash safety: ${worse.join('; ')}` };
  if (unproven.length > 0)
    return {
      verdict: 'not-proven',
      why:
        `the wrapper shows more violating states, but from a sample too small to tell it from chance: ` +
        `${unproven.join('; ')}; raise --crash-max-states or --command-budget`,
    };
  return { verdict: 'same-or-better', why: lines.join('; ') };
}

/**
 * One row per model either side was explored under (`engine`), and one per expected model when neither was: a
 * difference not proven either way, or a side that was not explored, is the parity row itself without a value,
 * saying why (not judged, never a pass).
 */
export function wrapperParityRows(
  wraps: { wrapper: string; native: string },
  subject: string,
  size: number,
  native: readonly CommandExploration[],
  wrapped: readonly CommandExploration[],
  expectedModels: readonly string[],
): RowInput[] {
  const models = [...new Set([...expectedModels, ...native.map((f) => f.model), ...wrapped.map((f) => f.model)])];
  return models.map((model) => {
    const own = native.find((found) => found.model === model);
    const through = wrapped.find((found) => found.model === model);
    const at = {
      suite: 'crash',
      scenario: 'power_loss',
      subject,
      mode: 'durable',
      size_bytes: size,
      engine: model,
      metric: METRICS.wrapperCrashParity,
      unit: 'bool',
    } as const;
    const counts = (found: CommandExploration | undefined) => ({
      k: found?.violating.violations ?? 0,
      n: found?.violating.states ?? 0,
    });
    const detail = (why: string, notJudged?: string) =>
      encodeDetail(METRICS.wrapperCrashParity, {
        wrapper: wraps.wrapper,
        native: wraps.native,
        nativeViolating: counts(own),
        wrappedViolating: counts(through),
        why,
        ...(notJudged ? { notJudged } : {}),
      });
    if (!own || !through) {
      const missing = !own ? `the native command (${wraps.native})` : 'the command through the wrapper';
      const why = `${missing} was not explored under ${model}: its own rows say why`;
      return { ...at, value: null, detail: detail(why, why) };
    }
    const judged = judgeParity(own, through);
    if (judged.verdict === 'not-proven') return { ...at, value: null, detail: detail(judged.why, judged.why) };
    return { ...at, value: judged.verdict === 'worse' ? 1 : 0, detail: detail(judged.why) };
  });
}
