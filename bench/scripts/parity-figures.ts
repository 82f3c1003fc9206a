/**
 * The figures of `hyperfine-parity.ts`: reading hyperfine's JSON export and writegate's results CSV,
 * and judging the two side by side. Kept apart from the script so tests can check the parsing on
 * real-shaped input without running anything.
 */
import { InputError } from '../../core/errors.js';
import { METRICS, type ResultRow } from '../../core/schema.js';
import { percentile } from '../../core/stats.js';

/** How close writegate's median must come to hyperfine's: within 5%, either way. */
export const PARITY_TOLERANCE = 0.05;

/** A writer's latency p50 for one mode and size, from the rows of a bench run's results_raw.csv. */
export function writegateP50Ms(
  rows: readonly ResultRow[],
  subject: string,
  mode: string,
  sizeBytes: number,
  where: string,
): number {
  const found = rows.filter(
    (row) =>
      row.suite === 'bench' &&
      row.subject === subject &&
      row.mode === mode &&
      row.size_bytes === sizeBytes &&
      row.metric === METRICS.latencyP50,
  );
  if (found.length !== 1 || typeof found[0]?.value !== 'number') {
    const failed = rows.find((row) => row.subject === subject && row.metric === METRICS.writeErrors);
    const failure = failed?.detail ? ` (write failed: ${failed.detail})` : '';
    throw new InputError(
      `${where}: no single ${METRICS.latencyP50} row for ${subject} ${mode} ${sizeBytes} B${failure}`,
    );
  }
  return found[0].value;
}

/** Per-round figures of one command: each tool's median and the ratio writegate / hyperfine. */
export interface ParityRound {
  hyperfineMs: number;
  writegateMs: number;
}

export interface ParityVerdict {
  hyperfineMs: number;
  writegateMs: number;
  /** writegate / hyperfine, each the median of its per-round figures. */
  ratio: number;
  /** The lowest and highest per-round ratio: how much the machine moved the comparison. */
  roundRatios: readonly [number, number];
  within: boolean;
}

export function judge(rounds: readonly ParityRound[], tolerance = PARITY_TOLERANCE): ParityVerdict {
  if (rounds.length === 0) throw new Error('judge: no rounds');
  const hyperfineMs = percentile(
    rounds.map((round) => round.hyperfineMs),
    50,
  );
  const writegateMs = percentile(
    rounds.map((round) => round.writegateMs),
    50,
  );
  const ratios = rounds.map((round) => round.writegateMs / round.hyperfineMs);
  const ratio = writegateMs / hyperfineMs;
  return {
    hyperfineMs,
    writegateMs,
    ratio,
    roundRatios: [Math.min(...ratios), Math.max(...ratios)],
    within: Math.abs(ratio - 1) <= tolerance,
  };
}

const ms = (value: number): string => `${value < 10 ? value.toFixed(3) : value.toFixed(2)} ms`;
const signed = (ratio: number): string => `${ratio >= 1 ? '+' : '−'}${(Math.abs(ratio - 1) * 100).toFixed(1)}%`;

/** The table the script prints: one line per command. */
export function parityTable(
  lines: readonly { command: string; verdict: ParityVerdict }[],
  tolerance = PARITY_TOLERANCE,
): string {
  const header = ['command', 'hyperfine median', 'writegate p50', 'ratio', 'per-round ratios', 'verdict'];
  const body = lines.map(({ command, verdict }) => [
    command,
    ms(verdict.hyperfineMs),
    ms(verdict.writegateMs),
    `${verdict.ratio.toFixed(3)} (${signed(verdict.ratio)})`,
    `${verdict.roundRatios[0].toFixed(3)}–${verdict.roundRatios[1].toFixed(3)}`,
    verdict.within ? `within ${tolerance * 100}%` : `outside ${tolerance * 100}%`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((row) => (row[column] as string).length)),
  );
  return [header, ...body]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
