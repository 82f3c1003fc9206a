/**
 * The built-in command examples: `git commit` with git's default core.fsync and with
 * core.fsync=all, and a SQLite update (Python's sqlite3) with synchronous=FULL and OFF, each with
 * its own setup and checker (the scripts beside this file, shipped in the package).
 */
import path from 'node:path';
import { packageRoot } from '../../core/self-script.js';
import type { CommandSubject } from './types.js';

/** The interpreter every Python example runs with (the system's, not a virtualenv's). */
export const EXAMPLE_PYTHON = '/usr/bin/python3';

function script(name: string): string {
  return path.join(packageRoot, 'crash', 'command', 'examples', name);
}

const GIT_CHECKER = { template: 'sh git-check.sh {dir}', argv: ['/bin/sh', script('git-check.sh'), '{dir}'] };
const SQLITE_CHECKER = {
  template: 'python3 sqlite-check.py {dir}',
  argv: [EXAMPLE_PYTHON, script('sqlite-check.py'), '{dir}'],
};

function gitCommit(name: string, fsync: 'default' | 'all'): CommandSubject {
  return {
    name,
    template: 'git commit -q -m change',
    argv: ['git', 'commit', '-q', '-m', 'change'],
    setup: ['/bin/sh', script('git-setup.sh'), '{dir}', fsync],
    checker: GIT_CHECKER,
    builtIn: true,
  };
}

function sqliteUpdate(name: string, synchronous: 'FULL' | 'OFF'): CommandSubject {
  return {
    name,
    template: `python3 sqlite-update.py app.db ${synchronous}`,
    argv: [EXAMPLE_PYTHON, script('sqlite-update.py'), 'app.db', synchronous],
    setup: [EXAMPLE_PYTHON, script('sqlite-setup.py'), '{dir}'],
    checker: SQLITE_CHECKER,
    builtIn: true,
  };
}

export const BUILT_IN_COMMANDS: Readonly<Record<string, CommandSubject>> = {
  'git-commit': gitCommit('git-commit', 'default'),
  'git-commit-fsync-all': gitCommit('git-commit-fsync-all', 'all'),
  'sqlite-full': sqliteUpdate('sqlite-full', 'FULL'),
  'sqlite-off': sqliteUpdate('sqlite-off', 'OFF'),
};

export function builtInCommand(name: string): CommandSubject | undefined {
  return Object.hasOwn(BUILT_IN_COMMANDS, name) ? BUILT_IN_COMMANDS[name] : undefined;
}
