import { describe, expect, it } from 'vitest';
import { parseShell, ShellSyntaxError, type ShellCommand, type SimpleCommand } from './shell.js';

function simple(commands: ShellCommand[]): SimpleCommand[] {
  return commands.map((command) => {
    if (command.kind !== 'simple') throw new Error(`expected a simple command, got ${command.kind}: ${command.source}`);
    return command;
  });
}

/** Each command as its argv (quote-removed values). */
function argvs(line: string): string[][] {
  return simple(parseShell(line)).map((command) => command.words.map((word) => word.value));
}

describe('parseShell: operators and lists', () => {
  it('splits on &&, ||, ;, |, |&, & and newlines', () => {
    expect(argvs('git status && git diff || echo x; ls | wc -l |& cat & sleep 1\npwd')).toEqual([
      ['git', 'status'],
      ['git', 'diff'],
      ['echo', 'x'],
      ['ls'],
      ['wc', '-l'],
      ['cat'],
      ['sleep', '1'],
      ['pwd'],
    ]);
  });

  it('reads subshells and { …; } groups as the commands inside them', () => {
    expect(argvs('(cd sub && git pull); { git status; git log -1; }')).toEqual([
      ['cd', 'sub'],
      ['git', 'pull'],
      ['git', 'status'],
      ['git', 'log', '-1'],
    ]);
  });

  it('lets a closed subshell, group or loop carry redirections', () => {
    const commands = simple(
      parseShell('(cd sub && ls) > out.txt; { echo a; } 2>/dev/null; for f in *; do echo "$f"; done >> list.txt'),
    );
    const redirectOnly = commands.filter((command) => command.words.length === 0);
    expect(
      redirectOnly.map((command) => command.redirects.map((r) => `${r.fd ?? ''}${r.op} ${r.target.value}`)),
    ).toEqual([['> out.txt'], ['2> /dev/null'], ['>> list.txt']]);
  });

  it('treats if/then/else/fi and while/do/done as frames, and a for header as no command', () => {
    expect(argvs('if git diff --quiet; then echo clean; else git stash; fi')).toEqual([
      ['git', 'diff', '--quiet'],
      ['echo', 'clean'],
      ['git', 'stash'],
    ]);
    expect(argvs('for f in $(git ls-files); do wc -l "$f"; done')).toEqual([
      ['git', 'ls-files'],
      ['wc', '-l', '$f'],
    ]);
    expect(argvs('while read -r line; do echo "$line"; done < input.txt')).toEqual([
      ['read', '-r', 'line'],
      ['echo', '$line'],
      [],
    ]);
  });

  it('drops comments, also after a command', () => {
    expect(argvs('ls # rm -rf /\n# git push\ngit status')).toEqual([['ls'], ['git', 'status']]);
  });

  it('joins backslash-newline continuations', () => {
    expect(argvs('git log \\\n  --oneline \\\n  -5')).toEqual([['git', 'log', '--oneline', '-5']]);
  });
});

describe('parseShell: quoting', () => {
  it('never splits inside double or single quotes', () => {
    expect(argvs('git commit -m "fix: a && b; c | d"')).toEqual([['git', 'commit', '-m', 'fix: a && b; c | d']]);
    expect(argvs("git commit -m 'x && rm -rf /'")).toEqual([['git', 'commit', '-m', 'x && rm -rf /']]);
  });

  it("joins adjacent quoted parts ('it''s' is its) and keeps escaped quotes", () => {
    expect(argvs("echo 'it''s'")).toEqual([['echo', 'its']]);
    expect(argvs('echo "say \\"hi\\"" it\\\'s')).toEqual([['echo', 'say "hi"', "it's"]]);
  });

  it("reads $'…' with its escapes, including \\'", () => {
    expect(argvs("git commit -m $'subject\\n\\nit\\'s \\x41'")).toEqual([['git', 'commit', '-m', "subject\n\nit's A"]]);
  });

  it('keeps paths with spaces whole, quoted or escaped', () => {
    expect(argvs('cp "My Notes.txt" \'/tmp/backup copy.txt\' ~/My\\ Documents/')).toEqual([
      ['cp', 'My Notes.txt', '/tmp/backup copy.txt', '~/My Documents/'],
    ]);
  });

  it('keeps $VARIABLES unexpanded and marks quoted words', () => {
    const [command] = simple(parseShell('FOO=1 "$EDITOR" ${HOME}/x'));
    expect(command!.words.map((word) => [word.value, word.quoted])).toEqual([
      ['FOO=1', false],
      ['$EDITOR', true],
      ['${HOME}/x', false],
    ]);
  });

  it('refuses unbalanced quotes, substitutions and backticks', () => {
    for (const line of [
      'echo "open',
      "echo 'open",
      'echo $(git status',
      'echo `date',
      "echo $'x",
      'echo ${HOME',
      'echo $((1 + 2)',
    ]) {
      expect(() => parseShell(line), line).toThrow(ShellSyntaxError);
    }
  });

  it('refuses dangling operators and stray parentheses', () => {
    for (const line of ['ls &&', '&& ls', 'ls | | wc', 'ls ;; ls', 'ls )', '( ls', 'ls; ; ls', '()', 'ls >']) {
      expect(() => parseShell(line), line).toThrow(ShellSyntaxError);
    }
  });
});

describe('parseShell: substitutions run, quoted text does not', () => {
  it('finds $(…) inside a double-quoted argument: the shell runs it', () => {
    expect(argvs('git commit -m "release $(rm -rf dist)"')).toEqual([
      ['git', 'commit', '-m', 'release $(rm -rf dist)'],
      ['rm', '-rf', 'dist'],
    ]);
  });

  it('finds nothing inside single quotes', () => {
    expect(argvs("echo 'later: $(rm -rf dist) `rm x`'")).toEqual([['echo', 'later: $(rm -rf dist) `rm x`']]);
  });

  it('finds backtick commands, nested $(…) and commands inside ${…}', () => {
    expect(argvs('echo `git rev-parse HEAD` "$(dirname "$(git rev-parse --show-toplevel)")" ${X:-$(whoami)}')).toEqual([
      ['echo', '`git rev-parse HEAD`', '$(dirname "$(git rev-parse --show-toplevel)")', '${X:-$(whoami)}'],
      ['git', 'rev-parse', 'HEAD'],
      ['dirname', '$(git rev-parse --show-toplevel)'],
      ['git', 'rev-parse', '--show-toplevel'],
      ['whoami'],
    ]);
  });

  it('reads $((…)) as arithmetic, not a command', () => {
    expect(argvs('echo $((1 + 2)) $(( (3) ))')).toEqual([['echo', '$((1 + 2))', '$(( (3) ))']]);
  });

  it('finds the commands of <(…) process substitution', () => {
    expect(argvs('diff <(git show HEAD:a.txt) a.txt')).toEqual([
      ['diff', '<(git show HEAD:a.txt)', 'a.txt'],
      ['git', 'show', 'HEAD:a.txt'],
    ]);
  });
});

describe('parseShell: heredocs', () => {
  it('reads a heredoc body as data: its && and rm are not commands', () => {
    const line = "git commit -F - <<'EOF'\nfix: stop calling rm -rf build && make clean\nEOF\ngit push";
    expect(argvs(line)).toEqual([
      ['git', 'commit', '-F', '-'],
      ['git', 'push'],
    ]);
  });

  it('reads the Claude Code commit form: a heredoc inside $(…) inside double quotes', () => {
    const line = 'git commit -m "$(cat <<\'EOF\'\nfeat: x && y; rm -rf /\n\nbody | more\nEOF\n)" && git status';
    expect(argvs(line).map((argv) => argv[0] + ' ' + (argv[1] ?? ''))).toEqual(['git commit', 'cat ', 'git status']);
  });

  it('runs $(…) in an unquoted heredoc body but not in a quoted one', () => {
    expect(argvs('cat <<EOF\nnow: $(git stash)\nEOF')).toEqual([['cat'], ['git', 'stash']]);
    expect(argvs("cat <<'EOF'\nnow: $(git stash)\nEOF")).toEqual([['cat']]);
    expect(argvs('cat <<"EOF"\nnow: `git stash`\nEOF')).toEqual([['cat']]);
  });

  it('reads two heredocs of one line in order, and <<- strips leading tabs from the delimiter line', () => {
    expect(argvs('cat <<A <<-B\nrm a\nA\n\trm b\n\tB\necho done')).toEqual([['cat'], ['echo', 'done']]);
  });

  it('keeps the redirection written after a heredoc operator', () => {
    const [command] = simple(parseShell('cat <<EOF > config.json\n{"a": 1}\nEOF'));
    expect(command!.redirects.map((r) => [r.op, r.target.value])).toEqual([
      ['<<', 'EOF'],
      ['>', 'config.json'],
    ]);
    expect(command!.source).toBe('cat <<EOF > config.json');
  });

  it('takes the rest of the text as the body when the delimiter never comes, as bash does', () => {
    expect(argvs('cat <<EOF\nrm -rf /')).toEqual([['cat']]);
  });
});

describe('parseShell: redirections', () => {
  it('reads descriptor numbers and every operator, with or without spaces', () => {
    const [command] = simple(
      parseShell('cmd 2>&1 >out.txt 2>> err.log &> all.log >| forced <in.txt 3<> rw <<< "text" >&2'),
    );
    expect(command!.words.map((word) => word.value)).toEqual(['cmd']);
    expect(command!.redirects.map((r) => `${r.fd ?? ''}${r.op}${r.target.value}`)).toEqual([
      '2>&1',
      '>out.txt',
      '2>>err.log',
      '&>all.log',
      '>|forced',
      '<in.txt',
      '3<>rw',
      '<<<text',
      '>&2',
    ]);
  });

  it('reads < and > inside [[ … ]] as comparisons, not redirections', () => {
    const [command] = simple(parseShell('[[ $a > $b && -f x ]]'));
    expect(command!.redirects).toEqual([]);
    expect(command!.words.map((word) => word.value)).toEqual(['[[', '$a', '>', '$b', '&&', '-f', 'x', ']]']);
  });

  it('marks a function definition as opaque', () => {
    expect(parseShell('build() { npm run build; }; build')).toEqual([expect.objectContaining({ kind: 'opaque' })]);
  });
});
