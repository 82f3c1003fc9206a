import { decodeDetail, METRICS, PRIMARY_ENGINE, type ResultRow, type SpawnOverhead } from '../../core/schema.js';
import {
  engineDifference,
  enginesDisagree,
  mean,
  medianInterval,
  netLatency,
  notMeasurableReason,
  pointMedian,
  summarize,
  throughputMiBs,
  type MedianInterval,
  type NetLatency,
} from '../../core/stats.js';
import { formatNumber } from '../format.js';

/** The net-latency figure's name (bench writes a row of it too; the analyzer computes its own from the samples). */
export const NET_P50_METRIC = METRICS.latencyNetP50;
/** 1 when every read-back of the target during and after the timed run matched (bench checks it). */
export const CONTENT_OK_METRIC = METRICS.contentOk;
/** A write the subject reported as failed; bench drops that line's timings. */
export const WRITE_ERRORS_METRIC = METRICS.writeErrors;

export interface LineKey {
  scenario: string;
  subject: string;
  mode: string;
  size_bytes: number | null;
}

/** A line's latency quantiles in ms, lowest first: the distribution chart's rungs. */
export interface QuantileLadder {
  min: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
  max: number;
}

/** One engine's view of one line. */
export interface EngineStats {
  engine: string;
  /** Number of latency samples (at least 1: an engine without samples has no stats). */
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  cv: number | null;
  ladder: QuantileLadder;
}

/** A count measured per run (strace pass): the spread across runs is shown when runs disagree. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
  runs: number;
}

/** Everything the bench section shows for one subject × mode × size. */
export interface BenchLine extends LineKey {
  engines: EngineStats[];
  /** The engine the gates and the main table use: tinybench when it has samples, else the one with most samples. */
  primary?: EngineStats;
  throughputMiBs: number | null;
  fsyncCount: Spread | null;
  renameCount: Spread | null;
  bytesWritten: Spread | null;
  writeAmplification: number | null;
  /** The noop's p50: of its calibration samples when the input has them, else bench's own figure. */
  spawnOverheadMs: number | null;
  /** How the overhead was obtained, from the overhead row's detail. */
  overheadMethod: string;
  /** The transport could only estimate its overhead (no noop command given). */
  overheadEstimated: boolean;
  /** The primary engine's p50 and the noop's, with their intervals (per-op command and driver subjects only). */
  net: NetLatency | null;
  /** primary p50 minus the noop's p50, when measurable (core/stats.ts netLatency); null otherwise. */
  netP50: number | null;
  /** Why there is no net figure although the line has a transport cost: the noop is not clearly below the writer. */
  netNotMeasurable: string | null;
  /** Whether the writes were right: null when bench did not say; otherwise false with the reasons. */
  writesCorrect: { ok: boolean; problems: string[] } | null;
}

function lineKey(row: LineKey): string {
  return JSON.stringify([row.scenario, row.subject, row.mode, row.size_bytes]);
}

function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  // A loop, not Math.min(...values): spreading a long list into arguments overflows the stack.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { mean: mean(values), min, max, runs: values.length };
}

function engineStats(engine: string, samples: number[]): EngineStats {
  const { n, p50, p95, p99, mean: average, cv, min, p5, p25, p75, max } = summarize(samples);
  return {
    engine,
    n,
    p50,
    p95,
    p99,
    mean: average,
    cv: Number.isFinite(cv) ? cv : null,
    ladder: { min, p5, p25, p50, p75, p95, p99, max },
  };
}

interface Bucket extends LineKey {
  samples: Map<string, number[]>;
  counts: Map<string, number[]>;
  overhead: number[];
  overheadSamples: number[];
  overheadHow: SpawnOverhead | undefined;
  contentOk: { value: number; detail: string }[];
  writeErrors: { value: number; detail: string }[];
}

const COUNT_METRICS = [
  METRICS.fsyncCount,
  METRICS.renameCount,
  METRICS.bytesWritten,
  METRICS.writeAmplification,
] as const;

/**
 * Turns bench rows into lines. Every figure comes from the raw `latency_ms` samples, pooled across runs
 * (shards); bench's summary rows (p50, p95, p99, MiB/s, net p50, engine disagreement) are informational
 * and never read here (bench/README.md).
 */
export function benchLines(rows: readonly ResultRow[]): BenchLine[] {
  const buckets = new Map<string, Bucket>();
  const subjectOverhead = new Map<string, { values: number[]; samples: number[]; how: SpawnOverhead | undefined }>();
  // Rows of one line come together (a run writes a line's samples in a row): remember the last line, so
  // a million samples cost a million comparisons, not a million keys.
  let last: Bucket | undefined;
  const bucket = (row: ResultRow): Bucket => {
    if (
      last &&
      last.scenario === row.scenario &&
      last.subject === row.subject &&
      last.mode === row.mode &&
      last.size_bytes === row.size_bytes
    )
      return last;
    const key = lineKey(row);
    let found = buckets.get(key);
    if (!found) {
      found = {
        scenario: row.scenario,
        subject: row.subject,
        mode: row.mode,
        size_bytes: row.size_bytes,
        samples: new Map(),
        counts: new Map(),
        overhead: [],
        overheadSamples: [],
        overheadHow: undefined,
        contentOk: [],
        writeErrors: [],
      };
      buckets.set(key, found);
    }
    last = found;
    return found;
  };

  for (const row of rows) {
    if (row.value === null) continue;
    switch (row.metric) {
      case METRICS.latencySample: {
        const samples = bucket(row).samples;
        const list = samples.get(row.engine);
        if (list) list.push(row.value);
        else samples.set(row.engine, [row.value]);
        break;
      }
      case METRICS.spawnOverhead: {
        // The overhead belongs to the transport; bench may write it per line or once per subject.
        const how = decodeDetail(METRICS.spawnOverhead, row.detail);
        if (row.mode === '' && row.size_bytes === null) {
          const entry = subjectOverhead.get(row.subject) ?? { values: [], samples: [], how };
          entry.values.push(row.value);
          entry.how ??= how;
          subjectOverhead.set(row.subject, entry);
        } else {
          const b = bucket(row);
          b.overhead.push(row.value);
          b.overheadHow ??= how;
        }
        break;
      }
      case METRICS.spawnOverheadSample: {
        if (row.mode === '' && row.size_bytes === null) {
          const entry = subjectOverhead.get(row.subject) ?? { values: [], samples: [], how: undefined };
          entry.samples.push(row.value);
          subjectOverhead.set(row.subject, entry);
        } else bucket(row).overheadSamples.push(row.value);
        break;
      }
      case CONTENT_OK_METRIC:
        bucket(row).contentOk.push({ value: row.value, detail: row.detail });
        break;
      case WRITE_ERRORS_METRIC:
        bucket(row).writeErrors.push({ value: row.value, detail: row.detail });
        break;
      default:
        if ((COUNT_METRICS as readonly string[]).includes(row.metric)) {
          const b = bucket(row);
          const list = b.counts.get(row.metric) ?? [];
          list.push(row.value);
          b.counts.set(row.metric, list);
        }
    }
  }

  const lines: BenchLine[] = [];
  for (const b of buckets.values()) {
    if (
      b.mode === '' &&
      b.size_bytes === null &&
      b.samples.size === 0 &&
      b.contentOk.length === 0 &&
      b.writeErrors.length === 0
    )
      continue;
    const engines = [...b.samples].map(([engine, samples]) => engineStats(engine, samples));
    const primary = engines.find((e) => e.engine === PRIMARY_ENGINE) ?? [...engines].sort((x, y) => y.n - x.n)[0];
    const noop = noopMedian(b, subjectOverhead.get(b.subject));
    const spawnOverheadMs = noop?.p50 ?? null;
    const fallbackOverhead = subjectOverhead.get(b.subject);
    const bytesWritten = spread(b.counts.get(METRICS.bytesWritten) ?? []);
    const ampRows = b.counts.get(METRICS.writeAmplification) ?? [];
    const writeAmplification = ampRows.length
      ? mean(ampRows)
      : bytesWritten && b.size_bytes
        ? bytesWritten.mean / b.size_bytes
        : null;
    const primaryP50 = primary?.p50 ?? null;
    const overheadHow = b.overhead.length ? b.overheadHow : fallbackOverhead?.how;
    const net = noop && primary ? netLatency(medianInterval(b.samples.get(primary.engine) ?? []), noop) : null;
    const problems = [
      ...b.contentOk.filter((c) => c.value !== 1).map((c) => `content check failed${c.detail ? `: ${c.detail}` : ''}`),
      ...b.writeErrors
        .filter((e) => e.value > 0)
        .map((e) => `${e.value} write error(s)${e.detail ? `: ${e.detail}` : ''}`),
    ];
    const checked = b.contentOk.length > 0 || b.writeErrors.length > 0;
    lines.push({
      scenario: b.scenario,
      subject: b.subject,
      mode: b.mode,
      size_bytes: b.size_bytes,
      engines,
      primary,
      // The one definition (core/stats, payload ÷ p50): bench's informational row uses it too, so the two
      // say the same.
      throughputMiBs: primaryP50 && b.size_bytes ? throughputMiBs(b.size_bytes, primaryP50) : null,
      fsyncCount: spread(b.counts.get(METRICS.fsyncCount) ?? []),
      renameCount: spread(b.counts.get(METRICS.renameCount) ?? []),
      bytesWritten,
      writeAmplification,
      spawnOverheadMs,
      overheadMethod: overheadHow?.method ?? '',
      overheadEstimated: overheadHow?.estimated ?? false,
      net,
      netP50: net?.measurable ? net.value : null,
      netNotMeasurable: net && !net.measurable ? notMeasurableReason(net, formatNumber) : null,
      writesCorrect: checked ? { ok: problems.length === 0, problems } : null,
    });
  }
  return lines;
}

/**
 * The noop's median for a line: its calibration samples pooled over the runs (per line when bench wrote
 * them so, else the subject's); a results file without them has only bench's figure, taken as exact.
 */
function noopMedian(b: Bucket, subject: { values: number[]; samples: number[] } | undefined): MedianInterval | null {
  if (b.overheadSamples.length) return medianInterval(b.overheadSamples);
  if (b.overhead.length) return pointMedian(mean(b.overhead));
  if (subject?.samples.length) return medianInterval(subject.samples);
  if (subject?.values.length) return pointMedian(mean(subject.values));
  return null;
}

/**
 * The p50 gates and ratios use: net of the transport's cost where there is one, and then nothing when
 * that net is not measurable — never the gross figure in its place, never 0.
 */
export function gateP50(line: BenchLine): number | null {
  if (line.net) return line.netP50;
  return line.primary?.p50 ?? null;
}

export interface EngineDisagreement {
  line: BenchLine;
  primary: EngineStats;
  other: EngineStats;
  /** (other − primary) / primary. */
  difference: number;
}

/** Lines where another engine's p50 differs from the primary engine's by more than ENGINE_DISAGREEMENT (core/stats). */
export function engineDisagreements(lines: readonly BenchLine[]): EngineDisagreement[] {
  const found: EngineDisagreement[] = [];
  for (const line of lines) {
    const primary = line.primary;
    if (!primary?.p50) continue;
    for (const other of line.engines) {
      if (other.engine === primary.engine) continue;
      const difference = engineDifference(primary.p50, other.p50);
      if (enginesDisagree(difference)) found.push({ line, primary, other, difference });
    }
  }
  return found;
}
