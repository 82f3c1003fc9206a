import { nameProblem } from '../core/config.js';
import { InputError } from '../core/errors.js';

// The one whole-number and size parsers live in core; the CLI's commands import them from here too.
export { parseNonNegativeInt, parseSize, parseSizeList } from '../core/parse.js';

/** `NAME=VALUE` as given to --writer-cmd, --driver, --wrapper. */
export function splitAssignment(raw: string, flag: string): { name: string; value: string } {
  const at = raw.indexOf('=');
  const name = at > 0 ? raw.slice(0, at).trim() : '';
  const value = at > 0 ? raw.slice(at + 1).trim() : '';
  if (!name || !value) throw new InputError(`${flag}: expected NAME=COMMAND, got ${JSON.stringify(raw)}`);
  const problem = nameProblem(name);
  if (problem) throw new InputError(`${flag}: ${JSON.stringify(name)}: ${problem}`);
  return { name, value };
}

/**
 * NAME=VALUE flags into a map, refusing a name given twice (the last would otherwise silently win).
 * `taken` holds names another flag of the same kind already gave (a --driver named like a --writer-cmd).
 */
export function assignments(
  raws: readonly string[],
  flag: string,
  taken: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const found = new Map<string, string>();
  for (const raw of raws) {
    const { name, value } = splitAssignment(raw, flag);
    const earlier = found.has(name) ? flag : taken.get(name);
    if (earlier) throw new InputError(`${flag}: ${name} is given twice (also by ${earlier}); each name once`);
    found.set(name, value);
  }
  return found;
}

export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
