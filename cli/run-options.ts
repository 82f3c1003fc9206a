import path from 'node:path';
import { type Command, Option } from 'commander';
import { configSchema, formatZodIssue, loadConfig, refuseProtoKeys, type WritegateConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { parseProfile, type Profile } from '../core/profile.js';
import { FRESH_FILE_SYSTEMS, type FreshFileSystem } from '../core/schema.js';
import { assignments, collect, parseList, parseNonNegativeInt, parseSizeList } from './parse.js';

export const DEFAULT_SIZES = [1024, 128 * 1024, 8 * 1024 * 1024];
export const DEFAULT_SEED = 1;

/**
 * The groups of run options. Each command takes the groups its suites read, so its --help lists only
 * flags that change what it does: bench and crash write through writer subjects, parity runs wrappers
 * against git, hook runs hooks; `gate` and `readiness` take the union of the suites they run.
 */
export type RunOptionGroup = 'writers' | 'wrappers' | 'hooks' | 'seeded' | 'tools' | 'filesystems';

/** The groups each command that runs suites takes. */
export const RUN_OPTION_GROUPS = {
  bench: ['writers', 'seeded', 'tools', 'filesystems'],
  crash: ['writers', 'seeded', 'tools', 'filesystems'],
  parity: ['wrappers'],
  hook: ['hooks'],
  gate: ['writers', 'wrappers', 'hooks', 'seeded', 'tools', 'filesystems'],
  readiness: ['hooks', 'wrappers'],
} as const satisfies Record<string, readonly RunOptionGroup[]>;

export type RunCommandName = keyof typeof RUN_OPTION_GROUPS;

/** The flags of each group, as declared below; the help test checks a command lists no other group's. */
export const RUN_OPTION_FLAGS: Record<RunOptionGroup, readonly string[]> = {
  writers: ['--subjects', '--writer-cmd', '--writer-noop', '--batch-cmd', '--driver', '--sizes'],
  wrappers: ['--wrapper', '--git'],
  hooks: ['--hook', '--hook-env'],
  seeded: ['--seed'],
  tools: ['--skip-unavailable'],
  filesystems: ['--fs'],
};

/** The run options of one command: the common ones, then its groups. */
export function addRunOptions(command: Command, name: RunCommandName): Command {
  const groups: readonly RunOptionGroup[] = RUN_OPTION_GROUPS[name];
  command
    .option('--out <dir>', 'directory for results_raw.csv, results_env.txt and RESULTS.md', 'results')
    .addOption(
      new Option('--profile <profile>', 'quick (PR gate) or full (nightly)')
        .choices(['quick', 'full'])
        .default('quick'),
    )
    .option('--json', 'print a machine-readable summary on stdout', false)
    .option('--config <file>', 'config file (default: ./writegate.config.json if present)');
  if (groups.includes('writers')) {
    command
      .option(
        '--subjects <names>',
        'only these writer subjects, comma-separated (floor and reference always stay for ratios)',
      )
      .option(
        '--writer-cmd <name=template>',
        "per-op writer command, e.g. 'py=python3 w.py {source} {target} {mode}' (repeatable)",
        collect,
      )
      .option(
        '--writer-noop <name=template>',
        'a command that starts the same program and does nothing, for spawn cost (repeatable)',
        collect,
      )
      .option(
        '--batch-cmd <name=template>',
        'the batch form of a --writer-cmd writer: one process writes many files, {pairs} becoming ' +
          "source1 target1 source2 target2 …, e.g. 'py=python3 w.py --batch {mode} {pairs}' (repeatable)",
        collect,
      )
      .option(
        '--driver <name=command>',
        'persistent JSON-lines driver (repeatable; protocol in docs/writers.md)',
        collect,
      )
      .option(
        '--sizes <list>',
        'payload sizes, e.g. 1KiB,128KiB,8MiB; KiB/MiB/GiB are 1024-based, KB/MB/GB 1000-based, bare k/m/g are refused',
      );
  }
  if (groups.includes('wrappers')) {
    command
      .option(
        '--wrapper <name=template>',
        "git wrapper as an argv prefix, e.g. 'mytool=mytool git' (repeatable)",
        collect,
      )
      .option('--git <path>', 'native git for parity (default: git on PATH)');
  }
  if (groups.includes('hooks')) {
    command
      .option(
        '--hook <name=template>',
        "PreToolUse hook under test as a command, e.g. 'mine=node my-hook.mjs' (repeatable)",
        collect,
      )
      .option(
        '--hook-env <set:VAR=VALUE>',
        "an opt-in environment the hooks also run in, e.g. 'mutating:RTK_REWRITE_MUTATING=1' " +
          '(repeatable; one set gathers its variables)',
        collect,
      );
  }
  if (groups.includes('seeded')) command.option('--seed <n>', 'seed for payloads and random schedules');
  if (groups.includes('tools')) {
    command.option(
      '--skip-unavailable',
      'when a tool a selected scenario needs (strace) is missing, or a --fs ' +
        'file system cannot be made here, skip what needs it with a note and skipped ' +
        'rows instead of refusing to start',
      false,
    );
  }
  if (groups.includes('filesystems')) {
    command.option(
      '--fs <list>',
      `run bench and crash once on each of these file systems, made fresh for ` +
        `the run (${FRESH_FILE_SYSTEMS.join(', ')}; root: an image on a loop device ` +
        `with direct I/O, mkfs, mount; tmpfs with a size limit), or none; rows ` +
        `name their file system, and crash_image reads real crash images of each ` +
        `(default: quick none — the workspace's own file system; full ext4 where ` +
        `it can be made, else the workspace's own with a note)`,
    );
  }
  return command;
}

export interface RunFlags {
  out: string;
  profile: string;
  json: boolean;
  config?: string;
  subjects?: string;
  writerCmd?: string[];
  writerNoop?: string[];
  batchCmd?: string[];
  driver?: string[];
  wrapper?: string[];
  hook?: string[];
  hookEnv?: string[];
  git?: string;
  sizes?: string;
  seed?: string;
  fs?: string;
  skipUnavailable?: boolean;
  thresholds?: string;
  knownDifferences?: string;
}

export interface ResolvedRun {
  outDir: string;
  profile: Profile;
  json: boolean;
  config: WritegateConfig;
  subjectsFilter?: string[];
  sizes: number[];
  seed: number;
  /** Skip what needs a missing tool (strace) instead of refusing to start. */
  skipUnavailable: boolean;
  /** File systems made fresh for bench and crash (`--fs`, else the config's `fs`, else the profile's default). */
  fileSystems: FreshFileSystem[];
  /** No --fs and no config `fs`: the list is the profile's default, made only where it can be (else a note). */
  fileSystemsByDefault: boolean;
}

/**
 * What each profile runs bench and crash on when neither --fs nor the config names file systems.
 * The full profile checks one real file system with real crash images (ext4, Linux's default); it
 * costs about what the workspace's own does, and falls back to it with a note where it cannot be made
 * (not root, no mkfs.ext4). Quick stays on the workspace's own: a pull request's gate needs no root.
 */
export const PROFILE_FILE_SYSTEMS: Record<Profile, readonly FreshFileSystem[]> = { quick: [], full: ['ext4'] };

/** Folds flags into the file config (flags win) and validates the result like the file itself. */
export function resolveRun(flags: RunFlags): ResolvedRun {
  if (flags.out.trim() === '') throw new InputError('--out: empty; give a directory');
  const { config: fileConfig } = loadConfig(flags.config);
  // Maps, not plain objects: a name is only ever a key (a flag may override the config's writer of
  // that name; two flags may not name one writer).
  const writers = new Map<string, NonNullable<WritegateConfig['writers']>[string]>(
    Object.entries(fileConfig.writers ?? {}),
  );
  const commands = assignments(flags.writerCmd ?? [], '--writer-cmd');
  const drivers = assignments(
    flags.driver ?? [],
    '--driver',
    new Map([...commands.keys()].map((name) => [name, '--writer-cmd'])),
  );
  for (const [name, value] of commands) writers.set(name, { command: value });
  for (const [name, value] of drivers) writers.set(name, { driver: value });
  for (const [name, value] of assignments(flags.writerNoop ?? [], '--writer-noop')) {
    const writer = writers.get(name);
    if (!writer || !('command' in writer)) throw new InputError(`--writer-noop: no --writer-cmd named ${name}`);
    writers.set(name, { ...writer, noop: value });
  }
  for (const [name, value] of assignments(flags.batchCmd ?? [], '--batch-cmd')) {
    const writer = writers.get(name);
    if (!writer || !('command' in writer)) throw new InputError(`--batch-cmd: no --writer-cmd named ${name}`);
    writers.set(name, { ...writer, batch: value });
  }
  const wrappers = new Map([
    ...Object.entries(fileConfig.wrappers ?? {}),
    ...assignments(flags.wrapper ?? [], '--wrapper'),
  ]);
  const hooks = new Map([...Object.entries(fileConfig.hooks ?? {}), ...assignments(flags.hook ?? [], '--hook')]);
  const hookEnvs = mergeHookEnvs(fileConfig.hookEnvs, flags.hookEnv ?? []);
  const merged = {
    ...fileConfig,
    writers: Object.fromEntries(writers),
    wrappers: Object.fromEntries(wrappers),
    ...(hooks.size ? { hooks: Object.fromEntries(hooks) } : {}),
    ...(Object.keys(hookEnvs).length ? { hookEnvs } : {}),
    ...(flags.git ? { git: flags.git } : {}),
    ...(flags.thresholds ? { thresholds: path.resolve(flags.thresholds) } : {}),
    ...(flags.knownDifferences ? { knownDifferences: path.resolve(flags.knownDifferences) } : {}),
    ...(flags.sizes ? { sizes: parseSizeList(flags.sizes, '--sizes') } : {}),
    ...(flags.fs !== undefined ? { fs: parseFsList(flags.fs) } : {}),
    ...(flags.seed !== undefined ? { seed: parseNonNegativeInt(flags.seed, '--seed', 2 ** 32 - 1) } : {}),
  };
  refuseProtoKeys('command line', merged);
  const checked = configSchema.safeParse(merged);
  if (!checked.success) throw new InputError(formatZodIssue('command line', checked.error));
  const profile = parseProfile(flags.profile);
  const fileSystemsByDefault = checked.data.fs === undefined;
  const fileSystems = [...(checked.data.fs ?? PROFILE_FILE_SYSTEMS[profile])];
  return {
    outDir: path.resolve(flags.out),
    profile,
    json: flags.json,
    // Suites read the file systems from the config, the profile's default folded in.
    config: { ...checked.data, ...(fileSystems.length ? { fs: fileSystems } : {}) },
    subjectsFilter: flags.subjects ? parseList(flags.subjects) : undefined,
    sizes: checked.data.sizes ?? DEFAULT_SIZES,
    seed: checked.data.seed ?? DEFAULT_SEED,
    skipUnavailable: flags.skipUnavailable === true,
    fileSystems,
    fileSystemsByDefault,
  };
}

/** `--fs ext4,xfs` (or `none`): names checked here, so the message names the flag, not the config key. */
function parseFsList(value: string): FreshFileSystem[] {
  const names = parseList(value);
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.find((name) => !(FRESH_FILE_SYSTEMS as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new InputError(
      `--fs: unknown file system ${JSON.stringify(unknown)}; known: ${FRESH_FILE_SYSTEMS.join(', ')}, or none`,
    );
  if (names.length === 0) throw new InputError('--fs: empty; name file systems or none');
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new InputError(`--fs: ${twice} is named twice`);
  return names as FreshFileSystem[];
}

/**
 * `--hook-env SET:VAR=VALUE` folded into the config's env sets: a flag naming a set the file has adds
 * to it (and wins on a variable both name). The names are checked by the config schema afterwards.
 */
function mergeHookEnvs(
  fromFile: WritegateConfig['hookEnvs'],
  raws: readonly string[],
): NonNullable<WritegateConfig['hookEnvs']> {
  // Maps until the end: a set or variable name is a key, never a property of an object.
  const sets = new Map<string, Map<string, string>>(
    Object.entries(fromFile ?? {}).map(([name, vars]) => [name, new Map(Object.entries(vars))]),
  );
  for (const raw of raws) {
    const match = /^([^:=]+):([^=]+)=(.*)$/s.exec(raw);
    if (!match) throw new InputError(`--hook-env: expected SET:VAR=VALUE, got ${JSON.stringify(raw)}`);
    const [, set = '', name = '', value = ''] = match;
    if (set.trim() === '__proto__' || name.trim() === '__proto__')
      throw new InputError(
        `--hook-env: ${JSON.stringify(raw)}: __proto__ cannot be a name (an object would take it as its prototype)`,
      );
    const vars = sets.get(set.trim()) ?? new Map<string, string>();
    vars.set(name.trim(), value);
    sets.set(set.trim(), vars);
  }
  return Object.fromEntries([...sets].map(([name, vars]) => [name, Object.fromEntries(vars)]));
}
