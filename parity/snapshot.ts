import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Normaliser } from './normalise.js';

/** One git invocation for the snapshot: argv after `git`, run in `cwd`; never throws. */
export type GitRunner = (
  args: readonly string[],
  cwd: string,
) => Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;

/** Per-worktree state: what `git worktree list`, the worktree's index and its git dir say. */
export interface WorktreeState {
  /** Symbolic HEAD (`refs/heads/main`), or `detached`, or `bare`. */
  head: string;
  /** Resolved HEAD; all zeros on an unborn branch. */
  oid: string;
  /** `locked`, `prunable` as the worktree list reports them. */
  flags: string[];
  /** `path` (or `path [stage N]` while conflicted) → `mode oid`. Stat data is left out on purpose. */
  index: Record<string, string>;
  untracked: string[];
  /** In-progress operation files (MERGE_HEAD, ORIG_HEAD, rebase-merge/, ...) → normalised content. */
  operation: Record<string, string>;
}

/**
 * The whole comparable state of a fixture after a command: everything a later git command (or a
 * person) could observe, and nothing that legitimately differs between two identical runs (reflog
 * timestamps, index stat data, absolute paths, the server's port).
 */
export interface RepoSnapshot {
  /** Keyed by normalised path, e.g. `<fixture>/work`. */
  worktrees: Record<string, WorktreeState>;
  /** Every ref (local, remote-tracking, tags, stash, notes) → oid, plus `→ target` for symbolic refs. */
  refs: Record<string, string>;
  /** `stash@{n} oid subject`, newest first. */
  stash: string[];
  /** The repository's own config as `key=value`, paths normalised, in file order. */
  config: string[];
  /** Each bare remote inside the fixture (by its relative path) → its refs. */
  remotes: Record<string, Record<string, string>>;
  /** Every file and directory under the fixture outside git directories → `mode content-hash`. */
  files: Record<string, string>;
  /** git commands of the snapshot that failed (a repository broken by the command under test). */
  errors: string[];
}

export interface SnapshotTarget {
  /** The fixture directory (every side runs at the same path). */
  root: string;
  /** The repository the case ran in, relative to root. */
  repo: string;
  /** Bare repositories relative to root. */
  remotes: readonly string[];
}

/** Files in a worktree's git dir that say an operation is under way or what the last one left. */
const OPERATION_FILES = [
  'MERGE_HEAD',
  'MERGE_MSG',
  'MERGE_MODE',
  'AUTO_MERGE',
  'ORIG_HEAD',
  'FETCH_HEAD',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'REBASE_HEAD',
  'BISECT_LOG',
];
const OPERATION_DIRS = ['rebase-merge', 'rebase-apply', 'sequencer'];

const FIELD = '\x1f';

export async function takeSnapshot(
  target: SnapshotTarget,
  git: GitRunner,
  normalise: Normaliser,
): Promise<RepoSnapshot> {
  const repoDir = path.join(target.root, target.repo);
  const errors: string[] = [];
  const run = async (args: readonly string[], cwd: string): Promise<string | undefined> => {
    const result = await git(args, cwd);
    if (result.exitCode === 0) return result.stdout;
    const message =
      result.stderr.split('\n').find((line) => line.trim() !== '') ?? `exit ${result.exitCode ?? 'signal'}`;
    errors.push(normalise(`git ${args.join(' ')} (in ${path.relative(target.root, cwd) || '.'}): ${message.trim()}`));
    return undefined;
  };

  const [worktreeList, refsOut, stashOut, configOut, ...remoteOuts] = await Promise.all([
    run(['worktree', 'list', '--porcelain'], repoDir),
    run(['for-each-ref', `--format=%(refname)${FIELD}%(objectname)${FIELD}%(symref)`], repoDir),
    run(['stash', 'list', `--format=%gd${FIELD}%H${FIELD}%gs`], repoDir),
    // `git config --local` exits 1 when the file has no entries; an empty config is not an error.
    git(['config', '--local', '--list', '-z'], repoDir).then((r) =>
      r.exitCode === 0 || r.exitCode === 1 ? r.stdout : undefined,
    ),
    ...target.remotes.map((remote) =>
      run(
        [
          `--git-dir=${path.join(target.root, remote)}`,
          'for-each-ref',
          `--format=%(refname)${FIELD}%(objectname)${FIELD}%(symref)`,
        ],
        target.root,
      ),
    ),
  ]);

  const worktrees: Record<string, WorktreeState> = {};
  await Promise.all(
    parseWorktreeList(worktreeList ?? '').map(async (entry) => {
      const state: WorktreeState = {
        head: entry.head,
        oid: entry.oid,
        flags: entry.flags,
        index: {},
        untracked: [],
        operation: {},
      };
      worktrees[normalise(entry.path)] = state;
      if (!fs.existsSync(entry.path) || entry.head === 'bare') return;
      const listing = parseLsFiles(
        (await run(['ls-files', '--stage', '--others', '--exclude-standard', '-z'], entry.path)) ?? '',
      );
      state.index = listing.index;
      state.untracked = listing.untracked;
      state.operation = readOperationState(entry.path, normalise);
    }),
  );

  return {
    worktrees: sortKeys(worktrees),
    refs: parseRefs(refsOut ?? ''),
    stash: (stashOut ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(FIELD).join(' ')),
    config: splitZ(configOut ?? '').map((entry) => normalise(entry.replace('\n', '='))),
    remotes: Object.fromEntries(target.remotes.map((remote, i) => [remote, parseRefs(remoteOuts[i] ?? '')])),
    files: walkFiles(target.root, new Set(target.remotes.map((remote) => path.normalize(remote)))),
    errors: errors.sort(),
  };
}

interface WorktreeEntry {
  path: string;
  head: string;
  oid: string;
  flags: string[];
}

/**
 * `git worktree list --porcelain`: records of `key value` lines, an empty line between (no -z: git < 2.36 lacks it).
 */
export function parseWorktreeList(text: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of text.split('\n')) {
    if (field === '') {
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = { path: value, head: '', oid: '', flags: [] };
      entries.push(current);
    } else if (!current) continue;
    else if (key === 'HEAD') current.oid = value;
    else if (key === 'branch') current.head = value;
    else if (key === 'detached' || key === 'bare') current.head = key;
    else current.flags.push(key);
  }
  return entries;
}

function parseRefs(text: string): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [name = '', oid = '', symref = ''] = line.split(FIELD);
    refs[name] = symref ? `${oid} → ${symref}` : oid;
  }
  return sortKeys(refs);
}

/**
 * `git ls-files --stage --others -z`: index entries as `mode oid stage<TAB>path`, untracked files as a
 * bare path (one process for both). Stage 0 entries are keyed by path, conflict stages as `path [stage N]`.
 */
export function parseLsFiles(text: string): { index: Record<string, string>; untracked: string[] } {
  const index: Record<string, string> = {};
  const untracked: string[] = [];
  for (const entry of splitZ(text)) {
    const match = /^([0-7]{6}) ([0-9a-f]{40,64}) ([0-3])\t([\s\S]*)$/.exec(entry);
    if (!match) {
      untracked.push(entry);
      continue;
    }
    const [, mode, oid, stage, file] = match;
    index[stage === '0' ? `${file}` : `${file} [stage ${stage}]`] = `${mode} ${oid}`;
  }
  return { index: sortKeys(index), untracked: untracked.sort() };
}

function readOperationState(worktree: string, normalise: Normaliser): Record<string, string> {
  const gitDir = worktreeGitDir(worktree);
  const state: Record<string, string> = {};
  if (!gitDir) return state;
  for (const name of OPERATION_FILES) {
    try {
      state[name] = normalise(fs.readFileSync(path.join(gitDir, name), 'utf8'));
    } catch {
      // Absent: nothing under way.
    }
  }
  for (const name of OPERATION_DIRS) if (fs.existsSync(path.join(gitDir, name))) state[`${name}/`] = 'present';
  return state;
}

/** `<worktree>/.git` is the git dir of the main worktree, or a file `gitdir: ...` in a linked one. */
function worktreeGitDir(worktree: string): string | undefined {
  const dotGit = path.join(worktree, '.git');
  try {
    if (fs.statSync(dotGit).isDirectory()) return dotGit;
    const match = /^gitdir: (.*)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    return match?.[1] ? path.resolve(worktree, match[1].trim()) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parts of a git directory that are user-facing state without a git command to list them: hooks run
 * on later commands, info/ holds the repository's own excludes and attributes.
 */
const GIT_DIR_STATE = ['hooks', 'info'];

/**
 * Every path under root except the inside of git directories (only their hooks/ and info/ count) and
 * the bare remotes (compared by their refs): `mode hash`, `120000 → target` or `dir`.
 */
function walkFiles(root: string, skip: ReadonlySet<string>): Record<string, string> {
  const files: Record<string, string> = {};
  const visit = (relative: string): void => {
    const dir = path.join(root, relative);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = relative ? path.join(relative, entry.name) : entry.name;
      if (skip.has(rel)) continue;
      if (entry.name === '.git') {
        if (!entry.isDirectory()) continue;
        for (const part of GIT_DIR_STATE.map((name) => path.join(rel, name)).filter((part) =>
          fs.existsSync(path.join(root, part)),
        )) {
          files[`${part}/`] = 'dir';
          visit(part);
        }
        continue;
      }
      const full = path.join(root, rel);
      if (entry.isSymbolicLink()) files[rel] = `120000 → ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) {
        files[`${rel}/`] = 'dir';
        visit(rel);
      } else if (entry.isFile()) {
        const mode = fs.statSync(full).mode & 0o111 ? '100755' : '100644';
        files[rel] = `${mode} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex').slice(0, 16)}`;
      } else files[rel] = 'special';
    }
  };
  visit('');
  return files;
}

function splitZ(text: string): string[] {
  return text.split('\0').filter((part) => part !== '');
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
