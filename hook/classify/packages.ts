import { hasOption, readArgs } from './options.js';
import { mutating, readOnly, unknown, type Rule, type RuleContext, type Verdict } from './types.js';

/** The words that are there, space-separated: a reason names a subcommand only when one was given. */
const words = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');

/**
 * Running a project script (`npm run build`, `npm test`, `yarn lint`, `pnpm test`) counts as mutating,
 * not unknown: the script is the project's own build or test, which writes build output, caches and
 * coverage, and a lint `--fix` or a codegen step edits sources. It is the same call as `cargo build` and
 * `cargo test`, which write `target/`. Unknown is kept for programs the tables know nothing about.
 */
const RUNS_SCRIPT = 'runs a project script, which can write anything (a build writes its output); counted as mutating';

const NPM_INSTALL = [
  'install',
  'i',
  'in',
  'ins',
  'inst',
  'insta',
  'instal',
  'isnt',
  'isnta',
  'isntal',
  'add',
  'ci',
  'clean-install',
  'ic',
  'install-clean',
  'isntall-clean',
];
const NPM_READS: Record<string, string> = {
  ls: 'lists installed packages',
  list: 'lists installed packages',
  ll: 'lists installed packages',
  la: 'lists installed packages',
  view: 'shows registry data',
  v: 'shows registry data',
  info: 'shows registry data',
  show: 'shows registry data',
  outdated: 'lists outdated packages',
  help: 'shows help',
  prefix: 'prints a directory',
  root: 'prints a directory',
  bin: 'prints a directory',
  whoami: 'prints the user',
  search: 'searches the registry',
  explain: 'explains why a package is installed',
  why: 'explains why a package is installed',
  fund: 'lists funding links',
  query: 'queries installed packages',
  doctor: 'checks the npm setup',
  ping: 'checks the registry',
  docs: 'opens documentation',
  home: 'opens the home page',
  repo: 'opens the repository page',
  bugs: 'opens the issue tracker',
};
const NPM_WRITES: Record<string, string> = {
  uninstall: 'removes packages',
  un: 'removes packages',
  remove: 'removes packages',
  rm: 'removes packages',
  r: 'removes packages',
  unlink: 'removes packages',
  update: 'updates packages',
  up: 'updates packages',
  upgrade: 'updates packages',
  publish: 'publishes to the registry',
  unpublish: 'removes from the registry',
  deprecate: 'changes the registry',
  link: 'links packages',
  ln: 'links packages',
  prune: 'removes extraneous packages',
  dedupe: 'rewrites node_modules',
  ddp: 'rewrites node_modules',
  rebuild: 'rebuilds packages',
  rb: 'rebuilds packages',
  pack: 'writes a package tarball',
  init: 'writes package.json',
  create: 'writes package.json',
  login: 'changes stored credentials',
  logout: 'changes stored credentials',
  adduser: 'changes stored credentials',
  star: 'changes the registry',
  unstar: 'changes the registry',
  'dist-tag': 'changes registry tags',
  owner: 'changes registry owners',
  access: 'changes registry access',
  run: RUNS_SCRIPT,
  'run-script': RUNS_SCRIPT,
  rum: RUNS_SCRIPT,
  urn: RUNS_SCRIPT,
  test: RUNS_SCRIPT,
  t: RUNS_SCRIPT,
  tst: RUNS_SCRIPT,
  start: RUNS_SCRIPT,
  stop: RUNS_SCRIPT,
  restart: RUNS_SCRIPT,
  'install-test': RUNS_SCRIPT,
  it: RUNS_SCRIPT,
  cit: RUNS_SCRIPT,
  'install-ci-test': RUNS_SCRIPT,
};
/** npm commands where `--dry-run` really only reports. */
const NPM_DRY_RUNNABLE = new Set([
  ...NPM_INSTALL,
  'uninstall',
  'un',
  'remove',
  'rm',
  'r',
  'update',
  'up',
  'upgrade',
  'publish',
  'pack',
  'prune',
  'dedupe',
  'ddp',
  'link',
  'ln',
]);

function classifyNpm(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, {
    valued: ['--prefix', '-C', '-w', '--workspace', '--registry', '--loglevel', '--userconfig'],
    stopAtPositional: true,
  });
  const [command, ...rest] = read.rest;
  if (command === undefined) {
    return hasOption(read, '-v', '--version', '-h', '--help', '-l')
      ? readOnly('npm --version only prints information')
      : readOnly('npm with no command only prints its usage');
  }
  if (command === 'exec' || command === 'x') return runsProgram(`npm ${command}`, rest, ctx);
  if (NPM_INSTALL.includes(command)) {
    if (rest.includes('--dry-run')) return readOnly(`npm ${command} --dry-run only reports what it would do`);
    return mutating(`npm ${command} installs packages, writing node_modules and the lockfile`);
  }
  if (NPM_READS[command] !== undefined) return readOnly(`npm ${command} ${NPM_READS[command]}`);
  if (NPM_WRITES[command] !== undefined) {
    if (NPM_DRY_RUNNABLE.has(command) && rest.includes('--dry-run'))
      return readOnly(`npm ${command} --dry-run only reports what it would do`);
    return mutating(`npm ${command} ${NPM_WRITES[command]}`);
  }
  const sub = rest.find((arg) => !arg.startsWith('-'));
  if (command === 'config' || command === 'c')
    return sub === 'get' || sub === 'list' || sub === 'ls'
      ? readOnly(`npm config ${sub} reads settings`)
      : mutating(`${words('npm config', sub)} changes settings`);
  if (command === 'pkg')
    return sub === 'get'
      ? readOnly('npm pkg get reads package.json')
      : mutating(`${words('npm pkg', sub)} changes package.json`);
  if (command === 'version')
    return sub === undefined
      ? readOnly('npm version prints versions')
      : mutating('npm version NEW bumps the version and tags a commit');
  if (command === 'audit')
    return sub === 'fix'
      ? mutating('npm audit fix changes installed packages')
      : readOnly('npm audit reports vulnerabilities');
  if (command === 'cache')
    return sub === 'ls' || sub === 'verify'
      ? readOnly(`npm cache ${sub} inspects the cache`)
      : mutating(`${words('npm cache', sub)} changes the cache`);
  return unknown(`npm ${command} is not an npm command this classifier knows`);
}

/** `npx X`, `npm exec X`, `pnpm exec X`, `yarn dlx X`: classed by X when X is known (and unknown otherwise). */
function runsProgram(runner: string, args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, {
    valued: ['-p', '--package', '-c', '--call', '-w', '--workspace'],
    stopAtPositional: true,
  });
  if (read.rest.length === 0) {
    if (hasOption(read, '-v', '--version', '-h', '--help'))
      return readOnly(`${runner} --version only prints information`);
    return unknown(`${runner} without a program`);
  }
  const inner = ctx.classifyArgv(read.rest);
  return { class: inner.class, reason: `${runner} runs ${read.rest[0]}: ${inner.reason}` };
}

const YARN_READS = new Set([
  'list',
  'info',
  'why',
  'outdated',
  'licenses',
  'audit',
  'bin',
  'help',
  'dir',
  'owner',
  'npm',
]);
const YARN_WRITES: Record<string, string> = {
  install: 'installs packages, writing node_modules and the lockfile',
  add: 'installs packages, writing node_modules and the lockfile',
  remove: 'removes packages',
  upgrade: 'updates packages',
  up: 'updates packages',
  'upgrade-interactive': 'updates packages',
  publish: 'publishes to the registry',
  link: 'links packages',
  unlink: 'unlinks packages',
  import: 'writes a lockfile',
  pack: 'writes a package tarball',
  init: 'writes package.json',
  version: 'bumps the version',
  set: 'changes yarn settings',
  run: RUNS_SCRIPT,
};

/** yarn: bare `yarn` installs; any other word it does not know is the name of a package script, which it runs. */
function classifyYarn(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, { valued: ['--cwd'], stopAtPositional: true });
  const [command, ...rest] = read.rest;
  if (command === undefined) {
    if (hasOption(read, '-v', '--version', '-h', '--help')) return readOnly('yarn --version only prints information');
    return mutating('yarn with no command installs packages, writing node_modules and the lockfile');
  }
  if (command === 'dlx' || command === 'exec') return runsProgram(`yarn ${command}`, rest, ctx);
  if (command === 'workspace' && rest.length >= 2) {
    const inner = classifyYarn(rest.slice(1), ctx);
    return { class: inner.class, reason: `yarn workspace ${rest[0]}: ${inner.reason}` };
  }
  if (command === 'config')
    return rest[0] === 'get' || rest[0] === 'list' || rest.length === 0
      ? readOnly('yarn config reads settings')
      : mutating('yarn config changes settings');
  if (command === 'cache')
    return rest[0] === 'list' || rest[0] === 'dir'
      ? readOnly('yarn cache list inspects the cache')
      : mutating('yarn cache changes the cache');
  if (YARN_READS.has(command)) return readOnly(`yarn ${command} only reads`);
  if (YARN_WRITES[command] !== undefined) return mutating(`yarn ${command} ${YARN_WRITES[command]}`);
  return mutating(`yarn ${command} ${RUNS_SCRIPT}`);
}

const PNPM_READS = new Set([
  'list',
  'ls',
  'll',
  'why',
  'outdated',
  'view',
  'info',
  'show',
  'licenses',
  'root',
  'bin',
  'help',
  'audit',
]);
const PNPM_WRITES: Record<string, string> = Object.fromEntries([
  ...['install', 'i', 'add', 'ci', 'import', 'fetch'].map((name) => [
    name,
    'installs packages, writing node_modules and the lockfile',
  ]),
  ...[
    'remove',
    'rm',
    'un',
    'uninstall',
    'update',
    'up',
    'upgrade',
    'prune',
    'dedupe',
    'rebuild',
    'rb',
    'link',
    'ln',
    'unlink',
  ].map((name) => [name, 'changes installed packages']),
  ['publish', 'publishes to the registry'],
  ['pack', 'writes a package tarball'],
  ['init', 'writes package.json'],
  ['patch', 'prepares a package patch'],
  ['patch-commit', 'writes a package patch'],
  ...['run', 'run-script', 'test', 't', 'start', 'create'].map((name) => [name, RUNS_SCRIPT]),
]);

/** pnpm: like yarn, an unknown word is a script name. Leading `-r`, `--filter X`, `-C dir` pick where it runs. */
function classifyPnpm(args: readonly string[], ctx: RuleContext): Verdict {
  const read = readArgs(args, {
    valued: ['--filter', '-F', '-C', '--dir', '--workspace-concurrency', '--reporter', '--loglevel'],
    stopAtPositional: true,
  });
  const [command, ...rest] = read.rest;
  if (command === undefined) {
    return hasOption(read, '-v', '--version', '-h', '--help')
      ? readOnly('pnpm --version only prints information')
      : readOnly('pnpm with no command only prints its usage');
  }
  if (command === 'exec' || command === 'dlx' || command === 'x') return runsProgram(`pnpm ${command}`, rest, ctx);
  if (command === 'audit' && rest.includes('--fix')) return mutating('pnpm audit --fix changes package.json');
  if (command === 'config')
    return rest[0] === 'get' || rest[0] === 'list'
      ? readOnly('pnpm config reads settings')
      : mutating('pnpm config changes settings');
  if (command === 'store')
    return rest[0] === 'path' || rest[0] === 'status'
      ? readOnly('pnpm store path inspects the store')
      : mutating('pnpm store changes the store');
  if (PNPM_READS.has(command)) return readOnly(`pnpm ${command} only reads`);
  if (PNPM_WRITES[command] !== undefined) return mutating(`pnpm ${command} ${PNPM_WRITES[command]}`);
  return mutating(`pnpm ${command} ${RUNS_SCRIPT}`);
}

const CARGO_READS: Record<string, string> = {
  metadata: 'prints package metadata',
  tree: 'prints the dependency tree',
  search: 'searches the registry',
  'locate-project': 'prints the manifest path',
  'verify-project': 'checks the manifest',
  'read-manifest': 'prints the manifest',
  pkgid: 'prints a package id',
  info: 'shows registry data',
  version: 'prints its version',
  help: 'shows help',
};
const CARGO_WRITES: Record<string, string> = {
  ...Object.fromEntries(
    ['build', 'b', 'check', 'c', 'test', 't', 'run', 'r', 'bench', 'doc', 'd', 'clippy', 'rustc', 'rustdoc'].map(
      (name) => [name, 'compiles, writing target/'],
    ),
  ),
  install: 'installs a binary',
  uninstall: 'removes a binary',
  add: 'adds a dependency to Cargo.toml',
  remove: 'removes a dependency from Cargo.toml',
  rm: 'removes a dependency from Cargo.toml',
  update: 'updates Cargo.lock',
  'generate-lockfile': 'writes Cargo.lock',
  publish: 'publishes to the registry',
  yank: 'changes the registry',
  package: 'writes a package tarball',
  clean: 'deletes target/',
  new: 'creates a package',
  init: 'creates a package',
  fix: 'edits source files',
  vendor: 'writes vendored sources',
  login: 'changes stored credentials',
  logout: 'changes stored credentials',
  owner: 'changes registry owners',
};

/** cargo: building writes `target/`, so build, check and test are mutating; `fmt --check` only reads. */
function classifyCargo(args: readonly string[]): Verdict {
  const rest = args[0]?.startsWith('+') ? args.slice(1) : args; // `cargo +nightly build`
  const read = readArgs(rest, { valued: ['-C', '-Z', '--config', '--color'], stopAtPositional: true });
  const [command, ...more] = read.rest;
  if (command === undefined) {
    return hasOption(read, '-V', '--version', '--list', '-h', '--help')
      ? readOnly('cargo --version only prints information')
      : readOnly('cargo with no command only prints its usage');
  }
  if (command === 'fmt')
    return more.includes('--check')
      ? readOnly('cargo fmt --check only reports formatting')
      : mutating('cargo fmt rewrites source files');
  if (CARGO_READS[command] !== undefined) return readOnly(`cargo ${command} ${CARGO_READS[command]}`);
  if (CARGO_WRITES[command] !== undefined) return mutating(`cargo ${command} ${CARGO_WRITES[command]}`);
  return unknown(`cargo ${command} is not a cargo command this classifier knows (it may be a plugin)`);
}

const PIP_READS = new Set(['list', 'show', 'freeze', 'check', 'search', 'index', 'inspect', 'help', 'debug', 'hash']);
const PIP_WRITES: Record<string, string> = {
  install: 'installs packages',
  uninstall: 'removes packages',
  download: 'downloads packages onto disk',
  wheel: 'builds wheels onto disk',
};

function classifyPip(args: readonly string[], _ctx: RuleContext, name: string): Verdict {
  const read = readArgs(args, {
    valued: ['--python', '--log', '--cache-dir', '--proxy', '--timeout'],
    stopAtPositional: true,
  });
  const [command, ...rest] = read.rest;
  if (command === undefined)
    return hasOption(read, '-V', '--version', '-h', '--help')
      ? readOnly(`${name} --version only prints information`)
      : readOnly(`${name} with no command only prints its usage`);
  if (PIP_READS.has(command)) return readOnly(`${name} ${command} only reads`);
  if (command === 'config' || command === 'cache') {
    const sub = rest.find((arg) => !arg.startsWith('-'));
    return ['list', 'get', 'debug', 'dir', 'info'].includes(sub ?? '')
      ? readOnly(`${name} ${command} ${sub} only reads`)
      : mutating(`${words(name, command, sub)} changes ${command === 'config' ? 'settings' : 'the cache'}`);
  }
  if (PIP_WRITES[command] !== undefined) {
    if (command === 'install' && rest.includes('--dry-run'))
      return readOnly(`${name} install --dry-run only reports what it would do`);
    return mutating(`${name} ${command} ${PIP_WRITES[command]}`);
  }
  return unknown(`${name} ${command} is not a pip command this classifier knows`);
}

/** Interpreters run programs this classifier cannot read; only their version query is known. `python -m pip` is pip. */
function interpreter(versionFlags: readonly string[]): Rule {
  return (args, ctx, name) => {
    if (args.length >= 1 && args.every((arg) => versionFlags.includes(arg)))
      return readOnly(`${name} ${args[0]} only prints its version`);
    if (args[0] === '-m' && (args[1] === 'pip' || args[1] === 'pip3')) {
      return classifyPip(args.slice(2), ctx, `${name} -m pip`);
    }
    return unknown(`${name} runs a program whose effects are not known here`);
  };
}

/** make runs the project's recipes (a build writes files), like `npm run`; `-n` only prints them. */
function classifyMake(args: readonly string[]): Verdict {
  const read = readArgs(args, { valued: ['-C', '-f', '--file', '-j', '--jobs', '-l', '-o', '-W', '-I'] });
  if (
    hasOption(
      read,
      '-n',
      '--dry-run',
      '--just-print',
      '--recon',
      '-q',
      '--question',
      '-v',
      '--version',
      '-p',
      '--print-data-base',
      '-h',
      '--help',
    )
  ) {
    return readOnly('make -n only prints the recipes it would run');
  }
  return mutating('make runs build recipes, which write files');
}

const GO_READS = new Set(['version', 'env', 'list', 'doc', 'help']);

function classifyGo(args: readonly string[]): Verdict {
  const [command, sub] = args;
  if (command === undefined) return readOnly('go with no command only prints its usage');
  if (command === 'env' && args.includes('-w')) return mutating('go env -w changes settings');
  if (GO_READS.has(command)) return readOnly(`go ${command} only reads`);
  if (command === 'mod')
    return sub === 'graph' || sub === 'why' || sub === 'verify'
      ? readOnly(`go mod ${sub} only reads`)
      : mutating(`${words('go mod', sub)} changes go.mod or the module cache`);
  if (['build', 'test', 'run', 'install', 'get', 'generate', 'fmt', 'vet', 'clean', 'work', 'fix'].includes(command)) {
    return mutating(`go ${command} compiles or edits files (build output, caches, sources)`);
  }
  return unknown(`go ${command} is not a go command this classifier knows`);
}

export const PACKAGE_RULES: Record<string, Rule> = {
  npm: classifyNpm,
  npx: (args, ctx) => runsProgram('npx', args, ctx),
  yarn: classifyYarn,
  pnpm: classifyPnpm,
  cargo: classifyCargo,
  pip: classifyPip,
  pip3: classifyPip,
  python: interpreter(['--version', '-V', '-VV']),
  python3: interpreter(['--version', '-V', '-VV']),
  node: interpreter(['--version', '-v']),
  deno: interpreter(['--version', '-V']),
  bun: interpreter(['--version', '-v']),
  ruby: interpreter(['--version', '-v']),
  perl: interpreter(['--version', '-v']),
  make: classifyMake,
  go: classifyGo,
};
