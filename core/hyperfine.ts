/**
 * Reading hyperfine's JSON export (`hyperfine --export-json FILE`): the dev scripts that time a command
 * side by side with hyperfine (bench's parity check, the hook shim's overhead) share this one reader.
 */
import { InputError } from './errors.js';

/** One command's median from `hyperfine --export-json FILE` (hyperfine writes seconds). */
export function hyperfineMedianMs(jsonText: string, where: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonText);
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== 1)
    throw new InputError(`${where}: expected "results" holding exactly one command`);
  const median = (results[0] as { median?: unknown } | null)?.median;
  if (typeof median !== 'number' || !Number.isFinite(median) || median <= 0)
    throw new InputError(`${where}: the command's "median" is missing or not a positive number of seconds`);
  return median * 1000;
}
