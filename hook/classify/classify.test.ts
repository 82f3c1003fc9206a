import { describe, expect, it } from 'vitest';
import * as library from '../../index.js';
import { classifyCommand, COMMAND_CLASSES, type CommandClass } from './index.js';

const classOf = (line: string): CommandClass => classifyCommand(line).class;

describe('classifyCommand: the API', () => {
  it('names the three classes and is re-exported from the package entry', () => {
    expect(COMMAND_CLASSES).toEqual(['read_only', 'mutating', 'unknown']);
    expect(library.classifyCommand).toBe(classifyCommand);
    expect(library.COMMAND_CLASSES).toBe(COMMAND_CLASSES);
  });

  it('gives one part per command, in reading order, each with its own class and a plain reason', () => {
    const result = classifyCommand('git status && rm -rf dist | docker ps');
    expect(result.parts).toEqual([
      { command: 'git status', class: 'read_only', reason: 'git status shows the working tree status' },
      { command: 'rm -rf dist', class: 'mutating', reason: 'rm deletes files' },
      { command: 'docker ps', class: 'unknown', reason: 'docker is not a command this classifier knows' },
    ]);
    expect(result.class).toBe('mutating');
    expect(result.reason).toBe('rm deletes files (command 2 of 3: rm -rf dist)');
  });

  it('says what a mode does, e.g. that git branch -d deletes a branch', () => {
    expect(classifyCommand('git branch -d feature/x')).toEqual({
      class: 'mutating',
      reason: 'git branch -d deletes a branch',
      parts: [{ command: 'git branch -d feature/x', class: 'mutating', reason: 'git branch -d deletes a branch' }],
    });
  });
});

describe('classifyCommand: the most dangerous part wins', () => {
  it('mutating beats unknown beats read-only, wherever the part sits', () => {
    expect(classOf('git status; git log -1')).toBe('read_only');
    expect(classOf('git status; terraform plan')).toBe('unknown');
    expect(classOf('terraform plan; git status')).toBe('unknown');
    expect(classOf('terraform plan; git push; git status')).toBe('mutating');
    expect(classOf('git status | tee out.txt')).toBe('mutating');
  });

  it('never counts unknown as read-only: one unknown part keeps a read-only line from being read-only', () => {
    for (const tail of [
      'make-believe --dry-run',
      './run.sh',
      'python3 -c "print(1)"',
      '$TOOL status',
      'git frobnicate',
    ]) {
      expect(classOf(`git status && ${tail}`), tail).toBe('unknown');
    }
  });

  it('classes an unparseable or empty line as unknown, with no parts', () => {
    for (const line of ['git commit -m "open', "echo 'open", 'ls &&', '', '   ', '# only a comment']) {
      const result = classifyCommand(line);
      expect(result.class, JSON.stringify(line)).toBe('unknown');
      expect(result.parts).toEqual([]);
    }
    expect(classifyCommand('echo "open').reason).toMatch(/cannot be read as a shell command: unbalanced "/);
  });
});

describe('classifyCommand: what runs and what is only text', () => {
  it('does not class heredoc bodies as commands, even when they hold && or rm', () => {
    const result = classifyCommand("git log -1 && cat <<'EOF'\nrm -rf / && git push --force\nEOF");
    expect(result.class).toBe('read_only');
    expect(result.parts.map((part) => part.command)).toEqual(['git log -1', "cat <<'EOF'"]);
  });

  it('counts $(…) inside a double-quoted message: the shell runs it', () => {
    const result = classifyCommand('echo "done: $(git stash)"');
    expect(result.class).toBe('mutating');
    expect(result.parts.map((part) => [part.command, part.class])).toEqual([
      ['echo "done: $(git stash)"', 'read_only'],
      ['git stash', 'mutating'],
    ]);
  });

  it('does not count $(…) inside single quotes, nor in a quoted heredoc', () => {
    expect(classOf("echo 'done: $(git stash)'")).toBe('read_only');
    expect(classOf("cat <<'EOF'\n$(git stash)\nEOF")).toBe('read_only');
    expect(classOf('cat <<EOF\n$(git stash)\nEOF')).toBe('mutating');
  });

  it('classes the inner line of bash -c / sh -c / eval, however deep, within a limit', () => {
    expect(classOf("bash -c 'git status'")).toBe('read_only');
    expect(classOf('sh -c "bash -c \'rm -f x\'"')).toBe('mutating');
    expect(classOf('eval "git push"')).toBe('mutating');
    const deep = Array.from({ length: 12 }).reduce<string>((inner) => `eval ${JSON.stringify(inner)}`, 'git status');
    expect(classifyCommand(deep).reason).toMatch(/nested too deep/);
    expect(classOf(deep)).toBe('unknown');
  });

  it('classes wrappers by the command they run, and env prefixes by the command after them', () => {
    expect(classOf('sudo -u deploy git pull')).toBe('mutating');
    expect(classOf('xargs -n1 -I{} git branch -d {}')).toBe('mutating');
    expect(classOf('xargs')).toBe('read_only');
    expect(classOf('timeout 5s git status')).toBe('read_only');
    expect(classOf('A=1 B="two words" env C=3 git log')).toBe('read_only');
    expect(classOf('FOO=bar')).toBe('read_only');
    expect(classOf('FOO=$(rm -rf x)')).toBe('mutating');
  });

  it('classes what trap will run, and reads the time keyword before a subshell', () => {
    expect(classOf('trap \'rm -f "$tmp"\' EXIT')).toBe('mutating');
    expect(classOf("trap 'echo bye' EXIT; git status")).toBe('read_only');
    expect(classOf('time (git fetch && git status)')).toBe('mutating');
    expect(classOf('time (git status)')).toBe('read_only');
  });

  it('reads a command by its name: an absolute path to a known tool is that tool, a relative path is unknown', () => {
    expect(classOf('/usr/bin/git status')).toBe('read_only');
    expect(classOf('./git status')).toBe('unknown');
    expect(classOf('node_modules/.bin/tsc --noEmit')).toBe('unknown');
  });
});

describe('classifyCommand: redirections', () => {
  it('writes no file for /dev/null, descriptor copies, stderr and input', () => {
    for (const line of [
      'ls 2>/dev/null',
      'ls > /dev/null 2>&1',
      'echo oops >&2',
      'echo oops 1>&2',
      'wc -l < in.txt',
      'ls &>/dev/null',
      'cat <<< "x"',
      'ls 2>&-',
    ]) {
      expect(classOf(line), line).toBe('read_only');
    }
  });

  it('writes a file for >, >>, >|, &>, &>>, 2>, <> and >& FILE, also to a path known only at run time', () => {
    for (const line of [
      'ls > out.txt',
      'ls >> out.txt',
      'ls >| out.txt',
      'ls &> out.txt',
      'ls &>> out.txt',
      'ls 2> err.txt',
      'cat 3<> rw.txt',
      'ls >& out.txt',
      'ls > "$OUT"',
    ]) {
      expect(classOf(line), line).toBe('mutating');
    }
    expect(classifyCommand('git log > "my log.txt"').reason).toBe('> "my log.txt" writes output into my log.txt');
  });
});

describe('classifyCommand: decisions worth pinning', () => {
  it('git diff/log/show --output write a file, so they are mutating', () => {
    expect(classOf('git diff --output=changes.diff')).toBe('mutating');
    expect(classOf('git log -p --output log.txt')).toBe('mutating');
    expect(classOf('git diff --output-indicator-new=+ HEAD')).toBe('read_only');
  });

  it('npm run / npm test / yarn SCRIPT run project scripts and are mutating; npx is classed by what it runs', () => {
    expect(classOf('npm run lint')).toBe('mutating');
    expect(classOf('npm test')).toBe('mutating');
    expect(classOf('yarn lint')).toBe('mutating');
    expect(classOf('npx tsc --noEmit')).toBe('read_only');
    expect(classOf('npx tsc')).toBe('mutating');
    expect(classOf('npx some-unknown-tool')).toBe('unknown');
  });

  it(
    'gh api: GET reads; fields switch to POST; an explicit -X GET keeps fields ' +
      'as query parameters; GraphQL by operation',
    () => {
      expect(classOf('gh api repos/o/r')).toBe('read_only');
      expect(classOf('gh api repos/o/r/labels -f name=x')).toBe('mutating');
      expect(classOf('gh api -XGET search/issues -f q=x')).toBe('read_only');
      expect(classOf('gh api --method=POST repos/o/r/forks')).toBe('mutating');
      expect(classOf('gh api repos/o/r/issues --input body.json')).toBe('mutating');
      expect(classOf("gh api graphql -f query='{ viewer { login } }'")).toBe('read_only');
      expect(classOf("gh api graphql -f query='mutation { x }'")).toBe('mutating');
      expect(classOf('gh api graphql -F query=@q.graphql')).toBe('unknown');
    },
  );

  it('git modes: dry runs read; commit -n and fetch -n are not dry runs; --help only shows help', () => {
    expect(classOf('git rebase --help')).toBe('read_only');
    expect(classOf('git clean -ndx')).toBe('read_only');
    expect(classOf('git commit -n -m "skip hooks"')).toBe('mutating');
    expect(classOf('git fetch -n origin')).toBe('mutating');
    expect(classOf('git commit --dry-run')).toBe('read_only');
    expect(classOf('git worktree prune --dry-run')).toBe('read_only');
  });

  it('git config: one key reads, a key and a value writes, --get wins over positionals', () => {
    expect(classOf('git config --global user.name')).toBe('read_only');
    expect(classOf('git config --global user.name "A B"')).toBe('mutating');
    expect(classOf('git config --get-regexp "^remote\\..*\\.url" x')).toBe('read_only');
    expect(classOf('git config get user.name')).toBe('read_only');
    expect(classOf('git config set user.name x')).toBe('mutating');
  });

  it('git global options: values are skipped, an unknown one is unknown', () => {
    expect(classOf('git -C "a dir" -c x.y=z --git-dir=.git --work-tree . --no-pager -P status')).toBe('read_only');
    expect(classOf('git -C status commit')).toBe('mutating');
    expect(classOf('git --frobnicate status')).toBe('unknown');
  });

  it('sed -i in every spelling edits in place; a script file for sed is not in-place', () => {
    for (const line of [
      "sed -i 's/a/b/' f",
      "sed -i.bak 's/a/b/' f",
      "sed -Ei 's/a/b/' f",
      "sed -ni 'p' f",
      "sed --in-place=.orig 's/a/b/' f",
    ]) {
      expect(classOf(line), line).toBe('mutating');
    }
    for (const line of ["sed 's/a/b/' f", 'sed -f script.sed f', "sed -e 's/i/j/' f", "sed -n '/x/p' f"]) {
      expect(classOf(line), line).toBe('read_only');
    }
  });

  it('find classes by its actions: -delete writes, -exec is classed by the command it runs', () => {
    expect(classOf('find . -name x -exec cat {} \\;')).toBe('read_only');
    expect(classOf('find . -name x -exec cat {} \\; -exec rm {} +')).toBe('mutating');
    expect(classOf('find . -exec frob {} +')).toBe('unknown');
    expect(classOf('find . -fprint list.txt')).toBe('mutating');
  });
});
