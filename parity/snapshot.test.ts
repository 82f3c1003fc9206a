import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../core/process.js';
import { Workspace } from '../core/workspace.js';
import { FixtureStore } from './fixture-store.js';
import { resolveFixture, type FixtureName } from './fixtures.js';
import { CASE_DATE, createSandbox, gitEnvironment, type GitSandbox } from './git-env.js';
import { makeNormaliser } from './normalise.js';
import { diffSnapshots } from './checks.js';
import { parseLsFiles, parseWorktreeList, takeSnapshot, type GitRunner, type RepoSnapshot } from './snapshot.js';
import { installSandboxBin, resolveNativeGit } from './wrappers.js';

let workspace: Workspace;
let sandbox: GitSandbox;
let store: FixtureStore;
let gitPath: string;

beforeAll(() => {
  workspace = Workspace.create('writegate-parity-test-');
  sandbox = createSandbox(workspace.dir('parity'));
  gitPath = resolveNativeGit(undefined, process.env.PATH ?? '');
  installSandboxBin(sandbox, gitPath);
  store = new FixtureStore(sandbox, gitPath, undefined, runProcess);
});
afterAll(() => workspace.dispose());

const env = () => gitEnvironment(sandbox, CASE_DATE);
const git: GitRunner = (args, cwd) => runProcess([gitPath, ...args], { cwd, env: env(), isolatedEnv: true });

async function snapshotAfter(fixture: FixtureName, ...commands: string[][]): Promise<RepoSnapshot> {
  const root = await store.materialise(fixture);
  for (const args of commands) {
    const result = await git(args, path.join(root, 'work'));
    if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  }
  return takeSnapshot(
    { root, repo: 'work', remotes: resolveFixture(fixture).remotes },
    git,
    makeNormaliser({ fixtureRoot: root, sandboxRoot: sandbox.root }),
  );
}

const keys = (a: RepoSnapshot, b: RepoSnapshot) => diffSnapshots(a, b).map((d) => d.key);

describe('repository snapshot', () => {
  it('two fresh copies of a fixture, with the same command run in each, are identical', async () => {
    const a = await snapshotAfter('diverged', ['pull', '--no-rebase', '-q']);
    const b = await snapshotAfter('diverged', ['pull', '--no-rebase', '-q']);
    expect(diffSnapshots(a, b)).toEqual([]);
    expect(a.worktrees['<fixture>/work']?.operation.ORIG_HEAD).toMatch(/^[0-9a-f]{40}/);
    expect(a.refs['refs/heads/main']).toMatch(/^[0-9a-f]{40}$/);
    expect(a.remotes['remote.git']?.['refs/heads/main']).toMatch(/^[0-9a-f]{40}$/);
    expect(a.worktrees['<fixture>/work']?.head).toBe('refs/heads/main');
    expect(a.config.some((line) => line === 'remote.origin.url=<fixture>/remote.git')).toBe(true);
  });

  it('is the same whatever the time: commit dates are pinned', async () => {
    const a = await snapshotAfter('staged', ['commit', '-q', '-m', 'x']);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = await snapshotAfter('staged', ['commit', '-q', '-m', 'x']);
    expect(diffSnapshots(a, b)).toEqual([]);
  });

  it('names a staged file, a new untracked file and its content', async () => {
    const before = await snapshotAfter('dirty');
    const after = await snapshotAfter('dirty', ['add', 'new.txt']);
    expect(keys(before, after)).toEqual(['index <fixture>/work new.txt', 'untracked <fixture>/work new.txt']);
    const root = await store.materialise('dirty');
    fs.writeFileSync(path.join(root, 'work', 'new.txt'), 'other content\n');
    const edited = await takeSnapshot(
      { root, repo: 'work', remotes: [] },
      git,
      makeNormaliser({ fixtureRoot: root, sandboxRoot: sandbox.root }),
    );
    expect(keys(before, edited)).toEqual(['file work/new.txt']);
  });

  it('names refs, HEAD, stash entries, remote refs, config and worktrees', async () => {
    const base = await snapshotAfter('ahead');
    expect(keys(base, await snapshotAfter('ahead', ['branch', 'extra']))).toEqual(['ref refs/heads/extra']);
    expect(keys(base, await snapshotAfter('ahead', ['push', '-q']))).toEqual([
      'ref refs/remotes/origin/main',
      'remote remote.git refs/heads/main',
    ]);
    expect(keys(base, await snapshotAfter('ahead', ['config', 'user.name', 'Someone']))).toContain(
      `config #${base.config.length}`,
    );
    expect(keys(base, await snapshotAfter('ahead', ['checkout', '-q', 'feature']))).toEqual([
      'worktree <fixture>/work HEAD',
    ]);

    const stash = await snapshotAfter('stash');
    expect(stash.stash).toHaveLength(2);
    expect(keys(stash, await snapshotAfter('stash', ['stash', 'drop', '-q']))).toEqual(
      expect.arrayContaining(['ref refs/stash', 'stash #0', 'stash #1']),
    );

    const worktrees = await snapshotAfter('worktrees');
    const added = await snapshotAfter('worktrees', ['worktree', 'add', '-q', '--detach', '../wt-x']);
    expect(keys(worktrees, added)).toEqual(
      expect.arrayContaining(['worktree <fixture>/wt-x HEAD', 'index <fixture>/wt-x a.txt', 'file wt-x/a.txt']),
    );
  });

  it('names a hook or an exclude rule a command installs in the git directory', async () => {
    const before = await snapshotAfter('clean');
    const root = await store.materialise('clean');
    fs.mkdirSync(path.join(root, 'work', '.git', 'hooks'), { recursive: true });
    fs.writeFileSync(path.join(root, 'work', '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    fs.mkdirSync(path.join(root, 'work', '.git', 'info'), { recursive: true });
    fs.writeFileSync(path.join(root, 'work', '.git', 'info', 'exclude'), '*.txt\n');
    const after = await takeSnapshot(
      { root, repo: 'work', remotes: [] },
      git,
      makeNormaliser({ fixtureRoot: root, sandboxRoot: sandbox.root }),
    );
    // info/ itself already exists (git creates it for packed fixtures); hooks/ is new.
    expect(keys(before, after)).toEqual([
      'file work/.git/hooks/',
      'file work/.git/hooks/pre-commit',
      'file work/.git/info/exclude',
    ]);
    expect(after.files['work/.git/hooks/pre-commit']).toMatch(/^100755 /);
  });

  it('records index stages and the merge in progress after a conflict', async () => {
    const root = await store.materialise('conflict');
    await git(['pull', '--no-rebase', '-q'], path.join(root, 'work'));
    const snapshot = await takeSnapshot(
      { root, repo: 'work', remotes: ['remote.git'] },
      git,
      makeNormaliser({ fixtureRoot: root, sandboxRoot: sandbox.root }),
    );
    const work = snapshot.worktrees['<fixture>/work'];
    expect(Object.keys(work?.index ?? {})).toEqual(
      expect.arrayContaining(['a.txt [stage 1]', 'a.txt [stage 2]', 'a.txt [stage 3]']),
    );
    expect(work?.operation.MERGE_HEAD).toMatch(/^[0-9a-f]{40}/);
  });

  it('reports a broken repository as errors instead of throwing', async () => {
    const root = await store.materialise('clean');
    fs.rmSync(path.join(root, 'work', '.git'), { recursive: true });
    const snapshot = await takeSnapshot(
      { root, repo: 'work', remotes: [] },
      git,
      makeNormaliser({ fixtureRoot: root, sandboxRoot: sandbox.root }),
    );
    expect(snapshot.errors.length).toBeGreaterThan(0);
    expect(snapshot.errors.join('\n')).toContain('not a git repository');
  });
});

describe('parseWorktreeList', () => {
  it('reads main, linked, detached and locked entries', () => {
    const text =
      'worktree /r/work\nHEAD aaaa\nbranch refs/heads/main\n\nworktree /r/wt\nHEAD bbbb\ndetached\nlocked because\n\n';
    expect(parseWorktreeList(text)).toEqual([
      { path: '/r/work', head: 'refs/heads/main', oid: 'aaaa', flags: [] },
      { path: '/r/wt', head: 'detached', oid: 'bbbb', flags: ['locked'] },
    ]);
  });
});

describe('parseLsFiles', () => {
  it('separates index entries (with conflict stages) from untracked paths', () => {
    const oid = 'a'.repeat(40);
    const text = `new.txt\x00100644 ${oid} 0\ta.txt\x00100755 ${oid} 2\tb c.sh\x00dir/u.txt\x00`;
    expect(parseLsFiles(text)).toEqual({
      index: { 'a.txt': `100644 ${oid}`, 'b c.sh [stage 2]': `100755 ${oid}` },
      untracked: ['dir/u.txt', 'new.txt'],
    });
  });
});
