/**
 * A comparison asks what the change did, so a head's failing gate is read against the same instance
 * on the base. The base fails it too (a per-op command writer is slower than an in-process reference
 * whatever the change): the tool's standing state, shown as known on the head instead of failing
 * every pull request alike. The base passed it: the change's doing, it still fails. The base could
 * not be judged there (not judged, no data): nothing shows the change caused it, so it stays a
 * failure of the head but is marked as such, and the comparison calls it "not proven", not "fail".
 */
import { detailText, input, phraseText, type Phrase } from '../phrase.js';
import type { GateResult } from '../types.js';

/** Per gate instance of the base: its status, and why it could not be judged when it was not. */
export type BaseOutcomes = ReadonlyMap<string, { status: GateResult['status']; why: Phrase }>;

function instanceKey(gate: Pick<GateResult, 'id' | 'instance'>): string {
  return `${gate.id}\u0000${gate.instance}`;
}

/** Why the base's instance is no verdict: the suite's own reason when it gave one. */
function whyNotJudged(gate: GateResult): Phrase {
  return gate.notJudged !== undefined ? [input(gate.notJudged)] : gate.reason;
}

export function baseOutcomesOf(gates: readonly GateResult[]): BaseOutcomes {
  return new Map(gates.map((gate) => [instanceKey(gate), { status: gate.status, why: whyNotJudged(gate) }]));
}

/** What a head's gate the base fails too says before its own reason. */
export const BASE_FAILURE_LEAD = 'fails on the base too, so not caused by this change: ';
/** What a head's failing gate the base could not be judged on says first; then why, then its own reason. */
export const BASE_NOT_JUDGED_LEAD = 'fails on the head; the base could not be judged: ';
export const BASE_NOT_JUDGED_TAIL = ', so it is not shown to be caused by this change; on the head: ';
const NO_BASE_RESULT: Phrase = ['the base has no result for this instance'];

export function markAgainstBase(gates: readonly GateResult[], base: BaseOutcomes): GateResult[] {
  return gates.map((gate) => {
    if (gate.status !== 'fail') return gate;
    const onBase = base.get(instanceKey(gate));
    if (onBase?.status === 'pass') return gate;
    // A base's known difference is a failure there too, excused by the list.
    if (onBase?.status === 'fail' || onBase?.status === 'known') {
      const reason = [BASE_FAILURE_LEAD, ...gate.reason];
      return { ...gate, status: 'known', reason, detail: detailText(gate.instance, reason) };
    }
    // not_judged, no_data, disabled or absent on the base: none of them is a pass there.
    const why = onBase ? onBase.why : NO_BASE_RESULT;
    const reason = [BASE_NOT_JUDGED_LEAD, ...why, BASE_NOT_JUDGED_TAIL, ...gate.reason];
    return { ...gate, reason, detail: detailText(gate.instance, reason), baseNotJudged: phraseText(why) };
  });
}
