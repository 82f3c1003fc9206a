/**
 * A comparison asks what the change did. A gate the base fails as well (a per-op command writer is
 * slower than an in-process reference whatever the change) is the tool's standing state, not the
 * change's doing: on the head it is shown as known, with why, instead of failing every pull request
 * alike — which would only teach people to ignore the gate. A gate the head fails and the base
 * passes still fails.
 */
import { detailText } from '../phrase.js';
import type { GateResult } from '../types.js';

export type BaseFailures = ReadonlySet<string>;

function instanceKey(gate: Pick<GateResult, 'id' | 'instance'>): string {
  return `${gate.id}\u0000${gate.instance}`;
}

export function failuresOf(gates: readonly GateResult[]): BaseFailures {
  return new Set(gates.filter((gate) => gate.status === 'fail').map(instanceKey));
}

/** What a head's gate the base fails too says before its own reason. */
export const BASE_FAILURE_LEAD = 'fails on the base too, so not caused by this change: ';

export function markBaseFailuresKnown(gates: readonly GateResult[], base: BaseFailures): GateResult[] {
  return gates.map((gate) => {
    if (gate.status !== 'fail' || !base.has(instanceKey(gate))) return gate;
    const reason = [BASE_FAILURE_LEAD, ...gate.reason];
    return { ...gate, status: 'known', reason, detail: detailText(gate.instance, reason) };
  });
}
