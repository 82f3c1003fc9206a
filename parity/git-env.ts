import fs from 'node:fs';
import path from 'node:path';

/** Who every fixture and case commits as, so native and wrapper runs produce the same objects. */
export const IDENTITY = { name: 'Parity Tester', email: 'parity@writegate.invalid' } as const;

/** git's own test suite starts its clock here (t/test-lib.sh test_tick) and adds 60 s per tick. */
const TEST_TICK_EPOCH = 1112911993;

/** The date of the n-th tick, in the `@seconds +zone` form git accepts for GIT_*_DATE. */
export function tickDate(tick: number): string {
  return `@${TEST_TICK_EPOCH + 60 * tick} +0000`;
}

/** Every case command runs at this one instant (well after any fixture tick), on every side. */
export const CASE_DATE = tickDate(10_000);

/** The directories that stand in for the user's machine: all of them inside the run's workspace. */
export interface GitSandbox {
  /** Parent of everything parity writes; git never looks for a repository at or above it. */
  root: string;
  home: string;
  /** An empty file: GIT_CONFIG_GLOBAL points here, so no user config is read. */
  globalConfig: string;
  /** An empty directory: `git init` and `git clone` copy no hooks or samples from the system. */
  templateDir: string;
  /** First on PATH: `git` (the native git under test) and the built-in wrapper scripts. */
  binDir: string;
  tmpDir: string;
}

export function createSandbox(root: string): GitSandbox {
  const sandbox: GitSandbox = {
    root,
    home: path.join(root, 'home'),
    globalConfig: path.join(root, 'home', 'gitconfig-empty'),
    templateDir: path.join(root, 'git-template'),
    binDir: path.join(root, 'bin'),
    tmpDir: path.join(root, 'tmp'),
  };
  for (const dir of [sandbox.home, sandbox.templateDir, sandbox.binDir, sandbox.tmpDir])
    fs.mkdirSync(dir, { recursive: true });
  for (const xdg of ['.config', '.cache', '.local/share', '.local/state'])
    fs.mkdirSync(path.join(sandbox.home, xdg), { recursive: true });
  fs.writeFileSync(sandbox.globalConfig, '');
  return sandbox;
}

/**
 * Config every git in the run sees through the environment (GIT_CONFIG_COUNT), so no file outside the
 * workspace is needed: no background gc or maintenance racing the snapshot, and an empty credential
 * helper list so git never asks anything but the loopback server.
 */
const ENV_CONFIG: readonly (readonly [string, string])[] = [
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['credential.helper', ''],
];

/**
 * The whole environment of every git and wrapper process parity starts. It replaces the parent's
 * environment (runProcess isolatedEnv), so a user's HOME, GIT_DIR, GIT_CONFIG_GLOBAL, hooks path or
 * identity cannot leak in; only PATH is inherited, behind the sandbox's own bin directory.
 */
export function gitEnvironment(sandbox: GitSandbox, date: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [sandbox.binDir, process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(path.delimiter),
    HOME: sandbox.home,
    XDG_CONFIG_HOME: path.join(sandbox.home, '.config'),
    XDG_CACHE_HOME: path.join(sandbox.home, '.cache'),
    XDG_DATA_HOME: path.join(sandbox.home, '.local/share'),
    XDG_STATE_HOME: path.join(sandbox.home, '.local/state'),
    TMPDIR: sandbox.tmpDir,
    LC_ALL: 'C',
    LANG: 'C',
    TZ: 'UTC',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: sandbox.globalConfig,
    GIT_TEMPLATE_DIR: sandbox.templateDir,
    GIT_CEILING_DIRECTORIES: sandbox.root,
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    GIT_COMMITTER_DATE: date,
    // Never wait for a human: no terminal prompt, no editor (":" is git's built-in no-op editor), no pager.
    GIT_TERMINAL_PROMPT: '0',
    GIT_EDITOR: ':',
    GIT_MERGE_AUTOEDIT: 'no',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_CONFIG_COUNT: String(ENV_CONFIG.length),
  };
  ENV_CONFIG.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}
