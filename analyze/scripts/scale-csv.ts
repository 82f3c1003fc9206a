/**
 * A realistic results CSV of any size, written as a stream (the generator never holds the file):
 * nightly-like runs, each with its environment, crash rows (k/n rates, per-trial rows, syscall
 * profiles, power-loss states), a parity matrix, and bench's summary rows and latency samples for
 * every built-in subject × mode × size — about 36,000 rows a run, like a full bench. The last run is
 * cut short in its latency samples so the file has exactly the rows asked for.
 *
 * The figures are chosen so every gate passes (native-unsafe, a yardstick, corrupts but is not gated),
 * so a scale run also checks the verdict.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import {
  encodeDetail,
  PRIMARY_ENGINE,
  RESULT_COLUMNS,
  makeRow,
  METRICS,
  type ResultRow,
  type RowInput,
} from '../../core/schema.js';

const KIB = 1024;
const MIB = 1024 * 1024;
const SIZES = [KIB, 128 * KIB, 8 * MIB];
const MODES = ['durable', 'fast', 'unchanged'] as const;

/** Median p50 (ms) per subject × mode × size; unchanged at 8 MiB is not timed, like bench's profiles. */
const MEDIANS: Record<string, Record<(typeof MODES)[number], number[]>> = {
  floor: { durable: [1.8, 2.2, 18], fast: [0.08, 0.2, 5], unchanged: [0.04, 0.15] },
  reference: { durable: [2.0, 2.5, 20], fast: [0.1, 0.3, 6], unchanged: [0.05, 0.2] },
  'native-unsafe': { durable: [1.0, 1.4, 15], fast: [0.05, 0.15, 4], unchanged: [1.0, 1.4] },
  'write-file-atomic': { durable: [2.2, 2.8, 22], fast: [0.15, 0.4, 7], unchanged: [2.2, 2.8] },
  atomically: { durable: [2.1, 2.7, 21], fast: [0.14, 0.35, 6.5], unchanged: [2.1, 2.7] },
  steno: { durable: [0.9, 1.2, 14], fast: [0.9, 1.2, 14], unchanged: [0.9, 1.2] },
};
const SUBJECTS = Object.keys(MEDIANS);
const LINES = SUBJECTS.reduce(
  (sum, subject) => sum + MODES.reduce((n, mode) => n + (MEDIANS[subject]?.[mode]?.length ?? 0), 0),
  0,
);
/** Samples per line: 48 lines × 740 ≈ 35,500 latency rows a run, as in a full bench. */
const SAMPLES_PER_LINE = 740;

/** Deterministic, so a file of a given size is always the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function runId(index: number): string {
  const day = new Date(Date.UTC(2025, 0, 1) + index * 86_400_000);
  return `${day.toISOString().slice(0, 10).replaceAll('-', '')}T020000Z-${(0xa00000 + index).toString(16)}`;
}

function envRows(run: string, index: number): ResultRow[] {
  const env: Record<string, string> = {
    time: new Date(Date.UTC(2025, 0, 1, 2) + index * 86_400_000).toISOString(),
    profile: 'full',
    writegate_version: '0.1.0',
    commit: `c0ffee${index.toString(16).padStart(4, '0')}`,
    node: 'v20.17.0',
    os: 'Linux x64',
    kernel: '6.1.0',
    cpu_model: 'Scale CPU @ 3.0GHz',
    cpu_count: '2',
    memory_gib: '4.0',
    fs_type: 'ext4',
    git: 'git version 2.43.0',
    strace: 'strace -- version 6.1',
    machine_class: 'Linux|x64|Scale CPU|2cpu|ext4',
    ci: 'true',
  };
  return Object.entries(env).map(([metric, detail]) =>
    makeRow(run, { suite: 'env', scenario: 'environment', subject: '', metric, detail }),
  );
}

function crashRows(run: string): ResultRow[] {
  const rows: RowInput[] = [];
  const writers = ['reference', 'write-file-atomic', 'atomically', 'native-unsafe'];
  for (const subject of writers) {
    const unsafe = subject === 'native-unsafe';
    for (const scenario of ['kill_at_step', 'inject_error', 'random_kill', 'concurrent']) {
      for (const size of SIZES) {
        const base = {
          suite: 'crash' as const,
          scenario,
          subject,
          mode: 'durable',
          size_bytes: size,
          engine: 'strace',
        };
        const trials = 12;
        const corrupt = unsafe && scenario !== 'concurrent' ? 3 : 0;
        const rate = (
          metric:
            | typeof METRICS.corruptionRate
            | typeof METRICS.falseSuccessRate
            | typeof METRICS.orphanTempRate
            | typeof METRICS.recoveryRate,
          k: number,
          n: number,
        ) => rows.push({ ...base, metric, value: k / n, unit: 'ratio', detail: encodeDetail(metric, { k, n }) });
        rows.push(
          { ...base, metric: METRICS.trials, value: trials, unit: 'count' },
          { ...base, metric: METRICS.notReached, value: 1, unit: 'count' },
        );
        rows.push({ ...base, metric: METRICS.notReachedRate, value: 1 / (trials + 1), unit: 'ratio' });
        rate(METRICS.corruptionRate, corrupt, trials);
        rate(METRICS.falseSuccessRate, 0, trials);
        rate(METRICS.orphanTempRate, 0, trials);
        rate(METRICS.recoveryRate, trials, trials);
        rows.push({
          ...base,
          metric: METRICS.notReachedTrial,
          value: 1,
          unit: 'count',
          sample: 0,
          detail: encodeDetail(METRICS.notReachedTrial, {
            step: 'fsync',
            fault: 'SIGKILL at fdatasync(<temp>)',
            reason: 'the process had already exited',
          }),
        });
        for (let i = 0; i < corrupt; i++) {
          rows.push({
            ...base,
            metric: METRICS.failedTrial,
            value: 1,
            unit: 'count',
            sample: i,
            detail: encodeDetail(METRICS.failedTrial, {
              step: 'mid_payload',
              fault: `SIGKILL at write(<target>) in ${i + 3}`,
              held: 'torn',
              reported: 'killed by SIGKILL',
              failed: ['corruption'],
            }),
          });
        }
      }
    }
    rows.push({
      suite: 'crash',
      scenario: 'profile',
      subject,
      mode: 'durable',
      metric: METRICS.syscallProfile,
      value: unsafe ? 2 : 0,
      unit: 'durability gaps',
      detail: unsafe
        ? 'fsync of the file: NO; fsync of the directory: NO'
        : 'fsync of the file: yes; fsync of the directory: yes',
    });
    for (const size of SIZES) {
      for (const model of ['posix', 'ext4-ordered']) {
        const base = {
          suite: 'crash' as const,
          scenario: 'power_loss',
          subject,
          mode: 'durable',
          size_bytes: size,
          engine: model,
        };
        const bad = unsafe ? 40 : 0;
        rows.push({ ...base, metric: METRICS.powerlossStates, value: 200, unit: 'count', detail: 'exhaustive' });
        rows.push({
          ...base,
          metric: METRICS.powerlossAtomicityViolationRate,
          value: bad / 200,
          unit: 'ratio',
          detail: encodeDetail(METRICS.powerlossAtomicityViolationRate, { k: bad, n: 200 }),
        });
        rows.push({
          ...base,
          metric: METRICS.powerlossDurabilityViolationRate,
          value: bad / 200,
          unit: 'ratio',
          detail: encodeDetail(METRICS.powerlossDurabilityViolationRate, { k: bad, n: 200 }),
        });
        if (bad)
          rows.push({
            ...base,
            metric: METRICS.powerlossViolation,
            value: 1,
            unit: 'count',
            detail: encodeDetail(METRICS.powerlossViolation, {
              check: 'atomicity',
              why: 'the in-place write was cut at 4 KiB',
            }),
          });
      }
    }
  }
  return rows.map((input) => makeRow(run, input));
}

function parityRows(run: string): ResultRow[] {
  const rows: RowInput[] = [];
  const cases = 60;
  for (let i = 0; i < cases; i++) {
    const base = { suite: 'parity' as const, scenario: `add.case-${i}`, mode: 'mutating' };
    rows.push(
      { ...base, subject: 'native', metric: METRICS.commandLine, detail: `git add case-${i}` },
      { ...base, subject: 'native', metric: METRICS.durationMs, value: 10, unit: 'ms' },
      { ...base, subject: 'native', metric: METRICS.nativeAsExpected, value: 1, unit: 'bool' },
      { ...base, subject: 'native', metric: METRICS.keySignals, value: 1, unit: 'count', detail: 'fatal: pathspec' },
    );
    for (const subject of ['passthrough', 'mytool']) {
      rows.push(
        { ...base, subject, metric: METRICS.exitCodeMatch, value: 1, unit: 'bool' },
        { ...base, subject, metric: METRICS.sideEffectMatch, value: 1, unit: 'bool' },
        { ...base, subject, metric: METRICS.stderrSignalMatch, value: 1, unit: 'bool' },
        { ...base, subject, metric: METRICS.nativeExitCode, value: 0, unit: 'code' },
        { ...base, subject, metric: METRICS.wrapperExitCode, value: 0, unit: 'code' },
        { ...base, subject, metric: METRICS.durationMs, value: 12, unit: 'ms' },
      );
    }
  }
  rows.push(
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'native',
      metric: METRICS.casesInMatrix,
      value: cases,
      unit: 'count',
    },
    {
      suite: 'parity',
      scenario: '(matrix)',
      subject: 'native',
      metric: METRICS.casesRun,
      value: cases,
      unit: 'count',
      detail: 'profile full',
    },
  );
  return rows.map((input) => makeRow(run, input));
}

function benchSummaryRows(run: string): ResultRow[] {
  const rows: RowInput[] = [];
  for (const subject of SUBJECTS) {
    for (const mode of MODES) {
      (MEDIANS[subject]?.[mode] ?? []).forEach((median, i) => {
        const size = SIZES[i] as number;
        const base = {
          suite: 'bench' as const,
          scenario: 'write',
          subject,
          mode,
          size_bytes: size,
          engine: PRIMARY_ENGINE,
        };
        const skipped = mode === 'unchanged' && (subject === 'floor' || subject === 'reference');
        const written = skipped ? 0 : size;
        rows.push(
          { ...base, metric: METRICS.latencyP50, value: median, unit: 'ms' },
          { ...base, metric: METRICS.throughput, value: size / MIB / (median / 1000), unit: 'MiB/s' },
          { ...base, metric: 'content_ok', value: 1, unit: 'bool' },
          {
            ...base,
            metric: METRICS.fsyncCount,
            value: skipped || mode === 'fast' || subject === 'steno' || subject === 'native-unsafe' ? 0 : 2,
            unit: 'count',
            engine: '',
          },
          {
            ...base,
            metric: METRICS.renameCount,
            value: skipped || subject === 'native-unsafe' ? 0 : 1,
            unit: 'count',
            engine: '',
          },
          { ...base, metric: METRICS.bytesWritten, value: written, unit: 'bytes', engine: '' },
          { ...base, metric: METRICS.writeAmplification, value: written / size, unit: 'ratio', engine: '' },
        );
      });
    }
  }
  return rows.map((input) => makeRow(run, input));
}

/** One run's latency samples, line by line, in the order bench writes them. */
function* latencyRows(run: string, next: () => number): Generator<ResultRow> {
  for (const subject of SUBJECTS) {
    for (const mode of MODES) {
      const medians = MEDIANS[subject]?.[mode] ?? [];
      for (let i = 0; i < medians.length; i++) {
        const median = medians[i] as number;
        for (let sample = 0; sample < SAMPLES_PER_LINE; sample++) {
          // Log-normal-ish noise around the median with a slow tail, like real write latencies.
          const u = next();
          const noise = Math.exp((u - 0.5) * 0.3) * (next() < 0.02 ? 1 + next() * 2 : 1);
          const value = Number((median * noise).toPrecision(6));
          yield makeRow(run, {
            suite: 'bench',
            scenario: 'write',
            subject,
            mode,
            size_bytes: SIZES[i],
            metric: METRICS.latencySample,
            value,
            unit: 'ms',
            sample,
            engine: PRIMARY_ENGINE,
          });
        }
      }
    }
  }
}

export interface ScaleCsv {
  file: string;
  rows: number;
  runs: number;
  bytes: number;
}

/** Rows a full run holds besides its latency samples (env, crash, parity, bench summaries). */
export function fixedRowsPerRun(): number {
  return envRows('x', 0).length + crashRows('x').length + parityRows('x').length + benchSummaryRows('x').length;
}

export const ROWS_PER_RUN = fixedRowsPerRun() + LINES * SAMPLES_PER_LINE;

/**
 * Writes exactly `rows` data rows (plus the header) to `file`, streaming. Each run is complete except
 * possibly the last, whose latency samples stop when the count is reached.
 */
export async function writeScaleCsv(file: string, rows: number, seed = 1): Promise<ScaleCsv> {
  const out = fs.createWriteStream(file);
  const next = random(seed);
  let written = 0;
  let buffer: string[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const push = async (chunk: readonly ResultRow[]): Promise<void> => {
    buffer.push(stringify(chunk.map((row) => RESULT_COLUMNS.map((column) => row[column] ?? ''))));
    written += chunk.length;
    if (buffer.length >= 64) await flush();
  };
  buffer.push(`${RESULT_COLUMNS.join(',')}\n`);
  let runs = 0;
  while (written < rows) {
    const run = runId(runs);
    runs++;
    const fixed = [...envRows(run, runs - 1), ...crashRows(run), ...parityRows(run), ...benchSummaryRows(run)];
    await push(fixed.slice(0, rows - written));
    let chunk: ResultRow[] = [];
    for (const row of latencyRows(run, next)) {
      if (written + chunk.length >= rows) break;
      chunk.push(row);
      if (chunk.length === 2000) {
        await push(chunk);
        chunk = [];
      }
    }
    await push(chunk);
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { file, rows: written, runs, bytes };
}
