import { InputError } from '../core/errors.js';

// The one whole-number and size parsers live in core; the CLI's commands import them from here too.
export { parseNonNegativeInt, parseSize, parseSizeList } from '../core/parse.js';

/** `NAME=VALUE` as given to --writer-cmd, --driver, --wrapper. */
export function splitAssignment(raw: string, flag: string): { name: string; value: string } {
  const at = raw.indexOf('=');
  const name = at > 0 ? raw.slice(0, at).trim() : '';
  const value = at > 0 ? raw.slice(at + 1).trim() : '';
  if (!name || !value) throw new InputError(`${flag}: expected NAME=COMMAND, got ${JSON.stringify(raw)}`);
  return { name, value };
}

export function parseList(raw: string): string[] {
  return raw.split(',').map((part) => part.trim()).filter(Boolean);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
