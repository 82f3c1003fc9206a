import { encodeDetail, METRICS, type RowInput } from '../core/schema.js';
import {
  agreementBand,
  ENGINE_DISAGREEMENT,
  medianInterval,
  netLatency,
  notMeasurableReason,
  pointMedian,
  type MedianInterval,
} from '../core/stats.js';
import type { TransportOverhead } from '../core/subjects/types.js';
import type { WriteMode } from '../core/writer/types.js';
import { ACCOUNTING_SCENARIO, CALIBRATION_SCENARIO, SCENARIO, type EngineName } from './cases.js';
import type { ContentVerdict } from './checks.js';
import { roundMs, type LatencySummary } from './summary.js';

export interface LineKey {
  subject: string;
  mode: WriteMode;
  size_bytes: number;
}

/** Six significant digits: enough for any ratio or rate here, at any magnitude. */
const sig = (value: number): number => (Number.isFinite(value) ? Number(value.toPrecision(6)) : value);

const base = (key: LineKey) => ({
  suite: 'bench' as const,
  scenario: SCENARIO,
  subject: key.subject,
  mode: key.mode,
  size_bytes: key.size_bytes,
});

/** How one line's samples were taken on one engine, as its rows' detail says it. */
export interface SamplingFacts {
  /** The engine's own account of its timed window. */
  timing: string;
  rounds: number;
  /** Untimed writes before the first round, pilot included. */
  warmup: number;
  /** Of those, the pilot's (planning the count). */
  piloted: number;
  /** Untimed writes before each later round. */
  laterWarmup: number;
  ordered: boolean;
  clock: string;
  /** How the count was planned (plan.ts countDetail). */
  count: string;
}

export function samplingDetail(facts: SamplingFacts): string {
  const pilotNote = facts.piloted ? ` (${facts.piloted} of them planning the count)` : '';
  return (
    `${facts.timing}; ${facts.count}; ${facts.rounds} rounds taking turns ` +
    `with the other subjects of this size and mode, ` +
    `${facts.warmup} untimed warm-up writes first${pilotNote}, ${facts.laterWarmup} before ` +
    `each later round; ` +
    `sample = order ${facts.ordered ? 'taken' : 'lost (sorted within rounds)'}; ` +
    `clock ${facts.clock}; percentiles type 7`
  );
}

/** Every sample (in the order taken), then the summary of one line on one engine. */
export function latencyRows(
  key: LineKey,
  engine: EngineName,
  samplesMs: readonly number[],
  summary: LatencySummary,
  detail: string,
): RowInput[] {
  const rows: RowInput[] = samplesMs.map((value, sample) => ({
    ...base(key),
    metric: METRICS.latencySample,
    value,
    unit: 'ms',
    sample,
    engine,
  }));
  rows.push(
    { ...base(key), metric: METRICS.latencyP50, value: roundMs(summary.p50), unit: 'ms', engine },
    { ...base(key), metric: METRICS.latencyP95, value: roundMs(summary.p95), unit: 'ms', engine },
    { ...base(key), metric: METRICS.latencyP99, value: roundMs(summary.p99), unit: 'ms', engine },
    {
      ...base(key),
      metric: METRICS.throughput,
      value: sig(summary.throughputMiBs),
      unit: 'MiB/s',
      engine,
      detail: 'size_bytes / latency_p50_ms',
    },
    { ...base(key), metric: METRICS.samples, value: summary.samples, unit: 'count', engine, detail },
  );
  return rows;
}

/** The transport's cost: every calibration run (rounded as rows hold it), then their median. */
export function overheadRows(subject: string, overhead: TransportOverhead): RowInput[] {
  const row = { suite: 'bench' as const, scenario: CALIBRATION_SCENARIO, subject, unit: 'ms' };
  const samples = overhead.samplesMs.map(roundMs);
  return [
    ...samples.map((value, sample) => ({ ...row, metric: METRICS.spawnOverheadSample, value, sample })),
    {
      ...row,
      metric: METRICS.spawnOverhead,
      value: roundMs(samples.length ? medianInterval(samples).p50 : overhead.ms),
      // The transport's method says how it was obtained; an estimate says so as a flag, not in its words.
      detail: encodeDetail(METRICS.spawnOverhead, { method: overhead.method, estimated: overhead.estimated === true }),
    },
  ];
}

/**
 * p50 net of the transport's cost, from the line's samples and the calibration's (both as rows hold
 * them, so a reader recomputes the same): empty, with the reason, when the cost is not clearly below the write.
 */
export function netLatencyRow(
  key: LineKey,
  engine: EngineName,
  samplesMs: readonly number[],
  overhead: TransportOverhead,
): RowInput {
  const noop = overhead.samplesMs.length
    ? medianInterval(overhead.samplesMs.map(roundMs))
    : pointMedian(roundMs(overhead.ms));
  const net = netLatency(medianInterval(samplesMs), noop);
  const row = { ...base(key), metric: METRICS.latencyNetP50, unit: 'ms', engine };
  const ms = (value: number) => String(Number(value.toPrecision(3)));
  if (!net.measurable) return { ...row, detail: notMeasurableReason(net, ms) };
  const spread = (m: MedianInterval) => `${ms(m.lower)}–${ms(m.upper)} ms`;
  const overheadText = `${overhead.estimated ? 'estimated: ' : ''}${roundMs(noop.p50)} ms`;
  return {
    ...row,
    value: roundMs(net.value),
    detail:
      `latency_p50_ms − spawn_overhead_ms (${overheadText}), measurable: ` +
      `the interval of the noop's p50 (${spread(net.overhead)}) lies below the writer's (${spread(net.writer)})`,
  };
}

export function disagreementRow(key: LineKey, ratio: number, engines: readonly [EngineName, EngineName]): RowInput {
  return {
    ...base(key),
    metric: METRICS.engineDisagreement,
    value: sig(ratio),
    unit: 'ratio',
    engine: engines.join('/'),
    detail:
      `latency_p50_ms ${engines[1]} / ${engines[0]}; outside ${agreementBand()} the ` +
      `engines disagree by more than ${ENGINE_DISAGREEMENT * 100}%`,
  };
}

export function contentRow(key: LineKey, engine: EngineName, verdict: ContentVerdict): RowInput {
  const detail =
    verdict.problem ??
    `target read back after ${verdict.checkedWrites} of ${verdict.writes} writes ` +
      `(untimed writes included), the first and the last among them`;
  return {
    ...base(key),
    metric: METRICS.contentOk,
    value: verdict.problem === undefined ? 1 : 0,
    unit: 'bool',
    engine,
    detail,
  };
}

export function writeErrorRow(key: LineKey, engine: EngineName | '', error: string): RowInput {
  return {
    ...base(key),
    metric: METRICS.writeErrors,
    value: 1,
    unit: 'count',
    engine,
    detail: error.split('\n')[0] ?? '',
  };
}

export interface Accounting {
  fsyncCount: number;
  renameCount: number;
  bytesWritten: number;
}

export function accountingDetail(tracedWrites: number): string {
  return (
    `strace -f -y, median of ${tracedWrites} one-shot write process(es) per ` +
    `line (subject × mode × size) (subject.oneShot(), apart from the timed pass): ` +
    'fsync/fdatasync/sync_file_range on the target dir or files in it; rename/renameat/renameat2 into it; ' +
    'bytes returned by write/pwrite64/writev/pwritev/pwritev2/sendfile/copy_file_range/splice to files in it'
  );
}

export function accountingRows(key: LineKey, counts: Accounting, detail: string): RowInput[] {
  return [
    { ...base(key), metric: METRICS.fsyncCount, value: counts.fsyncCount, unit: 'count', detail },
    { ...base(key), metric: METRICS.renameCount, value: counts.renameCount, unit: 'count', detail },
    { ...base(key), metric: METRICS.bytesWritten, value: counts.bytesWritten, unit: 'bytes', detail },
    {
      ...base(key),
      metric: METRICS.writeAmplification,
      value: sig(counts.bytesWritten / key.size_bytes),
      unit: 'ratio',
      detail: `bytes_written / size_bytes; ${detail}`,
    },
  ];
}

/** Accounting could not run at all (no usable strace under --skip-unavailable): one row says why. */
export function accountingSkippedRow(reason: string): RowInput {
  return {
    suite: 'bench',
    scenario: ACCOUNTING_SCENARIO,
    subject: '',
    metric: METRICS.skipped,
    value: 1,
    unit: 'count',
    detail: reason,
  };
}
