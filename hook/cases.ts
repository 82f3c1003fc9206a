/**
 * PLACEHOLDER, replaced at merge by the real corpus (same API, 150+ command lines). A few lines of each
 * kind an agent sends, so the policy run, its checks and the fixture hooks can be built and tested
 * before the corpus lands; the classes are what the real classifier is expected to say.
 */
import type { CommandClass } from './classify/index.js';

export type HookCaseTag =
  | 'git'
  | 'git-global-option'
  | 'gh'
  | 'file-op'
  | 'redirect'
  | 'package-manager'
  | 'chain'
  | 'pipe'
  | 'subshell'
  | 'env-prefix'
  | 'quoted-message'
  | 'heredoc'
  | 'path-with-spaces'
  | 'unknown-tool'
  | 'shell-wrapper';

export interface HookCase {
  id: string;
  command: string;
  class: CommandClass;
  tags: readonly HookCaseTag[];
}

export const HOOK_CASES: readonly HookCase[] = [
  { id: 'git.status', command: 'git status', class: 'read_only', tags: ['git'] },
  { id: 'git.status-short', command: 'git status --short --branch', class: 'read_only', tags: ['git'] },
  { id: 'git.log-count', command: 'git log -3 --oneline', class: 'read_only', tags: ['git'] },
  { id: 'git.log-path', command: 'git log -5 --stat -- src/index.ts', class: 'read_only', tags: ['git'] },
  { id: 'git.diff-spaced-path', command: 'git diff --stat -- "docs/my notes.md"', class: 'read_only', tags: ['git', 'path-with-spaces'] },
  { id: 'git.show', command: 'git show HEAD~1 --stat', class: 'read_only', tags: ['git'] },
  { id: 'git.branch-list', command: 'git branch -a', class: 'read_only', tags: ['git'] },
  { id: 'git.global-option', command: 'git -C sub log -1', class: 'read_only', tags: ['git', 'git-global-option'] },
  { id: 'env.log', command: 'GIT_PAGER=cat git log -2 main', class: 'read_only', tags: ['git', 'env-prefix'] },
  { id: 'chain.status-diff', command: 'git status && git diff --stat', class: 'read_only', tags: ['git', 'chain'] },
  { id: 'pipe.log-head', command: 'git log --oneline | head -20', class: 'read_only', tags: ['git', 'pipe'] },
  { id: 'file.head', command: 'head -5 README.md', class: 'read_only', tags: ['file-op'] },
  { id: 'gh.pr-view', command: 'gh pr view 12', class: 'read_only', tags: ['gh'] },
  { id: 'subshell.rev-parse', command: 'echo $(git rev-parse HEAD)', class: 'read_only', tags: ['git', 'subshell'] },
  { id: 'git.commit-message', command: 'git commit -m "fix: keep every argument"', class: 'mutating', tags: ['git', 'quoted-message'] },
  { id: 'git.push', command: 'git push origin main', class: 'mutating', tags: ['git'] },
  { id: 'git.add-all', command: 'git add -A', class: 'mutating', tags: ['git'] },
  { id: 'env.commit', command: 'GIT_AUTHOR_NAME=bot git commit --amend --no-edit', class: 'mutating', tags: ['git', 'env-prefix'] },
  { id: 'chain.add-commit', command: "git add . && git commit -m 'wip'", class: 'mutating', tags: ['git', 'chain', 'quoted-message'] },
  { id: 'redirect.log-to-file', command: 'git log > log.txt', class: 'mutating', tags: ['git', 'redirect'] },
  { id: 'heredoc.commit', command: "git commit -F - <<'EOF'\nfix: heredoc message\nEOF", class: 'mutating', tags: ['git', 'heredoc'] },
  { id: 'file.rm', command: 'rm -rf build', class: 'mutating', tags: ['file-op'] },
  { id: 'npm.install', command: 'npm install', class: 'mutating', tags: ['package-manager'] },
  { id: 'shell.bash-c', command: 'bash -c "git push --force"', class: 'mutating', tags: ['shell-wrapper', 'quoted-message'] },
  { id: 'unknown.tool', command: 'frobnicate --all', class: 'unknown', tags: ['unknown-tool'] },
];
