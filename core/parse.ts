import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_TEXT } from './config.js';
import { InputError } from './errors.js';

/**
 * The one whole-number flag parser: digits only (surrounding space allowed), at least `min`; the
 * error names the flag and what it got.
 */
export function parseWholeNumber(value: unknown, flag: string, min: number): number {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < min) throw new InputError(`${flag}: expected a whole number >= ${min}, got ${JSON.stringify(String(value))}`);
  return Number(text);
}

export function parsePositiveInt(value: unknown, flag: string): number {
  return parseWholeNumber(value, flag, 1);
}

export function parseNonNegativeInt(value: unknown, flag: string): number {
  return parseWholeNumber(value, flag, 0);
}

/** A suite option that may be absent (undefined, null or '', as the CLI hands it over): undefined then. */
export function optionalWholeNumber(value: unknown, flag: string, min: number): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : parseWholeNumber(value, flag, min);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** The one size parser: "1KiB", "128k", "8MiB" or plain bytes; positive and at most the largest payload. */
export function parseSize(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InputError(`${flag}: not a size: ${JSON.stringify(raw)} (examples: 1KiB, 128KiB, 8MiB, 4096)`);
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes <= 0) throw new InputError(`${flag}: size must be positive: ${JSON.stringify(raw)}`);
  if (bytes > MAX_PAYLOAD_BYTES) throw new InputError(`${flag}: ${JSON.stringify(raw.trim())} is larger than the maximum payload size, ${MAX_PAYLOAD_TEXT}`);
  return bytes;
}

export function parseSizeList(raw: string, flag: string): number[] {
  return raw.split(',').filter((part) => part.trim() !== '').map((part) => parseSize(part, flag));
}
