/**
 * The figures bench derives from a line's samples and the analyzer reports: throughput, the p50 net
 * of the transport's cost, and how far two engines' p50s disagree. One definition each, so bench's
 * rows and the report can never say two different things.
 */
import type { MedianInterval } from './median-interval.js';

const MIB = 1024 * 1024;

/** Throughput in MiB/s: the payload size over the p50 latency (infinite when the p50 is not positive). */
export function throughputMiBs(sizeBytes: number, p50Ms: number): number {
  return p50Ms > 0 ? sizeBytes / MIB / (p50Ms / 1000) : Number.POSITIVE_INFINITY;
}

export type NetLatency =
  | { measurable: true; value: number; writer: MedianInterval; overhead: MedianInterval }
  | { measurable: false; writer: MedianInterval; overhead: MedianInterval };

/**
 * A writer's p50 with its transport's cost (a noop's p50: a process start, a round trip) taken out,
 * only when that cost is clearly below the writer's own time: the noop's interval lies wholly below
 * the writer's. Otherwise the difference is within the noise of the two medians (or negative), and no
 * figure — not 0, not the difference — says anything about the write. Two disjoint 95% intervals are
 * a stricter test than one at 5%: the side to err on, since a net figure can pass a gate.
 */
export function netLatency(writer: MedianInterval, overhead: MedianInterval): NetLatency {
  return overhead.upper < writer.lower
    ? { measurable: true, value: writer.p50 - overhead.p50, writer, overhead }
    : { measurable: false, writer, overhead };
}

/**
 * Why a net latency is not measurable, in one line (bench's row and the report say it alike); `ms` formats a figure.
 */
export function notMeasurableReason(net: NetLatency, ms: (value: number) => string): string {
  const spread = (m: MedianInterval) =>
    m.n === 0
      ? 'its samples are not in the input'
      : `${ms(m.lower)}–${ms(m.upper)} ms, ${Math.floor((m.confidence ?? 0) * 100)}% ` +
        `interval of ${m.n} sample${m.n === 1 ? '' : 's'}`;
  const { writer, overhead } = net;
  const how = overhead.lower > writer.upper ? "the noop's interval lies above the writer's" : 'the intervals overlap';
  return (
    `not measurable: noop p50 ${ms(overhead.p50)} ms (${spread(overhead)}) ` +
    `vs writer p50 ${ms(writer.p50)} ms (${spread(writer)}): ${how}, so the ` +
    `write's own time cannot be told from the noop's`
  );
}

/** Engines whose p50s differ by more than this fraction (of the primary engine's) disagree. */
export const ENGINE_DISAGREEMENT = 0.1;

/** How far two engines' p50s are apart, as other / primary (1 = agree); NaN when the primary's p50 is not positive. */
export function disagreementRatio(primaryP50: number, otherP50: number): number {
  return primaryP50 > 0 ? otherP50 / primaryP50 : Number.NaN;
}

/** Another engine's p50 less the primary's, as a fraction of the primary's. */
export function engineDifference(primaryP50: number, otherP50: number): number {
  return (otherP50 - primaryP50) / primaryP50;
}

/** Whether an engineDifference is large enough to call the engines in disagreement. */
export function enginesDisagree(difference: number): boolean {
  return Math.abs(difference) > ENGINE_DISAGREEMENT;
}

/** The band of other / primary ratios within which engines agree, as bench's row detail states it. */
export function agreementBand(): string {
  return `${(1 / (1 + ENGINE_DISAGREEMENT)).toFixed(3)}..${(1 + ENGINE_DISAGREEMENT).toFixed(2)}`;
}
