import fs from 'node:fs';
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from './errors.js';
import { RESULT_COLUMNS, resultRowSchema, SUITES, type ResultRow } from './schema.js';

export function rowsToCsv(rows: readonly ResultRow[]): string {
  return stringify(
    rows.map((row) => RESULT_COLUMNS.map((column) => row[column] ?? '')),
    { header: true, columns: [...RESULT_COLUMNS], cast: { number: (n) => (Number.isFinite(n) ? String(n) : '') } },
  );
}

const NUMERIC = new Set(['size_bytes', 'value', 'sample']);
const SUITE_NAMES: ReadonlySet<string> = new Set(SUITES);
/** A UTF-8 byte order mark (Excel and some Windows tools write one) is not part of the first column's name. */
const PARSE_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: false } as const;

function emptyFile(source: string): InputError {
  return new InputError(`${source}: empty file, expected a header of ${RESULT_COLUMNS.join(',')}`);
}

function notValid(source: string, error: unknown): InputError {
  return new InputError(`${source}: not a valid CSV (${(error as Error).message.split('\n')[0]})`);
}

function cannotRead(source: string, error: unknown): InputError {
  return new InputError(`${source}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]})`);
}

function checkHeader(header: readonly string[], source: string): void {
  if (header.every((name) => name.trim() === '')) throw emptyFile(source);
  const missing = RESULT_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new InputError(`${source}: missing column(s) ${missing.join(', ')}`);
}

/** The same few dozen names repeat on every row: one string each keeps a million rows small. */
type Interner = Map<string, string>;

function intern(strings: Interner, value: string): string {
  const known = strings.get(value);
  if (known !== undefined) return known;
  strings.set(value, value);
  return value;
}

function isCount(value: unknown): boolean {
  return value === null || (Number.isSafeInteger(value) && (value as number) >= 0);
}

/**
 * One CSV record → a row; any defect is an InputError naming the file, line and column. The common
 * case is checked by hand (a million rows through the schema costs seconds); anything it does not
 * accept goes through the schema, so the messages are the schema's.
 */
function recordToRow(record: Record<string, string | undefined>, source: string, line: number, strings: Interner): ResultRow {
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
    } else candidate[column] = intern(strings, raw);
  }
  if (
    (candidate.run_id as string).length > 0 &&
    SUITE_NAMES.has(candidate.suite as string) &&
    (candidate.metric as string).length > 0 &&
    isCount(candidate.size_bytes) &&
    isCount(candidate.sample)
  ) {
    return candidate as ResultRow;
  }
  const parsed = resultRowSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${source}:${line}: column ${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Parses a results CSV held in memory; any defect is an InputError naming the file, line and column. */
export function csvToRows(text: string, source: string): ResultRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { ...PARSE_OPTIONS, columns: (header: string[]) => (checkHeader(header, source), header), info: true });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw notValid(source, error);
  }
  if (text.trim() === '') throw emptyFile(source);
  const strings: Interner = new Map();
  return records.map(({ record, info }) => recordToRow(record, source, info.lines, strings));
}

/** Reads a whole results CSV into memory (small files: a suite's own output, a history entry). */
export function readResultsCsv(file: string): ResultRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw cannotRead(file, error);
  }
  return csvToRows(text, file);
}

/**
 * Streams a results CSV row by row (csv-parse's streaming API): memory holds one chunk of text, never
 * the whole file. `onRow` sees each valid row with its line; any defect stops the read with the same
 * one-line InputError as csvToRows. A row `onRow` rejects by throwing stops it too.
 */
export async function streamResultsCsv(file: string, onRow: (row: ResultRow, line: number) => void): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    throw cannotRead(file, error);
  }
  const input = handle.createReadStream({ highWaterMark: 1 << 20 });
  let header = false;
  const parser = parseStream({
    ...PARSE_OPTIONS,
    info: true,
    columns: (names: string[]) => {
      header = true;
      checkHeader(names, file);
      return names;
    },
  });
  const strings: Interner = new Map();
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      input.unpipe(parser);
      input.destroy();
      parser.destroy();
      reject(error);
    };
    input.on('error', (error) => fail(cannotRead(file, error)));
    parser.on('error', (error) => fail(error instanceof InputError ? error : notValid(file, error)));
    parser.on('readable', () => {
      try {
        let item: { record: Record<string, string>; info: { lines: number } } | null;
        while (!failed && (item = parser.read() as typeof item) !== null) {
          onRow(recordToRow(item.record, file, item.info.lines, strings), item.info.lines);
        }
      } catch (error) {
        fail(error);
      }
    });
    parser.on('end', () => {
      if (!failed) resolve();
    });
    input.pipe(parser);
  });
  if (!header) throw emptyFile(file);
}
