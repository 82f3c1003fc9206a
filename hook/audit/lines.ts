import fs from 'node:fs';
import readline from 'node:readline';
import { InputError } from '../../core/errors.js';

/** A path that can be read as a file, or an InputError naming it; checked before any line is read. */
export function checkReadableFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read it (${code ?? String(error)})`);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a JSONL file`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw new InputError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * The non-blank lines of a file, streamed: session transcripts grow to hundreds of megabytes.
 * A read error part way (EIO, a file that vanished) is an InputError naming the file.
 */
export async function* nonBlankLines(file: string): AsyncGenerator<string> {
  checkReadableFile(file);
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line.trim() !== '') yield line;
  } catch (error) {
    throw new InputError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    lines.close();
    stream.destroy();
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
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
