/**
 * How many rounds a comparison needs, known before anything is measured. The gated timing series
 * of the compared subjects (a p50 and a p95 per size and mode each supports) are judged as one
 * family, each interval at 1 − 5%/m, and a paired interval over n rounds can reach that level only
 * when 2/2ⁿ ≤ 5%/m (analyze/regression/paired.ts pairsNeeded). Fewer rounds cannot show a
 * regression however large it is, so they are never the default.
 */
import { pairsNeeded } from '../../analyze/regression/paired.js';
import type { MetricPolicy } from '../../analyze/regression/policy.js';
import type { WriterSubject } from '../../core/subjects/types.js';
import type { WriteMode } from '../../core/writer/types.js';

/**
 * The fewest rounds `auto` runs. A pass needs each median's interval inside its 10% minimum effect,
 * and on a shared 2-core machine two identical runs side by side differ by 6–13% in their medians:
 * over 10 rounds the paired interval of an unchanged writer still reaches +12–15%, over 20 it comes
 * to about ±6% (the same 20 validate-gate found it needs to detect a +25% slowdown).
 */
export const MIN_AUTO_ROUNDS = 20;

/** The confidence of the whole family (the analyzer's). */
export const FAMILY_CONFIDENCE = 0.95;

export function familySize(subjects: readonly WriterSubject[], sizes: readonly number[], modes: readonly WriteMode[], policies: readonly MetricPolicy[]): number {
  const timing = policies.filter((policy) => policy.suite === 'bench' && policy.kind === 'timing' && policy.gate).length;
  const lines = subjects.reduce((sum, subject) => sum + sizes.length * modes.filter((mode) => subject.modes.includes(mode)).length, 0);
  return timing * lines;
}

export interface RoundsPlan {
  familySize: number;
  needed: number;
  rounds: number;
  /** Set when the user asked for fewer than the family needs: what the run will and will not show. */
  warning?: string;
}

export function planRounds(family: number, requested: number | 'auto'): RoundsPlan {
  const needed = pairsNeeded(Math.max(1, family), FAMILY_CONFIDENCE);
  if (requested === 'auto') return { familySize: family, needed, rounds: Math.max(needed, MIN_AUTO_ROUNDS) };
  const warning =
    requested < needed
      ? `--rounds ${requested} is fewer than the ${needed} that ${family} gated timing series need to be judged together: a slowdown cannot be shown, so the verdict will be inconclusive unless something regresses outright`
      : undefined;
  return { familySize: family, needed, rounds: requested, ...(warning ? { warning } : {}) };
}
