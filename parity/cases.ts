import type { FixtureName } from './fixtures.js';

/**
 * `read_only` commands cannot change the repository (listings, dry runs); `mutating` ones can. The
 * rewrite policy (which commands a hook may rewrite) keys on this class.
 */
export type CaseClass = 'read_only' | 'mutating';

export interface ParityCase {
  /** `<command>.<variant>`: the report's matrix splits it at the first dot. */
  id: string;
  /** What the variant exercises, in a few words. */
  summary: string;
  fixture: FixtureName;
  /** git's arguments; the native run is `git ...args`, a wrapper's is `...prefix ...args`. */
  args: readonly string[];
  class: CaseClass;
  /**
   * What native git does here: its exit code and, for failures, a key line it prints. A native run that
   * disagrees means the matrix is not testing what it claims (a leaking environment, an unknown git).
   * Lines match case-insensitively (newer git lowercases messages and drops final periods); where git
   * versions say different things, each documented variant is listed and any one is accepted.
   */
  expect: { exit: number | readonly number[]; signal?: string | readonly string[] };
  /** In the quick profile's subset. */
  quick?: boolean;
}

/**
 * The matrix. Every case runs in a fresh copy of its fixture's `work/` directory, once natively and
 * once per wrapper. Extend it by adding a row (and, if needed, a fixture in fixtures.ts).
 */
export const CASES: readonly ParityCase[] = [
  // add
  {
    id: 'add.file',
    summary: 'stage one modified file',
    fixture: 'dirty',
    args: ['add', 'a.txt'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'add.all',
    summary: 'stage everything (-A)',
    fixture: 'dirty',
    args: ['add', '-A'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'add.dot',
    summary: 'stage the current directory',
    fixture: 'untracked',
    args: ['add', '.'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'add.update',
    summary: 'stage tracked files only (-u)',
    fixture: 'dirty',
    args: ['add', '-u'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'add.nothing-to-add',
    summary: 'add . on a clean tree',
    fixture: 'clean',
    args: ['add', '.'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'add.pathspec-no-match',
    summary: 'pathspec that matches nothing',
    fixture: 'clean',
    args: ['add', 'missing.txt'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: pathspec 'missing.txt' did not match any files" },
    quick: true,
  },
  {
    id: 'add.ignored-file',
    summary: 'an ignored file named explicitly',
    fixture: 'untracked',
    args: ['add', 'debug.log'],
    class: 'mutating',
    expect: { exit: 1, signal: 'The following paths are ignored' },
  },
  {
    id: 'add.dry-run',
    summary: 'what -A would stage (-n)',
    fixture: 'dirty',
    args: ['add', '-n', '-A'],
    class: 'read_only',
    expect: { exit: 0 },
  },

  // commit
  {
    id: 'commit.staged',
    summary: 'commit the index',
    fixture: 'staged',
    args: ['commit', '-m', 'staged work'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'commit.all',
    summary: 'commit tracked changes (-a)',
    fixture: 'dirty',
    args: ['commit', '-a', '-m', 'all tracked'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'commit.amend',
    summary: 'amend the last commit message',
    fixture: 'clean',
    args: ['commit', '--amend', '-m', 'second, amended'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'commit.allow-empty',
    summary: 'an empty commit on purpose',
    fixture: 'clean',
    args: ['commit', '--allow-empty', '-m', 'empty on purpose'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'commit.root',
    summary: 'the first commit of a repository',
    fixture: 'empty-staged',
    args: ['commit', '-m', 'root'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'commit.nothing-to-commit',
    summary: 'clean tree',
    fixture: 'clean',
    args: ['commit', '-m', 'nothing'],
    class: 'mutating',
    expect: { exit: 1, signal: 'nothing to commit, working tree clean' },
    quick: true,
  },
  {
    id: 'commit.only-untracked',
    summary: 'only untracked files present',
    fixture: 'untracked',
    args: ['commit', '-m', 'untracked'],
    class: 'mutating',
    expect: { exit: 1, signal: 'nothing added to commit but untracked files present' },
    quick: true,
  },
  {
    id: 'commit.unstaged-only',
    summary: 'changes not staged',
    fixture: 'unstaged',
    args: ['commit', '-m', 'unstaged'],
    class: 'mutating',
    expect: { exit: 1, signal: 'no changes added to commit' },
  },
  {
    id: 'commit.empty-message',
    summary: 'empty commit message',
    fixture: 'staged',
    args: ['commit', '-m', ''],
    class: 'mutating',
    expect: { exit: 1, signal: 'Aborting commit due to empty commit message.' },
    quick: true,
  },
  {
    id: 'commit.pathspec-no-match',
    summary: 'pathspec that matches nothing',
    fixture: 'staged',
    args: ['commit', '-m', 'x', 'missing.txt'],
    class: 'mutating',
    expect: { exit: 1, signal: "error: pathspec 'missing.txt' did not match any file(s) known to git" },
  },
  {
    id: 'commit.empty-repository',
    summary: 'nothing to commit before the first commit',
    fixture: 'empty',
    args: ['commit', '-m', 'nothing'],
    class: 'mutating',
    expect: { exit: 1, signal: 'nothing to commit' },
  },

  // push
  {
    id: 'push.fast-forward',
    summary: 'push a new commit upstream',
    fixture: 'ahead',
    args: ['push'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'push.explicit-refspec',
    summary: 'push origin main',
    fixture: 'ahead',
    args: ['push', 'origin', 'main'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'push.new-branch-upstream',
    summary: 'push -u a new branch',
    fixture: 'ahead',
    args: ['push', '-u', 'origin', 'feature'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'push.tags',
    summary: 'push --tags',
    fixture: 'synced',
    args: ['push', 'origin', '--tags'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'push.up-to-date',
    summary: 'nothing to push',
    fixture: 'synced',
    args: ['push'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'push.delete-remote-branch',
    summary: 'delete a branch on the remote',
    fixture: 'remote-branches',
    args: ['push', 'origin', '--delete', 'feature'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'push.delete-unknown-remote-branch',
    summary: 'delete a branch the remote does not have',
    fixture: 'synced',
    args: ['push', 'origin', '--delete', 'missing'],
    class: 'mutating',
    expect: { exit: 1, signal: "error: unable to delete 'missing': remote ref does not exist" },
  },
  {
    id: 'push.rejected-non-fast-forward',
    summary: 'remote has commits work lacks',
    fixture: 'diverged',
    args: ['push'],
    class: 'mutating',
    expect: { exit: 1, signal: '[rejected]' },
    quick: true,
  },
  {
    id: 'push.no-remote',
    summary: 'no remote configured',
    fixture: 'clean',
    args: ['push'],
    class: 'mutating',
    expect: { exit: 128, signal: 'fatal: No configured push destination.' },
    quick: true,
  },
  {
    id: 'push.unknown-remote',
    summary: 'a remote name that does not exist',
    fixture: 'synced',
    args: ['push', 'nowhere', 'main'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: 'nowhere' does not appear to be a git repository" },
    quick: true,
  },
  {
    id: 'push.no-upstream',
    summary: 'current branch has no upstream',
    fixture: 'no-upstream',
    args: ['push'],
    class: 'mutating',
    expect: { exit: 128, signal: 'has no upstream branch' },
  },
  {
    id: 'push.auth-failed',
    summary: 'HTTP 401 with wrong credentials',
    fixture: 'auth-wrong-password',
    args: ['push', 'origin', 'main'],
    class: 'mutating',
    expect: { exit: 128, signal: 'Authentication failed' },
    quick: true,
  },
  {
    id: 'push.auth-no-prompt',
    summary: 'HTTP 401, no credentials, prompts off',
    fixture: 'auth-no-credentials',
    args: ['push', 'origin', 'main'],
    class: 'mutating',
    expect: { exit: 128, signal: 'terminal prompts disabled' },
  },
  {
    id: 'push.http',
    summary: 'push over smart HTTP',
    fixture: 'http',
    args: ['push', 'origin', 'main'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'push.dry-run',
    summary: 'what push would do (-n)',
    fixture: 'ahead',
    args: ['push', '-n', 'origin', 'main'],
    class: 'read_only',
    expect: { exit: 0 },
  },

  // pull
  {
    id: 'pull.fast-forward',
    summary: 'remote ahead, fast-forward',
    fixture: 'behind',
    args: ['pull'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'pull.up-to-date',
    summary: 'nothing to pull',
    fixture: 'synced',
    args: ['pull'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'pull.merge',
    summary: 'diverged on different files, --no-rebase',
    fixture: 'diverged',
    args: ['pull', '--no-rebase'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'pull.rebase',
    summary: 'diverged on different files, --rebase',
    fixture: 'diverged',
    args: ['pull', '--rebase'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'pull.merge-conflict',
    summary: 'both sides changed the same line',
    fixture: 'conflict',
    args: ['pull', '--no-rebase'],
    class: 'mutating',
    expect: { exit: 1, signal: 'CONFLICT (content): Merge conflict in a.txt' },
    quick: true,
  },
  {
    id: 'pull.divergent-unconfigured',
    summary: 'diverged, no reconcile strategy given',
    fixture: 'diverged',
    args: ['pull'],
    class: 'mutating',
    expect: { exit: 128, signal: 'fatal: Need to specify how to reconcile divergent branches.' },
  },
  {
    id: 'pull.local-changes-overwritten',
    summary: 'uncommitted change to an incoming file',
    fixture: 'behind-dirty',
    args: ['pull'],
    class: 'mutating',
    expect: { exit: 1, signal: 'would be overwritten by merge' },
  },
  {
    id: 'pull.no-remote',
    summary: 'no remote configured',
    fixture: 'clean',
    args: ['pull'],
    class: 'mutating',
    expect: { exit: 1, signal: 'There is no tracking information for the current branch.' },
  },
  {
    id: 'pull.unknown-remote',
    summary: 'a remote name that does not exist',
    fixture: 'synced',
    args: ['pull', 'nowhere', 'main'],
    class: 'mutating',
    expect: { exit: 1, signal: "fatal: 'nowhere' does not appear to be a git repository" },
  },
  {
    id: 'pull.auth-failed',
    summary: 'HTTP 401 with wrong credentials',
    fixture: 'auth-wrong-password',
    args: ['pull'],
    class: 'mutating',
    expect: { exit: 1, signal: 'Authentication failed' },
  },

  // fetch
  {
    id: 'fetch.new-commits',
    summary: 'remote ahead',
    fixture: 'behind',
    args: ['fetch'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'fetch.up-to-date',
    summary: 'nothing new',
    fixture: 'synced',
    args: ['fetch', 'origin'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'fetch.prune-tags',
    summary: 'new branch and tag, a deleted branch pruned',
    fixture: 'remote-branches',
    args: ['fetch', '--prune', '--tags', 'origin'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'fetch.unknown-ref',
    summary: 'a ref the remote does not have',
    fixture: 'synced',
    args: ['fetch', 'origin', 'missing'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: couldn't find remote ref missing" },
  },
  {
    id: 'fetch.unknown-remote',
    summary: 'a remote name that does not exist',
    fixture: 'synced',
    args: ['fetch', 'nowhere'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: 'nowhere' does not appear to be a git repository" },
  },
  {
    id: 'fetch.no-remote',
    summary: 'no remote configured (git does nothing)',
    fixture: 'clean',
    args: ['fetch'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'fetch.auth-failed',
    summary: 'HTTP 401 with wrong credentials',
    fixture: 'auth-wrong-password',
    args: ['fetch', 'origin'],
    class: 'mutating',
    expect: { exit: 128, signal: 'Authentication failed' },
    quick: true,
  },
  {
    id: 'fetch.http',
    summary: 'fetch over smart HTTP',
    fixture: 'http',
    args: ['fetch', 'origin'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'fetch.dry-run',
    summary: 'what fetch would do',
    fixture: 'behind',
    args: ['fetch', '--dry-run'],
    class: 'read_only',
    expect: { exit: 0 },
  },

  // branch
  {
    id: 'branch.create',
    summary: 'a new branch at HEAD',
    fixture: 'branches',
    args: ['branch', 'new-branch'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'branch.create-existing',
    summary: 'a name that is taken',
    fixture: 'branches',
    args: ['branch', 'topic'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: a branch named 'topic' already exists" },
  },
  {
    id: 'branch.create-bad-start',
    summary: 'a start point that does not exist',
    fixture: 'branches',
    args: ['branch', 'new-branch', 'no-such-rev'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: not a valid object name: 'no-such-rev'" },
  },
  {
    id: 'branch.delete-merged',
    summary: 'delete a merged branch (-d)',
    fixture: 'branches',
    args: ['branch', '-d', 'merged'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'branch.delete-unmerged',
    summary: 'delete an unmerged branch (-d)',
    fixture: 'branches',
    args: ['branch', '-d', 'topic'],
    class: 'mutating',
    expect: { exit: 1, signal: "error: the branch 'topic' is not fully merged" },
    quick: true,
  },
  {
    id: 'branch.force-delete-unmerged',
    summary: 'delete an unmerged branch (-D)',
    fixture: 'branches',
    args: ['branch', '-D', 'topic'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'branch.delete-unknown',
    summary: 'delete a branch that does not exist',
    fixture: 'branches',
    args: ['branch', '-d', 'missing'],
    class: 'mutating',
    expect: { exit: 1, signal: "error: branch 'missing' not found" },
    quick: true,
  },
  {
    id: 'branch.delete-current',
    summary: 'delete the checked-out branch',
    fixture: 'branches',
    args: ['branch', '-d', 'main'],
    class: 'mutating',
    // git 2.42 reworded "checked out at" as "used by worktree at".
    expect: {
      exit: 1,
      signal: [
        "error: Cannot delete branch 'main' checked out at",
        "error: cannot delete branch 'main' used by worktree at",
      ],
    },
  },
  {
    id: 'branch.rename',
    summary: 'rename another branch (-m)',
    fixture: 'branches',
    args: ['branch', '-m', 'merged', 'renamed'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'branch.rename-current',
    summary: 'rename the checked-out branch',
    fixture: 'branches',
    args: ['branch', '-m', 'trunk'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'branch.rename-to-existing',
    summary: 'rename onto a taken name',
    fixture: 'branches',
    args: ['branch', '-m', 'merged', 'topic'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: a branch named 'topic' already exists" },
  },
  {
    id: 'branch.rename-unknown',
    summary: 'rename a branch that does not exist',
    fixture: 'branches',
    args: ['branch', '-m', 'missing', 'other'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: no branch named 'missing'" },
  },
  {
    id: 'branch.list',
    summary: 'list branches',
    fixture: 'branches',
    args: ['branch', '--list', '-v'],
    class: 'read_only',
    expect: { exit: 0 },
  },

  // stash
  {
    id: 'stash.push',
    summary: 'stash tracked changes',
    fixture: 'dirty',
    args: ['stash', 'push'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'stash.push-untracked-message',
    summary: 'stash with untracked files and a message',
    fixture: 'dirty',
    args: ['stash', 'push', '-u', '-m', 'wip'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'stash.push-nothing',
    summary: 'nothing to stash',
    fixture: 'clean',
    args: ['stash', 'push'],
    class: 'mutating',
    expect: { exit: 0, signal: 'No local changes to save' },
  },
  {
    id: 'stash.push-pathspec-no-match',
    summary: 'pathspec that matches nothing',
    fixture: 'dirty',
    args: ['stash', 'push', '--', 'missing.txt'],
    class: 'mutating',
    expect: { exit: 1, signal: 'did not match any file(s) known to git' },
  },
  {
    id: 'stash.pop',
    summary: 'apply and drop the newest entry',
    fixture: 'stash',
    args: ['stash', 'pop'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'stash.pop-empty',
    summary: 'no stash entries',
    fixture: 'clean',
    args: ['stash', 'pop'],
    class: 'mutating',
    expect: { exit: 1, signal: 'No stash entries found' },
    quick: true,
  },
  {
    id: 'stash.pop-conflict',
    summary: 'the entry conflicts with HEAD',
    fixture: 'stash-conflict',
    args: ['stash', 'pop'],
    class: 'mutating',
    expect: { exit: 1, signal: 'CONFLICT (content): Merge conflict in a.txt' },
    quick: true,
  },
  {
    id: 'stash.pop-local-changes',
    summary: 'local change to a file the entry touches',
    fixture: 'stash-dirty',
    args: ['stash', 'pop'],
    class: 'mutating',
    expect: { exit: 1, signal: 'would be overwritten by merge' },
  },
  {
    id: 'stash.apply',
    summary: 'apply an older entry, keep it',
    fixture: 'stash',
    args: ['stash', 'apply', 'stash@{1}'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'stash.apply-unknown-entry',
    summary: 'an entry that does not exist',
    fixture: 'stash',
    args: ['stash', 'apply', 'stash@{5}'],
    class: 'mutating',
    // Older git dies resolving the reflog entry; newer git resolves it gently and reports the reference.
    expect: {
      exit: [128, 1],
      signal: ["fatal: log for 'stash' only has 2 entries", 'error: stash@{5} is not a valid reference'],
    },
  },
  {
    id: 'stash.drop',
    summary: 'drop the newest entry',
    fixture: 'stash',
    args: ['stash', 'drop'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'stash.drop-empty',
    summary: 'no stash entries',
    fixture: 'clean',
    args: ['stash', 'drop'],
    class: 'mutating',
    expect: { exit: 1, signal: 'No stash entries found' },
  },
  {
    id: 'stash.list',
    summary: 'list entries',
    fixture: 'stash',
    args: ['stash', 'list'],
    class: 'read_only',
    expect: { exit: 0 },
  },

  // worktree
  {
    id: 'worktree.add-new-branch',
    summary: 'a new worktree on a new branch',
    fixture: 'worktrees',
    args: ['worktree', 'add', '-b', 'wt-new', '../wt-new'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'worktree.add-detached',
    summary: 'a detached worktree at HEAD',
    fixture: 'worktrees',
    args: ['worktree', 'add', '--detach', '../wt-detached', 'HEAD'],
    class: 'mutating',
    expect: { exit: 0 },
  },
  {
    id: 'worktree.add-existing-path',
    summary: 'onto an existing non-empty directory',
    fixture: 'worktrees',
    args: ['worktree', 'add', '../occupied'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: '../occupied' already exists" },
    quick: true,
  },
  {
    id: 'worktree.add-branch-checked-out',
    summary: 'a branch already checked out elsewhere',
    fixture: 'worktrees',
    args: ['worktree', 'add', '../wt-main', 'main'],
    class: 'mutating',
    // git 2.42 reworded "checked out at" as "used by worktree at".
    expect: {
      exit: 128,
      signal: ["fatal: 'main' is already checked out at", "fatal: 'main' is already used by worktree at"],
    },
  },
  {
    id: 'worktree.remove',
    summary: 'remove a clean linked worktree',
    fixture: 'worktrees',
    args: ['worktree', 'remove', '../wt-existing'],
    class: 'mutating',
    expect: { exit: 0 },
    quick: true,
  },
  {
    id: 'worktree.remove-dirty',
    summary: 'a worktree with local changes',
    fixture: 'worktrees',
    args: ['worktree', 'remove', '../wt-dirty'],
    class: 'mutating',
    expect: { exit: 128, signal: 'contains modified or untracked files' },
  },
  {
    id: 'worktree.remove-unknown',
    summary: 'a path that is not a worktree',
    fixture: 'worktrees',
    args: ['worktree', 'remove', '../occupied'],
    class: 'mutating',
    expect: { exit: 128, signal: "fatal: '../occupied' is not a working tree" },
  },
  {
    id: 'worktree.list',
    summary: 'list worktrees',
    fixture: 'worktrees',
    args: ['worktree', 'list', '--porcelain'],
    class: 'read_only',
    expect: { exit: 0 },
  },
];

/** The commands of the matrix; every one must have cases (a test checks it). */
export const COMMANDS = ['add', 'commit', 'push', 'pull', 'fetch', 'branch', 'stash', 'worktree'] as const;

export function expectedExits(parityCase: ParityCase): readonly number[] {
  return typeof parityCase.expect.exit === 'number' ? [parityCase.expect.exit] : parityCase.expect.exit;
}

export function expectedSignals(parityCase: ParityCase): readonly string[] {
  const signal = parityCase.expect.signal;
  return signal === undefined ? [] : typeof signal === 'string' ? [signal] : signal;
}

/** Whether native git succeeds here (exit 0). */
export function expectsSuccess(parityCase: ParityCase): boolean {
  return expectedExits(parityCase).every((code) => code === 0);
}

export function caseCommand(id: string): string {
  return id.slice(0, id.indexOf('.'));
}
