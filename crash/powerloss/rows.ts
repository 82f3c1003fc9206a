import { encodeDetail, METRICS, type RowInput } from '../../core/schema.js';
import type { Exploration } from './explore.js';

/** What the user's checker said over the distinct crash states it was given. */
export interface CheckerOutcome {
  /** Crash states judged (a distinct tree counts once per state that has it). */
  states: number;
  violations: number;
  /** Distinct trees the checker ran on. */
  distinct: number;
  /** The first line the checker printed for the first inconsistent state. */
  first: string | undefined;
  note?: string;
}

/** The scenarios whose rows these are: one write's power loss, or a batch's (every file judged on its own). */
export type PowerLossScenario = 'power_loss' | 'batch_power_loss';

export interface PowerLossResult {
  /** Default power_loss. */
  scenario?: PowerLossScenario;
  subject: string;
  size: number;
  seed: number;
  exploration: Exploration;
  /** How long the exploration took (the checker not included). */
  exploreMs: number;
  checker: CheckerOutcome | undefined;
  /** Bytes of writes the trace could not give (overwritten later, or in a file that is gone). */
  unknownBytes: number;
  opCount: number;
  /** How many files were judged (a batch's); one when absent. */
  files?: number;
  /** Calls that looked like syncs but persist nothing here, said beside the figures. */
  notes?: readonly string[];
}

/** Violations listed per writer, size, model and check: enough to act on, not a wall of text. */
const EXPLAINED_PER_CHECK = 2;

function base(
  subject: string,
  size: number,
  model: string,
  scenario: PowerLossScenario,
): Pick<RowInput, 'suite' | 'scenario' | 'subject' | 'mode' | 'size_bytes' | 'engine'> {
  return { suite: 'crash', scenario, subject, mode: 'durable', size_bytes: size, engine: model };
}

/**
 * The rows of one writer × size × persistence model (the model in `engine`): how many crash states
 * were checked and how, the violation rates as k of n (so shards pool exactly), and the smallest
 * violations explained.
 */
export function powerLossRows(result: PowerLossResult): RowInput[] {
  const { exploration: found, checker } = result;
  const at = base(result.subject, result.size, found.model, result.scenario ?? 'power_loss');
  const how = found.exhaustive
    ? `all ${found.states} crash states the model allows over ${result.opCount} logical operations`
    : `a seeded sample of ${found.states} of ${found.spaceSize} crash states ` +
      `(seed ${result.seed}) over ${result.opCount} logical operations`;
  const unknown =
    result.unknownBytes > 0
      ? `; ${result.unknownBytes} written bytes were overwritten later or left ` +
        `in a file that is gone, so a state that keeps them is judged as not the new content`
      : '';
  const notes = result.notes?.length ? `; ${result.notes.join('; ')}` : '';
  const files =
    result.files !== undefined && result.files > 1 ? `, each of the batch's ${result.files} files judged` : '';
  const rows: RowInput[] = [
    {
      ...at,
      metric: METRICS.powerlossStates,
      value: found.states,
      unit: 'count',
      detail: `${how}${files}, explored in ${Math.round(result.exploreMs)} ms${unknown}${notes}`,
    },
  ];
  type RateMetric =
    | typeof METRICS.powerlossAtomicityViolationRate
    | typeof METRICS.powerlossDurabilityViolationRate
    | typeof METRICS.powerlossCheckerViolationRate;
  const rate = (metric: RateMetric, count: { states: number; violations: number }): void => {
    if (count.states === 0) return;
    rows.push({
      ...at,
      metric,
      value: count.violations / count.states,
      unit: 'ratio',
      detail: encodeDetail(metric, { k: count.violations, n: count.states }),
    });
  };
  rate(METRICS.powerlossAtomicityViolationRate, found.atomicity);
  rate(METRICS.powerlossDurabilityViolationRate, found.durability);
  if (checker) rate(METRICS.powerlossCheckerViolationRate, checker);
  for (const check of ['atomicity', 'durability'] as const) {
    for (const violation of found.violations.filter((v) => v.check === check).slice(0, EXPLAINED_PER_CHECK)) {
      rows.push({
        ...at,
        metric: METRICS.powerlossViolation,
        value: 1,
        unit: 'count',
        detail: encodeDetail(METRICS.powerlossViolation, { check, why: violation.explanation }),
      });
    }
  }
  if (checker && checker.violations > 0) {
    rows.push({
      ...at,
      metric: METRICS.powerlossViolation,
      value: 1,
      unit: 'count',
      detail: encodeDetail(METRICS.powerlossViolation, {
        check: 'checker',
        why:
          `your checker rejected ${checker.violations} of ${checker.states} crash ` +
          `states (${checker.distinct} distinct trees); first said: ${checker.first || '(nothing)'}`,
      }),
    });
  }
  return rows;
}

/** power_loss could not run for this writer and size: one row, never a pass. */
export function powerLossSkipped(
  subject: string,
  size: number,
  reason: string,
  scenario: PowerLossScenario = 'power_loss',
): RowInput[] {
  return [
    {
      suite: 'crash',
      scenario,
      subject,
      mode: 'durable',
      size_bytes: size,
      metric: METRICS.skipped,
      value: 1,
      unit: 'count',
      detail: reason,
    },
  ];
}
