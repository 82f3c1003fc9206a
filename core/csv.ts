import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from './errors.js';
import { inputStream, readInputText } from './input-file.js';
import { OPTIONAL_COLUMNS, RESULT_COLUMNS, resultRowSchema, SUITES, type ResultRow } from './schema.js';

export function rowsToCsv(rows: readonly ResultRow[]): string {
  return stringify(
    rows.map((row) => RESULT_COLUMNS.map((column) => row[column] ?? '')),
    { header: true, columns: [...RESULT_COLUMNS], cast: { number: (n) => (Number.isFinite(n) ? String(n) : '') } },
  );
}

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
  return new InputError(
    `${source}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]})`,
  );
}

/**
 * The same few dozen names repeat on every row: one string each keeps a million rows small, and a
 * small number per string makes a row's identity short (analyze de-duplicates by it). Share one
 * table between files to compare their rows.
 */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.names.push(value) - 1;
      this.ids.set(value, id);
    }
    return id;
  }

  get(id: number): string {
    return this.names[id] as string;
  }
}

/** Where each column sits in this file's header (extra columns are allowed and ignored). */
function columnIndex(header: readonly string[], source: string): number[] {
  if (header.every((name) => name.trim() === '')) throw emptyFile(source);
  const missing = RESULT_COLUMNS.filter((column) => !header.includes(column) && !OPTIONAL_COLUMNS.includes(column));
  if (missing.length > 0) throw new InputError(`${source}: missing column(s) ${missing.join(', ')}`);
  return RESULT_COLUMNS.map((column) => header.indexOf(column));
}

function isCount(value: unknown): boolean {
  return value === null || (Number.isSafeInteger(value) && (value as number) >= 0);
}

/** A row and a short string that is equal for two rows exactly when every column is (same StringTable). */
interface Converted {
  row: ResultRow;
  identity: string;
}

/**
 * One CSV record → a row. A defect throws a RowDefect (the caller adds file and line). The common case
 * is checked by hand (a million rows through the schema costs seconds); anything it does not accept
 * goes through the schema, so the messages are the schema's.
 */
class RowDefect extends Error {}

function numberOf(raw: string, column: string): number | null {
  if (raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new RowDefect(`column ${column} is not a number: ${JSON.stringify(raw)}`);
  return n;
}

function convert(record: readonly string[], at: readonly number[], strings: StringTable): Converted {
  // Written out, not looped over a column list: this runs once per row, a million times.
  const runId = strings.id(record[at[0] as number] ?? '');
  const suite = strings.id(record[at[1] as number] ?? '');
  const scenario = strings.id(record[at[2] as number] ?? '');
  const subject = strings.id(record[at[3] as number] ?? '');
  const mode = strings.id(record[at[4] as number] ?? '');
  const metric = strings.id(record[at[6] as number] ?? '');
  const unit = strings.id(record[at[8] as number] ?? '');
  const engine = strings.id(record[at[10] as number] ?? '');
  const detail = strings.id(record[at[11] as number] ?? '');
  // An older file has no fs column (index -1): its rows were made on the workspace's own file system.
  const fs = strings.id(record[at[12] as number] ?? '');
  const candidate = {
    run_id: strings.get(runId),
    suite: strings.get(suite),
    scenario: strings.get(scenario),
    subject: strings.get(subject),
    mode: strings.get(mode),
    size_bytes: numberOf(record[at[5] as number] ?? '', 'size_bytes'),
    metric: strings.get(metric),
    value: numberOf(record[at[7] as number] ?? '', 'value'),
    unit: strings.get(unit),
    sample: numberOf(record[at[9] as number] ?? '', 'sample'),
    engine: strings.get(engine),
    detail: strings.get(detail),
    fs: strings.get(fs),
  };
  // Ids are integers and String(number) round-trips a double: this is exact, and short.
  const identity =
    `${runId},${suite},${scenario},${subject},${mode},${metric},${unit},${engine},${detail},${fs},` +
    `${candidate.size_bytes ?? ''},${candidate.value ?? ''},${candidate.sample ?? ''}`;
  if (
    candidate.run_id.length > 0 &&
    SUITE_NAMES.has(candidate.suite) &&
    candidate.metric.length > 0 &&
    isCount(candidate.size_bytes) &&
    isCount(candidate.sample)
  ) {
    return { row: candidate as ResultRow, identity };
  }
  const parsed = resultRowSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RowDefect(`column ${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`);
  }
  return { row: parsed.data, identity };
}

/** Parses a results CSV held in memory; any defect is an InputError naming the file, line and column. */
export function csvToRows(text: string, source: string): ResultRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { ...PARSE_OPTIONS, info: true }) as unknown as typeof records;
  } catch (error) {
    throw notValid(source, error);
  }
  if (text.trim() === '' || records.length === 0) throw emptyFile(source);
  const at = columnIndex((records[0] as (typeof records)[number]).record, source);
  const strings = new StringTable();
  const rows: ResultRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i] as (typeof records)[number];
    try {
      rows.push(convert(record, at, strings).row);
    } catch (error) {
      if (error instanceof RowDefect) throw new InputError(`${source}:${info.lines}: ${error.message}`);
      throw error;
    }
  }
  return rows;
}

/** Reads a whole results CSV into memory (small files: a suite's own output, a history entry). */
export function readResultsCsv(file: string): ResultRow[] {
  return csvToRows(readInputText(file, 'csv'), file);
}

/**
 * Runs csv-parse's streaming parser over a file, handing `onRecord` each record (header first) with
 * its index. Memory holds one chunk of text, never the whole file. A throw from `onRecord` stops the
 * read and rejects with it; a read or parse error rejects with a one-line InputError.
 */
async function streamRecords(
  file: string,
  onRecord: (record: string[], index: number) => boolean | void,
  info = false,
): Promise<number> {
  const input = inputStream(file, 'csv', undefined, { highWaterMark: 1 << 20 });
  const parser = parseStream({ ...PARSE_OPTIONS, info });
  let index = 0;
  let lines = 0;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const stop = (error?: unknown): void => {
      if (done) return;
      done = true;
      input.unpipe(parser);
      input.destroy();
      parser.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    input.on('error', (error) => stop(cannotRead(file, error)));
    parser.on('error', (error) => stop(notValid(file, error)));
    parser.on('readable', () => {
      try {
        let item: unknown;
        while (!done && (item = parser.read()) !== null) {
          const record = info ? (item as { record: string[] }).record : (item as string[]);
          if (info) lines = (item as { info: { lines: number } }).info.lines;
          if (onRecord(record, index++) === false) stop();
        }
      } catch (error) {
        stop(error);
      }
    });
    parser.on('end', () => stop());
    input.pipe(parser);
  });
  return lines;
}

/**
 * The line a record ends on: only for an error message, so the file is read again rather than every record paying for
 * it.
 */
async function lineOfRecord(file: string, wanted: number): Promise<number> {
  return streamRecords(file, (_record, index) => index < wanted, true);
}

/**
 * Streams a results CSV row by row (csv-parse's streaming API): memory holds one chunk of text, never
 * the whole file. `onRow` sees each valid row with its identity (equal for two rows exactly when every
 * column is; pass one StringTable for all files to compare across them). Any defect stops the read
 * with the same one-line InputError as csvToRows, naming the file, line and column.
 */
export async function streamResultsCsv(
  file: string,
  onRow: (row: ResultRow, identity: string) => void,
  strings = new StringTable(),
): Promise<void> {
  let at: number[] | undefined;
  let defect: { index: number; message: string } | undefined;
  await streamRecords(file, (record, index) => {
    if (index === 0) {
      at = columnIndex(record, file);
      return;
    }
    let converted: Converted;
    try {
      converted = convert(record, at as number[], strings);
    } catch (error) {
      if (!(error instanceof RowDefect)) throw error;
      defect = { index, message: error.message };
      return false;
    }
    onRow(converted.row, converted.identity);
  });
  if (defect) throw new InputError(`${file}:${await lineOfRecord(file, defect.index)}: ${defect.message}`);
  if (!at) throw emptyFile(file);
}
