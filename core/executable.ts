import fs from 'node:fs';
import path from 'node:path';

/**
 * Where `command` would be found when run without a shell: a path containing a slash as given
 * (relative to `cwd`), else the first executable file of that name on PATH. Undefined when none is.
 */
export function resolveExecutable(command: string, cwd = process.cwd(), searchPath = process.env.PATH ?? ''): string | undefined {
  if (!command) return undefined;
  const candidates = command.includes('/') ? [path.resolve(cwd, command)] : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
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
