import path from 'node:path';
import { StringTable, streamResultsCsv } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { envFromRows, type ResultRow } from '../core/schema.js';
import { untrusted } from './report/markdown.js';
import type { Dataset } from './types.js';

/**
 * Reads and merges results CSVs (shards), streaming: memory holds the rows, never a file's text.
 * Every row of every run is used; a row repeated verbatim — later in the same file (a file
 * concatenated with itself) or in another file (the same shard passed twice, or copied into a merged
 * file) — is counted once, so a repeated input cannot double a sample's weight; the notes say how
 * many. Any defect in any file is an InputError naming the file, line and column.
 */
export async function loadDataset(files: readonly string[], names: readonly string[] = files): Promise<Dataset> {
  if (files.length === 0) throw new InputError('no results CSV given');
  const notes: string[] = [];
  const sources: string[] = [];
  const seenPaths = new Set<string>();
  const rows: ResultRow[] = [];
  /** identity → index (in `sources`) of the file it was first read from. */
  const seenRows = new Map<string, number>();
  const strings = new StringTable();
  let acrossFiles = 0;
  for (const [at, file] of files.entries()) {
    const name = names[at] ?? file;
    const resolved = path.resolve(file);
    if (seenPaths.has(resolved)) {
      notes.push(`${untrusted(name)} was given more than once; read once.`);
      continue;
    }
    seenPaths.add(resolved);
    const index = sources.push(name) - 1;
    let withinFile = 0;
    await streamResultsCsv(
      file,
      (row, identity) => {
        const first = seenRows.get(identity);
        if (first === undefined) seenRows.set(identity, index);
        else {
          if (first === index) withinFile++;
          else acrossFiles++;
          return;
        }
        rows.push(row);
      },
      strings,
    );
    if (withinFile > 0)
      notes.push(`${untrusted(name)}: ${withinFile} row(s) repeated verbatim within the file were counted once.`);
  }
  if (acrossFiles > 0) notes.push(`${acrossFiles} row(s) repeated verbatim across input files were counted once.`);
  if (!rows.some((row) => row.suite !== 'env')) {
    throw new InputError(
      `${sources.join(', ')}: no measurement rows (only a header or environment rows); nothing to analyze`,
    );
  }
  notes.push(...machineNotes(rows));
  return { rows, sources, notes };
}

/**
 * Timings pooled from different machines are not one distribution; the reader must be told (Markdown, as every note).
 */
function machineNotes(rows: readonly ResultRow[]): string[] {
  const env = envFromRows(rows);
  const measuredRuns = new Set<string>();
  const benchRuns = new Set<string>();
  for (const row of rows) {
    if (row.suite === 'env') continue;
    measuredRuns.add(row.run_id);
    if (row.suite === 'bench') benchRuns.add(row.run_id);
  }
  const notes: string[] = [];
  const missing = [...measuredRuns].filter((run) => !env.has(run));
  if (missing.length) notes.push(`run(s) ${missing.map(untrusted).join(', ')} have no environment rows.`);
  const classes = new Set(
    [...benchRuns].map((run) => env.get(run)?.machine_class).filter((value): value is string => Boolean(value)),
  );
  if (classes.size > 1) {
    notes.push(
      `bench samples come from ${classes.size} machine classes (${[...classes].map(untrusted).join('; ')}): ` +
        `pooled timings mix machines and are not comparable to a single-machine run.`,
    );
  }
  return notes;
}
