import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_TEXT } from '../core/config.js';
import { InputError } from '../core/errors.js';

/** `NAME=VALUE` as given to --writer-cmd, --driver, --wrapper. */
export function splitAssignment(raw: string, flag: string): { name: string; value: string } {
  const at = raw.indexOf('=');
  const name = at > 0 ? raw.slice(0, at).trim() : '';
  const value = at > 0 ? raw.slice(at + 1).trim() : '';
  if (!name || !value) throw new InputError(`${flag}: expected NAME=COMMAND, got ${JSON.stringify(raw)}`);
  return { name, value };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** "1KiB", "128k", "8MiB" or plain bytes. */
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

export function parseNonNegativeInt(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new InputError(`${flag}: expected a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw.trim());
}

export function parseList(raw: string): string[] {
  return raw.split(',').map((part) => part.trim()).filter(Boolean);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
