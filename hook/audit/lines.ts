import { inputLines } from '../../core/input-file.js';

/**
 * The non-blank lines of a file, streamed: session transcripts grow to hundreds of megabytes. A line
 * longer than the JSONL limit is yielded as undefined (malformed) without being held. A read error
 * part way (EIO, a file that vanished) is an InputError naming the file.
 */
export async function* nonBlankLines(file: string): AsyncGenerator<string | undefined> {
  for await (const line of inputLines(file, 'jsonl')) {
    if ('tooLong' in line) yield undefined;
    else if (line.text.trim() !== '') yield line.text;
  }
}

/** The parsed line if it is a JSON object, else undefined (not JSON, or an array, string, number). */
export function parseObject(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
