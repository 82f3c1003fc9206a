import { hasOption, isHarmlessTarget, optionValue, readArgs } from './options.js';
import { mutating, readOnly, unknown, worse, type Rule, type RuleContext, type Verdict } from './types.js';

/** Tools that only read files or print, whatever their arguments. */
const READ_ONLY_TOOLS: Record<string, string> = {
  ls: 'lists files',
  cat: 'prints files',
  head: 'prints the start of files',
  tail: 'prints the end of files',
  less: 'shows files',
  more: 'shows files',
  wc: 'counts lines, words and bytes',
  grep: 'searches text',
  egrep: 'searches text',
  fgrep: 'searches text',
  rg: 'searches text',
  echo: 'prints its arguments',
  printf: 'prints its arguments',
  pwd: 'prints the current directory',
  which: 'looks up commands',
  whereis: 'looks up commands',
  type: 'describes commands',
  diff: 'compares files',
  cmp: 'compares files',
  comm: 'compares sorted files',
  stat: 'shows file metadata',
  file: 'guesses file types',
  tree: 'lists a directory tree',
  jq: 'filters JSON',
  cut: 'prints columns',
  tr: 'translates characters',
  column: 'formats columns',
  paste: 'joins lines',
  join: 'joins files on a field',
  nl: 'numbers lines',
  tac: 'prints files in reverse',
  rev: 'reverses lines',
  fold: 'wraps lines',
  od: 'dumps bytes',
  hexdump: 'dumps bytes',
  xxd: 'dumps bytes',
  strings: 'prints text in binary files',
  base64: 'encodes or decodes',
  md5sum: 'computes checksums',
  sha1sum: 'computes checksums',
  sha256sum: 'computes checksums',
  sha512sum: 'computes checksums',
  shasum: 'computes checksums',
  cksum: 'computes checksums',
  basename: 'prints a file name',
  dirname: 'prints a directory name',
  realpath: 'resolves a path',
  readlink: 'reads a link',
  du: 'measures disk use',
  df: 'shows free space',
  ps: 'lists processes',
  pgrep: 'looks up processes',
  lsof: 'lists open files',
  nproc: 'prints the processor count',
  free: 'shows memory use',
  uptime: 'shows the uptime',
  uname: 'prints the system name',
  whoami: 'prints the user',
  id: 'prints the user and groups',
  date: 'prints the date',
  printenv: 'prints the environment',
  locale: 'prints locale settings',
  seq: 'prints numbers',
  sleep: 'waits',
  true: 'does nothing',
  false: 'does nothing',
  ':': 'does nothing',
  test: 'tests a condition',
  '[': 'tests a condition',
  '[[': 'tests a condition',
  man: 'shows a manual page',
  cd: "changes the shell's directory only",
  pushd: "changes the shell's directory only",
  popd: "changes the shell's directory only",
  export: 'sets shell variables only',
  unset: 'unsets shell variables only',
  set: 'sets shell options only',
  wait: 'waits for background jobs',
  read: 'reads a line into a shell variable',
  local: 'sets shell variables only',
  declare: 'sets shell variables only',
  typeset: 'sets shell variables only',
  readonly: 'sets shell variables only',
  shift: 'shifts shell arguments only',
  return: 'returns from a shell function',
  umask: "sets the shell's file mode mask only",
  ulimit: "sets the shell's limits only",
  jobs: 'lists background jobs',
  hash: "manages the shell's command lookup cache only",
  history: 'shows the shell history',
  clear: 'clears the terminal',
  exit: 'ends the shell',
  bat: 'prints files',
  zcat: 'prints compressed files',
  bzcat: 'prints compressed files',
  xzcat: 'prints compressed files',
};

/** Tools that change files (or processes), whatever their arguments. */
const MUTATING_TOOLS: Record<string, string> = {
  rm: 'deletes files',
  rmdir: 'deletes directories',
  unlink: 'deletes a file',
  shred: 'overwrites and deletes files',
  mv: 'moves or renames files',
  cp: 'copies files, writing the destination',
  install: 'copies files into place',
  rsync: 'copies files, writing the destination',
  scp: 'copies files, writing the destination',
  mkdir: 'creates directories',
  touch: 'creates files or changes their times',
  chmod: 'changes file permissions',
  chown: 'changes file owners',
  chgrp: 'changes file groups',
  ln: 'creates links',
  truncate: 'changes file sizes',
  mktemp: 'creates a temporary file',
  zip: 'writes an archive',
  kill: 'signals processes',
  pkill: 'signals processes',
  killall: 'signals processes',
};

export const FILE_RULES: Record<string, Rule> = {
  ...Object.fromEntries(
    Object.entries(READ_ONLY_TOOLS).map(([name, what]) => [name, () => readOnly(`${name} ${what}`)]),
  ),
  ...Object.fromEntries(
    Object.entries(MUTATING_TOOLS).map(([name, what]) => [name, () => mutating(`${name} ${what}`)]),
  ),
  sed: classifySed,
  tee: (args) => {
    const files = readArgs(args, { valued: [] }).positionals.filter((file) => !isHarmlessTarget(file));
    return files.length > 0
      ? mutating(`tee writes its input into ${files.join(', ')}`)
      : readOnly('tee only passes its input on');
  },
  find: (args, ctx) => classifyFind(args, ctx),
  fd: classifyFd,
  fdfind: classifyFd,
  sort: (args) => {
    const read = readArgs(args, {
      valued: [
        '-k',
        '--key',
        '-t',
        '--field-separator',
        '-o',
        '--output',
        '-S',
        '--buffer-size',
        '-T',
        '--temporary-directory',
        '--parallel',
        '--files0-from',
        '--batch-size',
        '--compress-program',
      ],
    });
    const output = optionValue(read, '-o', '--output');
    return output !== undefined && !isHarmlessTarget(output)
      ? mutating(`sort -o writes ${output}`)
      : readOnly('sort prints sorted lines');
  },
  uniq: (args) => {
    const read = readArgs(args, { valued: ['-f', '--skip-fields', '-s', '--skip-chars', '-w', '--check-chars'] });
    const output = read.positionals[1];
    return output !== undefined && !isHarmlessTarget(output)
      ? mutating(`uniq INPUT OUTPUT writes ${output}`)
      : readOnly('uniq prints unique lines');
  },
  dd: (args) => {
    const output = args.find((arg) => arg.startsWith('of='))?.slice(3);
    return output !== undefined && !isHarmlessTarget(output)
      ? mutating(`dd of= writes ${output}`)
      : readOnly('dd without of= writes to standard output');
  },
  awk: classifyAwk,
  gawk: classifyAwk,
  mawk: classifyAwk,
  nawk: classifyAwk,
  curl: classifyCurl,
  wget: (args) => {
    const read = readArgs(args, {
      valued: [
        '-O',
        '--output-document',
        '-o',
        '--output-file',
        '-P',
        '--directory-prefix',
        '-U',
        '--user-agent',
        '--header',
        '-t',
        '--tries',
        '-T',
        '--timeout',
      ],
    });
    const output = optionValue(read, '-O', '--output-document');
    if (hasOption(read, '--spider') || output === '-' || (output !== undefined && isHarmlessTarget(output)))
      return readOnly('wget prints the download or only checks it');
    return mutating('wget downloads into a file');
  },
  tar: classifyTar,
  unzip: (args) => {
    const read = readArgs(args, { valued: ['-d', '-x'] });
    return hasOption(read, '-l', '-v', '-t', '-Z', '-p', '-c')
      ? readOnly('unzip -l/-t only lists or tests the archive')
      : mutating('unzip extracts files');
  },
  ...Object.fromEntries(
    ['gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'unzstd'].map((name) => [name, compressor]),
  ),
  patch: (args) =>
    args.includes('--dry-run')
      ? readOnly('patch --dry-run only reports what it would do')
      : mutating('patch changes files'),
  prettier: (args) => {
    const read = readArgs(args, { valued: ['--config', '--ignore-path', '--parser', '--plugin', '--log-level'] });
    if (hasOption(read, '--write', '-w')) return mutating('prettier --write rewrites files');
    return readOnly('prettier without --write only checks or prints formatted text');
  },
  tsc: (args) => {
    const read = readArgs(args, { valued: ['-p', '--project', '--outDir', '--outFile', '--target', '--module'] });
    if (hasOption(read, '-b', '--build')) return mutating('tsc --build writes compiled output');
    if (hasOption(read, '--noEmit', '--version', '-v', '--help', '-h', '--showConfig', '--listFilesOnly'))
      return readOnly('tsc --noEmit only type-checks');
    return mutating('tsc writes compiled JavaScript (add --noEmit to only check)');
  },
  hostname: (args) =>
    args.some((arg) => !arg.startsWith('-'))
      ? mutating('hostname NAME changes the host name')
      : readOnly('hostname prints the host name'),
};

/**
 * `sed -i`, `-i.bak`, `--in-place`, `-Ei`: in-place editing. A `w FILE` command inside the script is not looked for.
 */
function classifySed(args: readonly string[]): Verdict {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--in-place' || arg.startsWith('--in-place=')) return mutating('sed --in-place edits files in place');
    if (arg === '-e' || arg === '-f' || arg === '--expression' || arg === '--file' || arg === '-l') {
      i++;
      continue;
    }
    if (!arg.startsWith('-') || arg.startsWith('--')) continue;
    for (const flag of arg.slice(1)) {
      if (flag === 'i') return mutating('sed -i edits files in place');
      if (flag === 'e' || flag === 'f' || flag === 'l') break; // the rest is the option's value
    }
  }
  return readOnly('sed without -i prints the edited text');
}

/** `find` reads, unless it deletes, writes its list into a file, or runs a command (classed by that command). */
function classifyFind(args: readonly string[], ctx: RuleContext): Verdict {
  let verdict: Verdict = readOnly('find lists files');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-delete') return mutating('find -delete deletes the files it finds');
    if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(arg))
      return mutating(`find ${arg} writes its list into ${args[i + 1] ?? 'a file'}`);
    if (['-exec', '-execdir', '-ok', '-okdir'].includes(arg)) {
      const end = args.findIndex((word, j) => j > i && (word === ';' || word === '+'));
      const argv = args.slice(i + 1, end < 0 ? undefined : end);
      if (argv.length === 0) return unknown(`find ${arg} without a command`);
      const inner = ctx.classifyArgv(argv);
      verdict = worse(
        { class: inner.class, reason: `find ${arg} runs ${argv[0]} on each file: ${inner.reason}` },
        verdict,
      );
      i = end < 0 ? args.length : end;
    }
  }
  return verdict;
}

function classifyFd(args: readonly string[], ctx: RuleContext, name: string): Verdict {
  const exec = args.findIndex((arg) => ['-x', '--exec', '-X', '--exec-batch'].includes(arg));
  if (exec < 0) return readOnly(`${name} lists files`);
  const argv = args.slice(exec + 1);
  if (argv.length === 0) return unknown(`${name} ${args[exec]} without a command`);
  const inner = ctx.classifyArgv(argv);
  return { class: inner.class, reason: `${name} ${args[exec]} runs ${argv[0]} on each file: ${inner.reason}` };
}

/**
 * awk reads unless its program writes: `-i inplace`, `print > "file"` (in awk, `>` after print is always
 * a redirection; a comparison there needs parentheses), or runs commands (`system()`, `| "cmd"`).
 */
function classifyAwk(args: readonly string[], _ctx: RuleContext, name: string): Verdict {
  const read = readArgs(args, {
    valued: ['-F', '-v', '-f', '-i', '--include', '--file', '--assign', '--field-separator', '-E', '--exec'],
  });
  if (optionValue(read, '-i', '--include') === 'inplace') return mutating(`${name} -i inplace edits files in place`);
  if (hasOption(read, '-f', '--file', '-E', '--exec'))
    return unknown(`${name} -f runs a program from a file, which is not read here`);
  const program = read.positionals[0] ?? '';
  if (/\bsystem\s*\(|\|\s*"|\|&/.test(program)) return unknown(`the ${name} program runs commands`);
  for (const match of program.matchAll(/\bprintf?\b[^;{}()]*?>>?\s*("[^"]*"|[^\s;}]+)/g)) {
    const target = match[1]!.replace(/^"|"$/g, '');
    if (!isHarmlessTarget(target)) return mutating(`the ${name} program writes into ${target}`);
  }
  return readOnly(`${name} prints what its program selects`);
}

/** curl reads a URL unless it saves to a file or sends data (POST, PUT, upload). */
function classifyCurl(args: readonly string[]): Verdict {
  const read = readArgs(args, {
    valued: [
      '-o',
      '--output',
      '-X',
      '--request',
      '-d',
      '--data',
      '--data-raw',
      '--data-binary',
      '--data-urlencode',
      '--json',
      '-F',
      '--form',
      '-T',
      '--upload-file',
      '-H',
      '--header',
      '-u',
      '--user',
      '-A',
      '--user-agent',
      '-e',
      '--referer',
      '-b',
      '--cookie',
      '-c',
      '--cookie-jar',
      '-D',
      '--dump-header',
      '-w',
      '--write-out',
      '-m',
      '--max-time',
      '--connect-timeout',
      '-K',
      '--config',
      '--url',
      '-x',
      '--proxy',
      '-r',
      '--range',
      '--retry',
      '--cacert',
      '--cert',
      '--key',
      '-E',
    ],
  });
  const saved = ['-o', '--output', '-c', '--cookie-jar', '-D', '--dump-header']
    .map((name) => optionValue(read, name))
    .find((file) => file !== undefined && file !== '-' && !isHarmlessTarget(file));
  if (saved !== undefined) return mutating(`curl writes ${saved}`);
  if (hasOption(read, '-O', '--remote-name', '--remote-name-all', '-J'))
    return mutating('curl -O saves the download into a file');
  const method = optionValue(read, '-X', '--request')?.toUpperCase();
  if (method !== undefined && method !== 'GET' && method !== 'HEAD')
    return mutating(`curl -X ${method} sends a changing request`);
  const sendsData = hasOption(
    read,
    '-d',
    '--data',
    '--data-raw',
    '--data-binary',
    '--data-urlencode',
    '--json',
    '-F',
    '--form',
    '-T',
    '--upload-file',
  );
  if (sendsData && !hasOption(read, '-G', '--get')) return mutating('curl with data sends a POST');
  return readOnly('curl fetches a URL to standard output');
}

/** tar lists (`t`) or creates/extracts (`c`, `x`, `r`, `u`); the mode may come without a dash (`tar xzf a.tgz`). */
function classifyTar(args: readonly string[]): Verdict {
  const first = args[0] ?? '';
  const modeLetters = first.startsWith('-') ? '' : first;
  const read = readArgs(args, {
    valued: ['-f', '--file', '-C', '--directory', '-T', '--files-from', '-X', '--exclude-from'],
  });
  const has = (letter: string, ...long: string[]) =>
    modeLetters.includes(letter) || hasOption(read, `-${letter}`, ...long);
  if (has('x', '--extract', '--get')) return mutating('tar -x extracts files');
  if (has('c', '--create') || has('r', '--append') || has('u', '--update') || hasOption(read, '--delete'))
    return mutating('tar writes an archive');
  if (has('t', '--list')) return readOnly('tar -t lists an archive');
  return unknown('tar without a known mode');
}

function compressor(args: readonly string[], _ctx: RuleContext, name: string): Verdict {
  const read = readArgs(args, { valued: ['-S', '--suffix', '-T', '--threads'] });
  if (hasOption(read, '-c', '--stdout', '--to-stdout', '-l', '--list', '-t', '--test'))
    return readOnly(`${name} -c writes to standard output`);
  return mutating(`${name} replaces files with their (de)compressed form`);
}
