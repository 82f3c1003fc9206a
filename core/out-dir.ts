import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';

/**
 * The results directory exists and is a writable directory, or can be created: its nearest existing
 * ancestor is a writable directory. Nothing is created here.
 */
export function checkOutDir(given: string, flag = '--out'): void {
  // path.resolve('') is the current directory: an empty --out would scatter results there.
  if (given.trim() === '') throw new InputError(`${flag}: empty; give a directory`);
  const dir = path.resolve(given);
  for (let probe = dir; ; probe = path.dirname(probe)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(probe);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(probe) !== probe) continue;
      throw new InputError(`${flag}: cannot use ${dir} (${code ?? (error as Error).message})`);
    }
    const what = probe === dir ? dir : `cannot create ${dir}: ${probe}`;
    if (!stat.isDirectory()) throw new InputError(`${flag}: ${what} is not a directory`);
    try {
      fs.accessSync(probe, fs.constants.W_OK | fs.constants.X_OK);
    } catch (error) {
      throw new InputError(
        `${flag}: ${what} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    return;
  }
}
