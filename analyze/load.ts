import path from 'node:path';
import { readResultsCsv } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { envFromRows, RESULT_COLUMNS, type ResultRow } from '../core/schema.js';
import type { Dataset } from './types.js';

function rowIdentity(row: ResultRow): string {
  return JSON.stringify(RESULT_COLUMNS.map((column) => row[column]));
}

/**
 * Reads and merges results CSVs (shards). Every row of every run is used; a row repeated verbatim in
 * another file (the same shard passed twice, or copied into a merged file) is counted once, so a
 * repeated input cannot double a sample's weight. Any defect in any file is an InputError.
 */
export function loadDataset(files: readonly string[]): Dataset {
  if (files.length === 0) throw new InputError('no results CSV given');
  const notes: string[] = [];
  const sources: string[] = [];
  const seenPaths = new Set<string>();
  const rows: ResultRow[] = [];
  const seenRows = new Set<string>();
  let repeated = 0;
  for (const file of files) {
    const resolved = path.resolve(file);
    if (seenPaths.has(resolved)) {
      notes.push(`${file} was given more than once; read once.`);
      continue;
    }
    seenPaths.add(resolved);
    sources.push(file);
    const fileRows = readResultsCsv(file);
    const fresh: ResultRow[] = [];
    for (const row of fileRows) {
      const identity = rowIdentity(row);
      if (seenRows.has(identity)) repeated++;
      else fresh.push(row);
    }
    for (const row of fresh) seenRows.add(rowIdentity(row));
    rows.push(...fresh);
  }
  if (repeated > 0) notes.push(`${repeated} row(s) repeated verbatim across input files were counted once.`);
  if (!rows.some((row) => row.suite !== 'env')) {
    throw new InputError(`${sources.join(', ')}: no measurement rows (only a header or environment rows); nothing to analyze`);
  }
  notes.push(...machineNotes(rows));
  return { rows, sources, notes };
}

/** Timings pooled from different machines are not one distribution; the reader must be told. */
function machineNotes(rows: readonly ResultRow[]): string[] {
  const env = envFromRows(rows);
  const measuredRuns = new Set(rows.filter((row) => row.suite !== 'env').map((row) => row.run_id));
  const notes: string[] = [];
  const missing = [...measuredRuns].filter((run) => !env.has(run));
  if (missing.length) notes.push(`run(s) ${missing.join(', ')} have no environment rows.`);
  const benchRuns = new Set(rows.filter((row) => row.suite === 'bench').map((row) => row.run_id));
  const classes = new Set([...benchRuns].map((run) => env.get(run)?.machine_class).filter((value): value is string => Boolean(value)));
  if (classes.size > 1) {
    notes.push(`bench samples come from ${classes.size} machine classes (${[...classes].join('; ')}): pooled timings mix machines and are not comparable to a single-machine run.`);
  }
  return notes;
}
