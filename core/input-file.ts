/**
 * Every file a user hands writegate (config, thresholds, regression policy, known differences,
 * results CSVs, history entries, audit logs and transcripts) is read through here: it must be a
 * regular file — not a directory, device, FIFO or socket, which could block a read forever or never
 * end — no larger than its kind allows, and it is opened non-blocking, so a FIFO swapped in after
 * the check cannot hang the run where no signal handler can run. Anything else is a one-line
 * InputError naming the file, before a byte is read.
 */
import fs from 'node:fs';
import { InputError } from './errors.js';

const MiB = 1024 * 1024;

/** What each kind of input may weigh, and (for line-based files) how long one line may be. */
export const INPUT_LIMITS = {
  /** writegate.config.json, thresholds, regression policy, known differences. */
  json: { bytes: 4 * MiB },
  /** results_raw.csv and its shards, --baseline, --remeasure, history entries. */
  csv: { bytes: 256 * MiB },
  /** Claude Code transcripts and hook-shim audit logs (sessions grow to hundreds of MB). */
  jsonl: { bytes: 4096 * MiB, line: 64 * MiB },
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

function describe(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function formatLimit(bytes: number): string {
  return bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`;
}

/** `label file` or the file alone: what every message leads with. */
function source(file: string, label: string | undefined): string {
  return label ? `${label} ${file}` : file;
}

/**
 * Checks `file` is a readable regular file within its kind's limit, and opens it (O_RDONLY |
 * O_NONBLOCK). Returns the open descriptor and the size; the caller closes it.
 */
export function openInputFile(file: string, kind: InputKind, label?: string): { fd: number; size: number } {
  const where = source(file, label);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${where}: cannot read (${code ?? (error as Error).message})`);
  }
  if (!stat.isFile()) throw new InputError(`${where}: ${describe(stat)}, not a regular file`);
  const limit = INPUT_LIMITS[kind].bytes;
  if (stat.size > limit)
    throw new InputError(
      `${where}: ${stat.size} bytes, more than the ${formatLimit(limit)} a ${kind.toUpperCase()} input may be`,
    );
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(
      `${where}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  // The name may have been swapped for something else between the check and the open.
  const opened = fs.fstatSync(fd);
  if (!opened.isFile() || opened.size > limit) {
    fs.closeSync(fd);
    const problem = opened.isFile()
      ? `more than the ${formatLimit(limit)} a ${kind.toUpperCase()} input may be`
      : `${describe(opened)}, not a regular file`;
    throw new InputError(`${where}: ${problem}`);
  }
  return { fd, size: opened.size };
}

/** The whole file as text (small inputs: JSON files, a history entry), at most its kind's limit. */
export function readInputText(file: string, kind: InputKind, label?: string): string {
  const { fd, size } = openInputFile(file, kind, label);
  try {
    // One byte more than the size: a file that grew past it after the check still stops at the limit.
    const limit = INPUT_LIMITS[kind].bytes;
    const buffer = Buffer.alloc(Math.min(size + 1, limit + 1));
    let read = 0;
    for (let n; read < buffer.length && (n = fs.readSync(fd, buffer, read, buffer.length - read, null)) > 0; )
      read += n;
    if (read > limit)
      throw new InputError(
        `${source(file, label)}: more than the ${formatLimit(limit)} a ${kind.toUpperCase()} input may be`,
      );
    return buffer.subarray(0, read).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${source(file, label)}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  } finally {
    fs.closeSync(fd);
  }
}

/** A stream over the checked file (results CSVs, transcripts, audit logs), never past its kind's limit. */
export function inputStream(
  file: string,
  kind: InputKind,
  label?: string,
  options: { encoding?: BufferEncoding; highWaterMark?: number } = {},
): fs.ReadStream {
  const { fd } = openInputFile(file, kind, label);
  return fs.createReadStream('', { fd, end: INPUT_LIMITS[kind].bytes - 1, autoClose: true, ...options });
}

/** One line of a line-based input, or the fact that it was longer than its kind allows (counted as malformed). */
export type InputLine = { text: string } | { tooLong: number };

/**
 * The lines of a JSONL input, streamed. A line longer than the kind's limit is never held: its
 * bytes are dropped as they come and it is yielded as `tooLong` (how many bytes it had), so one
 * gigantic line is a malformed line, not a crash.
 */
export async function* inputLines(file: string, kind: 'jsonl', label?: string): AsyncGenerator<InputLine> {
  const limit = INPUT_LIMITS[kind].line;
  const stream = inputStream(file, kind, label);
  let parts: Buffer[] = [];
  let held = 0;
  let dropped = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, at);
        start = at + 1;
        if (dropped > 0 || held + piece.length > limit) {
          yield { tooLong: dropped + held + piece.length };
        } else {
          yield {
            text: Buffer.concat([...parts, piece])
              .toString('utf8')
              .replace(/\r$/, ''),
          };
        }
        parts = [];
        held = 0;
        dropped = 0;
      }
      const rest = chunk.subarray(start);
      if (dropped > 0 || held + rest.length > limit) {
        dropped += held + rest.length;
        parts = [];
        held = 0;
      } else if (rest.length > 0) {
        parts.push(Buffer.from(rest));
        held += rest.length;
      }
    }
    if (dropped > 0) yield { tooLong: dropped };
    else if (held > 0) yield { text: Buffer.concat(parts).toString('utf8').replace(/\r$/, '') };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `${source(file, label)}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  } finally {
    stream.destroy();
  }
}
