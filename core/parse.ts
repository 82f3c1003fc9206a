import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_TEXT } from './config.js';
import { InputError } from './errors.js';

/** The largest delay a Node timer takes (2^31 − 1 ms); past it setTimeout fires after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * What a count may be at most unless its flag says less: a bound on every number a user gives, so a
 * typo cannot start a run whose estimate is billions of hours, or overflow a timer.
 */
export const MAX_COUNT = 1_000_000;

/**
 * The one whole-number flag parser: digits only (surrounding space allowed), from `min` to `max`;
 * the error names the flag and what it got.
 */
export function parseWholeNumber(value: unknown, flag: string, min: number, max = MAX_COUNT): number {
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new InputError(`${flag}: expected a whole number >= ${min}, got ${JSON.stringify(String(value))}`);
  if (Number(text) > max) throw new InputError(`${flag}: at most ${max}, got ${text}`);
  return Number(text);
}

export function parsePositiveInt(value: unknown, flag: string, max = MAX_COUNT): number {
  return parseWholeNumber(value, flag, 1, max);
}

export function parseNonNegativeInt(value: unknown, flag: string, max = MAX_COUNT): number {
  return parseWholeNumber(value, flag, 0, max);
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, min: 60, h: 3600 };

/** A duration in seconds: "300", "300s", "5m", "1.5h"; positive, at most a day. */
export function parseDuration(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*$/.exec(raw);
  if (!match) throw new InputError(`${flag}: expected a duration such as 300s, 5m or 1h, got ${JSON.stringify(raw)}`);
  const seconds = Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] as number);
  if (!(seconds > 0) || seconds > 86_400)
    throw new InputError(`${flag}: more than 0 and at most 24h, got ${JSON.stringify(raw)}`);
  return seconds;
}

/** Absent as commander hands an option over: undefined, null or an empty string. */
export function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

/** A suite option that may be absent: undefined then. */
export function optionalWholeNumber(value: unknown, flag: string, min: number, max = MAX_COUNT): number | undefined {
  return isAbsent(value) ? undefined : parseWholeNumber(value, flag, min, max);
}

/** KiB/MiB/GiB count in 1024s and KB/MB/GB in 1000s, as their names say (case does not matter). */
const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Bare k/m/g could mean either base; they are refused with the two spellings that are not ambiguous. */
const AMBIGUOUS_UNITS: Record<string, string> = { k: 'K', m: 'M', g: 'G' };

/** The one size parser: "1KiB", "128KB", "8MiB" or plain bytes; positive and at most the largest payload. */
export function parseSize(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unitText = (match?.[2] ?? '').toLowerCase();
  const ambiguous = AMBIGUOUS_UNITS[unitText];
  if (match && ambiguous) {
    const number = match[1];
    throw new InputError(
      `${flag}: ${JSON.stringify(raw.trim())} is ambiguous: write ${number}${ambiguous}iB ` +
        `(${number} × 1024) or ${number}${ambiguous}B (${number} × 1000)`,
    );
  }
  const unit = match ? UNITS[unitText] : undefined;
  if (!match || unit === undefined)
    throw new InputError(`${flag}: not a size: ${JSON.stringify(raw)} (examples: 1KiB, 128KiB, 8MiB, 1MB, 4096)`);
  const exact = Number(match[1]) * unit;
  const bytes = Math.round(exact);
  // 1.5KiB is 1536 bytes; 0.5 or 1.0001KiB is no whole number of bytes, and is not rounded into one.
  if (Math.abs(exact - bytes) > 1e-6)
    throw new InputError(`${flag}: ${JSON.stringify(raw.trim())} is not a whole number of bytes`);
  if (bytes <= 0) throw new InputError(`${flag}: size must be positive: ${JSON.stringify(raw)}`);
  if (bytes > MAX_PAYLOAD_BYTES)
    throw new InputError(
      `${flag}: ${JSON.stringify(raw.trim())} is larger than the maximum payload size, ${MAX_PAYLOAD_TEXT}`,
    );
  return bytes;
}

export function parseSizeList(raw: string, flag: string): number[] {
  return raw
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => parseSize(part, flag));
}
