/**
 * The repositories the matrix runs in, as data. Each fixture is a directory: `work/` is the repository
 * a case runs in, `remote.git/` a bare remote, `peer/` another clone that moves the remote on. Every
 * step is replayed with native git and pinned dates, so the result is the same on every run.
 *
 * Placeholders in git arguments: `{root}` the fixture directory, `{http}` the loopback server's
 * `127.0.0.1:PORT`, `{fixture}` the fixture's own name.
 */

export type FixtureStep =
  /** Native git in `in` (relative to the fixture root; default `work`); it must exit 0. */
  | { git: readonly string[]; in?: string }
  /** A file, relative to the fixture root (parents created). */
  | { write: string; content: string }
  | { mkdir: string };

export interface FixtureSpec {
  description: string;
  /** Replayed first: a fixture is its base plus its own steps. */
  base?: string;
  steps: readonly FixtureStep[];
  /** Bare repositories whose refs are part of the snapshot ("the remote's refs"); inherited from the base. */
  remotes?: readonly string[];
  /** Directories only the build needs (the peer clone); removed once the fixture is built. Inherited. */
  scratch?: readonly string[];
}

const commitAll = (message: string): FixtureStep[] => [
  { git: ['add', '-A'] },
  { git: ['commit', '-q', '-m', message] },
];

/** Files of `work/` (path → content), written in the order listed. */
const inWork = (files: Readonly<Record<string, string>>): FixtureStep[] =>
  Object.entries(files).map(([file, content]) => ({ write: `work/${file}`, content }));

/** `origin` is `url` on the loopback server, and main's upstream is its main (nothing is fetched). */
const loopbackOrigin = (url: string): FixtureStep[] => [
  { git: ['remote', 'add', 'origin', url] },
  { git: ['config', 'branch.main.remote', 'origin'] },
  { git: ['config', 'branch.main.merge', 'refs/heads/main'] },
];

/** `work` with a bare `remote.git` as origin (upstream set for main) and `peer`, a second clone. */
const withRemote: FixtureStep[] = [
  { git: ['init', '-q', '--bare', '-b', 'main', 'remote.git'], in: '.' },
  { git: ['remote', 'add', 'origin', '{root}/remote.git'] },
  { git: ['push', '-q', '-u', 'origin', 'main'] },
  { git: ['clone', '-q', '{root}/remote.git', 'peer'], in: '.' },
];

/** The peer commits `content` to `file` and pushes it, so the remote is ahead of `work`. */
const peerPushes = (file: string, content: string, message: string): FixtureStep[] => [
  { write: `peer/${file}`, content },
  { git: ['add', '-A'], in: 'peer' },
  { git: ['commit', '-q', '-m', message], in: 'peer' },
  { git: ['push', '-q', 'origin', 'HEAD'], in: 'peer' },
];

export const FIXTURES = {
  empty: {
    description: 'a repository with no commits yet',
    steps: [{ git: ['init', '-q', '-b', 'main', 'work'], in: '.' }],
  },
  'empty-staged': {
    description: 'no commits yet, one file staged',
    base: 'empty',
    steps: [{ write: 'work/first.txt', content: 'first\n' }, { git: ['add', 'first.txt'] }],
  },
  clean: {
    description: 'two commits on main, a tag, an ignore rule, a clean working tree',
    base: 'empty',
    steps: [
      ...inWork({ 'a.txt': 'alpha\nline two\n', 'b.txt': 'beta\n', 'dir/c.txt': 'gamma\n', '.gitignore': '*.log\n' }),
      ...commitAll('initial'),
      { write: 'work/b.txt', content: 'beta\nmore beta\n' },
      ...commitAll('second'),
      { git: ['tag', '-a', '-m', 'version one', 'v1'] },
    ],
  },
  dirty: {
    description: 'a tracked file modified, untracked files, an ignored file',
    base: 'clean',
    steps: inWork({
      'a.txt': 'alpha changed\nline two\n',
      'new.txt': 'new\n',
      'dir/d.txt': 'delta\n',
      'debug.log': 'ignored\n',
    }),
  },
  unstaged: {
    description: 'a tracked file modified, nothing staged, nothing untracked',
    base: 'clean',
    steps: [{ write: 'work/b.txt', content: 'beta edited\n' }],
  },
  untracked: {
    description: 'only untracked (and ignored) files beside a clean index',
    base: 'clean',
    steps: inWork({ 'new.txt': 'new\n', 'debug.log': 'ignored\n' }),
  },
  staged: {
    description: 'a modification and a new file staged',
    base: 'clean',
    steps: [
      ...inWork({ 'a.txt': 'alpha staged\nline two\n', 'staged.txt': 'staged\n' }),
      { git: ['add', 'a.txt', 'staged.txt'] },
    ],
  },
  branches: {
    description: 'a merged branch, an unmerged branch with its own commit, main checked out',
    base: 'clean',
    steps: [
      { git: ['branch', 'merged'] },
      { git: ['checkout', '-q', '-b', 'topic'] },
      { write: 'work/topic.txt', content: 'topic work\n' },
      ...commitAll('topic work'),
      { git: ['checkout', '-q', 'main'] },
    ],
  },
  stash: {
    description: 'two stash entries (one with an untracked file), clean working tree',
    base: 'clean',
    steps: [
      { write: 'work/a.txt', content: 'alpha stashed first\nline two\n' },
      { git: ['stash', 'push', '-q', '-m', 'first'] },
      ...inWork({ 'b.txt': 'beta stashed second\n', 'extra.txt': 'untracked in stash\n' }),
      { git: ['stash', 'push', '-q', '-u', '-m', 'second'] },
    ],
  },
  'stash-dirty': {
    description: 'stash entries plus an uncommitted change to a file the newest entry touches',
    base: 'stash',
    steps: [{ write: 'work/b.txt', content: 'beta edited locally\n' }],
  },
  'stash-conflict': {
    description: 'a stash entry whose change conflicts with a commit made after it',
    base: 'clean',
    steps: [
      { write: 'work/a.txt', content: 'alpha from stash\nline two\n' },
      { git: ['stash', 'push', '-q', '-m', 'conflicting'] },
      { write: 'work/a.txt', content: 'alpha from commit\nline two\n' },
      ...commitAll('conflicting commit'),
    ],
  },
  synced: {
    description: 'work and origin in step (main tracks origin/main)',
    base: 'clean',
    remotes: ['remote.git'],
    scratch: ['peer'],
    steps: withRemote,
  },
  ahead: {
    description: 'work one commit ahead of origin',
    base: 'synced',
    steps: [
      { write: 'work/ahead.txt', content: 'ahead\n' },
      ...commitAll('ahead of origin'),
      { git: ['branch', 'feature'] },
    ],
  },
  behind: {
    description: 'origin one commit ahead of work (the peer pushed), not yet fetched',
    base: 'synced',
    steps: peerPushes('peer.txt', 'from peer\n', 'peer commit'),
  },
  'behind-dirty': {
    description: 'origin changed a.txt; work has an uncommitted change to a.txt',
    base: 'synced',
    steps: [
      ...peerPushes('a.txt', 'alpha from peer\nline two\n', 'peer edits a'),
      { write: 'work/a.txt', content: 'alpha local edit\nline two\n' },
    ],
  },
  diverged: {
    description: 'work and origin each have a commit on different files',
    base: 'synced',
    steps: [
      ...peerPushes('peer.txt', 'from peer\n', 'peer commit'),
      { write: 'work/local.txt', content: 'local\n' },
      ...commitAll('local commit'),
    ],
  },
  conflict: {
    description: 'work and origin each changed the first line of a.txt',
    base: 'synced',
    steps: [
      ...peerPushes('a.txt', 'alpha from peer\nline two\n', 'peer edits a'),
      { write: 'work/a.txt', content: 'alpha from work\nline two\n' },
      ...commitAll('work edits a'),
    ],
  },
  'remote-branches': {
    description: 'origin gained branch `feature` and a tag; branch `gone` was deleted on origin after work fetched it',
    base: 'synced',
    steps: [
      { git: ['push', '-q', 'origin', 'main:refs/heads/gone'] },
      { git: ['fetch', '-q', 'origin'] },
      { git: ['--git-dir=remote.git', 'branch', '-D', 'gone'], in: '.' },
      { git: ['checkout', '-q', '-b', 'feature'], in: 'peer' },
      ...peerPushes('feature.txt', 'feature\n', 'feature commit'),
      { git: ['tag', 'peer-tag'], in: 'peer' },
      { git: ['push', '-q', 'origin', 'peer-tag'], in: 'peer' },
    ],
  },
  'no-upstream': {
    description: 'a remote exists; the checked-out branch `local-only` has no upstream',
    base: 'synced',
    steps: [
      { git: ['checkout', '-q', '-b', 'local-only'] },
      { write: 'work/local.txt', content: 'local\n' },
      ...commitAll('local-only commit'),
    ],
  },
  'auth-wrong-password': {
    description: 'origin is the loopback server, which answers 401; the URL carries wrong credentials',
    base: 'clean',
    steps: loopbackOrigin('http://writegate:wrong@{http}/auth/remote.git'),
  },
  'auth-no-credentials': {
    description: 'origin is the loopback server, which answers 401; no credentials and prompts are off',
    base: 'clean',
    steps: loopbackOrigin('http://{http}/auth/remote.git'),
  },
  http: {
    description:
      'origin served over smart HTTP (git http-backend); origin has a new branch, work is a commit ahead on main',
    base: 'clean',
    remotes: ['remote.git'],
    scratch: ['peer'],
    steps: [
      { git: ['init', '-q', '--bare', '-b', 'main', 'remote.git'], in: '.' },
      { git: ['config', 'http.receivepack', 'true'], in: 'remote.git' },
      { git: ['push', '-q', '{root}/remote.git', 'main'] },
      { git: ['remote', 'add', 'origin', 'http://{http}/git/{fixture}/remote.git'] },
      { git: ['fetch', '-q', 'origin'] },
      { git: ['branch', '-q', '--set-upstream-to=origin/main', 'main'] },
      { git: ['clone', '-q', '{root}/remote.git', 'peer'], in: '.' },
      { git: ['checkout', '-q', '-b', 'served'], in: 'peer' },
      ...peerPushes('served.txt', 'served over http\n', 'served commit'),
      { write: 'work/ahead.txt', content: 'ahead\n' },
      ...commitAll('ahead over http'),
    ],
  },
  worktrees: {
    description: 'two linked worktrees (one with local changes) and an occupied directory',
    base: 'clean',
    steps: [
      { git: ['worktree', 'add', '-q', '-b', 'wt-branch', '../wt-existing'] },
      { git: ['worktree', 'add', '-q', '-b', 'dirty-branch', '../wt-dirty'] },
      { write: 'wt-dirty/a.txt', content: 'edited in linked worktree\n' },
      { write: 'occupied/keep.txt', content: 'already here\n' },
    ],
  },
} as const satisfies Record<string, FixtureSpec>;

export type FixtureName = keyof typeof FIXTURES;

export interface ResolvedFixture {
  steps: FixtureStep[];
  remotes: string[];
  scratch: string[];
}

/** Steps of a fixture with its bases' steps first, and every bare remote and scratch directory it inherits. */
export function resolveFixture(name: FixtureName): ResolvedFixture {
  const spec: FixtureSpec = FIXTURES[name];
  const base: ResolvedFixture = spec.base
    ? resolveFixture(spec.base as FixtureName)
    : { steps: [], remotes: [], scratch: [] };
  const union = (a: readonly string[], b: readonly string[] = []) => [...new Set([...a, ...b])];
  return {
    steps: [...base.steps, ...spec.steps],
    remotes: union(base.remotes, spec.remotes),
    scratch: union(base.scratch, spec.scratch),
  };
}

/** Fixtures that talk to the loopback server need it running before they are built. */
export function fixtureUsesHttp(name: FixtureName): boolean {
  return resolveFixture(name).steps.some((step) => 'git' in step && step.git.some((arg) => arg.includes('{http}')));
}
