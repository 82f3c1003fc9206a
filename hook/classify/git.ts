import { hasOption, optionValue, readArgs, type ReadArgs } from './options.js';
import { mutating, readOnly, unknown, type RuleContext, type Verdict } from './types.js';

/** git's own options before the subcommand; these take a value (`-C dir`, `--git-dir dir`, `--git-dir=dir`). */
const GLOBAL_VALUED = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
  '--super-prefix',
  '--attr-source',
  '--list-cmds',
]);
const GLOBAL_FLAGS = new Set([
  '--no-pager',
  '-P',
  '-p',
  '--paginate',
  '--bare',
  '--no-replace-objects',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-optional-locks',
  '--no-lazy-fetch',
  '--no-advice',
]);
/** Global options that print something and run no subcommand. */
const GLOBAL_QUERIES = new Set([
  '--version',
  '-v',
  '--help',
  '-h',
  '--exec-path',
  '--html-path',
  '--man-path',
  '--info-path',
]);

/** Subcommands that only read, whatever their arguments (but see `--output`). */
const READ_ONLY: Record<string, string> = {
  status: 'shows the working tree status',
  log: 'shows commit history',
  diff: 'shows changes',
  show: 'shows commits and objects',
  blame: 'shows who changed each line',
  annotate: 'shows who changed each line',
  'rev-parse': 'resolves names to object ids',
  'rev-list': 'lists commits',
  'ls-files': 'lists tracked files',
  'ls-tree': 'lists a tree',
  'ls-remote': 'lists the refs of a remote',
  grep: 'searches tracked files',
  describe: 'names a commit after a tag',
  shortlog: 'summarises history',
  'cat-file': 'prints objects',
  'for-each-ref': 'lists refs',
  'merge-base': 'finds a common ancestor',
  'name-rev': 'names a commit',
  'count-objects': 'counts objects',
  'show-ref': 'lists refs',
  'show-branch': 'shows branches and their commits',
  whatchanged: 'shows commit history',
  'range-diff': 'compares two commit ranges',
  'diff-tree': 'shows changes',
  'diff-files': 'shows changes',
  'diff-index': 'shows changes',
  'check-ignore': 'checks ignore rules',
  'check-attr': 'shows attributes',
  'check-ref-format': 'checks a ref name',
  var: 'shows a git variable',
  'verify-commit': 'checks a commit signature',
  'verify-tag': 'checks a tag signature',
  cherry: 'lists commits not yet upstream',
  help: 'shows help',
  version: 'shows its version',
};

/** Read-only subcommands that take diff options, where `--output FILE` writes a file. */
const TAKES_DIFF_OUTPUT = new Set([
  'diff',
  'log',
  'show',
  'whatchanged',
  'range-diff',
  'diff-tree',
  'diff-files',
  'diff-index',
]);

/** Subcommands that change the repository, the working tree or a remote, whatever their arguments (but see DRY_RUN). */
const MUTATING: Record<string, string> = {
  add: 'stages changes in the index',
  commit: 'records a commit',
  push: 'updates a remote',
  pull: 'fetches and merges into the current branch',
  fetch: 'downloads objects and updates remote-tracking branches',
  merge: 'merges into the current branch',
  rebase: 'rewrites commits of the current branch',
  reset: 'moves the branch and can discard changes',
  checkout: 'switches branches or overwrites files in the working tree',
  switch: 'switches branches, changing the working tree',
  restore: 'overwrites files in the working tree or index',
  rm: 'deletes files and unstages them',
  mv: 'moves files',
  'cherry-pick': 'applies commits onto the current branch',
  revert: 'records commits that undo others',
  clean: 'deletes untracked files',
  init: 'creates a repository',
  clone: 'copies a repository onto disk',
  am: 'applies mailed patches as commits',
  gc: 'repacks and prunes the object database',
  prune: 'deletes unreachable objects',
  repack: 'rewrites pack files',
  'update-index': 'changes the index',
  'update-ref': 'moves a ref',
  'commit-tree': 'writes a commit object',
  mktree: 'writes a tree object',
  mktag: 'writes a tag object',
  'read-tree': 'reads a tree into the index',
  'write-tree': 'writes a tree object',
  'format-patch': 'writes patch files',
  'filter-branch': 'rewrites history',
  'filter-repo': 'rewrites history',
  replace: 'changes replacement refs',
  'pack-refs': 'rewrites refs',
  maintenance: 'changes the repository and its schedule',
  rerere: 'changes recorded conflict resolutions',
  mergetool: 'edits conflicted files',
  difftool: 'opens an external tool that can edit files',
  'send-email': 'sends patches by mail',
  'request-pull': 'contacts a remote',
};

/** How each subcommand spells "only say what you would do"; `commit -n` and `fetch -n` mean something else. */
const DRY_RUN: Record<string, readonly string[]> = {
  add: ['-n', '--dry-run'],
  push: ['-n', '--dry-run'],
  rm: ['-n', '--dry-run'],
  mv: ['-n', '--dry-run'],
  clean: ['-n', '--dry-run'],
  prune: ['-n', '--dry-run'],
  fetch: ['--dry-run'],
  commit: ['--dry-run'],
};

/** Options of the mutating subcommands that take a value, so a value is not read as a flag cluster (`-m -n`). */
const MUTATING_VALUED = [
  '-m',
  '--message',
  '-F',
  '--file',
  '-C',
  '-c',
  '--author',
  '--date',
  '-e',
  '--exclude',
  '-o',
  '--push-option',
  '--repo',
  '--pathspec-from-file',
];

export function classifyGit(args: readonly string[], ctx: RuleContext): Verdict {
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) break;
    if (GLOBAL_QUERIES.has(arg)) return readOnly(`git ${arg} only prints information`);
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (GLOBAL_VALUED.has(name)) {
      if (!arg.includes('=')) i++;
      continue;
    }
    if (GLOBAL_FLAGS.has(arg) || name === '--exec-path') continue;
    return unknown(`git ${arg} is not an option this classifier knows`);
  }
  const sub = args[i];
  const rest = args.slice(i + 1);
  if (sub === undefined) return readOnly('git with no command only prints its usage');
  if (/[$`]/.test(sub)) return unknown('the git command is only known at run time');
  if (rest.includes('--help')) return readOnly(`git ${sub} --help only shows help`);
  const mode = MODES[sub];
  if (mode) return mode(rest, ctx);
  const readReason = READ_ONLY[sub];
  if (readReason !== undefined) {
    const output = rest.find((arg) => arg === '--output' || arg.startsWith('--output='));
    if (TAKES_DIFF_OUTPUT.has(sub) && output) {
      const file = output === '--output' ? rest[rest.indexOf(output) + 1] : output.slice('--output='.length);
      return mutating(`git ${sub} --output writes its output into ${file ?? 'a file'}`);
    }
    return readOnly(`git ${sub} ${readReason}`);
  }
  const writeReason = MUTATING[sub];
  if (writeReason !== undefined) {
    const dryRun = DRY_RUN[sub];
    if (dryRun && hasOption(readArgs(rest, { valued: MUTATING_VALUED }), ...dryRun))
      return readOnly(`git ${sub} ${dryRun.at(-1)} only reports what it would do`);
    return mutating(`git ${sub} ${writeReason}`);
  }
  return unknown(`git ${sub} is not a git command this classifier knows (it may be an alias or an extension)`);
}

type Mode = (args: readonly string[], ctx: RuleContext) => Verdict;

/** Subcommands whose class depends on their arguments. */
const MODES: Record<string, Mode> = {
  branch: classifyBranch,
  tag: classifyTag,
  stash: classifyStash,
  worktree: (args) =>
    bySubcommand(
      'worktree',
      args,
      { list: 'lists worktrees' },
      {
        add: 'creates a worktree',
        remove: 'deletes a worktree',
        prune: 'deletes stale worktree records',
        move: 'moves a worktree',
        lock: 'locks a worktree',
        unlock: 'unlocks a worktree',
        repair: 'rewrites worktree links',
      },
    ),
  remote: (args) => {
    if (args.every((arg) => arg === '-v' || arg === '--verbose')) return readOnly('git remote lists remotes');
    return bySubcommand(
      'remote',
      args,
      { show: 'shows a remote', 'get-url': 'prints a remote URL' },
      {
        add: 'adds a remote',
        remove: 'removes a remote',
        rm: 'removes a remote',
        rename: 'renames a remote',
        'set-url': 'changes a remote URL',
        'set-head': 'changes a remote HEAD',
        'set-branches': 'changes the branches a remote tracks',
        prune: 'deletes stale remote-tracking branches',
        update: 'fetches from remotes',
      },
    );
  },
  config: classifyConfig,
  reflog: (args) => {
    const first = args.find((arg) => !arg.startsWith('-'));
    if (first === 'expire' || first === 'delete') return mutating(`git reflog ${first} deletes reflog entries`);
    return readOnly('git reflog shows the reflog');
  },
  notes: (args) => {
    if (args.length === 0) return readOnly('git notes lists notes');
    return bySubcommand(
      'notes',
      args,
      { list: 'lists notes', show: 'shows a note', 'get-ref': 'prints the notes ref' },
      {
        add: 'adds a note',
        append: 'appends to a note',
        copy: 'copies a note',
        edit: 'edits a note',
        merge: 'merges notes',
        remove: 'removes a note',
        prune: 'deletes notes of missing objects',
      },
    );
  },
  submodule: classifySubmodule,
  apply: (args) => {
    const read = readArgs(args, { valued: ['-p', '-C', '--exclude', '--include', '--directory'] });
    const reportOnly = hasOption(read, '--check', '--stat', '--numstat', '--summary') && !hasOption(read, '--apply');
    return reportOnly
      ? readOnly('git apply --check/--stat only reports on the patch')
      : mutating('git apply changes files in the working tree');
  },
  'sparse-checkout': (args) =>
    args[0] === 'list'
      ? readOnly('git sparse-checkout list lists the patterns')
      : mutating('git sparse-checkout changes which files are checked out'),
  'symbolic-ref': (args) => {
    const read = readArgs(args, { valued: ['-m'] });
    if (hasOption(read, '-d', '--delete')) return mutating('git symbolic-ref -d deletes a symbolic ref');
    return read.positionals.length >= 2
      ? mutating('git symbolic-ref NAME REF points a symbolic ref elsewhere')
      : readOnly('git symbolic-ref NAME reads a symbolic ref');
  },
  'hash-object': (args) =>
    args.includes('-w')
      ? mutating('git hash-object -w writes an object')
      : readOnly('git hash-object only computes an object id'),
  bisect: (args) => {
    const sub = args[0];
    if (sub === 'log' || sub === 'visualize' || sub === 'view' || sub === 'terms')
      return readOnly(`git bisect ${sub} only shows the bisection`);
    return mutating(`${['git bisect', sub].filter(Boolean).join(' ')} checks out commits`);
  },
  archive: (args) => {
    const read = readArgs(args, { valued: ['-o', '--output', '--format', '--prefix', '--remote', '--exec'] });
    const output = optionValue(read, '-o', '--output');
    return output !== undefined
      ? mutating(`git archive -o writes ${output}`)
      : readOnly('git archive writes the archive to standard output');
  },
  'merge-file': (args) =>
    args.includes('-p') || args.includes('--stdout')
      ? readOnly('git merge-file -p prints the merge')
      : mutating('git merge-file overwrites the current file'),
  fsck: (args) =>
    args.includes('--lost-found')
      ? mutating('git fsck --lost-found writes dangling objects into .git/lost-found')
      : readOnly('git fsck checks the object database'),
};

function classifyBranch(args: readonly string[]): Verdict {
  const read = readArgs(args, {
    valued: [
      '-u',
      '--set-upstream-to',
      '--contains',
      '--no-contains',
      '--merged',
      '--no-merged',
      '--points-at',
      '--sort',
      '--format',
      '--abbrev',
    ],
  });
  const actions: [readonly string[], string][] = [
    [['-d', '-D', '--delete'], 'deletes a branch'],
    [['-m', '-M', '--move'], 'renames a branch'],
    [['-c', '-C', '--copy'], 'copies a branch'],
    [['-u', '--set-upstream-to', '--unset-upstream', '--set-upstream'], "changes a branch's upstream"],
    [['--edit-description'], "edits a branch's description"],
  ];
  for (const [names, what] of actions) {
    const given = read.options.find((option) => names.includes(option.name));
    if (given) return mutating(`git branch ${given.name} ${what}`);
  }
  const listing = hasOption(
    read,
    '-l',
    '--list',
    '-a',
    '--all',
    '-r',
    '--remotes',
    '--show-current',
    '--contains',
    '--no-contains',
    '--merged',
    '--no-merged',
    '--points-at',
  );
  if (read.positionals.length > 0 && !listing) return mutating('git branch NAME creates a branch');
  return readOnly('git branch lists branches');
}

function classifyTag(args: readonly string[]): Verdict {
  const read = readArgs(args, {
    valued: [
      '-m',
      '--message',
      '-F',
      '--file',
      '-u',
      '--local-user',
      '--contains',
      '--no-contains',
      '--merged',
      '--no-merged',
      '--points-at',
      '--sort',
      '--format',
      '--cleanup',
    ],
  });
  if (hasOption(read, '-d', '--delete')) return mutating('git tag -d deletes a tag');
  if (hasOption(read, '-v', '--verify')) return readOnly('git tag -v checks tag signatures');
  if (hasOption(read, '-l', '--list', '-n', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at'))
    return readOnly('git tag --list lists tags');
  if (
    read.positionals.length > 0 ||
    hasOption(read, '-a', '--annotate', '-s', '--sign', '-m', '--message', '-F', '--file', '-f', '--force')
  ) {
    return mutating('git tag NAME creates a tag');
  }
  return readOnly('git tag lists tags');
}

function classifyStash(args: readonly string[]): Verdict {
  const sub = args[0];
  if (sub === undefined || sub.startsWith('-'))
    return mutating('git stash saves local changes and removes them from the working tree');
  const reads: Record<string, string> = { list: 'lists stashes', show: 'shows a stash' };
  const writes: Record<string, string> = {
    push: 'saves local changes and removes them from the working tree',
    save: 'saves local changes and removes them from the working tree',
    pop: 'applies a stash to the working tree and drops it',
    apply: 'applies a stash to the working tree',
    drop: 'deletes a stash',
    clear: 'deletes every stash',
    store: 'stores a stash entry',
    create: 'writes a stash commit',
    branch: 'creates a branch from a stash',
  };
  return bySubcommand('stash', args, reads, writes);
}

function classifyConfig(args: readonly string[]): Verdict {
  const first = args[0];
  const modern: Record<string, Verdict> = {
    list: readOnly('git config list lists settings'),
    get: readOnly('git config get reads a setting'),
    set: mutating('git config set changes a setting'),
    unset: mutating('git config unset removes a setting'),
    'rename-section': mutating('git config rename-section renames a section'),
    'remove-section': mutating('git config remove-section removes a section'),
    edit: mutating('git config edit opens the config in an editor'),
  };
  if (first !== undefined && modern[first]) return modern[first];
  const read: ReadArgs = readArgs(args, { valued: ['-f', '--file', '--blob', '--type', '--default', '--comment'] });
  const write = read.options.find((option) =>
    [
      '--unset',
      '--unset-all',
      '--add',
      '--replace-all',
      '--rename-section',
      '--remove-section',
      '-e',
      '--edit',
    ].includes(option.name),
  );
  if (write) return mutating(`git config ${write.name} changes the configuration`);
  if (
    hasOption(
      read,
      '--get',
      '--get-all',
      '--get-regexp',
      '--get-urlmatch',
      '--get-color',
      '--get-colorbool',
      '-l',
      '--list',
    )
  )
    return readOnly('git config --get/--list reads settings');
  if (read.positionals.length >= 2) return mutating('git config KEY VALUE sets a setting');
  return readOnly('git config KEY reads a setting');
}

function classifySubmodule(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, { stopAtPositional: true });
  const [sub, ...rest] = read.rest;
  if (sub === undefined || sub === 'status' || sub === 'summary')
    return readOnly('git submodule shows submodule status');
  if (sub === 'foreach') {
    const command = rest.filter((arg) => arg !== '--recursive' && arg !== '-q' && arg !== '--quiet').join(' ');
    const inner = ctx.classifyLine(command);
    return { class: inner.class, reason: `git submodule foreach runs ${command} in each submodule: ${inner.reason}` };
  }
  const writes = ['update', 'init', 'add', 'deinit', 'sync', 'absorbgitdirs', 'set-url', 'set-branch'];
  if (writes.includes(sub)) return mutating(`git submodule ${sub} changes submodules`);
  return unknown(`git submodule ${sub} is not a submodule command this classifier knows`);
}

/** `git X SUB …` where SUB picks the behaviour; an unknown SUB is unknown, not read-only. */
function bySubcommand(
  command: string,
  args: readonly string[],
  reads: Record<string, string>,
  writes: Record<string, string>,
): Verdict {
  const sub = args.find((arg) => !arg.startsWith('-'));
  if (sub === undefined)
    return reads.list !== undefined
      ? readOnly(`git ${command} ${reads.list}`)
      : unknown(`git ${command} needs a subcommand`);
  if (reads[sub] !== undefined) return readOnly(`git ${command} ${sub} ${reads[sub]}`);
  if (writes[sub] !== undefined) {
    if (sub === 'prune' && (args.includes('-n') || args.includes('--dry-run')))
      return readOnly(`git ${command} prune --dry-run only reports what it would do`);
    return mutating(`git ${command} ${sub} ${writes[sub]}`);
  }
  return unknown(`git ${command} ${sub} is not a subcommand this classifier knows`);
}
