import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';

/**
 * Where `command` would be found when run without a shell: a path containing a slash as given
 * (relative to `cwd`), else the first executable file of that name on PATH. Undefined when none is.
 */
export function resolveExecutable(
  command: string,
  cwd = process.cwd(),
  searchPath = process.env.PATH ?? '',
): string | undefined {
  if (!command) return undefined;
  const candidates = command.includes('/')
    ? [path.resolve(cwd, command)]
    : searchPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `resolveExecutable`, or an InputError naming `where` and the program when there is none. */
export function requireExecutable(
  command: string,
  where: string,
  cwd = process.cwd(),
  searchPath = process.env.PATH ?? '',
): string {
  const resolved = command === '' ? undefined : resolveExecutable(command, cwd, searchPath);
  if (resolved === undefined)
    throw new InputError(
      `${where}: ${JSON.stringify(command)} is not an executable file${command.includes('/') ? '' : ' on PATH'}`,
    );
  return resolved;
}
