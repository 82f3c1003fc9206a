import { z } from 'zod';
import { parseJsonFile } from '../../core/config.js';
import { InputError } from '../../core/errors.js';
import { METRICS, SUBJECT_ROLES, type SuiteName } from '../../core/schema.js';

/**
 * timing: noisy; a change counts only when it is larger than `minEffect` and significant.
 * correctness: a fact, not a measurement with noise (a corrupted file, a mismatched exit code);
 * any worsening counts, and it needs no re-measure.
 */
export type PolicyKind = 'timing' | 'correctness';
export type Direction = 'lower_is_better' | 'higher_is_better';

/** How one metric is judged against a baseline or the history. Data, overridable per metric by a file. */
export interface MetricPolicy {
  suite: Exclude<SuiteName, 'env'>;
  /** The per-run figure this judges: what history stores and the trend charts draw. */
  metric: string;
  /** A few words for tables, e.g. "p50". */
  label: string;
  kind: PolicyKind;
  direction: Direction;
  /** timing: a change must be larger than this fraction to count (0.10 = 10%). correctness: 0. */
  minEffect: number;
  /** timing: the raw per-sample metric whose quantile the figure is; the significance test runs on these. */
  samples?: { metric: string; quantile: number };
  /** false: shown in the trend section, never fails the verdict. */
  gate: boolean;
  /**
   * Subjects this policy does not judge: yardsticks whose failures are the point (native-unsafe
   * corrupts files on purpose, at a rate that is random by design).
   */
  excludeSubjects?: readonly string[];
}

export function policyRows<T extends { subject: string }>(
  policy: Pick<MetricPolicy, 'excludeSubjects'>,
  rows: readonly T[],
): readonly T[] {
  const excluded = policy.excludeSubjects;
  return excluded?.length ? rows.filter((row) => !excluded.includes(row.subject)) : rows;
}

export const DEFAULT_MIN_EFFECT = 0.1;

/**
 * The crash suite's yardsticks, as analyze/gates/crash.ts names them: floor (no cleanup, a timing
 * baseline) and native-unsafe (writes in place on purpose; its corruption rate is random by design).
 */
const UNSAFE_YARDSTICK = [SUBJECT_ROLES.floor, SUBJECT_ROLES.nativeUnsafe];

const correctness = (
  suite: MetricPolicy['suite'],
  metric: string,
  label: string,
  direction: Direction,
  excludeSubjects?: readonly string[],
): MetricPolicy => ({
  suite,
  metric,
  label,
  kind: 'correctness',
  direction,
  minEffect: 0,
  gate: true,
  ...(excludeSubjects ? { excludeSubjects } : {}),
});

/**
 * The default policies. p95 gets a 20% minimum effect: the tail of a shared runner moves by more
 * than 10% between identical runs (validate-gate shows how much), and a gate on it at 10% would cry
 * wolf. Correctness: bench's own checks, crash's outcome rates (not orphan or stale temp rates, which
 * depend on where a kill lands) and parity's per-case match flags — a wrong file or a different exit
 * code is never noise.
 */
export const DEFAULT_POLICIES: readonly MetricPolicy[] = [
  {
    suite: 'bench',
    metric: METRICS.latencyP50,
    label: 'p50',
    kind: 'timing',
    direction: 'lower_is_better',
    minEffect: DEFAULT_MIN_EFFECT,
    samples: { metric: METRICS.latencySample, quantile: 50 },
    gate: true,
  },
  {
    suite: 'bench',
    metric: METRICS.latencyP95,
    label: 'p95',
    kind: 'timing',
    direction: 'lower_is_better',
    minEffect: 0.2,
    samples: { metric: METRICS.latencySample, quantile: 95 },
    gate: true,
  },
  correctness('bench', METRICS.contentOk, 'content ok', 'higher_is_better'),
  correctness('bench', METRICS.writeErrors, 'write errors', 'lower_is_better'),
  correctness('crash', METRICS.corruptionRate, 'corruption', 'lower_is_better', UNSAFE_YARDSTICK),
  correctness('crash', METRICS.falseSuccessRate, 'false success', 'lower_is_better', UNSAFE_YARDSTICK),
  correctness('crash', METRICS.lostUpdateRate, 'lost updates', 'lower_is_better', UNSAFE_YARDSTICK),
  correctness('crash', METRICS.recoveryRate, 'recovery', 'higher_is_better', UNSAFE_YARDSTICK),
  correctness('parity', METRICS.exitCodeMatch, 'exit code match', 'higher_is_better'),
  correctness('parity', METRICS.sideEffectMatch, 'side-effect match', 'higher_is_better'),
  correctness('parity', METRICS.stderrSignalMatch, 'stderr signal match', 'higher_is_better'),
];

const overrideSchema = z.strictObject({
  minEffect: z.number().min(0).max(10).optional(),
  gate: z.boolean().optional(),
});

/**
 * `--regression-policy FILE`: `{"metrics": {"latency_p95_ms": {"minEffect": 0.3}, "latency_p50_ms": {"gate": false}}}`.
 * A minimum effect on a correctness metric is refused: correctness has no noise allowance.
 */
export const policyFileSchema = z.strictObject({
  metrics: z.record(z.string().min(1), overrideSchema),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;

export function applyPolicyOverrides(
  policies: readonly MetricPolicy[],
  overrides: PolicyFile,
  source: string,
): MetricPolicy[] {
  const known = new Set(policies.map((policy) => policy.metric));
  for (const [metric, override] of Object.entries(overrides.metrics)) {
    if (!known.has(metric))
      throw new InputError(`${source}: metrics.${metric}: not a judged metric; known: ${[...known].join(', ')}`);
    for (const policy of policies.filter((p) => p.metric === metric)) {
      if (policy.kind === 'correctness' && override.minEffect !== undefined && override.minEffect !== 0) {
        throw new InputError(
          `${source}: metrics.${metric}.minEffect: ${metric} is a correctness metric; it has no noise allowance`,
        );
      }
    }
  }
  return policies.map((policy) => {
    const override = overrides.metrics[policy.metric];
    return override ? { ...policy, ...override } : policy;
  });
}

export function loadPolicies(
  file: string | undefined,
  base: readonly MetricPolicy[] = DEFAULT_POLICIES,
): MetricPolicy[] {
  if (!file) return [...base];
  return applyPolicyOverrides(base, parseJsonFile(file, policyFileSchema, 'metric policy file'), file);
}

/**
 * "How much worse": current/reference for lower-is-better, reference/current for higher-is-better.
 * > 1 is worse. Both ways are symmetric in log scale, so swapping base and head swaps verdicts.
 */
export function worsening(policy: Pick<MetricPolicy, 'direction'>, ratio: number): number {
  return policy.direction === 'lower_is_better' ? ratio : 1 / ratio;
}
