/**
 * The batch scenario's rows gathered into figures and rendered: per subject, one batch call beside its
 * single write file after file (time over the repetitions, fsync and rename counts from strace), and
 * the figure the batch fsync gate judges.
 */
import { decodeDetail, METRICS, type BatchCounts, type ResultRow } from '../../core/schema.js';
import { medianInterval, type MedianInterval } from '../../core/stats.js';
import { formatCount, formatNumber, formatRatio, formatSize } from '../format.js';
import { BATCH_FSYNC_RATIO_METRIC, BATCH_PER_FILE, BATCH_SCENARIO } from '../gates/bench.js';
import { blocks, code, table, untrusted } from '../report/markdown.js';
import type { Figure } from '../types.js';

type Arm = 'per_file' | 'batch';
const ARMS: readonly Arm[] = ['per_file', 'batch'];
const TOTAL = { per_file: METRICS.perFileTotalMs, batch: METRICS.batchTotalMs } as const;
const FSYNC = { per_file: METRICS.perFileFsyncCount, batch: METRICS.batchFsyncCount } as const;
const RENAME = { per_file: METRICS.perFileRenameCount, batch: METRICS.batchRenameCount } as const;

interface ArmFigures {
  /** Every repetition's total, pooled across runs. */
  totals: number[];
  fsyncs: number[];
  renames: number[];
  /** The shape and directory syncs the fsync row's detail names (the last one read). */
  counts?: BatchCounts;
}

/** Everything of one subject in the batch scenario. */
export interface BatchSubject {
  subject: string;
  fileBytes: number | null;
  arms: Record<Arm, ArmFigures>;
  errors: string[];
  /** Why the subject was skipped (no batch form). */
  skipped?: string;
}

export interface BatchFigures {
  subjects: BatchSubject[];
  /** Why no counts were taken for any subject (no strace, --trace-writes 0). */
  untraced?: string;
}

const emptyArm = (): ArmFigures => ({ totals: [], fsyncs: [], renames: [] });

export function batchFigures(rows: readonly ResultRow[]): BatchFigures {
  const bySubject = new Map<string, BatchSubject>();
  let untraced: string | undefined;
  const entry = (row: ResultRow): BatchSubject => {
    let found = bySubject.get(row.subject);
    if (!found) {
      found = {
        subject: row.subject,
        fileBytes: row.size_bytes,
        arms: { per_file: emptyArm(), batch: emptyArm() },
        errors: [],
      };
      bySubject.set(row.subject, found);
    }
    return found;
  };
  for (const row of rows) {
    if (row.scenario !== BATCH_SCENARIO) continue;
    if (row.metric === METRICS.skipped) {
      if (row.subject === '') untraced = row.detail;
      else entry(row).skipped = row.detail;
      continue;
    }
    if (row.metric === METRICS.writeErrors) {
      entry(row).errors.push(row.detail);
      continue;
    }
    if (row.value === null) continue;
    for (const arm of ARMS) {
      if (row.metric === TOTAL[arm]) entry(row).arms[arm].totals.push(row.value);
      else if (row.metric === RENAME[arm]) entry(row).arms[arm].renames.push(row.value);
      else if (row.metric === FSYNC[arm]) {
        const figures = entry(row).arms[arm];
        figures.fsyncs.push(row.value);
        figures.counts = decodeDetail(FSYNC[arm], row.detail) ?? figures.counts;
      }
    }
  }
  return { subjects: [...bySubject.values()], ...(untraced === undefined ? {} : { untraced }) };
}

/** The most fsyncs a batch needs: one per file, one per unique parent directory. */
const bound = (counts: BatchCounts): number => counts.files + counts.dirs;

/** The gate's figures: per subject that wrote batches, its worst traced batch's fsyncs ÷ the bound. */
export function batchGateFigures(figures: BatchFigures): Figure[] {
  const out: Figure[] = [];
  for (const s of figures.subjects) {
    if (s.skipped !== undefined) continue;
    const key = { scenario: BATCH_SCENARIO, subject: s.subject, mode: 'durable', size_bytes: s.fileBytes };
    const { fsyncs, counts } = s.arms.batch;
    if (fsyncs.length && counts) {
      const worst = Math.max(...fsyncs);
      const note =
        `${formatCount(worst)} fsyncs for ${formatCount(counts.files)} files + ${formatCount(counts.dirs)} ` +
        `parent directories (at most ${formatCount(bound(counts))}), ${formatCount(counts.dirFsyncs)} of them of a ` +
        'directory';
      out.push({ ...key, metric: BATCH_FSYNC_RATIO_METRIC, value: worst / bound(counts), note });
    } else if (s.errors.length) {
      out.push({ ...key, metric: BATCH_FSYNC_RATIO_METRIC, value: null, note: s.errors[0] as string });
    } else if (figures.untraced !== undefined) {
      const notJudged = `no fsync counts: ${figures.untraced}`;
      out.push({ ...key, metric: BATCH_FSYNC_RATIO_METRIC, value: null, notJudged });
    } else {
      out.push({ ...key, metric: BATCH_FSYNC_RATIO_METRIC, value: null, note: 'no batch_fsync_count row' });
    }
  }
  return out;
}

const msText = (m: MedianInterval | undefined): string =>
  m ? `${formatNumber(m.p50)} (${formatNumber(m.lower)}–${formatNumber(m.upper)})` : '—';

function countText(values: readonly number[]): string {
  if (!values.length) return '—';
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? formatCount(low) : `${formatCount(low)}–${formatCount(high)}`;
}

/** One row per subject and way: the figures side by side. */
function armRow(s: BatchSubject, arm: Arm, files: number | undefined): string[] {
  const figures = s.arms[arm];
  const total = figures.totals.length ? medianInterval(figures.totals) : undefined;
  const perFile = total && files ? formatNumber(total.p50 / files) : '—';
  const dirSyncs = figures.counts ? ` (${formatCount(figures.counts.dirFsyncs)} of dirs)` : '';
  return [
    untrusted(s.subject),
    arm === 'batch' ? 'one batch call' : 'single write, file after file',
    msText(total),
    perFile,
    `${countText(figures.fsyncs)}${figures.fsyncs.length ? dirSyncs : ''}`,
    countText(figures.renames),
    figures.totals.length ? String(figures.totals.length) : '—',
  ];
}

const COLUMNS = ['subject', 'way', 'total p50 ms (95% CI)', 'ms per file', 'fsync', 'rename', 'repetitions'];

export function batchBlock(figures: BatchFigures): string | undefined {
  if (figures.subjects.length === 0 && figures.untraced === undefined) return undefined;
  const shown = figures.subjects.filter((s) => s.skipped === undefined);
  const shape = shown.map((s) => s.arms.batch.counts ?? s.arms.per_file.counts).find(Boolean);
  const files = shape?.files;
  const rows = shown.flatMap((s) => ARMS.map((arm) => armRow(s, arm, files)));
  const speedups = shown.flatMap((s) => {
    const [single, batch] = [s.arms.per_file.totals, s.arms.batch.totals];
    if (!single.length || !batch.length) return [];
    const ratio = medianInterval(single).p50 / medianInterval(batch).p50;
    return [`${untrusted(s.subject)} ${formatRatio(ratio)}`];
  });
  const skipped = figures.subjects.filter((s) => s.skipped !== undefined);
  const errors = shown.filter((s) => s.errors.length);
  const shapeText = shape
    ? `${formatCount(shape.files)} files of ${formatSize(shown[0]?.fileBytes ?? null)} across ` +
      `${formatCount(shape.dirs)} directories (round robin), durable`
    : 'the batch scenario';
  return blocks(
    '### batch · many files in one call',
    `**What this measures.** ${shapeText}, written by each subject with a batch form in two ways: one ` +
      'batch call, and its single durable write called for each file in turn (what a caller without a batch ' +
      'API does). Total: the wall time of all the files, median of the repetitions with its 95% ' +
      'distribution-free interval; ms per file = that median ÷ files. fsync and rename: strace of each way ' +
      'as one-shot processes, apart from the timed pass; a durable batch needs at most files + unique parent ' +
      `directories fsyncs (the ${code('bench.batch_fsyncs')} gate). ${untrusted(BATCH_PER_FILE)} is the ` +
      "yardstick: the reference's single write file after file as its batch, so it syncs a directory per file.",
    rows.length ? table(COLUMNS, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right']) : undefined,
    speedups.length ? `Single writes ÷ batch, total p50: ${speedups.join(' · ')}.` : undefined,
    figures.untraced !== undefined ? `No fsync or rename counts: ${untrusted(figures.untraced)}.` : undefined,
    skipped.length
      ? `Skipped: ${skipped.map((s) => `${untrusted(s.subject)} (${untrusted(s.skipped ?? '')})`).join('; ')}.`
      : undefined,
    errors.length
      ? `Failed: ${errors.map((s) => `${untrusted(s.subject)} (${untrusted(s.errors[0] ?? '')})`).join('; ')}.`
      : undefined,
  );
}

/** One subject's one way, as --json and the bench command's own summary show it. */
export interface BatchLineFigures {
  subject: string;
  /** `batch`: one batch call; `per_file`: the single write, file after file. */
  way: Arm;
  files: number | null;
  dirs: number | null;
  size_bytes: number | null;
  repetitions: number;
  total_p50_ms: number | null;
  /** The 95% distribution-free interval of that median. */
  total_lower_ms: number | null;
  total_upper_ms: number | null;
  ms_per_file: number | null;
  fsync_count: number | null;
  dir_fsync_count: number | null;
  rename_count: number | null;
}

export function batchLineFigures(figures: BatchFigures): BatchLineFigures[] {
  const shown = figures.subjects.filter((s) => s.skipped === undefined);
  const shape = shown.map((s) => s.arms.batch.counts ?? s.arms.per_file.counts).find(Boolean);
  return shown.flatMap((s) =>
    ARMS.map((way) => {
      const arm = s.arms[way];
      const total = arm.totals.length ? medianInterval(arm.totals) : undefined;
      const files = shape?.files ?? null;
      const worst = (values: readonly number[]) => (values.length ? Math.max(...values) : null);
      return {
        subject: s.subject,
        way,
        files,
        dirs: shape?.dirs ?? null,
        size_bytes: s.fileBytes,
        repetitions: arm.totals.length,
        total_p50_ms: total?.p50 ?? null,
        total_lower_ms: total?.lower ?? null,
        total_upper_ms: total?.upper ?? null,
        ms_per_file: total && files ? total.p50 / files : null,
        fsync_count: worst(arm.fsyncs),
        dir_fsync_count: arm.counts?.dirFsyncs ?? null,
        rename_count: worst(arm.renames),
      };
    }),
  );
}
