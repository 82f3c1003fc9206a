/**
 * The rows of a command subject under power loss, per command × size class × model (the model in
 * `engine`): the same metrics as a writer's power_loss rows, so the same gates judge them, with what
 * was checked of how much said in the states row.
 */
import { encodeDetail, METRICS, type RowInput } from '../../core/schema.js';
import type { CommandExploration } from './explore.js';

/**
 * A command's size class: the size its setup was given as {size}, or 0 when the setup takes none (the
 * setup, not a payload size, then decides what the command writes).
 */
export const UNSIZED = 0;

function base(
  subject: string,
  size: number,
  model: string,
): Pick<RowInput, 'suite' | 'scenario' | 'subject' | 'mode' | 'size_bytes' | 'engine'> {
  return { suite: 'crash', scenario: 'power_loss', subject, mode: 'durable', size_bytes: size, engine: model };
}

export interface CommandPowerLossResult {
  subject: string;
  size: number;
  seed: number;
  budgetMs: number;
  opCount: number;
  unknownBytes: number;
  notes: readonly string[];
  placedFiles: number;
  exploration: CommandExploration;
}

export function commandPowerLossRows(result: CommandPowerLossResult): RowInput[] {
  const found = result.exploration;
  const at = base(result.subject, result.size, found.model);
  const space = Number.isFinite(found.spaceSize) ? String(found.spaceSize) : `more than ${Number.MAX_SAFE_INTEGER}`;
  const sampled = found.exhaustive
    ? `all ${found.sampled} crash states the model allows`
    : `a seeded sample of ${found.sampled} of ${space} crash states (seed ${result.seed})`;
  const checked = found.budgetSpent
    ? `your checker ran on ${found.checkedTrees} of their ${found.distinctTrees} distinct trees ` +
      `(${found.checker.states} of the ${found.sampled} states) before the ${result.budgetMs / 1000} s budget ran out`
    : `your checker ran on all ${found.distinctTrees} distinct trees`;
  const unknown =
    result.unknownBytes > 0
      ? `; ${result.unknownBytes} written bytes were overwritten later or left in a file that is gone, ` +
        'so a state that keeps them holds marker bytes'
      : '';
  const notes = result.notes.length ? `; ${result.notes.join('; ')}` : '';
  const rows: RowInput[] = [
    {
      ...at,
      metric: METRICS.powerlossStates,
      value: found.sampled,
      unit: 'count',
      detail:
        `${sampled} over ${result.opCount} logical operations on the whole work directory; ${checked}; ` +
        `${result.placedFiles} file(s) put in place by rename or link checked one by one; ` +
        `${Math.round(found.elapsedMs)} ms${unknown}${notes}`,
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
  rate(METRICS.powerlossCheckerViolationRate, found.checker);
  for (const violation of found.violations)
    rows.push({
      ...at,
      metric: METRICS.powerlossViolation,
      value: 1,
      unit: 'count',
      detail: encodeDetail(METRICS.powerlossViolation, { check: violation.check, why: violation.explanation }),
    });
  return rows;
}

/** A command whose power loss could not be judged or run: one row saying why, never a pass. */
export function commandNotRunRow(
  subject: string,
  size: number,
  metric: 'skipped' | 'not_judged',
  reason: string,
): RowInput {
  return {
    ...base(subject, size, 'strace'),
    metric: metric === 'skipped' ? METRICS.skipped : METRICS.notJudged,
    value: 1,
    unit: 'count',
    detail: reason,
  };
}
