import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from './errors.js';
import { RESULT_COLUMNS, resultRowSchema, type ResultRow } from './schema.js';

export function rowsToCsv(rows: readonly ResultRow[]): string {
  return stringify(
    rows.map((row) => RESULT_COLUMNS.map((column) => row[column] ?? '')),
    { header: true, columns: [...RESULT_COLUMNS], cast: { number: (n) => (Number.isFinite(n) ? String(n) : '') } },
  );
}

const NUMERIC = new Set(['size_bytes', 'value', 'sample']);

/** Parses a results CSV; any defect is an InputError naming the file, line and column. */
export function csvToRows(text: string, source: string): ResultRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false, info: false });
  } catch (error) {
    throw new InputError(`${source}: not a valid CSV (${(error as Error).message.split('\n')[0]})`);
  }
  const first = records[0];
  if (text.trim() === '') throw new InputError(`${source}: empty file, expected a header of ${RESULT_COLUMNS.join(',')}`);
  if (first) {
    const missing = RESULT_COLUMNS.filter((column) => !(column in first));
    if (missing.length > 0) throw new InputError(`${source}: missing column(s) ${missing.join(', ')}`);
  }
  return records.map((record, index) => {
    const line = index + 2;
    const candidate: Record<string, unknown> = {};
    for (const column of RESULT_COLUMNS) {
      const raw = record[column] ?? '';
      if (NUMERIC.has(column)) {
        if (raw === '') candidate[column] = null;
        else {
          const n = Number(raw);
          if (!Number.isFinite(n)) throw new InputError(`${source}:${line}: column ${column} is not a number: ${JSON.stringify(raw)}`);
          candidate[column] = n;
        }
      } else candidate[column] = raw;
    }
    const parsed = resultRowSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(`${source}:${line}: column ${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  });
}

export function readResultsCsv(file: string): ResultRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return csvToRows(text, file);
}
