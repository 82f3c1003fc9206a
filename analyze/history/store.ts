/**
 * The history: one CSV per analyzed run, in the results format, under a folder per machine class:
 *
 *   DIR/<machine-class-slug>/<first run id>.csv     environment rows + one figure row per series
 *
 * Plain files, so a results branch can commit them and a CI artifact can carry them; the results
 * format, so any tool that reads results_raw.csv reads history. Run ids start with a UTC timestamp,
 * so name order is time order. Only figures are kept (history grows by kilobytes per run, not by the
 * raw samples): the judged figure of each policy and every per-run row a suite wrote itself.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readResultsCsv, rowsToCsv } from '../../core/csv.js';
import { InputError } from '../../core/errors.js';
import { envFromRows, makeRow, type ResultRow } from '../../core/schema.js';
import type { HistoryRun } from '../regression/compare-history.js';
import { figuresOf } from '../regression/figures.js';
import { keyId, keyOf } from '../regression/keys.js';
import type { MetricPolicy } from '../regression/policy.js';
import { writeFileAtomicSync } from '../../core/writer/index.js';

export const UNKNOWN_CLASS = 'unknown';
/** Entries kept per machine class; the oldest go first. A nightly's year is 365. */
export const DEFAULT_KEEP = 400;

/** A readable, filesystem-safe folder name for a machine class; the hash keeps distinct classes apart. */
export function classSlug(machineClass: string): string {
  const readable =
    machineClass
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'class';
  return `${readable}-${createHash('sha256').update(machineClass).digest('hex').slice(0, 8)}`;
}

export interface HistoryEntry extends HistoryRun {
  machineClass: string;
  file: string;
}

/**
 * The machine class of a result set: that of its bench runs (timings are what history compares), else
 * of all its runs. Several classes in one set (shards on different runner types) cannot become one
 * entry: their timings are not one run's.
 */
export function machineClassOf(rows: readonly ResultRow[]): string {
  const env = envFromRows(rows);
  const measured = rows.filter((row) => row.suite !== 'env');
  const benchRuns = new Set(measured.filter((row) => row.suite === 'bench').map((row) => row.run_id));
  const runs = benchRuns.size ? benchRuns : new Set(measured.map((row) => row.run_id));
  const classes = new Set([...runs].map((run) => env.get(run)?.machine_class ?? UNKNOWN_CLASS));
  if (classes.size > 1) {
    throw new InputError(
      `--history: the results come from ${classes.size} machine classes (${[...classes].join('; ')}); ` +
        `history compares one class with itself — append each class's results separately`,
    );
  }
  return [...classes][0] ?? UNKNOWN_CLASS;
}

/** The rows history keeps for a result set: environment, judged figures, the suites' own per-run rows. */
export function historyRows(rows: readonly ResultRow[], policies: readonly MetricPolicy[]): ResultRow[] {
  const measured = rows.filter((row) => row.suite !== 'env');
  const firstRun = [...new Set(measured.map((row) => row.run_id))].sort()[0];
  if (!firstRun) throw new InputError('--history: no measurement rows to append');
  const runs = new Set(measured.map((row) => row.run_id));
  const env = rows.filter((row) => row.suite === 'env' && runs.has(row.run_id));
  const figures: ResultRow[] = [];
  const judged = new Set<string>();
  for (const policy of policies) {
    for (const [id, figure] of figuresOf(rows, policy)) {
      judged.add(id);
      figures.push(
        makeRow(firstRun, {
          suite: policy.suite,
          scenario: figure.key.scenario,
          subject: figure.key.subject,
          mode: figure.key.mode,
          size_bytes: figure.key.size_bytes,
          metric: policy.metric,
          value: figure.value,
          engine: figure.key.engine,
          fs: figure.key.fs ?? '',
          detail: figure.samples ? `from ${figure.samples} ${policy.samples?.metric ?? ''} samples` : '',
        }),
      );
    }
  }
  const own = measured.filter((row) => row.sample === null && !judged.has(keyId(keyOf(row))));
  return [...env, ...figures, ...own];
}

function timeOf(rows: readonly ResultRow[], id: string): string {
  const env = envFromRows(rows).get(id);
  if (env?.time) return env.time;
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
  return stamp ? `${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}Z` : '';
}

function entryId(rows: readonly ResultRow[]): string {
  const first = [...new Set(rows.filter((row) => row.suite !== 'env').map((row) => row.run_id))].sort()[0];
  if (!first) throw new InputError('--history: no measurement rows to append');
  return first;
}

/**
 * Appends a result set as one entry (idempotent: the same runs overwrite their own entry) and drops
 * the oldest entries beyond `keep`. Returns the entry.
 */
export function appendToHistory(
  dir: string,
  rows: readonly ResultRow[],
  policies: readonly MetricPolicy[],
  keep = DEFAULT_KEEP,
): HistoryEntry {
  const machineClass = machineClassOf(rows);
  const id = entryId(rows);
  if (!/^[A-Za-z0-9._+-]+$/.test(id))
    throw new InputError(`--history: run id ${JSON.stringify(id)} cannot name a file`);
  const kept = historyRows(rows, policies);
  const classDir = path.join(dir, classSlug(machineClass));
  const file = path.join(classDir, `${id}.csv`);
  fs.mkdirSync(classDir, { recursive: true });
  writeFileAtomicSync(file, rowsToCsv(kept));
  const entries = listEntries(classDir);
  for (const old of entries.slice(0, Math.max(0, entries.length - keep)))
    fs.rmSync(path.join(classDir, old), { force: true });
  return { id, time: timeOf(rows, id), machineClass, file, rows: kept };
}

function listEntries(classDir: string): string[] {
  if (!fs.existsSync(classDir)) return [];
  return fs
    .readdirSync(classDir)
    .filter((name) => name.endsWith('.csv') && !name.startsWith('.'))
    .sort();
}

/**
 * The most recent `window` entries of a machine class, oldest first, without `exclude` (the run being
 * judged, when it was appended already). A file that is not a results CSV is an InputError naming it.
 */
export function loadHistory(
  dir: string,
  machineClass: string,
  options: { window?: number; exclude?: string } = {},
): HistoryEntry[] {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory())
    throw new InputError(`--history: ${dir} is not a directory`);
  const classDir = path.join(dir, classSlug(machineClass));
  const names = listEntries(classDir).filter((name) => name !== `${options.exclude}.csv`);
  const chosen = options.window === undefined ? names : names.slice(-options.window);
  return chosen.map((name) => {
    const file = path.join(classDir, name);
    const rows = readResultsCsv(file);
    const id = name.slice(0, -'.csv'.length);
    const recorded = new Set([...envFromRows(rows).values()].map((env) => env.machine_class ?? UNKNOWN_CLASS));
    if (!recorded.has(machineClass) && !(recorded.size === 0 && machineClass === UNKNOWN_CLASS)) {
      throw new InputError(
        `${file}: machine class ${[...recorded].map((c) => JSON.stringify(c)).join(', ') || 'none'} filed ` +
          `under ${JSON.stringify(machineClass)}; move the file to its class folder`,
      );
    }
    return { id, time: timeOf(rows, id), machineClass, file, rows };
  });
}
