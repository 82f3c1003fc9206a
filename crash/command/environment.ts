/**
 * The environment every setup, command and checker of a command subject runs in. It replaces the
 * user's (as parity does for git): HOME, temp and config locations are the run's own, so a user's
 * git config, hooks path, identity or editor is never read, and two runs of the same command make
 * the same bytes (fixed author, committer and dates).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CommandSandbox {
  /** Parent of everything the commands get; git never looks for a repository at or above it. */
  root: string;
  home: string;
  tmpDir: string;
  env: Record<string, string>;
}

/** A fixed instant (git's own test clock): commits made by the setup and the command are reproducible. */
const FIXED_DATE = '@1112911993 +0000';

/**
 * Creates the sandbox's directories under `root`. `ceilings` are further directories git must not
 * search above (the trials' own place when it is elsewhere, e.g. on a fresh file system).
 */
export function createCommandSandbox(root: string, ceilings: readonly string[] = []): CommandSandbox {
  const home = path.join(root, 'home');
  const tmpDir = path.join(root, 'tmp');
  const templateDir = path.join(root, 'git-template');
  for (const dir of [home, tmpDir, templateDir, path.join(home, '.config')]) fs.mkdirSync(dir, { recursive: true });
  const globalConfig = path.join(home, 'gitconfig-empty');
  fs.writeFileSync(globalConfig, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    TMPDIR: tmpDir,
    LC_ALL: 'C',
    LANG: 'C',
    TZ: 'UTC',
    // Python examples: no bytecode cache written beside the scripts (outside the work directory).
    PYTHONDONTWRITEBYTECODE: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_TEMPLATE_DIR: templateDir,
    GIT_CEILING_DIRECTORIES: [root, ...ceilings].join(path.delimiter),
    GIT_AUTHOR_NAME: 'Crash Tester',
    GIT_AUTHOR_EMAIL: 'crash@writegate.invalid',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_NAME: 'Crash Tester',
    GIT_COMMITTER_EMAIL: 'crash@writegate.invalid',
    GIT_COMMITTER_DATE: FIXED_DATE,
    GIT_TERMINAL_PROMPT: '0',
    GIT_EDITOR: ':',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    // No background gc or maintenance process racing the trace: what is judged is the command's own work.
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'gc.auto',
    GIT_CONFIG_VALUE_0: '0',
    GIT_CONFIG_KEY_1: 'maintenance.auto',
    GIT_CONFIG_VALUE_1: 'false',
  };
  return { root, home, tmpDir, env };
}
