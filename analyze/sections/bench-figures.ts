/**
 * bench rows gathered into figures: the lines bench-lines.ts decodes, the figures the gates read, each
 * line's figures as the tables show them, and the writers crash found not durable. bench.ts renders them.
 */
import { METRICS, type ResultRow } from '../../core/schema.js';
import { formatNumber } from '../format.js';
import { BATCH_SCENARIO, WRITES_CORRECT_METRIC } from '../gates/bench.js';
import { batchFigures, batchGateFigures, batchLineFigures, type BatchFigures } from './bench-batch.js';
import type { Figure } from '../types.js';
import { benchLines, engineDisagreements, gateP50, NET_P50_METRIC, type BenchLine } from './bench-lines.js';
import { notDurable as notDurableWriters } from './crash-powerloss.js';

/** A line whose samples spread more than this (CV) has a p50 that moves between runs. */
export const NOISY_CV = 0.5;

export const CV_METRIC = 'latency_cv';

export function isNoisy(line: BenchLine): boolean {
  return (line.primary?.cv ?? 0) > NOISY_CV;
}

function figuresOf(lines: readonly BenchLine[]): Figure[] {
  const figures: Figure[] = [];
  for (const line of lines) {
    const key = { scenario: line.scenario, subject: line.subject, mode: line.mode, size_bytes: line.size_bytes };
    const add = (metric: string, value: number | null | undefined, note?: string, more: Partial<Figure> = {}) =>
      figures.push({ ...key, metric, value: value ?? null, ...(note ? { note } : {}), ...more });
    if (line.writesCorrect)
      add(WRITES_CORRECT_METRIC, line.writesCorrect.ok ? 1 : 0, line.writesCorrect.problems.join('; ') || undefined);
    if (line.primary && line.netNotMeasurable !== null) {
      // No net figure: the gross p50 still bounds it from above, so it can pass an upper limit and nothing else.
      const why = `net p50 ${line.netNotMeasurable}`;
      add(
        METRICS.latencyP50,
        line.primary.p50,
        `gross p50, spawn cost included: an upper bound of the net p50, which is ${line.netNotMeasurable}`,
        { upperBoundOnly: why },
      );
    } else if (line.primary) {
      const net =
        line.netP50 === null
          ? undefined
          : `net of ${formatNumber(line.spawnOverheadMs)} ms ${line.overheadEstimated ? 'estimated ' : ''}` +
            'spawn overhead';
      add(METRICS.latencyP50, gateP50(line), net);
    } else {
      add(METRICS.latencyP50, null, 'no latency_ms samples');
    }
    add(METRICS.latencyP95, line.primary?.p95);
    add(METRICS.latencyP99, line.primary?.p99);
    add(METRICS.throughput, line.throughputMiBs);
    add(METRICS.fsyncCount, line.fsyncCount?.mean);
    add(METRICS.renameCount, line.renameCount?.mean);
    add(METRICS.bytesWritten, line.bytesWritten?.mean);
    add(METRICS.writeAmplification, line.writeAmplification);
    add(CV_METRIC, line.primary?.cv);
    if (line.spawnOverheadMs !== null) add(METRICS.spawnOverhead, line.spawnOverheadMs);
    if (line.netP50 !== null) add(NET_P50_METRIC, line.netP50);
    else if (line.netNotMeasurable !== null) add(NET_P50_METRIC, null, undefined, { notJudged: line.netNotMeasurable });
  }
  return figures;
}

/**
 * One line's figures as the report's table shows them (p50/p95 of the primary engine's samples, MiB/s = payload ÷
 * p50), for --json and the bench command's own summary.
 */
export interface BenchLineFigures {
  scenario: string;
  subject: string;
  mode: string;
  size_bytes: number | null;
  /** Latency samples behind p50 and p95 (0: the line has no timing, e.g. its writes failed). */
  samples: number;
  p50_ms: number | null;
  p95_ms: number | null;
  mib_s: number | null;
  /** p50 net of the transport's spawn overhead (per-op command and driver subjects): the figure the gates read. */
  net_p50_ms: number | null;
  /** Why net_p50_ms is null for a line with a transport cost: "not measurable: noop p50 … vs writer p50 …". */
  net_p50_not_measurable?: string;
  /** null: bench did not say whether the writes were right. */
  writes_correct: boolean | null;
}

function lineFigures(line: BenchLine): BenchLineFigures {
  return {
    scenario: line.scenario,
    subject: line.subject,
    mode: line.mode,
    size_bytes: line.size_bytes,
    samples: line.primary?.n ?? 0,
    p50_ms: line.primary?.p50 ?? null,
    p95_ms: line.primary?.p95 ?? null,
    mib_s: line.throughputMiBs,
    net_p50_ms: line.netP50,
    ...(line.netNotMeasurable === null ? {} : { net_p50_not_measurable: line.netNotMeasurable }),
    writes_correct: line.writesCorrect === null ? null : line.writesCorrect.ok,
  };
}

/** Everything the bench section renders and reports. */
export interface BenchFigures {
  lines: BenchLine[];
  /** Writers that lose data on power loss, with why: marked beside their durable figures. */
  notDurable: ReadonlyMap<string, string>;
  /** The batch scenario's subjects. */
  batch: BatchFigures;
  figures: Figure[];
  summary: Record<string, unknown>;
}

/**
 * The bench rows of the section, every row of the input (crash's rows on the same file system), and that file system.
 */
export function benchFigures(rows: readonly ResultRow[], allRows: readonly ResultRow[], fs: string): BenchFigures {
  // The batch scenario's rows are its own block (bench-batch.ts), not lines of the timing tables.
  const lines = benchLines(rows.filter((row) => row.scenario !== BATCH_SCENARIO));
  const batch = batchFigures(rows);
  // A writer that loses data on power loss is marked beside its durable figures, so nobody reads its speed as a
  // durable write's:
  // by crash's rows on the same file system, judged by that file system's model.
  const notDurable = notDurableWriters(
    allRows.filter((row) => row.suite === 'crash' && row.fs === fs),
    fs,
  );
  return {
    lines,
    notDurable,
    batch,
    figures: [...figuresOf(lines), ...batchGateFigures(batch)],
    summary: {
      lines: lines.length,
      line_figures: lines.map(lineFigures),
      ...(batch.subjects.length ? { batch_figures: batchLineFigures(batch) } : {}),
      noisy_lines: lines.filter(isNoisy).length,
      engine_disagreements: engineDisagreements(lines).map(({ line, primary, other, difference }) => ({
        subject: line.subject,
        mode: line.mode,
        size_bytes: line.size_bytes,
        [primary.engine]: primary.p50,
        [other.engine]: other.p50,
        difference,
      })),
    },
  };
}
